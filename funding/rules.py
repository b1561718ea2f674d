"""Funding rules as plain functions over plain values (no database): eligibility, co-investment
share, claim caps, claim deadline and reminders. Services call these; tests read like the guide."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import day
from core.formatting import money as usd
from core.workflow import PARTNER, REVIEWER, SCHEDULE, Transition, actions_from  # noqa: F401 - the sides
from partners.models import TierLevel

CENT = Decimal("0.01")
# Days before the claim deadline on which the partner is reminded (issue #6).
REMINDER_DAYS = (15, 5, 1)
# Proof-of-performance files: the types and size the reviewer can open safely.
PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_MAX_FILES = 10
PROOF_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)

POC = "poc"
MDF = "mdf"
PROGRAM_NAMES = {POC: gettext_lazy("POC co-funding"), MDF: gettext_lazy("MDF co-funding")}
BENEFIT_CODES = {POC: "poc-cofunding", MDF: "mdf-cofunding"}


# --- the workflows of DESIGN.md §3 (POC nomination and MDF request, then their claim) ---------------------
# The statuses of FundingRequest.status (funding.models.Status), as plain values.
SUBMITTED = "submitted"
INFO_REQUESTED = "info_requested"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
CLAIM_SUBMITTED = "claim_submitted"
CLAIM_APPROVED = "claim_approved"
CLAIM_REJECTED = "claim_rejected"
PAID = "paid"
EXPIRED = "expired"

# The sides of core.workflow (partner, reviewer, the daily job that expires unclaimed approvals), and program
# admins, who alone mark a claim paid (DESIGN.md §1); a program admin stands on both staff sides.
PROGRAM_ADMIN = "program_admin"


# A request: "submitted → approved (with an approved amount) | rejected | info_requested", the partner answers
# or withdraws before a decision, and an approval not claimed by the claim deadline expires.
REQUEST_TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(REVIEWER, (SUBMITTED,), APPROVED),
    "request_info": Transition(REVIEWER, (SUBMITTED,), INFO_REQUESTED),
    "reject": Transition(REVIEWER, (SUBMITTED,), REJECTED),
    "answer": Transition(PARTNER, (INFO_REQUESTED,), SUBMITTED),
    "withdraw": Transition(PARTNER, (SUBMITTED, INFO_REQUESTED), WITHDRAWN),
    "expire": Transition(SCHEDULE, (APPROVED,), EXPIRED),
}
# Its claim: "approved → claim_submitted → claim_approved | claim_rejected", and an approved claim is paid.
CLAIM_TRANSITIONS: dict[str, Transition] = {
    "claim": Transition(PARTNER, (APPROVED,), CLAIM_SUBMITTED),
    "approve_claim": Transition(REVIEWER, (CLAIM_SUBMITTED,), CLAIM_APPROVED),
    "reject_claim": Transition(REVIEWER, (CLAIM_SUBMITTED,), CLAIM_REJECTED),
    "pay": Transition(PROGRAM_ADMIN, (CLAIM_APPROVED,), PAID),
}
TRANSITIONS: dict[str, Transition] = {**REQUEST_TRANSITIONS, **CLAIM_TRANSITIONS}


def allowed_actions(status: str, *, side: str) -> tuple[str, ...]:
    """The actions ``side`` may take on a request in ``status``, in the tables' order: what a page offers as
    buttons and what a service accepts."""
    return actions_from(TRANSITIONS, status, side=side)


def may(action: str, status: str) -> bool:
    return status in TRANSITIONS[action].sources


def next_status(action: str) -> str:
    return TRANSITIONS[action].target


# Why an action is refused, one whole sentence per action; %(status)s is the request's status in words.
REFUSALS = {
    "withdraw": gettext_lazy("%(reference)s is %(status)s; it cannot be withdrawn."),
    "answer": gettext_lazy("%(reference)s is %(status)s; it cannot be answered (no information was requested)."),
    "claim": gettext_lazy("%(reference)s is %(status)s; it cannot be claimed (only an approved request can be claimed)."),
    "request_info": gettext_lazy("%(reference)s is %(status)s; it cannot be sent back for information."),
    "reject": gettext_lazy("%(reference)s is %(status)s; it cannot be rejected."),
    "approve": gettext_lazy("%(reference)s is %(status)s; it cannot be approved."),
    "approve_claim": gettext_lazy(
        "%(reference)s is %(status)s; it cannot be given a claim approval (no claim awaits review)."),
    "reject_claim": gettext_lazy(
        "%(reference)s is %(status)s; it cannot be given a claim rejection (no claim awaits review)."),
    "pay": gettext_lazy("%(reference)s is %(status)s; it cannot be marked paid (only an approved claim can be paid)."),
    "expire": gettext_lazy("%(reference)s is %(status)s; it cannot be expired."),
}


def transition_error(action: str, status: str, *, reference: str, status_words: str) -> str | None:
    """None when ``action`` may happen in ``status``; otherwise the sentence that says why not."""
    if may(action, status):
        return None
    return REFUSALS[action] % {"reference": reference, "status": status_words}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    how_to_become_eligible: list[str] = field(default_factory=list)
    by_invitation: bool = False


INCLUDED = "included"
INVITE_ONLY = "invite_only"


def funding_eligibility(*, program: str, tier: str, cells: Mapping[str, str], invited: bool,
                        invitation_region: str = "") -> Eligibility:
    """Whether a partner may use POC or MDF co-funding, from the program year's "Benefits by tier" cells of
    the benefit (``cells``: tier -> "included" | "invite_only"; a tier without a cell does not have it), the
    same data the benefits page shows. In the 2022 guide both are included from Silver and invite-only at
    Bronze ("Bronze partners are eligible in select regions on an invite-only basis" is said of POC only; MDF
    at Bronze is invite-only with no regions named), but a program admin may change the table for a year."""
    # Whole sentences for each case (translators get sentences, not fragments); the guide's POC alone names
    # regions, so POC and MDF have their own sentences where the regions are said.
    name = PROGRAM_NAMES[program]
    poc = program == POC
    label = TierLevel(tier or "").label
    ranked = sorted(cells, key=TierLevel.rank)
    first_included = next((t for t in ranked if cells[t] == INCLUDED), None)
    reach = None
    if first_included and TierLevel.rank(first_included) > TierLevel.rank(tier):
        reach = _("Reach the %(tier)s tier: %(tier)s and above are eligible without an invitation.") % {
            "tier": TierLevel(first_included).label}
    availability = cells.get(tier) if tier else None
    if availability == INCLUDED:
        return Eligibility(True, _("%(tier)s partners are eligible for %(program)s.") % {"tier": label, "program": name})
    if availability == INVITE_ONLY and invited:
        if invitation_region:
            reason = _("Your company was invited to %(program)s for %(region)s.") % {
                "program": name, "region": invitation_region}
        else:
            reason = _("Your company was invited to %(program)s.") % {"program": name}
        return Eligibility(True, reason, by_invitation=True)
    words = {"tier": label, "program": name}
    if availability == INVITE_ONLY:
        if poc:
            reason = _("%(tier)s partners are eligible for %(program)s only by invitation (select regions), and your "
                       "company has no active invitation for this program year.") % words
            ask = _("Ask your partner account manager (PAM) or the program team for an invitation; they invite "
                    "%(tier)s partners in select regions, with a region and a reason.") % words
        else:
            reason = _("%(tier)s partners are eligible for %(program)s only by invitation, and your company has no "
                       "active invitation for this program year.") % words
            ask = _("Ask your partner account manager (PAM) or the program team for an invitation; they invite "
                    "%(tier)s partners, with a reason.") % words
        return Eligibility(False, reason, [ask, *([reach] if reach else [])])
    if not ranked:
        return Eligibility(False, _("%(program)s is not offered in this program year.") % words,
                           [_("Ask the program team: no tier has it in this year's benefits table.")])
    first = ranked[0]
    words.update(first=TierLevel(first).label, included=TierLevel(first_included).label if first_included else "")
    by_invitation = cells[first] == INVITE_ONLY
    if first_included and first_included != first:
        if by_invitation:
            reason = _("%(program)s starts at the %(first)s tier (by invitation) and is included from %(included)s; "
                       "your company is %(tier)s.") % words
        else:
            reason = _("%(program)s starts at the %(first)s tier and is included from %(included)s; "
                       "your company is %(tier)s.") % words
    elif by_invitation:
        reason = _("%(program)s starts at the %(first)s tier (by invitation); your company is %(tier)s.") % words
    else:
        reason = _("%(program)s starts at the %(first)s tier; your company is %(tier)s.") % words
    how = [reach] if reach else []
    if by_invitation and TierLevel.rank(first) > TierLevel.rank(tier):
        if poc:
            how.append(_("At %(first)s, a PAM or the program team may invite your company (select regions).") % words)
        else:
            how.append(_("At %(first)s, a PAM or the program team may invite your company.") % words)
    return Eligibility(False, reason,
                       how or [_("Ask the program team: %(tier)s partners do not have %(program)s this year.") % words])


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def cofunding_cap(*, total_cost: Decimal, share: Decimal) -> Decimal:
    """MDF is a co-investment: the vendor pays at most ``share`` of the cost (rounded down to the cent)."""
    return money(total_cost * share)


def claim_cap(*, program: str, approved_amount: Decimal, actual_cost: Decimal, share: Decimal | None) -> Decimal:
    """A claim pays at most the approved amount and, for MDF, the co-investment share of the actual cost;
    POC nominations carry no total cost, so a POC claim pays at most the approved amount and the actual cost."""
    if program == MDF:
        return min(approved_amount, cofunding_cap(total_cost=actual_cost, share=share))
    return min(approved_amount, money(actual_cost))


def claim_deadline(*, ends_on: datetime.date, window_days: int) -> datetime.date:
    """Claims are due within the program year's claim window after the activity ends (default 45 days)."""
    return ends_on + datetime.timedelta(days=window_days)


def reminder_due(*, deadline: datetime.date, today: datetime.date, days=REMINDER_DAYS) -> int | None:
    """The reminder (days before the deadline) that is due today, or None.

    The smallest threshold not yet passed: a task that missed a day sends the closest reminder once,
    never a burst of stale ones."""
    days_left = (deadline - today).days
    if days_left < 0:
        return None
    due = [d for d in sorted(days) if days_left <= d]
    return due[0] if due else None


def is_claim_overdue(*, deadline: datetime.date, today: datetime.date) -> bool:
    return today > deadline


def sniff_proof_type(head: bytes):
    """(content type, extension) of a proof-of-performance file from its first bytes, or None.

    The name and the browser's content type are the uploader's claims; the bytes are not."""
    for signature, content_type, extension in PROOF_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def claim_refusal(*, ends_on: datetime.date, deadline: datetime.date | None, today: datetime.date) -> str | None:
    """Why an approved request cannot be claimed today, or None. A claim is made after the activity (from its
    last day) and by the claim deadline (guide: money is paid against a claim with proof of performance)."""
    if today < ends_on:
        return _("Claim after the activity: it ends on %(ends_on)s.") % {"ends_on": day(ends_on)}
    if deadline is not None and is_claim_overdue(deadline=deadline, today=today):
        return _("The claim window closed on %(deadline)s.") % {"deadline": day(deadline)}
    return None


def request_date_errors(starts_on, ends_on, today) -> dict:
    """{field: message} for a request's activity dates (all at once). Funding is agreed before the work."""
    errors = {}
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = _("Enter the start date.")
    elif starts_on < today:
        errors["starts_on"] = _("The start date must be today or later: funding is approved before the activity.")
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = _("Enter the end date.")
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = _("The end date must not be before the start date.")
    return errors


def share_error(*, total_cost, requested_amount, share) -> str | None:
    """MDF co-invests at most ``share`` of the activity's total cost."""
    if total_cost is None or requested_amount is None or share is None:
        return None
    cap = cofunding_cap(total_cost=total_cost, share=share)
    if requested_amount > cap:
        return _("MDF co-invests at most %(percent)s%% of the total cost: request at most %(cap)s "
                 "for a total cost of %(total)s.") % {"percent": f"{share * 100:.0f}", "cap": usd(cap),
                                                      "total": usd(total_cost)}
    return None


def over_allocation(*, requested_amount, remaining) -> Decimal | None:
    """How much an MDF request asks beyond what remains of the partner's allocation (None when it fits), for the
    PAM's queue and the request's page: the PAM can approve at most what remains (services.request_approve)."""
    if requested_amount is None or remaining is None:
        return None
    excess = requested_amount - max(remaining, Decimal("0"))
    return excess if excess > 0 else None


def allocation_warning(*, requested_amount, remaining) -> str | None:
    """Not a refusal: a request above the remaining allocation is submitted and marked for the PAM, who can
    approve at most what remains when deciding."""
    if requested_amount is None or remaining is None or requested_amount <= remaining:
        return None
    return _("This request is for %(requested)s but %(remaining)s remains of your MDF allocation. You can still "
             "submit it: your PAM sees it marked and can approve at most what remains.") % {
        "requested": usd(requested_amount), "remaining": usd(max(remaining, 0))}
