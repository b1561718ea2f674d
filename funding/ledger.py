"""What a ledger entry says, in the reader's language: the one place that words the money events.

A ledger entry stores what happened as data: its ``kind`` (allocation change, approved, claim approved,
paid, returned) and, where the kind alone does not say why, ``params`` with a ``cause`` and the figures
of the sentence (the tier and year of a default, the claim deadline, the payment reference). ``note`` is
only what a person typed (a program admin's reason for an allocation) and is shown as typed. The page, the
API and the Django admin all show ``ledger_words(entry)``, so a French reader reads French and a new
language needs only its catalog, never a data migration.
"""

import datetime
from typing import Any, Protocol

from django.utils.translation import gettext as _

from core.formatting import day
from partners.models import TierLevel

# The causes a service records (params["cause"]), with the params each one's sentence needs.
TIER_DEFAULT = "tier_default"  # tier, year: the allocation a partner starts the year with
TIER_DEFAULT_CHANGED = "tier_default_changed"  # tier: a program admin changed the tier's default
NOT_CLAIMED = "not_claimed"  # the part of an approved amount a claim did not use
CLAIM_REJECTED = "claim_rejected"  # the whole approved amount, after a rejected claim
EXPIRED = "expired"  # deadline: no claim by the claim deadline
PAYMENT = "payment"  # reference: the payment reference a program admin recorded


class Entry(Protocol):
    kind: str
    params: Any
    note: str


def tier_default(tier: str, year: int) -> dict[str, Any]:
    return {"cause": TIER_DEFAULT, "tier": tier, "year": year}


def tier_default_changed(tier: str) -> dict[str, Any]:
    return {"cause": TIER_DEFAULT_CHANGED, "tier": tier}


def not_claimed() -> dict[str, Any]:
    return {"cause": NOT_CLAIMED}


def claim_rejected() -> dict[str, Any]:
    return {"cause": CLAIM_REJECTED}


def expired(deadline: datetime.date) -> dict[str, Any]:
    return {"cause": EXPIRED, "deadline": deadline.isoformat()}


def payment(reference: str) -> dict[str, Any]:
    return {"cause": PAYMENT, "reference": reference}


def _tier(code: object) -> str:
    # Tier names are the program's own and stay as written in every language (partners.models.TierLevel).
    return str(TierLevel(str(code)).label) if code in TierLevel.values else str(code or "")


def cause_words(params: dict[str, Any] | None) -> str:
    """The system's sentence for a cause and its params; "" when there is none (or a cause this version
    does not know, so an entry written by a newer version still shows its amount and kind)."""
    params = params or {}
    cause = params.get("cause")
    if cause == TIER_DEFAULT:
        return _("%(tier)s tier default for %(year)s") % {"tier": _tier(params.get("tier")), "year": params.get("year")}
    if cause == TIER_DEFAULT_CHANGED:
        return _("Tier default for %(tier)s changed") % {"tier": _tier(params.get("tier"))}
    if cause == NOT_CLAIMED:
        return _("Approved amount not claimed")
    if cause == CLAIM_REJECTED:
        return _("Claim rejected")
    if cause == EXPIRED:
        return _("Not claimed by %(deadline)s") % {"deadline": day(params.get("deadline"))}
    if cause == PAYMENT:
        return _("Payment %(reference)s") % {"reference": params.get("reference", "")}
    return ""


def ledger_words(entry: Entry) -> str:
    """What the entry's note column says: the system's words for its cause, then what a person typed."""
    return " · ".join(part for part in (cause_words(entry.params), entry.note) if part)
