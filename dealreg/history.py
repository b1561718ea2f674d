"""A deal registration's history in words: the one place that puts an event in the reader's language.

An event (DealRegistrationEvent) keeps two things apart:
- ``reason``: what a person typed (the PAM's reason, the partner's answer), stored and shown as typed;
- ``reason_code`` with ``reason_params``: what the portal itself says happened (the sales system's close of a
  claimed opportunity, the expiry of an approval, the rejection category...), as a code with plain JSON values
  (dates as ISO strings, amounts as decimal strings, choice codes), rendered here when read.

The detail page, the API, the Django admin and the audit entry's sentence all call :func:`event_words` /
:func:`event_text`, so a partner reading in Japanese and its PAM reading in English see the same event in their
own words. A code this version does not know (or a parameter missing) reads as nothing rather than an error.
"""

from typing import Any, Protocol

from django.utils.translation import gettext as _

from core.formatting import day, money

# Codes. Stored in the database and given by the API: never rename one.
CLAIM_WON = "claim_won"  # {"close_date", "arr_usd", "opportunity"}: a missing sourced opportunity approved
WON = "won"  # {"arr_usd", "closed_on"}
EXPIRED = "expired"  # {"expires_on"}, and {"close_date"} when the sale closed won inside the protection window
REJECTED = "rejected"  # {"reject_reason"}: the rejection category (DealRegistration.RejectReason)
CODES = (CLAIM_WON, WON, EXPIRED, REJECTED)


class Event(Protocol):
    reason: str
    reason_code: str
    reason_params: dict[str, Any]


def _reject_label(code: str) -> str:
    from .models import DealRegistration

    return str(DealRegistration.RejectReason(code).label)


def _expired(p: dict[str, Any]) -> str:
    if p.get("close_date"):
        return _("Not won or lost by %(expires_on)s. Closed won on %(close_date)s in the sales system: the "
                 "attachment stays.") % {"expires_on": day(p["expires_on"]), "close_date": day(p["close_date"])}
    return _("Not won or lost by %(expires_on)s.") % {"expires_on": day(p["expires_on"])}


_RENDER = {
    CLAIM_WON: lambda p: _("Already closed won on %(close_date)s with %(arr)s ARR (%(opportunity)s).") % {
        "close_date": day(p["close_date"]), "arr": money(p["arr_usd"]), "opportunity": p["opportunity"]},
    # The detail page's own words for a won registration ("$50,000 ARR, closed 1 Dec 2026").
    WON: lambda p: _("%(arr)s ARR, closed %(closed)s") % {"arr": money(p["arr_usd"]), "closed": day(p["closed_on"])},
    EXPIRED: _expired,
    REJECTED: lambda p: _("Rejection reason: %(reject_reason)s") % {"reject_reason": _reject_label(p["reject_reason"])},
}


def render(code: str, params: dict[str, Any] | None) -> str:
    """The portal's words for ``code`` in the active language ("" for no code, or one it cannot render)."""
    if not code:
        return ""
    try:
        return _RENDER[code](params or {})
    except (KeyError, TypeError, ValueError):
        return ""


def event_words(event: Event) -> str:
    """What the portal says about an event, in the active language ("" when it says nothing)."""
    return render(event.reason_code, event.reason_params)


def event_text(event: Event) -> str:
    """The whole of an event's why: the portal's words, then what the person typed (as typed), one per line."""
    return "\n".join(part for part in (event_words(event), event.reason) if part)
