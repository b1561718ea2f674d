"""The tier rules of the program guide as plain functions over plain values (no database).

Metrics and a program year's requirements go in; the qualified tier, the applied tier and the
reasons come out. A reason is a code with its parameters (tiers/reasons.py puts it in the reader's
words when it is read), so a run stores data, not English. Sources: program guide 2022 "Requirements
by tier" (p.10), "Program governance" (p.12) and DESIGN.md §2; the provisional-period interpretation
is in docs/tiers.md.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import day
from partners.models import TierLevel

from . import reasons as R

ANNUAL = "annual"
MIDYEAR = "midyear"
KINDS = (ANNUAL, MIDYEAR)

UP, DOWN, SAME = "up", "down", "same"

# What a run does to a partner's certification provisional period.
PROVISIONAL_OPEN = "open"  # short of the current tier's people counts mid-year: the grace period starts
PROVISIONAL_CONTINUE = "continue"  # still short, the period has not ended yet
PROVISIONAL_MET = "met"  # counts are met again (or the partner moved up): the period closes
PROVISIONAL_EXPIRED = "expired"  # still short at the first mid-year run after it ended: moved down
PROVISIONAL_SUPERSEDED = "superseded"  # an annual run re-evaluates everything; the period closes


@dataclass(frozen=True)
class TierRequirement:
    """One tier of a program year (a row of the guide's "Requirements by tier")."""

    level: str
    name: str
    rank: int
    requires_partner_agreement: bool = True
    min_certified_technical: int = 0
    min_sales_trained: int = 0
    min_revenue_usd: Decimal = Decimal("0")
    is_designation: bool = False


# Metrics and Outcome are made once per partner in a recalculation (100,000 of each at scale): named tuples
# are built several times faster than frozen dataclasses (whose __init__ sets each field through
# object.__setattr__) and read the same way.
class Metrics(NamedTuple):
    certified_technical: int
    sales_trained: int
    revenue_usd: Decimal
    agreement_accepted: bool


@dataclass(frozen=True)
class RequirementProgress:
    label: str
    have: object
    need: object
    met: bool
    requirement: str = ""  # reasons.PARTNER_AGREEMENT, PLATFORM_CERTIFIED, SALES_TRAINED or REVENUE

    @property
    def percent(self):
        if not self.need:
            return 100
        return min(100, int(Decimal(self.have) * 100 / Decimal(self.need)))


class Outcome(NamedTuple):
    qualified_tier: str
    applied_tier: str
    previous_tier: str
    movement: str
    reasons: tuple[dict, ...]  # codes with parameters (tiers/reasons.py)
    provisional_action: str = ""
    provisional_ends_on: date | None = None
    notes: tuple[str, ...] = ()


# TierLevel.rank walks the enum on every call; a recalculation asks it a few hundred thousand times.
RANK = {level.value: i for i, level in enumerate(TierLevel)}
NONE = TierLevel.NONE.value  # '' (not registered); an enum member's .value is a property lookup each time
# Stored in reasons as plain text (the tier names are the program's own in every language); "Not registered"
# is the one label that is words, and tiers/reasons.py renders it in the reader's language.
NAMES = {level.value: str(level.label) if level.value else "Not registered" for level in TierLevel}


def rank(level):
    return RANK[level or ""]


def tier_name(level):
    """The tier's name as stored in reasons and notifications (plain text, English for "Not registered")."""
    return NAMES[level or ""]


def tier_label(level):
    """The tier's name for a page or a sentence rendered now, in the reader's language."""
    return str(TierLevel(level or "").label)


# A recalculation asks the same per-run questions (the revenue window, the tiers in order) once per partner;
# these are pure functions of hashable values, so they are cached.


@lru_cache(maxsize=64)
def revenue_window(kind, as_of):
    """Annual: the prior calendar year (guide p.10). Mid-year: the trailing 365 days ending on ``as_of``."""
    if kind == ANNUAL:
        return date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31)
    if kind == MIDYEAR:
        return as_of - timedelta(days=364), as_of
    raise ValueError(f"unknown recalculation kind {kind!r}")


def as_of_problem(kind, as_of: date, *, today: date) -> str | None:
    """Why a recalculation cannot be as of ``as_of`` (None when it can). Annual: the first day of a program
    year, 1 January, whose revenue is the prior calendar year (guide p.12). Both kinds: not in the future,
    since the revenue and people counts of a day still to come are not known yet."""
    if kind == ANNUAL and (as_of.month, as_of.day) != (1, 1):
        return _("An annual recalculation is as of 1 January, the start of a program year (its revenue is the "
                 "prior calendar year): choose %(first_day)s, not %(as_of)s.") % {
            "first_day": day(date(as_of.year, 1, 1)), "as_of": day(as_of)}
    if as_of > today:
        return _("%(as_of)s is in the future: a recalculation counts revenue and people up to its as-of date, so it "
                 "can be as of today (%(today)s) at the latest.") % {"as_of": day(as_of), "today": day(today)}
    return None


@lru_cache(maxsize=64)
def window(kind, as_of):
    """The revenue window as a reason parameter (tiers/reasons.py): {"year": 2022} for an annual run (the prior
    calendar year), {"from": ISO date, "to": ISO date} for a mid-year one. One dict per run, shared by every
    reason that names it: read it, never change it."""
    start, end = revenue_window(kind, as_of)
    if kind == ANNUAL:
        return {"year": start.year}
    return {"from": start.isoformat(), "to": end.isoformat()}


def earned_tiers(requirements):
    """The tiers a partner earns by requirements, lowest first (Global Strategic is given, not earned)."""
    return list(_earned_tiers(requirements))


# The requirements last asked about and their earned tiers. A recalculation asks once per partner with the same
# list: comparing it with the last one is a pointer comparison per tier (a tuple compares its items by identity
# first), where an lru_cache hashed the five frozen dataclasses, their Decimals included, on every call (a tenth
# of the rules' time), then compared them field by field with the ones it was first given. Equal requirements
# made anew (another run, another request) compare equal field by field once and are kept from then on.
_last_earned: tuple[tuple[TierRequirement, ...], tuple[TierRequirement, ...]] = ((), ())


def _earned_tiers(requirements):
    global _last_earned
    requirements = tuple(requirements)
    last, earned = _last_earned
    if requirements != last:
        earned = tuple(sorted((r for r in requirements if not r.is_designation), key=lambda r: r.rank))
    _last_earned = requirements, earned
    return earned


REQUIREMENT_LABELS = {
    R.PARTNER_AGREEMENT: gettext_lazy("Partner agreement accepted"),
    R.PLATFORM_CERTIFIED: gettext_lazy("Platform-certified technical people"),
    R.SALES_TRAINED: gettext_lazy("Sales-trained people"),
}


def _revenue_label(window):
    if not window:
        return _("Closed-won revenue (USD)")
    if "year" in window:
        return _("Closed-won revenue (USD) in %(year)s") % {"year": window["year"]}
    return _("Closed-won revenue (USD) from %(start)s to %(end)s") % {"start": day(date.fromisoformat(window["from"])),
                                                                      "end": day(date.fromisoformat(window["to"]))}


def progress(requirement, metrics, *, window=None):
    """Have / need for each requirement of one tier, labelled in the active language (``window``: the revenue
    window, see window())."""
    rows = []
    if requirement.requires_partner_agreement:
        rows.append(RequirementProgress(str(REQUIREMENT_LABELS[R.PARTNER_AGREEMENT]), int(metrics.agreement_accepted),
                                        1, metrics.agreement_accepted, R.PARTNER_AGREEMENT))
    if requirement.min_certified_technical:
        rows.append(RequirementProgress(
            str(REQUIREMENT_LABELS[R.PLATFORM_CERTIFIED]), metrics.certified_technical,
            requirement.min_certified_technical, metrics.certified_technical >= requirement.min_certified_technical,
            R.PLATFORM_CERTIFIED))
    if requirement.min_sales_trained:
        rows.append(RequirementProgress(
            str(REQUIREMENT_LABELS[R.SALES_TRAINED]), metrics.sales_trained, requirement.min_sales_trained,
            metrics.sales_trained >= requirement.min_sales_trained, R.SALES_TRAINED))
    if requirement.min_revenue_usd:
        rows.append(RequirementProgress(_revenue_label(window), metrics.revenue_usd, requirement.min_revenue_usd,
                                        metrics.revenue_usd >= requirement.min_revenue_usd, R.REVENUE))
    return rows


def shortfalls(requirement, metrics, *, window=None):
    """Each unmet requirement of ``requirement`` as a reason (tiers/reasons.py renders it in words a partner can
    act on). ``window``: the revenue window the revenue was counted over (see window()), if the reader needs it.

    A plain dict per shortfall: a recalculation builds these for every partner, and a dict literal costs less
    than the sentence it replaces."""
    name = requirement.name
    out = []
    if requirement.requires_partner_agreement and not metrics.agreement_accepted:
        out.append({"code": R.REQUIREMENT_SHORT, "tier": name, "requirement": R.PARTNER_AGREEMENT})
    if metrics.certified_technical < requirement.min_certified_technical:
        out.append({"code": R.REQUIREMENT_SHORT, "tier": name, "requirement": R.PLATFORM_CERTIFIED,
                    "have": metrics.certified_technical, "need": requirement.min_certified_technical})
    if metrics.sales_trained < requirement.min_sales_trained:
        out.append({"code": R.REQUIREMENT_SHORT, "tier": name, "requirement": R.SALES_TRAINED,
                    "have": metrics.sales_trained, "need": requirement.min_sales_trained})
    if metrics.revenue_usd < requirement.min_revenue_usd:
        short = {"code": R.REQUIREMENT_SHORT, "tier": name, "requirement": R.REVENUE,
                 "have": str(metrics.revenue_usd), "need": str(requirement.min_revenue_usd)}
        if window:
            short["window"] = window
        out.append(short)
    return out


def people_shortfalls(requirement, metrics):
    """Only the certification / training counts: these alone open a provisional period (guide footnote 2)."""
    return shortfalls(_people_only(requirement), metrics)


@lru_cache(maxsize=64)
def _people_only(requirement):
    return TierRequirement(
        level=requirement.level, name=requirement.name, rank=requirement.rank, requires_partner_agreement=False,
        min_certified_technical=requirement.min_certified_technical, min_sales_trained=requirement.min_sales_trained,
    )


def qualified_tier(metrics, requirements, *, window=None):
    """Walk up from Registered while every requirement of the next tier is met ("before advancing to a new
    tier, partners must fulfil all their current tier requirements", guide p.5).

    Returns the tier level ('' when not even Registered) and, as reasons, what the next tier still needs.
    """
    reached = NONE
    for requirement in _earned_tiers(requirements):
        missing = shortfalls(requirement, metrics, window=window)
        if missing:
            return reached, tuple(missing)
        reached = requirement.level
    return reached, ()


def next_tier(level, requirements):
    """The earned tier above ``level`` (None at the top; a designated partner has none)."""
    floor = rank(level)
    for requirement in earned_tiers(requirements):
        if rank(requirement.level) > floor:
            return requirement
    return None


def requirement_for(level, requirements):
    for requirement in requirements:
        if requirement.level == level:
            return requirement
    return None


def movement(previous, applied):
    a, b = rank(previous), rank(applied)
    return UP if b > a else DOWN if b < a else SAME


def assess(*, kind, as_of, metrics, current_tier, designated, requirements, provisional_ends_on=None,
           provisional_period_days=90):
    """What one recalculation does to one partner.

    - Global Strategic is a designation: never moved, but the computed tier is recorded.
    - Annual: the partner takes the tier it qualifies for, up or down.
    - Mid-year: only up; the single exception is the certification provisional period (docs/tiers.md).
    """
    revenue = window(kind, as_of)
    qualified, missing = qualified_tier(metrics, requirements, window=revenue)
    current = current_tier or NONE
    reasons = [{"code": R.QUALIFIES, "tier": tier_name(qualified)}] if qualified else []
    reasons += missing

    def outcome(applied, *more, action="", ends_on=None):
        return Outcome(qualified_tier=qualified, applied_tier=applied, previous_tier=current,
                       movement=movement(current, applied), reasons=tuple(reasons + list(more)),
                       provisional_action=action, provisional_ends_on=ends_on)

    if designated:
        return outcome(current, {"code": R.DESIGNATED, "computed": tier_name(qualified)},
                       action=PROVISIONAL_SUPERSEDED if provisional_ends_on else "")

    if kind == ANNUAL:
        closing = PROVISIONAL_SUPERSEDED if provisional_ends_on else ""
        if qualified == current:
            return outcome(current, {"code": R.ANNUAL_STAY, "tier": tier_name(current)}, action=closing)
        return outcome(qualified, {"code": R.ANNUAL_MOVE, "direction": movement(current, qualified),
                                   "tier": tier_name(qualified), "window": revenue}, action=closing)

    # Mid-year: partners may only advance (guide p.12) ...
    if rank(qualified) > rank(current):
        return outcome(qualified, {"code": R.MIDYEAR_UP, "tier": tier_name(qualified)},
                       action=PROVISIONAL_MET if provisional_ends_on else "")

    # ... except after a certification provisional period (guide footnote 2, our interpretation).
    held = requirement_for(current, requirements)
    people_short = people_shortfalls(held, metrics) if held else []
    if not people_short:
        stay = {"code": R.MIDYEAR_STAY, "tier": tier_name(current)}
        if provisional_ends_on:
            return outcome(current, stay, {"code": R.PROVISIONAL_MET}, action=PROVISIONAL_MET)
        return outcome(current, stay)
    if provisional_ends_on is None:
        ends_on = as_of + timedelta(days=provisional_period_days)
        return outcome(current, {"code": R.PROVISIONAL_OPEN, "tier": tier_name(current), "ends_on": ends_on.isoformat()},
                       action=PROVISIONAL_OPEN, ends_on=ends_on)
    if as_of < provisional_ends_on:
        return outcome(current, {"code": R.PROVISIONAL_CONTINUE, "tier": tier_name(current),
                                 "ends_on": provisional_ends_on.isoformat()},
                       action=PROVISIONAL_CONTINUE, ends_on=provisional_ends_on)
    # The exception is about certifications, and revenue never moves anyone down mid-year: the partner
    # goes to the highest tier its people counts (and the partner agreement) still meet, never lower.
    landing = people_tier(metrics, requirements, below=current)
    return outcome(landing, {"code": R.PROVISIONAL_EXPIRED, "tier": tier_name(landing),
                             "ended_on": provisional_ends_on.isoformat()},
                   action=PROVISIONAL_EXPIRED, ends_on=provisional_ends_on)


def people_tier(metrics, requirements, *, below):
    """The highest earned tier under ``below`` whose people counts (and partner agreement) ``metrics`` meet,
    walking up from Registered as qualified_tier does but leaving revenue out (mid-year demotion after an
    expired certification provisional period, guide p.12 footnote 2)."""
    reached = NONE
    for requirement in _earned_tiers(requirements):
        if rank(requirement.level) >= rank(below):
            break
        if requirement.requires_partner_agreement and not metrics.agreement_accepted:
            break
        if people_shortfalls(requirement, metrics):
            break
        reached = requirement.level
    return reached


# A partner is "near promotion" when the next tier is one step away: every requirement but one is met,
# or every unmet requirement is within this share of its threshold (the staff home's worklist).
NEAR_PROMOTION_SHARE = Decimal("0.20")


def promotion_gap(requirement, metrics, *, share=NEAR_PROMOTION_SHARE):
    """The unmet requirements of ``requirement`` when the partner is near it, else None.

    Near: exactly one requirement is unmet, or each unmet one has at least (1 - share) of what it needs.
    A partner that meets everything already is not "near" (the next run promotes it): None as well.
    """
    rows = progress(requirement, metrics)
    unmet = [row for row in rows if not row.met]
    if not unmet:
        return None
    floor = 1 - share
    if len(unmet) == 1 or all(Decimal(row.have) >= Decimal(row.need) * floor for row in unmet):
        return unmet
    return None


def people_drop(requirement, *, today_metrics, later_metrics):
    """The people-count shortfalls a partner would have at ``later_metrics`` while it meets them today:
    certifications that expire before a later recalculation and would cost the held tier."""
    if requirement is None or people_shortfalls(requirement, today_metrics):
        return []
    return people_shortfalls(requirement, later_metrics)
