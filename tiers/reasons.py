"""Tier reasons as data, and the one place that puts them in words.

A recalculation stores each reason as a code with its parameters, a small JSON-ready dict built in
tiers/rules.py, e.g. ``{"code": "requirement_short", "tier": "Silver", "requirement": "platform_certified",
"have": 8, "need": 10}``. Pages, the API and emails call :func:`render` when they are read, so a partner
reading in Japanese and its PAM reading in English see the same decision in their own words.

Parameters are plain JSON values: tier names as the program names them (never translated), counts as
integers, amounts as decimal strings ("250000.00"), dates as ISO strings ("2022-09-29"), and ``window``
(the revenue window) as ``{"year": 2022}`` (annual: the prior calendar year) or ``{"from": ISO, "to": ISO}``
(mid-year: the trailing 365 days).

A reason stored as a plain string is a sentence written in English before reasons were codes (a run
older than this module that the data migration could not parse): it is shown as it was stored.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.dispatch import receiver
from django.utils import translation
from django.utils.autoreload import file_changed

from core import formatting
from core.formatting import day

# Codes. Stored in the database and given by the API: never rename one.
QUALIFIES = "qualifies"
REQUIREMENT_SHORT = "requirement_short"
DESIGNATED = "designated"
ANNUAL_STAY = "annual_stay"
ANNUAL_MOVE = "annual_move"
MIDYEAR_UP = "midyear_up"
MIDYEAR_STAY = "midyear_stay"
PROVISIONAL_MET = "provisional_met"
PROVISIONAL_OPEN = "provisional_open"
PROVISIONAL_CONTINUE = "provisional_continue"
PROVISIONAL_EXPIRED = "provisional_expired"
# The tier page's reasons, by today's figures (tiers.selectors.standing; never stored).
DESIGNATED_TODAY = "designated_today"
QUALIFIES_TODAY = "qualifies_today"
AT_NEXT_ANNUAL = "at_next_annual"  # wraps another reason: {"code": ..., "reason": {...}}

# The requirements of a tier (guide p.10, "Requirements by tier").
PARTNER_AGREEMENT = "partner_agreement"
PLATFORM_CERTIFIED = "platform_certified"
SALES_TRAINED = "sales_trained"
REVENUE = "revenue"
REQUIREMENTS = (PARTNER_AGREEMENT, PLATFORM_CERTIFIED, SALES_TRAINED, REVENUE)


# Applying a run renders the reasons of every partner that moves (its audit entry and its email), tens of
# thousands at once: Django's gettext walks the active catalog and its fallbacks on every call, so each
# msgid's translation is kept per language (catalogs do not change while a process runs; the development
# server's reload of a changed .mo empties this too).
_translated: dict[tuple, str] = {}


def _(msgid: str) -> str:
    key = (translation.get_language(), msgid)
    try:
        return _translated[key]
    except KeyError:
        text = _translated[key] = translation.gettext(msgid)
        return text


def ngettext(singular: str, plural: str, n: int) -> str:
    key = (translation.get_language(), singular, n)
    try:
        return _translated[key]
    except KeyError:
        text = _translated[key] = translation.ngettext(singular, plural, n)
        return text


@receiver(file_changed, dispatch_uid="tiers.reasons.translations")
def _catalog_changed(sender, file_path, **kwargs):
    if str(file_path).endswith(".mo"):
        _translated.clear()


def money(amount: Any) -> str:
    """Whole US dollars, as the reasons have always written a threshold ("$250,000"), in the reader's locale."""
    return formatting.money(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _date(value: Any) -> str:
    return day(datetime.date.fromisoformat(value) if isinstance(value, str) else value)


def _short(r: dict) -> str:
    requirement, tier = r.get("requirement"), r.get("tier", "")
    if requirement == PARTNER_AGREEMENT:
        return _("%(tier)s needs the partner agreement accepted; your company has not accepted it.") % {"tier": tier}
    if requirement == PLATFORM_CERTIFIED:
        return ngettext("%(tier)s needs %(need)d platform-certified technical person; you have %(have)d.",
                        "%(tier)s needs %(need)d platform-certified technical people; you have %(have)d.",
                        r["need"]) % {"tier": tier, "need": r["need"], "have": r["have"]}
    if requirement == SALES_TRAINED:
        return ngettext("%(tier)s needs %(need)d sales-trained person; you have %(have)d.",
                        "%(tier)s needs %(need)d sales-trained people; you have %(have)d.",
                        r["need"]) % {"tier": tier, "need": r["need"], "have": r["have"]}
    if requirement == REVENUE:
        values = {"tier": tier, "need": money(r["need"]), "have": money(r["have"])}
        window = r.get("window")
        if not window:
            return _("%(tier)s needs %(need)s of closed-won revenue; you have %(have)s.") % values
        if "year" in window:
            return _("%(tier)s needs %(need)s of closed-won revenue in %(year)s; you have %(have)s.") % {
                **values, "year": window["year"]}
        return _("%(tier)s needs %(need)s of closed-won revenue from %(start)s to %(end)s; you have %(have)s.") % {
            **values, "start": _date(window["from"]), "end": _date(window["to"])}
    raise KeyError(requirement)


def _annual_move(r: dict) -> str:
    values = {"tier": r["tier"], "year": r["window"]["year"]}
    if r["direction"] == "up":
        return _("Annual recalculation (revenue in %(year)s): you move up to %(tier)s.") % values
    return _("Annual recalculation (revenue in %(year)s): you move down to %(tier)s.") % values


_RENDER = {
    QUALIFIES: lambda r: _("You qualify for %(tier)s.") % {"tier": r["tier"]},
    REQUIREMENT_SHORT: _short,
    DESIGNATED: lambda r: _(
        "Global Strategic is a designation given by the program; recalculation does not move a designated partner "
        "(computed: %(computed)s).") % {"computed": r["computed"]},
    ANNUAL_STAY: lambda r: _("Annual recalculation: you stay %(tier)s.") % {"tier": r["tier"]},
    ANNUAL_MOVE: _annual_move,
    MIDYEAR_UP: lambda r: _("Mid-year recalculation: you move up to %(tier)s.") % {"tier": r["tier"]},
    MIDYEAR_STAY: lambda r: _("Mid-year recalculation: partners only move up; you stay %(tier)s.") % {
        "tier": r["tier"]},
    PROVISIONAL_MET: lambda r: _("Your certification provisional period is closed: the counts are met."),
    PROVISIONAL_OPEN: lambda r: _(
        "A certification provisional period opens: you keep %(tier)s if the certification and training counts are "
        "met again by %(ends_on)s.") % {"tier": r["tier"], "ends_on": _date(r["ends_on"])},
    PROVISIONAL_CONTINUE: lambda r: _(
        "Your certification provisional period runs until %(ends_on)s; you keep %(tier)s until then.") % {
        "tier": r["tier"], "ends_on": _date(r["ends_on"])},
    PROVISIONAL_EXPIRED: lambda r: _(
        "Your certification provisional period ended on %(ended_on)s with the counts still short: you move down to "
        "%(tier)s, the highest tier your certified and sales-trained people still meet.") % {
        "tier": r["tier"], "ended_on": _date(r["ended_on"])},
    DESIGNATED_TODAY: lambda r: _(
        "Global Strategic is a designation given by the program; recalculations do not move it."),
    QUALIFIES_TODAY: lambda r: _("By today's figures you qualify for %(tier)s.") % {"tier": r["tier"]},
    AT_NEXT_ANNUAL: lambda r: _("At the next annual recalculation: %(reason)s") % {"reason": render(r["reason"])},
}


# The one tier label that is words rather than a name: stored in English, rendered in the reader's language.
NOT_REGISTERED = "Not registered"


def render(reason: dict | str) -> str:
    """One reason as a sentence in the active language. A stored sentence (a string) comes back as it is;
    a code this version does not know (or a parameter missing) gives the code itself, never an error page."""
    if isinstance(reason, str):
        return reason
    if NOT_REGISTERED in (reason.get("tier"), reason.get("computed")):
        reason = {**reason, **{key: _("Not registered") for key in ("tier", "computed")
                               if reason.get(key) == NOT_REGISTERED}}
    try:
        return _RENDER[reason["code"]](reason)
    except (KeyError, TypeError, ValueError):
        return str(reason.get("code", "")) if isinstance(reason, dict) else str(reason)


def render_all(reasons) -> list[str]:
    """Each reason as a sentence in the active language (the tier-change email calls this with the
    recipient's language active)."""
    return [render(r) for r in reasons or ()]


def is_recorded_sentence(reason: dict | str) -> bool:
    """A sentence stored in English before reasons were codes (shown as stored, not translated)."""
    return isinstance(reason, str)


def any_recorded_sentence(reasons) -> bool:
    return any(isinstance(r, str) for r in reasons or ())


class Line(NamedTuple):
    text: str
    recorded_in_english: bool


def lines(reasons) -> list[Line]:
    """For pages: each reason's text and whether it is a stored English sentence."""
    return [Line(render(r), isinstance(r, str)) for r in reasons or ()]


def as_data(reason: dict | str) -> dict:
    """For the API: the code, its parameters and the text in the reader's language. A stored sentence has
    no code (null) and its text as stored."""
    if isinstance(reason, str):
        return {"code": None, "params": {}, "text": reason}
    params = {k: (as_data(v) if k == "reason" and isinstance(v, dict) else v) for k, v in reason.items() if k != "code"}
    return {"code": reason.get("code"), "params": params, "text": render(reason)}
