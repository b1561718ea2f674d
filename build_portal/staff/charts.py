"""Charts of the staff workspace: figures from the database (one grouped query each) drawn by pygal as
server-rendered SVG. Each chart is also given as a table of the same figures (``rows``), so it reads
without colour and without the picture; the SVG prints its values on the bars as well.

Labels are plain text in the reader's language: choices labels are lazy, and pygal writes its series as JSON,
which takes only str."""

import datetime
from decimal import Decimal

import pygal
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pygal.style import Style

from core.formatting import day
from dealreg.models import DealRegistration
from funding.models import LedgerEntry, Program
from partners.models import TierLevel
from program.selectors import program_year_or_none
from tiers.models import Assessment, RecalculationRun

RUNS_SHOWN = 6
MONTHS_SHOWN = 12

# High-contrast palette with distinct lightness, so neighbouring series differ in grey too.
STYLE = Style(
    background="white", plot_background="white", foreground="#212529", foreground_strong="#212529",
    foreground_subtle="#6c757d", font_family="system-ui, sans-serif", label_font_size=13, major_label_font_size=13,
    value_font_size=12, legend_font_size=13, title_font_size=16,
    colors=("#1b4f72", "#e67e22", "#7fb3d5", "#6e2c00", "#27ae60", "#c39bd3", "#f4d03f", "#566573"),
)


def _config(**extra):
    # No JavaScript (the tooltips script comes from a CDN); values printed on the bars.
    base = dict(style=STYLE, js=[], disable_xml_declaration=True, print_values=True, legend_at_bottom=True,
                width=800, height=420, show_y_guides=True, truncate_legend=-1, truncate_label=-1)
    base.update(extra)
    return base


def render(chart):
    return chart.render(is_unicode=True)


# --- Tier mix --------------------------------------------------------------------------------------------

def tier_mix(partners):
    counts = dict(partners.order_by().values_list("tier").annotate(n=Count("pk")))
    rows = [(str(label), counts.get(value, 0)) for value, label in TierLevel.choices]
    return {"title": _("Partners by tier"), "columns": [_("Tier"), _("Partners")], "rows": rows}


def tier_mix_svg(data):
    chart = pygal.HorizontalBar(**_config(title=data["title"], show_legend=False))
    chart.x_labels = [label for label, _n in data["rows"]]
    chart.add(_("Partners"), [n for _label, n in data["rows"]])
    return render(chart)


# --- Tier mix over the applied runs ----------------------------------------------------------------------

def tier_mix_by_run(partners):
    runs = list(RecalculationRun.objects.filter(status=RecalculationRun.Status.APPLIED)
                .order_by("-applied_at", "-pk")[:RUNS_SHOWN])[::-1]
    counts = {}
    if runs:
        qs = (Assessment.objects.filter(run__in=runs, partner__in=partners).order_by()
              .values_list("run_id", "applied_tier").annotate(n=Count("pk")))
        counts = {(run_id, tier): n for run_id, tier, n in qs}
    tiers = TierLevel.choices[1:]
    labels = [f"{r.get_kind_display()} {day(r.as_of)}" for r in runs]
    rows = [(label, *[counts.get((run.pk, value), 0) for value, _name in tiers])
            for run, label in zip(runs, labels, strict=True)]
    return {"title": _("Tier mix after each applied recalculation"), "columns": [_("Run"), *[str(n) for _v, n in tiers]],
            "rows": rows}


def stacked_svg(data):
    chart = pygal.StackedBar(**_config(title=data["title"], print_values=False, x_label_rotation=20))
    chart.x_labels = [row[0] for row in data["rows"]]
    for i, name in enumerate(data["columns"][1:], start=1):
        chart.add(name, [float(row[i]) for row in data["rows"]])
    return render(chart)


# --- Deal pipeline ---------------------------------------------------------------------------------------

def _months(today, n=MONTHS_SHOWN):
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def deal_pipeline(partners, *, today=None):
    """Registrations submitted per month over the last year, by their status today."""
    today = today or timezone.localdate()
    months = _months(today)
    start = datetime.datetime.combine(months[0], datetime.time.min, tzinfo=timezone.get_current_timezone())
    qs = (DealRegistration.objects.filter(partner__in=partners, created_at__gte=start).order_by()
          .annotate(month=TruncMonth("created_at")).values_list("month", "status").annotate(n=Count("pk")))
    counts = {}
    for month, status, n in qs:
        key = (timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month).replace(day=1)
        counts[(key, status)] = counts.get((key, status), 0) + n
    statuses = DealRegistration.Status.choices
    # "Dec 2026": the month's short name in the reader's language.
    rows = [(dateformat.format(m, "M Y"), *[counts.get((m, value), 0) for value, _label in statuses]) for m in months]
    return {"title": _("Deal registrations by month submitted and status"),
            "columns": [_("Month"), *[str(label) for _v, label in statuses]], "rows": rows}


# --- MDF by tier -----------------------------------------------------------------------------------------

def mdf_by_tier(partners, *, today=None):
    """The program year's MDF ledger by the partners' tier today: allocated, approved, claimed, paid."""
    program_year = program_year_or_none(today or timezone.localdate())
    kinds = [(LedgerEntry.Kind.ALLOCATION, pgettext("MDF amount", "Allocated")),
             (LedgerEntry.Kind.APPROVED, pgettext("MDF amount", "Approved")),
             (LedgerEntry.Kind.CLAIM_APPROVED, pgettext("MDF amount", "Claimed")),
             (LedgerEntry.Kind.PAID, pgettext("MDF amount", "Paid"))]
    sums = {}
    if program_year is not None:
        qs = (LedgerEntry.objects.filter(partner__in=partners, program_year=program_year, program=Program.MDF)
              .order_by().values("partner__tier")
              .annotate(**{kind.value: Sum("amount", filter=Q(kind=kind)) for kind, _name in kinds}))
        sums = {row["partner__tier"]: row for row in qs}
    rows = []
    for value, label in TierLevel.choices[2:]:
        row = sums.get(value, {})
        rows.append((str(label), *[row.get(kind.value) or Decimal("0") for kind, _name in kinds]))
    title = (_("MDF %(year)s by tier (USD)") % {"year": program_year.year} if program_year
             else _("MDF by tier (USD)"))
    return {"title": title, "columns": [_("Tier"), *[name for _kind, name in kinds]], "rows": rows,
            "money": True}


def grouped_svg(data):
    chart = pygal.Bar(**_config(title=data["title"], value_formatter=lambda v: f"{v:,.0f}"))
    chart.x_labels = [row[0] for row in data["rows"]]
    for i, name in enumerate(data["columns"][1:], start=1):
        chart.add(name, [float(row[i]) for row in data["rows"]])
    return render(chart)


CHARTS = {
    "tier-mix": (tier_mix, tier_mix_svg),
    "tier-runs": (tier_mix_by_run, stacked_svg),
    "deal-pipeline": (deal_pipeline, stacked_svg),
    "mdf-by-tier": (mdf_by_tier, grouped_svg),
}
