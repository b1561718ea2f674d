"""Charts of the staff workspace: figures from the database (one grouped query each) drawn by pygal as
server-rendered SVG. Each chart is also given as a table of the same figures (``rows``), so it reads
without colour and without the picture; the SVG prints its values on the bars as well.

Labels are plain text in the reader's language: choices labels are lazy, and pygal writes its series as JSON,
which takes only str."""

import datetime
from decimal import Decimal

import pygal
from django.db.models import Count, DurationField, ExpressionWrapper, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from pygal.style import Style

from core.formatting import day
from dealreg.models import DealRegistration
from dealreg.rules import business_days_between
from funding.models import FundingRequest, LedgerEntry, Program
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

def _applied_runs():
    """The last RUNS_SHOWN applied recalculation runs, oldest first, with their labels."""
    runs = list(RecalculationRun.objects.filter(status=RecalculationRun.Status.APPLIED)
                .order_by("-applied_at", "-pk")[:RUNS_SHOWN])[::-1]
    return runs, [_run_label(r) for r in runs]


def _run_label(run):
    """A run as a chart's axis names it, one whole label per kind: "Annual 1 Jan 2026", "Mid-year 1 Jul 2026"."""
    if run.kind == RecalculationRun.Kind.ANNUAL:
        return pgettext("chart label: a recalculation run", "Annual %(as_of)s") % {"as_of": day(run.as_of)}
    return pgettext("chart label: a recalculation run", "Mid-year %(as_of)s") % {"as_of": day(run.as_of)}


def tier_mix_by_run(partners):
    runs, labels = _applied_runs()
    counts = {}
    if runs:
        qs = (Assessment.objects.filter(run__in=runs, partner__in=partners).order_by()
              .values_list("run_id", "applied_tier").annotate(n=Count("pk")))
        counts = {(run_id, tier): n for run_id, tier, n in qs}
    tiers = TierLevel.choices[1:]
    rows = [(label, *[counts.get((run.pk, value), 0) for value, _name in tiers])
            for run, label in zip(runs, labels, strict=True)]
    return {"title": _("Tier mix after each applied recalculation"), "columns": [_("Run"), *[str(n) for _v, n in tiers]],
            "rows": rows}


def stacked_svg(data):
    chart = pygal.StackedBar(**_config(title=data["title"], print_values=False, x_label_rotation=20))
    chart.x_labels = [str(row[0]) for row in data["rows"]]
    for i, name in enumerate(data["columns"][1:], start=1):
        # str(): a lazily translated label (a status's) is not something pygal can write into the SVG.
        chart.add(str(name), [float(row[i]) for row in data["rows"]])
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


# --- Tier movements per run -----------------------------------------------------------------------------

def tier_movements(partners):
    """How many partners of the book each applied run moved up, moved down or kept at their tier."""
    runs, labels = _applied_runs()
    counts = {}
    if runs:
        qs = (Assessment.objects.filter(run__in=runs, partner__in=partners).order_by()
              .values_list("run_id", "movement").annotate(n=Count("pk")))
        counts = {(run_id, movement): n for run_id, movement, n in qs}
    movements = [(Assessment.Movement.UP, _("Moved up")), (Assessment.Movement.DOWN, _("Moved down")),
                 (Assessment.Movement.SAME, _("Stayed"))]
    rows = [(label, *[counts.get((run.pk, m), 0) for m, _name in movements])
            for run, label in zip(runs, labels, strict=True)]
    return {"title": _("Tier movements per applied recalculation"),
            "columns": [_("Run"), *[name for _, name in movements]], "rows": rows}


def counts_svg(data):
    chart = pygal.Bar(**_config(title=data["title"], x_label_rotation=20 if len(data["rows"]) > 4 else 0))
    chart.x_labels = [str(row[0]) for row in data["rows"]]
    for i, name in enumerate(data["columns"][1:], start=1):
        chart.add(name, [row[i] for row in data["rows"]])
    return render(chart)


# --- Review times against the service level ---------------------------------------------------------------

# ISO weekday 1 (Monday) to 7: a Monday to count business days from (any week does).
_A_MONDAY = datetime.date(2024, 1, 1)


def _business_days(iso_weekday, days):
    """Business days between a start on ``iso_weekday`` and ``days`` calendar days later (dealreg.rules)."""
    start = _A_MONDAY + datetime.timedelta(days=iso_weekday - 1)
    return business_days_between(start, start + datetime.timedelta(days=days))


def _days_to_decision(queryset, *, start_field):
    """{(ISO weekday of the start, calendar days to the decision): how many}: one grouped query whatever the
    number of decisions (business days depend only on the two)."""
    days = ExpressionWrapper(TruncDate("decided_at") - TruncDate(start_field), output_field=DurationField())
    qs = (queryset.order_by().annotate(weekday=ExtractIsoWeekDay(start_field), days=days)
          .values_list("weekday", "days").annotate(n=Count("pk")))
    return {(weekday, delta.days if isinstance(delta, datetime.timedelta) else int(delta)): n
            for weekday, delta, n in qs}


def review_times(partners, *, today=None):
    """Business days from (re)submission to the decision of the reviews decided in the last twelve months,
    against the review service level. Deal registrations count from when they last entered "submitted" (an
    answer to a question restarts the clock, as the service level does); funding requests from their
    submission. The guide sets a service level for deal reviews only (the program year's
    ``deal_review_business_days``); funding requests are shown against the same one for comparison."""
    today = today or timezone.localdate()
    program_year = program_year_or_none(today)
    allowed = program_year.deal_review_business_days if program_year else None
    if allowed is None:
        return {"title": _("Review times against the service level"), "columns": [], "rows": [],
                "note": _("No program year is in force, so there is no service level to measure against.")}
    since = datetime.datetime.combine(_months(today)[0], datetime.time.min, tzinfo=timezone.get_current_timezone())
    step = max(allowed, 1)
    edges = [allowed, allowed + step, allowed + 4 * step]  # within; up to twice; up to five times; longer
    labels = [
        _("%(days)s or fewer (within the service level)") % {"days": allowed},
        _("%(low)s to %(high)s") % {"low": edges[0] + 1, "high": edges[1]},
        _("%(low)s to %(high)s") % {"low": edges[1] + 1, "high": edges[2]},
        _("more than %(days)s") % {"days": edges[2]},
    ]
    kinds = [
        (_("Deal registrations"), DealRegistration.objects.filter(
            partner__in=partners, decided_at__gte=since), "waiting_since"),
        (_("Funding requests"), FundingRequest.objects.filter(
            partner__in=partners, decided_at__gte=since), "submitted_at"),
    ]
    # One whole sentence per kind (a translator sees what is counted, not a label to glue in).
    within_words = [
        _("Deal registrations: %(within)s of %(total)s decided within it."),
        _("Funding requests: %(within)s of %(total)s decided within it."),
    ]
    buckets = []
    for _name, queryset, start_field in kinds:
        counts = [0] * len(labels)
        for (weekday, days), n in _days_to_decision(queryset, start_field=start_field).items():
            business = _business_days(weekday, days)
            counts[next((i for i, edge in enumerate(edges) if business <= edge), len(edges))] += n
        buckets.append(counts)
    rows = [(label, *[counts[i] for counts in buckets]) for i, label in enumerate(labels)]
    within = [(name, counts[0], sum(counts)) for (name, _qs, _f), counts in zip(kinds, buckets, strict=True)]
    note = ngettext(
        "Service level: %(days)s business day from (re)submission to a decision (the program year's deal review "
        "setting; the guide sets none for funding requests, shown against the same for comparison).",
        "Service level: %(days)s business days from (re)submission to a decision (the program year's deal review "
        "setting; the guide sets none for funding requests, shown against the same for comparison).",
        allowed) % {"days": allowed}
    shares = " ".join(
        words % {"within": n, "total": total} for words, (_name, n, total) in zip(within_words, within, strict=True))
    return {"title": _("Review times against the service level, last twelve months"),
            "columns": [_("Business days to a decision"), *[name for name, _qs, _f in kinds]], "rows": rows,
            "note": f"{note} {shares}"}


CHARTS = {
    "tier-mix": (tier_mix, tier_mix_svg),
    "tier-runs": (tier_mix_by_run, stacked_svg),
    "deal-pipeline": (deal_pipeline, stacked_svg),
    "mdf-by-tier": (mdf_by_tier, grouped_svg),
    "tier-movements": (tier_movements, counts_svg),
    "review-times": (review_times, counts_svg),
}
