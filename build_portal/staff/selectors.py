"""Reads behind the staff workspace: the worklist home and the partner 360.

These pages compose several apps (DESIGN.md §4: pages composed of several apps live in build_portal).
Every section is a fixed number of queries whatever the size of the book of partners: counts and the
first few rows are asked of the database, never a query per partner.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from activity.models import AuditEntry, Notification
from benefits.models import BenefitInvitation
from dealreg import rules as deal_rules
from dealreg.models import DealRegistration
from dealreg.revenue import attributed_attachments
from funding import selectors as funding_selectors
from funding.models import FundingRequest, MdfAllocation, Program, Status
from partners.access import partners_visible_to
from partners.models import Completion, Partner, StaffRole, TierLevel, User
from program.selectors import program_year_or_none
from tiers import reasons as tier_reasons
from tiers import rules as tier_rules
from tiers import selectors as tier_selectors
from tiers.models import Assessment, ProvisionalPeriod, RecalculationRun

# How many rows of each worklist section the home shows; its count says how many there are in all.
SECTION_ROWS = 8
# Approved funding whose claim is due within this many days is listed as "claim deadline coming".
CLAIM_DEADLINE_HORIZON_DAYS = 30
PIPELINE_STATUSES = (DealRegistration.Status.SUBMITTED, DealRegistration.Status.INFO_REQUESTED,
                     DealRegistration.Status.APPROVED)
SILVER_AND_ABOVE = (TierLevel.SILVER, TierLevel.GOLD, TierLevel.GLOBAL_STRATEGIC)


@dataclass
class Section:
    """One worklist line group: how many there are, and the first rows (oldest or most urgent first)."""

    count: int = 0
    rows: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def more(self):
        return max(0, self.count - len(self.rows))


def pams():
    return User.objects.filter(staff_role=StaffRole.PAM, is_active=True).order_by("full_name", "email")


def book(user, *, pam=""):
    """The partners a staff user works: what they may see, narrowed for a program admin to one PAM's
    book (``pam`` is a user id) or to partners without a PAM (``pam == "none"``)."""
    partners = partners_visible_to(user).filter(is_active=True)
    if user.is_program_admin:
        if pam == "none":
            partners = partners.filter(pam__isnull=True)
        elif str(pam).isdigit():
            partners = partners.filter(pam_id=int(pam))
    return partners


def _oldest(qs, order, n=SECTION_ROWS):
    return Section(count=qs.count(), rows=list(qs.select_related("partner").order_by(*order)[:n]))


def deal_reviews(partners, *, today, program_year):
    """Submitted registrations of the book, oldest first, with the service level's due date."""
    if program_year is None:
        return None
    allowed = program_year.deal_review_business_days
    waiting = DealRegistration.objects.filter(partner__in=partners, status=DealRegistration.Status.SUBMITTED)
    section = _oldest(waiting, ("waiting_since", "pk"))
    cutoff = deal_rules.overdue_cutoff(today=today, allowed_business_days=allowed)
    section.extra["overdue"] = waiting.filter(waiting_since__date__lte=cutoff).count()
    section.extra["allowed_days"] = allowed
    section.extra["info_requested"] = DealRegistration.objects.filter(
        partner__in=partners, status=DealRegistration.Status.INFO_REQUESTED).count()
    for r in section.rows:
        since = timezone.localdate(r.waiting_since)
        r.due_on = deal_rules.review_due_date(waiting_since=since, allowed_business_days=allowed)
        r.is_overdue = r.due_on < today
        r.business_days_waiting = deal_rules.business_days_between(since, today)
    return section


def funding_reviews(partners, *, status):
    qs = FundingRequest.objects.filter(partner__in=partners, status=status)
    if status != Status.SUBMITTED:
        qs = qs.select_related("claim")
    order = ("claim__submitted_at", "id") if status != Status.SUBMITTED else ("submitted_at", "id")
    return _oldest(qs, order)


def claim_deadlines(partners, *, today):
    """Approved funding not claimed yet whose claim deadline is within the horizon (or passed)."""
    qs = FundingRequest.objects.filter(
        partner__in=partners, status=Status.APPROVED,
        claim_deadline__lte=today + datetime.timedelta(days=CLAIM_DEADLINE_HORIZON_DAYS),
    )
    return _oldest(qs, ("claim_deadline", "id"))


def unused_mdf(partners, *, program_year):
    """MDF allocations of the year with money left (allocated minus committed), the largest first."""
    if program_year is None:
        return Section()
    qs = MdfAllocation.objects.filter(partner__in=partners, program_year=program_year, amount__gt=F("committed"))
    section = Section(count=qs.count(), rows=list(
        qs.select_related("partner").annotate(left=F("amount") - F("committed")).order_by("-left", "partner_id")
        [:SECTION_ROWS]))
    section.extra["total"] = qs.aggregate(total=Sum(F("amount") - F("committed")))["total"] or Decimal("0")
    section.extra["ends_on"] = program_year.ends_on
    return section


def _requirements(program_year):
    return tier_selectors.requirements_for(program_year) if program_year else []


def _sql(qs):
    return qs.query.sql_with_params()


def _next_tier_values(requirements):
    """A VALUES list of (held tier, then the next tier's requirements) for every tier that has a next one."""
    rows, params = [], []
    for level in TierLevel.values:
        if level in ("", TierLevel.GLOBAL_STRATEGIC):
            continue
        upcoming = tier_rules.next_tier(level, requirements)
        if upcoming is None:
            continue
        rows.append("(%s::varchar, %s::boolean, %s::integer, %s::integer, %s::numeric)")
        params += [level, bool(upcoming.requires_partner_agreement), upcoming.min_certified_technical or 0,
                   upcoming.min_sales_trained or 0, upcoming.min_revenue_usd or 0]
    return ", ".join(rows), params


# The partners one step from their next tier, closest first, with how many there are in all: today's figures
# (the three tiers.selectors reads, each narrowed to the book) against the next tier's minimums, in one
# statement. The same test as tiers.rules.promotion_gap: at least one requirement unmet, and either only
# one, or every unmet one at (1 - share) of what it needs; the partner agreement has nothing in between.
NEAR_PROMOTION_SQL = """
WITH book AS (SELECT * FROM ({book}) AS b(id, tier)),
nxt(tier, agree, cert, sales, rev) AS (VALUES {nxt}),
m AS (
    SELECT b.id, b.tier, n.agree, n.cert, n.sales, n.rev,
           COALESCE(r.total, 0) AS have_rev, COALESCE(p.certified, 0) AS have_cert,
           COALESCE(p.trained, 0) AS have_sales, a.partner_id IS NOT NULL AS agreed
    FROM book b JOIN nxt n ON n.tier = b.tier
    LEFT JOIN ({revenue}) AS r(partner_id, total) ON r.partner_id = b.id
    LEFT JOIN ({people}) AS p(partner_id, certified, trained) ON p.partner_id = b.id
    LEFT JOIN ({agreed}) AS a(partner_id) ON a.partner_id = b.id
),
u AS (
    SELECT m.*, (agree AND NOT agreed) AS u_agree, (cert > 0 AND have_cert < cert) AS u_cert,
           (sales > 0 AND have_sales < sales) AS u_sales, (rev > 0 AND have_rev < rev) AS u_rev
    FROM m
),
g AS (
    SELECT id, tier, u_agree::int + u_cert::int + u_sales::int + u_rev::int AS unmet,
           LEAST(CASE WHEN u_agree THEN 0 END,
                 CASE WHEN u_cert THEN LEAST(100, have_cert * 100 / cert) END,
                 CASE WHEN u_sales THEN LEAST(100, have_sales * 100 / sales) END,
                 CASE WHEN u_rev THEN LEAST(100, FLOOR(have_rev * 100 / rev)) END) AS closest,
           NOT u_agree AND (NOT u_cert OR have_cert >= cert * %s) AND (NOT u_sales OR have_sales >= sales * %s)
               AND (NOT u_rev OR have_rev >= rev * %s) AS all_near
    FROM u
)
SELECT id, tier, COUNT(*) OVER () FROM g
WHERE unmet = 1 OR (unmet > 1 AND all_near)
ORDER BY unmet, closest DESC, id
LIMIT %s
"""


def near_promotion(partners, *, today, requirements):
    """Partners one step from the next tier (tiers.rules.promotion_gap), by today's figures: the count and the
    closest few from one set-based statement, then the gaps of those few (a fixed number of queries)."""
    nxt, nxt_params = _next_tier_values(requirements)
    if not nxt:
        return Section()
    candidates = partners.exclude(tier__in=["", TierLevel.GLOBAL_STRATEGIC]).order_by()
    in_book = candidates.values("pk")
    start, end = tier_rules.revenue_window(tier_rules.MIDYEAR, today)
    if candidates.query.is_empty():
        return Section()
    if connection.vendor != "postgresql":
        found = near_promotion_in_python(candidates, today=today, requirements=requirements)
        return _near_promotion_section(found, today=today, requirements=requirements)
    parts = {
        "book": _sql(candidates.values_list("pk", "tier")),
        "revenue": _sql(attributed_attachments(start=start, end=end).filter(partner_id__in=in_book)
                        .values("partner_id").order_by().annotate(total=Sum("opportunity__arr_usd"))
                        .values_list("partner_id", "total")),
        "people": _sql(tier_selectors.people_counts_query(as_of=today, partner_ids=in_book)),
        "agreed": _sql(tier_selectors.agreement_query(in_book)),
    }
    floor = 1 - tier_rules.NEAR_PROMOTION_SHARE
    sql = NEAR_PROMOTION_SQL.format(nxt=nxt, **{k: s for k, (s, _) in parts.items()})
    params = [*parts["book"][1], *nxt_params, *parts["revenue"][1], *parts["people"][1], *parts["agreed"][1],
              floor, floor, floor, SECTION_ROWS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return _near_promotion_section(found, today=today, requirements=requirements)


def near_promotion_in_python(candidates, *, today, requirements):
    """NEAR_PROMOTION_SQL's rows (partner id, tier, how many in all), in the same order, for a database that
    cannot run it (SQLite under `make run`, whose demo book is a few hundred partners): every candidate's
    figures through tiers.rules.promotion_gap."""
    tiers = dict(candidates.values_list("pk", "tier"))
    metrics = tier_selectors.metrics_by_partner(kind=tier_rules.MIDYEAR, as_of=today, partner_ids=set(tiers))
    ranked = []
    for pid, tier in tiers.items():
        upcoming = tier_rules.next_tier(tier, requirements)
        gap = tier_rules.promotion_gap(upcoming, metrics[pid]) if upcoming is not None else None
        if gap:
            ranked.append((len(gap), -min(row.percent for row in gap), pid, tier))
    ranked.sort()
    return [(pid, tier, len(ranked)) for _unmet, _closest, pid, tier in ranked[:SECTION_ROWS]]


def _near_promotion_section(found, *, today, requirements):
    if not found:
        return Section()
    ids = [pid for pid, _, _ in found]
    tiers = {pid: tier for pid, tier, _ in found}
    metrics = tier_selectors.metrics_by_partner(kind=tier_rules.MIDYEAR, as_of=today, partner_ids=set(ids))
    names = Partner.objects.in_bulk(ids)
    rows = []
    for pid in ids:
        upcoming = tier_rules.next_tier(tiers[pid], requirements)
        rows.append({"partner": names[pid], "next_tier": upcoming,
                     "gap": tier_rules.promotion_gap(upcoming, metrics[pid])})
    return Section(count=found[0][2], rows=rows)


def next_annual_run(today):
    """The annual recalculation runs at the start of the program year (1 January)."""
    return datetime.date(today.year + 1, 1, 1)


def expiring_certifications(partners, *, today, requirements):
    """Partners that meet their tier's people counts today but would not at the next annual run, because
    completions expire before it (the people counts are the only thing a roster can lose by a date)."""
    run_on = next_annual_run(today)
    ids = set(partners.exclude(tier__in=["", TierLevel.REGISTERED, TierLevel.GLOBAL_STRATEGIC])
              .filter(pk__in=Completion.objects.filter(expires_on__gte=today, expires_on__lt=run_on)
                      .values("partner_id")).values_list("pk", flat=True))
    if not ids or not requirements:
        return Section()
    now = tier_selectors.people_counts(as_of=today, partner_ids=ids)
    later = tier_selectors.people_counts(as_of=run_on, partner_ids=ids)
    tiers = dict(Partner.objects.filter(pk__in=ids).values_list("pk", "tier"))
    found = []
    for pid in sorted(ids):
        held = tier_rules.requirement_for(tiers[pid], requirements)
        drop = tier_rules.people_drop(
            held,
            today_metrics=tier_rules.Metrics(*now.get(pid, (0, 0)), Decimal("0"), True),
            later_metrics=tier_rules.Metrics(*later.get(pid, (0, 0)), Decimal("0"), True),
        )
        if drop:
            found.append((pid, drop))
    names = Partner.objects.in_bulk([pid for pid, _ in found[:SECTION_ROWS]])
    rows = [{"partner": names[pid], "reasons": tier_reasons.render_all(drop)} for pid, drop in found[:SECTION_ROWS]]
    return Section(count=len(found), rows=rows, extra={"run_on": run_on})


def provisional_periods(partners):
    qs = ProvisionalPeriod.objects.filter(partner__in=partners, closed_on__isnull=True)
    return _oldest(qs, ("ends_on", "pk"))


def silver_without_pam(partners):
    qs = partners.filter(tier__in=SILVER_AND_ABOVE, pam__isnull=True)
    return Section(count=qs.count(), rows=list(qs.order_by("tier_since", "name")[:SECTION_ROWS]))


def tier_mix(partners):
    counts = dict(partners.order_by().values_list("tier").annotate(n=Count("pk")))
    return [{"tier": value, "label": label, "n": counts.get(value, 0)} for value, label in TierLevel.choices]


def worklist(user, *, pam="", today=None):
    """Everything the staff home lists, for the user's book (a program admin: all, or one PAM's)."""
    today = today or timezone.localdate()
    program_year = program_year_or_none(today)
    requirements = _requirements(program_year)
    partners = book(user, pam=pam)
    may_review = user.is_pam or user.is_program_admin
    return {
        "today": today,
        "program_year": program_year,
        "tier_mix": tier_mix(partners),
        "deal_reviews": deal_reviews(partners, today=today, program_year=program_year) if may_review else None,
        "funding_reviews": funding_reviews(partners, status=Status.SUBMITTED) if may_review else None,
        "claims_to_approve": funding_reviews(partners, status=Status.CLAIM_SUBMITTED) if may_review else None,
        "claims_to_pay": funding_reviews(partners, status=Status.CLAIM_APPROVED) if user.is_program_admin else None,
        "near_promotion": near_promotion(partners, today=today, requirements=requirements),
        "provisional": provisional_periods(partners),
        "expiring": expiring_certifications(partners, today=today, requirements=requirements),
        "without_pam": silver_without_pam(partners),
        "claim_deadlines": claim_deadlines(partners, today=today),
        "unused_mdf": unused_mdf(partners, program_year=program_year),
    }


# The worklist of a whole book is kept for a few minutes and the page says as of when (WORKLIST_SECONDS): at
# 100,000 partners counting it takes seconds (near promotion aggregates every current completion of the book),
# so counting it on every view held a web worker that long. Near promotion, expiring certifications and the
# tier mix move by the day, and a PAM's queue page (dealreg) stays live for the minute-by-minute work. Simpler
# than storing per-partner figures that every write would have to keep right: the figures are exactly the
# ones the statements above return, only up to WORKLIST_SECONDS old, and the page says so.
WORKLIST_SECONDS = 5 * 60
# An expired entry is still served while one request counts it again (at most this long), so that a busy
# book is counted once, not by every request that arrives during the count.
WORKLIST_RECOUNT_SECONDS = 60
WORKLIST_KEEP_SECONDS = 60 * 60
WORKLIST_VERSION = 1


def _worklist_key(user, *, pam, today):
    """One entry per book: program admins share theirs (all partners, or the one PAM filter); a PAM's and a
    PSA's books are their own. The rows hold rendered reasons, so the language is in the key too."""
    scope = f"admin:{pam}" if user.is_program_admin else f"{user.staff_role}:{user.pk}"
    return f"staff:worklist:{WORKLIST_VERSION}:{scope}:{today.isoformat()}:{get_language()}"


def worklist_as_of(user, *, pam="", today=None):
    """(worklist, the moment it was counted): the book's worklist as counted at most WORKLIST_SECONDS ago.

    Inside a transaction it is counted afresh and kept nowhere: a transaction could still roll back what it
    read (and tests, which each run in one, see their own writes at once)."""
    today = today or timezone.localdate()
    if connection.in_atomic_block:
        return worklist(user, pam=pam, today=today), timezone.now()
    key = _worklist_key(user, pam=pam, today=today)
    kept = cache.get(key)
    now = timezone.now()
    if kept is not None and now - kept["as_of"] < datetime.timedelta(seconds=WORKLIST_SECONDS):
        return kept["worklist"], kept["as_of"]
    if kept is not None and not cache.add(f"{key}:recount", 1, WORKLIST_RECOUNT_SECONDS):
        return kept["worklist"], kept["as_of"]  # another request is counting it again right now
    counted = worklist(user, pam=pam, today=today)
    cache.set(key, {"worklist": counted, "as_of": now}, WORKLIST_KEEP_SECONDS)
    cache.delete(f"{key}:recount")
    return counted, now


# --- Partner 360 ---------------------------------------------------------------------------------------

def deal_summary(partner):
    rows = dict(DealRegistration.objects.filter(partner=partner).order_by().values_list("status")
                .annotate(n=Count("pk")))
    sums = DealRegistration.objects.filter(partner=partner).aggregate(
        pipeline=Sum("estimated_arr_usd", filter=Q(status__in=PIPELINE_STATUSES)),
        won=Sum("final_arr_usd", filter=Q(status=DealRegistration.Status.WON)),
    )
    return {
        "by_status": [(value, label, rows.get(value, 0)) for value, label in DealRegistration.Status.choices],
        "total": sum(rows.values()),
        "pipeline_arr": sums["pipeline"] or Decimal("0"),
        "won_arr": sums["won"] or Decimal("0"),
        "recent": list(DealRegistration.objects.filter(partner=partner).order_by("-created_at", "-pk")[:5]),
    }


def funding_summary(partner, *, program_year):
    if program_year is None:
        return None
    return {
        "program_year": program_year,
        "mdf": funding_selectors.ledger_figures(partner=partner, program_year=program_year, program=Program.MDF),
        "poc": funding_selectors.ledger_figures(partner=partner, program_year=program_year, program=Program.POC),
        "requests": list(FundingRequest.objects.filter(partner=partner).order_by("-submitted_at", "-id")[:5]),
        "open": FundingRequest.objects.filter(partner=partner).exclude(
            status__in=[Status.PAID, Status.REJECTED, Status.WITHDRAWN, Status.CLAIM_REJECTED]).count(),
    }


def tier_history(partner, n=10):
    return list(Assessment.objects.filter(partner=partner, run__status=RecalculationRun.Status.APPLIED)
                .select_related("run").order_by("-run__applied_at", "-run_id")[:n])


def expiring_completions(partner, *, today, n=10):
    return list(Completion.objects.filter(partner=partner, expires_on__gte=today)
                .select_related("person").order_by("expires_on", "pk")[:n])


def partner_360(partner, *, today=None, with_audit=False):
    """``with_audit``: the audit trail is read by program admins only (activity.access)."""
    today = today or timezone.localdate()
    program_year = program_year_or_none(today)
    return {
        "standing": tier_selectors.standing(partner, as_of=today),
        "tier_history": tier_history(partner),
        "deals": deal_summary(partner),
        "funding": funding_summary(partner, program_year=program_year),
        "benefit_invitations": list(BenefitInvitation.objects.filter(partner=partner)
                                    .select_related("benefit").order_by("-pk")[:10]),
        "expiring": expiring_completions(partner, today=today),
        "notifications": list(Notification.objects.filter(recipient__partner=partner)
                              .select_related("recipient").order_by("-created_at", "-pk")[:10]),
        "audit": list(AuditEntry.objects.filter(partner_id=partner.pk).select_related("actor")
                      .order_by("-at", "-pk")[:10]) if with_audit else None,
        "today": today,
    }
