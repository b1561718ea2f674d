"""Reads of the funding app: figures derived from the ledger, lists, queue, history, eligibility."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext, gettext_lazy

from activity.models import AuditEntry
from benefits.selectors import active_invitation, benefit_cells
from partners.models import Partner, TierLevel
from program.selectors import (  # noqa: F401 - re-exported for funding's views and API
    current_program_year,
    program_year_chosen,
    years_in_force,
)
from tiers.models import Tier

from . import rules
from .models import (
    FundingRequest,
    LedgerEntry,
    MdfAllocation,
    MdfTierDefault,
    Program,
    Status,
)

ZERO = Decimal("0.00")


def eligibility(*, partner, program, program_year):
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


def silver_requirements(program_year):
    return Tier.objects.filter(program_year=program_year, level=TierLevel.SILVER).first()


def tier_default(*, program_year, tier):
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
    def committed(self):
        return self.approved - self.returned

    @property
    def remaining(self):
        return self.allocated - self.committed

    @property
    def outstanding(self):
        """Approved and not claimed yet (still held)."""
        return self.committed - self.claimed

    @property
    def claimed_unpaid(self):
        return self.claimed - self.paid

    def bar(self):
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


def ledger_figures(*, partner, program_year, program=Program.MDF):
    """Every figure from the ledger in one query. A partner with no allocation row yet is shown the
    tier default it will get on its first approval (the same amount the service writes then)."""
    sums = LedgerEntry.objects.filter(partner=partner, program_year=program_year, program=program).aggregate(**_SUMS)
    values = {k: v or ZERO for k, v in sums.items()}
    has_row = True
    if program == Program.MDF and not MdfAllocation.objects.filter(partner=partner, program_year=program_year).exists():
        values["allocated"] = tier_default(program_year=program_year, tier=partner.tier)
        has_row = False
    return Figures(**values, has_allocation_row=has_row)


def ledger_entries(*, partner, program_year):
    return (
        LedgerEntry.objects.filter(partner=partner, program_year=program_year)
        .select_related("request", "actor").order_by("-at", "-id")
    )


def requests_list(queryset, *, program=None, status=None):
    qs = queryset.select_related("partner", "submitted_by", "program_year")
    if program in Program.values:
        qs = qs.filter(program=program)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-id")


def review_queue(queryset):
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


def request_history(funding_request):
    """Every audited transition of the request and its claim, oldest first: who, when, why."""
    return (
        AuditEntry.objects.filter(object_type="funding.fundingrequest", object_id=str(funding_request.pk))
        .select_related("actor").order_by("at", "id")
    )


def history_rows(funding_request):
    statuses = dict(Status.choices)
    return [
        {"entry": e, "label": ACTION_LABELS.get(e.action, e.action), "status": statuses.get(e.after.get("status"), "")}
        for e in request_history(funding_request)
    ]


def claim_of(funding_request):
    try:
        return funding_request.claim
    except FundingRequest.claim.RelatedObjectDoesNotExist:
        return None


def allocation_rows(*, program_year):
    """Eligible-tier partners (Bronze and above) with their allocation row (or None) and the tier default."""
    defaults = {d.tier: d.amount for d in MdfTierDefault.objects.filter(program_year=program_year)}
    allocations = {a.partner_id: a for a in MdfAllocation.objects.filter(program_year=program_year)}
    partners = Partner.objects.filter(
        tier__in=[TierLevel.BRONZE, TierLevel.SILVER, TierLevel.GOLD, TierLevel.GLOBAL_STRATEGIC]
    ).order_by("name")
    rows = []
    for p in partners:
        alloc = allocations.get(p.pk)
        amount = alloc.amount if alloc else defaults.get(p.tier, ZERO)
        committed = alloc.committed if alloc else ZERO
        rows.append({
            "partner": p, "allocation": alloc, "amount": amount, "committed": committed,
            "remaining": amount - committed, "is_custom": bool(alloc and alloc.is_custom),
        })
    return rows, defaults
