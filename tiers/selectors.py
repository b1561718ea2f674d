"""Reads of the tiers app. Metrics are gathered set-based: a fixed handful of queries for every
partner at once (or a narrowed list), never a query per partner.

The whole-program reads are fetched in one go, not through ``.iterator()``: a server-side cursor makes
PostgreSQL plan for the first rows (cursor_tuple_fraction) and then pays a FETCH round trip per chunk,
which made these aggregates several times slower at 100,000 partners. Their results are one small
tuple per partner, so holding them in memory is cheap."""

import hashlib
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.core.cache import cache
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import fingerprint
from core.rows import driver_rows
from dealreg.models import DealRegistration, Opportunity, OpportunityPartner
from dealreg.revenue import revenue_by_partner
from dealreg.rules import ACTIVE_STATUSES
from partners.models import Agreement, AgreementAcceptance, Completion, Course, Partner, Person, TierLevel, User
from program.models import ProgramYear
from program.selectors import program_year_for

from . import reasons as tier_reasons
from . import rules
from .models import Assessment, Designation, ProvisionalPeriod, RecalculationRun, Tier

if TYPE_CHECKING:
    from . import forecasts  # names for the signatures; the functions import it where they use it

M = TypeVar("M", bound=Model)


def requirements_for(program_year: ProgramYear) -> list[rules.TierRequirement]:
    """The program year's tiers as plain values for tiers/rules.py (one query)."""
    return [
        rules.TierRequirement(
            level=t.level, name=t.name, rank=t.rank, requires_partner_agreement=t.requires_partner_agreement,
            min_certified_technical=t.min_certified_technical, min_sales_trained=t.min_sales_trained,
            min_revenue_usd=t.min_revenue_usd, is_designation=t.is_designation,
        )
        for t in program_year.tiers.order_by("rank")
    ]


def _narrow(qs: QuerySet[M], field: str, partner_ids: Iterable[int] | None) -> QuerySet[M]:
    return qs if partner_ids is None else qs.filter(**{f"{field}__in": partner_ids})


def people_counts_query(*, as_of: date, partner_ids: Iterable[int] | QuerySet[Any] | None = None) -> QuerySet[Any]:
    """(partner_id, certified technical, sales trained) rows: distinct people with a completion of the course
    that was done by ``as_of`` and has not expired on it (a completion counts through its expiry date).
    ``partner_ids`` may be a queryset of partner ids (the staff home joins it into a larger statement)."""
    current = Q(completed_on__lte=as_of) & (Q(expires_on__isnull=True) | Q(expires_on__gte=as_of))
    qs = Completion.objects.filter(current, course__in=[Course.PLATFORM, Course.SELLERS_101])
    qs = _narrow(qs, "partner_id", partner_ids)
    # Completion.partner is the person's partner (kept equal by a composite foreign key): no roster join.
    return qs.values("partner_id").order_by().annotate(
        certified=Count("person_id", filter=Q(course=Course.PLATFORM), distinct=True),
        trained=Count("person_id", filter=Q(course=Course.SELLERS_101), distinct=True),
    ).values_list("partner_id", "certified", "trained")


def people_counts(*, as_of: date, partner_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
    """{partner_id: (certified technical, sales trained)} (people_counts_query)."""
    rows = driver_rows(people_counts_query(as_of=as_of, partner_ids=partner_ids))
    return {pid: (certified, trained) for pid, certified, trained in rows}


def agreement_query(partner_ids: Iterable[int] | QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Ids of the partners that accepted the partner agreement (any version: once enrolled, a partner stays
    enrolled)."""
    qs = AgreementAcceptance.objects.filter(agreement__kind=Agreement.Kind.PARTNER)
    return _narrow(qs, "partner_id", partner_ids).order_by().values_list("partner_id", flat=True).distinct()


def partners_with_agreement(partner_ids: Iterable[int] | None = None) -> set[int]:
    return {pid for (pid,) in driver_rows(agreement_query(partner_ids).values_list("partner_id"))}


def metrics_by_partner(*, kind: str, as_of: date, partner_ids: Collection[int] | None) -> dict[int, rules.Metrics]:
    """{partner_id: rules.Metrics} for the given partners, in three queries whatever their number."""
    sources = metric_sources(kind=kind, as_of=as_of, partner_ids=partner_ids)
    ids = partner_ids if partner_ids is not None else set(sources.revenue) | set(sources.people) | sources.agreed
    return {pid: sources.metrics(pid) for pid in ids}


class MetricSources(NamedTuple):
    """The three reads behind the metrics, by partner: a recalculation makes each partner's rules.Metrics
    from them where its rules run (tiers.parallel), not all at once beforehand."""

    revenue: dict[int, Decimal]
    people: dict[int, tuple[int, int]]
    agreed: set[int]

    def metrics(self, partner_id: int) -> rules.Metrics:
        certified, trained = self.people.get(partner_id, (0, 0))
        return rules.Metrics(certified_technical=certified, sales_trained=trained,
                             revenue_usd=self.revenue.get(partner_id, Decimal("0")),
                             agreement_accepted=partner_id in self.agreed)


def metric_sources(*, kind: str, as_of: date, partner_ids: Collection[int] | None = None) -> MetricSources:
    start, end = rules.revenue_window(kind, as_of)
    narrowed = None if partner_ids is None else list(partner_ids)
    return MetricSources(revenue=revenue_by_partner(start=start, end=end, partner_ids=narrowed),
                         people=people_counts(as_of=as_of, partner_ids=narrowed),
                         agreed=partners_with_agreement(narrowed))


def open_provisional_ends(partner_ids: Iterable[int] | None = None) -> dict[int, date]:
    qs = _narrow(ProvisionalPeriod.objects.filter(closed_on__isnull=True), "partner_id", partner_ids)
    return dict(qs.values_list("partner_id", "ends_on"))


def last_applied_assessment(partner: Partner) -> Assessment | None:
    return (Assessment.objects.filter(partner=partner, run__status=RecalculationRun.Status.APPLIED)
            .select_related("run").order_by("-run__applied_at", "-run_id").first())


HISTORY_LINES = 50


def tier_history(partner: Partner, *, limit: int = HISTORY_LINES) -> list[Assessment]:
    """One line per applied run for the partner, newest first: date, kind, program year, from -> to, reasons
    (1 query)."""
    return list(Assessment.objects.filter(partner=partner, run__status=RecalculationRun.Status.APPLIED)
                .select_related("run__program_year").order_by("-run__as_of", "-run__applied_at", "-run_id")[:limit])


def active_designation(partner: Partner) -> Designation | None:
    return Designation.objects.filter(partner=partner, removed_at__isnull=True).select_related("given_by").first()


def standing(partner: Partner, *, as_of: date | None = None) -> dict[str, Any]:
    """What a partner can read about its tier today: metrics (trailing 365 days, as a mid-year run would
    count them), what it qualifies for, the next tier's requirements with have / need, and the reasons."""
    as_of = as_of or timezone.localdate()
    program_year = program_year_for(as_of)
    requirements = requirements_for(program_year)
    metrics = metrics_by_partner(kind=rules.MIDYEAR, as_of=as_of, partner_ids={partner.pk})[partner.pk]
    window = rules.window(rules.MIDYEAR, as_of)
    qualified, missing = rules.qualified_tier(metrics, requirements, window=window)
    designated = partner.tier == TierLevel.GLOBAL_STRATEGIC
    upcoming = None if designated else rules.next_tier(partner.tier, requirements)
    held = rules.requirement_for(partner.tier, requirements)
    provisional = ProvisionalPeriod.objects.filter(partner=partner, closed_on__isnull=True).first()
    codes = []
    if designated:
        codes.append({"code": tier_reasons.DESIGNATED_TODAY})
    if qualified:
        codes.append({"code": tier_reasons.QUALIFIES_TODAY, "tier": rules.tier_name(qualified)})
    codes += missing
    if not designated and held is not None:
        for shortfall in rules.shortfalls(held, metrics, window=window):
            if shortfall not in missing:
                codes.append({"code": tier_reasons.AT_NEXT_ANNUAL, "reason": shortfall})
    return {
        "partner": partner,
        "as_of": as_of,
        "program_year": program_year,
        "tier": partner.tier,
        "tier_name": rules.tier_label(partner.tier),
        "tier_since": partner.tier_since,
        "designated": designated,
        "designation": active_designation(partner) if designated else None,
        "metrics": metrics,
        "revenue_from": rules.revenue_window(rules.MIDYEAR, as_of)[0],
        "revenue_to": as_of,
        "qualified_tier": qualified,
        "qualified_tier_name": rules.tier_label(qualified),
        "next_tier": upcoming,
        "progress": rules.progress(upcoming, metrics, window=window) if upcoming else [],
        "requirements": requirements,
        # Rendered here, in the reader's language (the page and the API read the standing once per request).
        "reasons": tier_reasons.render_all(codes),
        "reason_codes": codes,
        "provisional_period": provisional,
        "last_assessment": last_applied_assessment(partner),
        "history": tier_history(partner),
    }


# --- The partner's tier view, kept while its rows are unchanged ------------------------------------------------
#
# The tier page and the partner home read the same standing, holdings and tier-at-risk forecast: some fifteen
# queries whose answer changes only when a row behind it changes. They are kept under a fingerprint of those rows
# (core.fingerprint: every write changes it, whatever made the write). The pipeline to tier is read on every
# view (one query of the open registrations): partners register deals all day, and a new registration then
# leaves the rest of the view kept.

# Bump the version when the entry's shape or the words of its reasons change. Entries live minutes, not hours:
# the page is read often while a partner works, and what a deploy changed without a bump is gone soon.
TIER_VIEW_VERSION = 1
TIER_VIEW_SECONDS = 15 * 60
# The partner's rows behind the tier view; the program's tables (years, tiers, agreements) are small and read
# whole.
TIER_VIEW_ROWS = [
    (Partner, "id = %(p)s"),
    (Person, "partner_id = %(p)s"),
    (Completion, "partner_id = %(p)s"),
    (AgreementAcceptance, "partner_id = %(p)s"),
    (Agreement, "TRUE"),
    (OpportunityPartner, "partner_id = %(p)s"),
    (Opportunity, "id IN (SELECT opportunity_id FROM {OpportunityPartner} WHERE partner_id = %(p)s)"),
    (Designation, "partner_id = %(p)s"),
    (User, "id IN (SELECT given_by_id FROM {Designation} WHERE partner_id = %(p)s)"),
    (ProvisionalPeriod, "partner_id = %(p)s"),
    (Assessment, "partner_id = %(p)s"),
    (RecalculationRun, "id IN (SELECT run_id FROM {Assessment} WHERE partner_id = %(p)s)"),
    (ProgramYear, "TRUE"),
    (Tier, "TRUE"),
]


def _tier_view(partner: Partner, *, today: date) -> dict[str, Any]:
    s = standing(partner, as_of=today)
    registered = partner.tier != TierLevel.NONE
    partner_holdings = holdings([partner.pk], today=today)[partner.pk] if registered else []
    return {
        "standing": s,
        "holdings": partner_holdings,
        "risk": tier_risk(partner, today=today, standing=s, partner_holdings=partner_holdings) if registered else None,
    }


def tier_view(partner: Partner, *, today: date | None = None) -> dict[str, Any]:
    """The partner's standing (``standing``), current holdings of the counted courses (``holdings``), tier-at-risk
    forecast (``risk``) and pipeline to tier (``pipeline``) for ``today``: two queries (the fingerprint, the open
    registrations) when nothing else behind them changed since a page last read them in this language (the
    reasons are rendered text), else read afresh. ``key`` names the whole state, pipeline included, for a page
    that keeps what it renders from it (None when nothing may be kept: see core.fingerprint.digest)."""
    today = today or timezone.localdate()
    rows = fingerprint.digest(TIER_VIEW_ROWS, partner_id=partner.pk)
    if rows is None:
        view = _tier_view(partner, today=today)
        key = None
    else:
        key = f"tiers:view:{TIER_VIEW_VERSION}:{partner.pk}:{today.isoformat()}:{get_language()}:{rows}"
        view = cache.get(key)
        if view is None:
            view = _tier_view(partner, today=today)
            cache.set(key, view, TIER_VIEW_SECONDS)
        else:
            view["standing"]["partner"] = partner  # the caller's own copy of the same row
    s = view["standing"]
    pipeline = pipeline_to_tier(partner, metrics=s["metrics"], requirements=s["requirements"])
    if key is not None:
        key = f"{key}:{hashlib.sha256(repr(pipeline).encode()).hexdigest()}"
    return {**view, "pipeline": pipeline, "key": key}


def runs() -> QuerySet[RecalculationRun]:
    """Newest first, each with ``is_stale``: a preview that a later applied run of its year superseded."""
    later_applied = RecalculationRun.objects.filter(
        program_year=OuterRef("program_year"), status=RecalculationRun.Status.APPLIED,
        applied_at__gt=OuterRef("created_at"),
    )
    return RecalculationRun.objects.select_related("program_year", "started_by", "applied_by").annotate(
        is_stale=ExpressionWrapper(Q(Exists(later_applied)) & Q(status=RecalculationRun.Status.PREVIEW),
                                   output_field=BooleanField()))


def superseding_run(run: RecalculationRun) -> RecalculationRun | None:
    """The run of the same program year applied after ``run`` was previewed, or None. Such a preview is stale:
    it started from tiers the later run has changed."""
    if run.status != RecalculationRun.Status.PREVIEW:
        return None
    return (RecalculationRun.objects.filter(program_year_id=run.program_year_id, status=RecalculationRun.Status.APPLIED,
                                            applied_at__gt=run.created_at).order_by("-applied_at").first())


def program_years_with_runs() -> QuerySet[ProgramYear]:
    """Every program year with its tiers and the applied runs that used it (3 queries, whatever the years)."""
    applied = RecalculationRun.objects.filter(status=RecalculationRun.Status.APPLIED).order_by("as_of", "pk")
    return ProgramYear.objects.prefetch_related("tiers", Prefetch("runs", queryset=applied, to_attr="applied_runs"))


def designated_count(run: RecalculationRun) -> int:
    """Global Strategic partners in the run: recalculation never moves them (DESIGN.md §2)."""
    return run.assessments.filter(designated=True).count()


def program_year_runs(program_year: ProgramYear) -> QuerySet[RecalculationRun]:
    """The applied runs that used the year (its thresholds decided those tiers)."""
    return RecalculationRun.objects.filter(program_year=program_year, status=RecalculationRun.Status.APPLIED)


def program_year_edit_refusal(program_year: ProgramYear, *, has_applied_runs: bool | None = None) -> str | None:
    """Why the year's thresholds and settings cannot be edited (None when they can): a closed year is history;
    a published year that an applied run used decided tiers with them, so the change goes in a copy."""
    if program_year.is_closed:
        return _("The %(year)s program year is closed: it is read-only.") % {"year": program_year.year}
    if has_applied_runs is None:
        has_applied_runs = program_year.is_published and program_year_runs(program_year).exists()
    if program_year.is_published and has_applied_runs:
        return _("The %(year)s program year is published and an applied recalculation used its requirements: "
                 "copy it to a new year instead and edit the copy.") % {"year": program_year.year}
    return None


def run_assessments(run: RecalculationRun, *, movement: str = "") -> QuerySet[Assessment]:
    qs = run.assessments.select_related("partner").order_by("partner__name", "partner_id")
    if movement:
        qs = qs.filter(movement=movement)
    return qs


def partners_in_scope() -> QuerySet[Partner]:
    """Every active partner takes part in a recalculation."""
    return Partner.objects.filter(is_active=True)


# --- Forecasts (tiers/forecasts.py): the reads they take, a fixed number of queries per partner ------------


def holdings(partner_ids: Collection[int], *, today: date) -> dict[int, list["forecasts.Holding"]]:
    """{partner_id: [forecasts.Holding]}: the completions of the counted courses still current ``today``."""
    from . import forecasts

    current = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    rows = (Completion.objects.filter(current, partner_id__in=list(partner_ids), course__in=forecasts.COUNTED_COURSES,
                                      completed_on__lte=today)
            .values_list("partner_id", "person_id", "person__name", "course", "completed_on", "expires_on"))
    out: dict[int, list[forecasts.Holding]] = {pid: [] for pid in partner_ids}
    for partner_id, person_id, name, course, completed_on, expires_on in rows:
        out[partner_id].append(forecasts.Holding(person_id, name, course, completed_on, expires_on))
    return out


def forecast_program_year(recalc: date, *, today: date) -> ProgramYear | None:
    """The rules a forecast of the ``recalc`` run uses: that year's once published; until then today's year's
    (a forecast, not a run: the page says which year's requirements it assumed)."""
    from program.selectors import program_year_or_none

    return program_year_or_none(recalc) or program_year_or_none(today)


def tier_risk(partner: Partner, *, today: date, standing: dict[str, Any] | None = None,
              partner_holdings: list["forecasts.Holding"] | None = None) -> "forecasts.TierRisk | None":
    """The tier-at-risk forecast for the next annual recalculation (None when nothing is at risk): revenue as
    that run counts it (the prior calendar year: this one so far), people from the completions current today.
    Pass the page's ``standing`` and holdings to reuse their reads (the agreement, the requirements)."""
    from . import forecasts

    if partner.tier == TierLevel.GLOBAL_STRATEGIC:
        return None
    recalc = forecasts.next_annual_recalculation(today)
    program_year = forecast_program_year(recalc, today=today)
    if standing is not None and program_year == standing["program_year"]:
        requirements = standing["requirements"]
        agreed = standing["metrics"].agreement_accepted
    else:
        requirements = requirements_for(program_year) if program_year else []
        agreed = partner.pk in partners_with_agreement([partner.pk])
    start, end = rules.revenue_window(rules.ANNUAL, recalc)
    revenue = revenue_by_partner(start=start, end=end, partner_ids=[partner.pk]).get(partner.pk, Decimal("0"))
    if partner_holdings is None:
        partner_holdings = holdings([partner.pk], today=today)[partner.pk]
    return forecasts.tier_at_risk(holdings=partner_holdings, revenue_usd=revenue, agreement_accepted=agreed,
                                  requirements=requirements, today=today,
                                  rules_year=program_year.year if program_year else None)


def open_registrations(partner: Partner, *, limit: int = 20) -> list[tuple[str, int, Decimal]]:
    """(reference, id, estimated ARR) of the partner's open and approved deal registrations, largest first."""
    rows = (DealRegistration.objects.filter(partner=partner, status__in=ACTIVE_STATUSES)
            .order_by("-estimated_arr_usd", "pk").values_list("pk", "estimated_arr_usd")[:limit])
    return [(f"DR-{pk}", pk, arr) for pk, arr in rows]


def pipeline_to_tier(partner: Partner, *, metrics: rules.Metrics, requirements: list[rules.TierRequirement],
                     registrations: list[tuple[str, int, Decimal]] | None = None) -> list["forecasts.PipelineStep"]:
    """Pipeline-to-tier steps for the partner's open registrations (or ``registrations`` [(reference, id,
    estimated ARR)]), counted as the tier page counts (``metrics`` from standing(): trailing 365 days, as a
    mid-year run, where partners may move up)."""
    from . import forecasts

    if partner.tier in (TierLevel.NONE, TierLevel.GLOBAL_STRATEGIC):
        return []
    if registrations is None:
        registrations = open_registrations(partner)
    return forecasts.pipeline_to_tier(metrics=metrics, open_registrations=registrations, requirements=requirements)


def completions_due_a_notice(*, today: date, horizon_days: int) -> list[Completion]:
    """Completions of the counted courses of active, registered partners expiring within ``horizon_days``
    (one query), with the person's name and the partner."""
    from . import forecasts

    return list(
        Completion.objects.filter(course__in=forecasts.COUNTED_COURSES, expires_on__gte=today,
                                  expires_on__lte=today + timedelta(days=horizon_days),
                                  partner__is_active=True).exclude(partner__tier="")
        .select_related("person", "partner").order_by("partner_id", "expires_on", "id")
    )


def risks_by_partner(partners: Iterable[Partner], *, today: date) -> dict[int, "forecasts.TierRisk | None"]:
    """{partner_id: TierRisk | None} for ``partners`` in a fixed number of queries (the daily notice job)."""
    from . import forecasts

    ids = [p.pk for p in partners]
    if not ids:
        return {}
    recalc = forecasts.next_annual_recalculation(today)
    program_year = forecast_program_year(recalc, today=today)
    requirements = requirements_for(program_year) if program_year else []
    start, end = rules.revenue_window(rules.ANNUAL, recalc)
    revenue = revenue_by_partner(start=start, end=end, partner_ids=ids)
    agreed = partners_with_agreement(ids)
    held = holdings(ids, today=today)
    return {
        p.pk: forecasts.tier_at_risk(holdings=held[p.pk], revenue_usd=revenue.get(p.pk, Decimal("0")),
                                     agreement_accepted=p.pk in agreed, requirements=requirements, today=today,
                                     designated=p.tier == TierLevel.GLOBAL_STRATEGIC,
                                     rules_year=program_year.year if program_year else None)
        for p in partners
    }
