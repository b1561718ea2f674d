"""Reads of the funding app: figures derived from the ledger, lists, queue, history, eligibility."""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy

from activity.models import AuditEntry
from benefits.selectors import active_invitation, benefit_cells
from partners.models import Partner, TierLevel
from program.models import ProgramYear
from program.selectors import (  # noqa: F401 - re-exported for funding's views and API
    current_program_year,
    program_year_chosen,
    years_in_force,
)
from tiers.models import Tier

from . import rules
from .models import (
    Claim,
    FundingRequest,
    LedgerEntry,
    MdfAllocation,
    MdfTierDefault,
    Program,
    Status,
)

ZERO = Decimal("0.00")


def eligibility(*, partner: Partner, program: str, program_year: ProgramYear) -> rules.Eligibility:
    """From the year's benefits table (the cells of the program's benefit) and, where the partner's cell is
    invite-only, its invitation: the data the benefits page shows (1-2 queries)."""
    code = rules.BENEFIT_CODES[program]
    cells = dict(benefit_cells(program_year=program_year, benefit_code=code))
    invitation = None
    if cells.get(partner.tier) == rules.INVITE_ONLY:
        invitation = active_invitation(partner=partner, benefit_code=code, program_year=program_year)
    return rules.funding_eligibility(
        program=program, tier=partner.tier, cells=cells, invited=invitation is not None,
        invitation_region=invitation.region if invitation else "",
    )


def silver_requirements(program_year: ProgramYear) -> Tier | None:
    return Tier.objects.filter(program_year=program_year, level=TierLevel.SILVER).first()


def tier_default(*, program_year: ProgramYear, tier: str) -> Decimal:
    row = MdfTierDefault.objects.filter(program_year=program_year, tier=tier).first()
    return row.amount if row else ZERO


@dataclass(frozen=True)
class Figures:
    """What the partner sees for a program (MDF with an allocation; POC without)."""

    allocated: Decimal
    approved: Decimal
    returned: Decimal
    claimed: Decimal
    paid: Decimal
    has_allocation_row: bool = True

    @property
    def committed(self) -> Decimal:
        return self.approved - self.returned

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed

    @property
    def outstanding(self) -> Decimal:
        """Approved and not claimed yet (still held)."""
        return self.committed - self.claimed

    @property
    def claimed_unpaid(self) -> Decimal:
        return self.claimed - self.paid

    def bar(self) -> list[dict[str, Any]]:
        """Stacked bar segments as percentages of the allocation: paid, claimed, approved, remaining."""
        total = self.allocated if self.allocated > 0 else None
        parts = [(gettext("paid"), self.paid, "bg-success"),
                 (gettext("claimed, not paid yet"), self.claimed_unpaid, "bg-info"),
                 (gettext("approved, not claimed yet"), self.outstanding, "bg-warning")]
        if total is None:
            return []
        return [
            {"label": label, "amount": amount, "css": css, "percent": float(amount / total * 100)}
            for label, amount, css in parts if amount > 0
        ]


_SUMS = {
    "allocated": Sum("amount", filter=Q(kind=LedgerEntry.Kind.ALLOCATION)),
    "approved": Sum("amount", filter=Q(kind=LedgerEntry.Kind.APPROVED)),
    "returned": Sum("amount", filter=Q(kind=LedgerEntry.Kind.RETURNED)),
    "claimed": Sum("amount", filter=Q(kind=LedgerEntry.Kind.CLAIM_APPROVED)),
    "paid": Sum("amount", filter=Q(kind=LedgerEntry.Kind.PAID)),
}


def ledger_figures(*, partner: Partner, program_year: ProgramYear, program: str = Program.MDF) -> Figures:
    """Every figure from the ledger in one query. A partner with no allocation row yet is shown the
    tier default it will get on its first approval (the same amount the service writes then)."""
    sums = LedgerEntry.objects.filter(partner=partner, program_year=program_year, program=program).aggregate(**_SUMS)
    values = {k: v or ZERO for k, v in sums.items()}
    has_row = True
    if program == Program.MDF and not MdfAllocation.objects.filter(partner=partner, program_year=program_year).exists():
        values["allocated"] = tier_default(program_year=program_year, tier=partner.tier)
        has_row = False
    return Figures(**values, has_allocation_row=has_row)


def ledger_entries(*, partner: Partner, program_year: ProgramYear) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(partner=partner, program_year=program_year)
        .select_related("request", "actor").order_by("-at", "-id")
    )


def partner_figures(*, partner: Partner, program_year: ProgramYear) -> dict[str, Any]:
    """A partner's MDF and POC figures of a program year, and the year's POC ceiling."""
    return {
        "mdf": ledger_figures(partner=partner, program_year=program_year, program=Program.MDF),
        "poc": ledger_figures(partner=partner, program_year=program_year, program=Program.POC),
        "poc_max": program_year.poc_max_amount,
    }


def requests_list(queryset: QuerySet[FundingRequest], *, program: str | None = None,
                  status: str | None = None) -> QuerySet[FundingRequest]:
    qs = queryset.select_related("partner", "submitted_by", "program_year")
    if program in Program.values:
        qs = qs.filter(program=program)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-id")


def review_queue(queryset: QuerySet[FundingRequest]) -> QuerySet[FundingRequest]:
    """What staff must act on: requests awaiting a decision, claims awaiting review, claims to pay."""
    return (
        queryset.filter(status__in=[Status.SUBMITTED, Status.CLAIM_SUBMITTED, Status.CLAIM_APPROVED])
        .select_related("partner", "partner__pam", "submitted_by", "claim")
        .order_by("submitted_at", "id")
    )


ACTION_LABELS = {
    "funding.submit": gettext_lazy("Submitted"), "funding.withdraw": gettext_lazy("Withdrawn"),
    "funding.request_info": gettext_lazy("Information requested"), "funding.answer": gettext_lazy("Answered"),
    "funding.approve": gettext_lazy("Approved"), "funding.reject": gettext_lazy("Rejected"),
    "funding.claim_submit": gettext_lazy("Claim submitted"), "funding.claim_approve": gettext_lazy("Claim approved"),
    "funding.claim_reject": gettext_lazy("Claim rejected"), "funding.pay": gettext_lazy("Paid"),
    "funding.expire": gettext_lazy("Expired"),
}


def request_history(funding_request: FundingRequest) -> QuerySet[AuditEntry]:
    """Every audited transition of the request and its claim, oldest first: who, when, why."""
    return (
        AuditEntry.objects.filter(object_type="funding.fundingrequest", object_id=str(funding_request.pk))
        .select_related("actor").order_by("at", "id")
    )


def history_rows(funding_request: FundingRequest) -> list[dict[str, Any]]:
    statuses = dict(Status.choices)
    return [
        {"entry": e, "label": ACTION_LABELS.get(e.action, e.action), "status": statuses.get(e.after.get("status"), "")}
        for e in request_history(funding_request)
    ]


def request_page(funding_request: FundingRequest, *, actions: Collection[str], today: datetime.date) -> dict[str, Any]:
    """What a request's page shows beside the request: its claim and files, its history, and for the actions
    offered (``actions``) what they need: why it cannot be claimed yet, the claim's cap, the allocation."""
    claim = claim_of(funding_request)
    page: dict[str, Any] = {"r": funding_request, "claim": claim, "files": claim.files.all() if claim else [],
            "history": history_rows(funding_request)}
    if "claim" in actions:
        # "Submit a claim" only once the activity has ended and until the deadline; before, when it opens.
        page["claim_refusal"] = rules.claim_refusal(ends_on=funding_request.ends_on,
                                                    deadline=funding_request.claim_deadline, today=today)
    if "approve_claim" in actions and claim and funding_request.approved_amount is not None:
        page["claim_cap"] = rules.claim_cap(program=funding_request.program,
                                            approved_amount=funding_request.approved_amount,
                                            actual_cost=claim.actual_cost, share=funding_request.cofunding_share)
    if "approve" in actions and funding_request.is_mdf:
        page["figures"] = ledger_figures(partner=funding_request.partner, program_year=funding_request.program_year)
    return page


def claim_of(funding_request: FundingRequest) -> Claim | None:
    try:
        return funding_request.claim
    except FundingRequest.claim.RelatedObjectDoesNotExist:
        return None


# --- Staff lists at size: the funding queue and the year's allocations (funding.filters) --------------------

OUTSTANDING_STATUSES = (Status.APPROVED, Status.CLAIM_SUBMITTED)
MONEY_FIELD: dict[str, Any] = {"output_field": DecimalField(max_digits=12, decimal_places=2)}


def _queue_columns() -> dict[str, Any]:
    claimed = F("claim__approved_amount")
    return {
        "claimed": ExpressionWrapper(claimed, **MONEY_FIELD),
        "paid": Case(When(claim__paid_at__isnull=False, then=claimed), default=None, **MONEY_FIELD),
        "outstanding": Case(When(status__in=OUTSTANDING_STATUSES, then=F("approved_amount")),
                            When(status=Status.CLAIM_APPROVED, then=claimed), default=Value(ZERO), **MONEY_FIELD),
    }


def queue_rows(queryset: QuerySet[FundingRequest]) -> QuerySet[FundingRequest]:
    """The funding queue's columns, keeping the queryset's order. ``claimed`` is the claim's approved amount,
    ``paid`` that amount once paid, ``outstanding`` what is approved and not paid yet (the approved amount until
    the claim is approved, then the claim's amount); the totals are sums of the same columns."""
    return queryset.select_related("partner", "partner__pam", "submitted_by", "claim", "program_year").annotate(
        **_queue_columns())


AWAITING_DECISION = (Status.SUBMITTED, Status.INFO_REQUESTED)


def with_remaining_allocation(rows: Iterable[Any]) -> list[Any]:
    """Each queue row gets ``allocation`` (its partner's MDF allocation row of the year, or None), and, for an MDF
    request awaiting a decision, ``remaining_allocation`` (the row's remaining or, without a row, the tier default
    its first approval writes) and ``over_allocation_by`` (rules.over_allocation). Two queries for the page."""
    rows = list(rows)
    mdf = [r for r in rows if r.program == Program.MDF]
    allocations = {
        (a.partner_id, a.program_year_id): a
        for a in MdfAllocation.objects.filter(partner_id__in={r.partner_id for r in mdf},
                                              program_year_id__in={r.program_year_id for r in mdf})
    } if mdf else {}
    waiting = [r for r in mdf if r.status in AWAITING_DECISION and (r.partner_id, r.program_year_id) not in allocations]
    defaults = {
        (d.program_year_id, d.tier): d.amount
        for d in MdfTierDefault.objects.filter(program_year_id__in={r.program_year_id for r in waiting})
    } if waiting else {}
    for r in rows:
        r.allocation = allocations.get((r.partner_id, r.program_year_id))
        r.remaining_allocation = r.over_allocation_by = None
        if r.program == Program.MDF and r.status in AWAITING_DECISION:
            r.remaining_allocation = (r.allocation.remaining if r.allocation
                                      else defaults.get((r.program_year_id, r.partner.tier), ZERO))
            r.over_allocation_by = rules.over_allocation(requested_amount=r.requested_amount,
                                                         remaining=r.remaining_allocation)
    return rows


def request_over_allocation(funding_request: FundingRequest) -> Decimal | None:
    """For one MDF request awaiting a decision: how much it asks beyond the remaining allocation (None if within)."""
    if funding_request.program != Program.MDF or funding_request.status not in AWAITING_DECISION:
        return None
    remaining = ledger_figures(partner=funding_request.partner, program_year=funding_request.program_year).remaining
    return rules.over_allocation(requested_amount=funding_request.requested_amount, remaining=remaining)


def queue_totals(queryset: QuerySet[FundingRequest]) -> dict[str, Any]:
    """Count and money of the filtered queue in one query: requested, approved, claimed, paid, outstanding."""
    # The sums are of the columns' expressions: Django cannot sum these annotations by name.
    sums = queryset.order_by().aggregate(
        count=Count("pk"), requested=Sum("requested_amount"), approved=Sum("approved_amount"),
        **{name: Sum(column) for name, column in _queue_columns().items()})
    return {k: v if k == "count" else v or ZERO for k, v in sums.items()}


def queue_counts(queryset: QuerySet[FundingRequest]) -> list[tuple[str, str, int]]:
    """How many requests wait in each step of the queue (one query), for the page's shortcuts."""
    counts = dict(queryset.filter(status__in=[Status.SUBMITTED, Status.CLAIM_SUBMITTED, Status.CLAIM_APPROVED])
                  .order_by().values_list("status").annotate(n=Count("pk")))
    return [(status, label, counts.get(status, 0)) for status, label in (
        (Status.SUBMITTED, gettext("Requests awaiting a decision")), (Status.CLAIM_SUBMITTED, gettext("Claims awaiting review")),
        (Status.CLAIM_APPROVED, gettext("Approved claims to pay")))]


def _allocation_columns(defaults: dict[str, Decimal]) -> dict[str, Any]:
    """Each partner's allocation row of the year or, without one, its tier's default (what the first approval
    writes): allocated, committed (from the row) and remaining, as expressions over ``year_allocation``."""
    default = Case(*[When(tier=tier, then=Value(amount)) for tier, amount in defaults.items()], default=Value(ZERO),
                   **MONEY_FIELD)
    allocated = Coalesce(F("year_allocation__amount"), default, **MONEY_FIELD)
    committed = Coalesce(F("year_allocation__committed"), Value(ZERO), **MONEY_FIELD)
    return {"allocated": allocated, "committed": committed,
            "remaining": ExpressionWrapper(allocated - committed, **MONEY_FIELD)}


def _with_allocation(partners: QuerySet[Partner], *, program_year: ProgramYear) -> QuerySet[Partner]:
    return partners.annotate(
        year_allocation=FilteredRelation("mdf_allocations", condition=Q(mdf_allocations__program_year=program_year)))


def allocations(partners: QuerySet[Partner], *, program_year: ProgramYear) -> tuple[QuerySet[Partner], dict[str, Decimal]]:
    """The year's MDF allocation of each partner at Bronze or above, with claimed and paid from the ledger, and
    the tier defaults: one query for the defaults; the rows are one grouped query."""
    defaults = {d.tier: d.amount for d in MdfTierDefault.objects.filter(program_year=program_year)}
    eligible = partners.filter(tier__in=[TierLevel.BRONZE, TierLevel.SILVER, TierLevel.GOLD, TierLevel.GLOBAL_STRATEGIC])
    queryset = _with_allocation(eligible, program_year=program_year).annotate(
        **_allocation_columns(defaults), is_custom=Coalesce(F("year_allocation__is_custom"), Value(False)),
        year_ledger=FilteredRelation("funding_ledger", condition=Q(
            funding_ledger__program_year=program_year, funding_ledger__program=Program.MDF,
            funding_ledger__kind__in=[LedgerEntry.Kind.CLAIM_APPROVED, LedgerEntry.Kind.PAID])),
    ).annotate(
        claimed=Coalesce(Sum("year_ledger__amount", filter=Q(year_ledger__kind=LedgerEntry.Kind.CLAIM_APPROVED)),
                         Value(ZERO), **MONEY_FIELD),
        paid=Coalesce(Sum("year_ledger__amount", filter=Q(year_ledger__kind=LedgerEntry.Kind.PAID)),
                      Value(ZERO), **MONEY_FIELD),
    ).select_related("pam")
    return queryset, defaults


def allocation_totals(queryset: QuerySet[Partner], *, program_year: ProgramYear,
                      defaults: dict[str, Decimal]) -> dict[str, Any]:
    """Count and money of the filtered allocations, the sums of the rows' columns (two queries: the allocations,
    and claimed and paid from the ledger)."""
    chosen = queryset.order_by().values("pk")
    # The sums are of the columns' expressions: Django cannot sum an annotation over a filtered relation by name.
    sums = _with_allocation(Partner.objects.filter(pk__in=chosen), program_year=program_year).aggregate(
        count=Count("pk"), **{name: Sum(column) for name, column in _allocation_columns(defaults).items()})
    sums.update(LedgerEntry.objects.filter(partner_id__in=chosen, program_year=program_year, program=Program.MDF).aggregate(
        claimed=Sum("amount", filter=Q(kind=LedgerEntry.Kind.CLAIM_APPROVED)),
        paid=Sum("amount", filter=Q(kind=LedgerEntry.Kind.PAID))))
    return {k: v if k == "count" else v or ZERO for k, v in sums.items()}
