"""Funding rules as plain functions over plain values (no database): eligibility, co-investment
share, claim caps, claim deadline and reminders. Services call these; tests read like the guide."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

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
PROGRAM_NAMES = {POC: "POC co-funding", MDF: "MDF co-funding"}
BENEFIT_CODES = {POC: "poc-cofunding", MDF: "mdf-cofunding"}


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
    name = PROGRAM_NAMES[program]
    regions = " (select regions)" if program == POC else ""
    in_regions = " in select regions, with a region and a reason" if program == POC else ", with a reason"
    label = TierLevel(tier or "").label
    ranked = sorted(cells, key=TierLevel.rank)
    first_included = next((t for t in ranked if cells[t] == INCLUDED), None)
    reach = None
    if first_included and TierLevel.rank(first_included) > TierLevel.rank(tier):
        reach = (f"Reach the {TierLevel(first_included).label} tier: {TierLevel(first_included).label} and above are "
                 "eligible without an invitation.")
    availability = cells.get(tier) if tier else None
    if availability == INCLUDED:
        return Eligibility(True, f"{label} partners are eligible for {name}.")
    if availability == INVITE_ONLY and invited:
        where = f" for {invitation_region}" if invitation_region else ""
        return Eligibility(True, f"Your company was invited to {name}{where}.", by_invitation=True)
    if availability == INVITE_ONLY:
        return Eligibility(
            False,
            f"{label} partners are eligible for {name} only by invitation{regions}, "
            "and your company has no active invitation for this program year.",
            [f"Ask your partner account manager (PAM) or the program team for an invitation; they invite {label} "
             f"partners{in_regions}.", *([reach] if reach else [])],
        )
    if not ranked:
        return Eligibility(False, f"{name} is not offered in this program year.",
                           ["Ask the program team: no tier has it in this year's benefits table."])
    first = ranked[0]
    starts = f"{name} starts at the {TierLevel(first).label} tier" + (" (by invitation)" if cells[first] == INVITE_ONLY else "")
    included = f" and is included from {TierLevel(first_included).label}" if first_included and first_included != first else ""
    how = [reach] if reach else []
    if cells[first] == INVITE_ONLY and TierLevel.rank(first) > TierLevel.rank(tier):
        how.append(f"At {TierLevel(first).label}, a PAM or the program team may invite your company{regions}.")
    return Eligibility(False, f"{starts}{included}; your company is {label}.",
                       how or [f"Ask the program team: {label} partners do not have {name} this year."])


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
