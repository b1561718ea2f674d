"""The tier rules of the program guide as plain functions over plain values (no database).

Metrics and a program year's requirements go in; the qualified tier, the applied tier and the
reasons in words come out. Sources: program guide 2022 "Requirements by tier" (p.10), "Program
governance" (p.12) and DESIGN.md §2; the provisional-period interpretation is in docs/tiers.md.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from partners.models import TierLevel

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
    reasons: tuple[str, ...]
    provisional_action: str = ""
    provisional_ends_on: date | None = None
    notes: tuple[str, ...] = ()


# TierLevel.rank walks the enum on every call; a recalculation asks it a few hundred thousand times.
RANK = {level.value: i for i, level in enumerate(TierLevel)}
NAMES = {level.value: level.label for level in TierLevel}


def rank(level):
    return RANK[level or ""]


def tier_name(level):
    return NAMES[level or ""]


def money(amount):
    return f"${Decimal(amount):,.0f}"


# A recalculation asks the same per-run questions (the window in words, the tiers in order, a threshold in
# dollars) once per partner; these are pure functions of hashable values, so they are cached.
_money_threshold = lru_cache(maxsize=64)(money)


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
        return (f"An annual recalculation is as of 1 January, the start of a program year (its revenue is the "
                f"prior calendar year): choose 1 Jan {as_of.year}, not {as_of:%-d %b %Y}.")
    if as_of > today:
        return (f"{as_of:%-d %b %Y} is in the future: a recalculation counts revenue and people up to its as-of "
                f"date, so it can be as of today ({today:%-d %b %Y}) at the latest.")
    return None


@lru_cache(maxsize=64)
def window_words(kind, as_of):
    start, end = revenue_window(kind, as_of)
    if kind == ANNUAL:
        return f"in {start.year}"
    return f"from {start:%-d %b %Y} to {end:%-d %b %Y}"


def earned_tiers(requirements):
    """The tiers a partner earns by requirements, lowest first (Global Strategic is given, not earned)."""
    return list(_earned_tiers(tuple(requirements)))


@lru_cache(maxsize=16)
def _earned_tiers(requirements):
    return tuple(sorted((r for r in requirements if not r.is_designation), key=lambda r: r.rank))


def progress(requirement, metrics, *, revenue_words=""):
    """Have / need for each requirement of one tier."""
    rows = []
    if requirement.requires_partner_agreement:
        rows.append(RequirementProgress("Partner agreement accepted", int(metrics.agreement_accepted), 1,
                                        metrics.agreement_accepted))
    if requirement.min_certified_technical:
        rows.append(RequirementProgress(
            "Platform-certified technical people", metrics.certified_technical, requirement.min_certified_technical,
            metrics.certified_technical >= requirement.min_certified_technical))
    if requirement.min_sales_trained:
        rows.append(RequirementProgress(
            "Sales-trained people", metrics.sales_trained, requirement.min_sales_trained,
            metrics.sales_trained >= requirement.min_sales_trained))
    if requirement.min_revenue_usd:
        label = "Closed-won revenue (USD)" + (f" {revenue_words}" if revenue_words else "")
        rows.append(RequirementProgress(label, metrics.revenue_usd, requirement.min_revenue_usd,
                                        metrics.revenue_usd >= requirement.min_revenue_usd))
    return rows


def shortfalls(requirement, metrics, *, revenue_words=""):
    """Each unmet requirement of ``requirement``, in words a partner can act on."""
    name = requirement.name
    out = []
    if requirement.requires_partner_agreement and not metrics.agreement_accepted:
        out.append(f"{name} needs the partner agreement accepted; your company has not accepted it")
    if metrics.certified_technical < requirement.min_certified_technical:
        out.append(f"{name} needs {requirement.min_certified_technical} platform-certified technical people; "
                   f"you have {metrics.certified_technical}")
    if metrics.sales_trained < requirement.min_sales_trained:
        out.append(f"{name} needs {requirement.min_sales_trained} sales-trained people; you have {metrics.sales_trained}")
    if metrics.revenue_usd < requirement.min_revenue_usd:
        words = f" {revenue_words}" if revenue_words else ""
        out.append(f"{name} needs {_money_threshold(requirement.min_revenue_usd)} of closed-won revenue{words}; "
                   f"you have {money(metrics.revenue_usd)}")
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


def qualified_tier(metrics, requirements, *, revenue_words=""):
    """Walk up from Registered while every requirement of the next tier is met ("before advancing to a new
    tier, partners must fulfil all their current tier requirements", guide p.5).

    Returns the tier level ('' when not even Registered) and, in words, what the next tier still needs.
    """
    reached = TierLevel.NONE.value
    for requirement in _earned_tiers(tuple(requirements)):
        missing = shortfalls(requirement, metrics, revenue_words=revenue_words)
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
    words = window_words(kind, as_of)
    qualified, missing = qualified_tier(metrics, requirements, revenue_words=words)
    current = current_tier or TierLevel.NONE.value
    reasons = []
    if qualified:
        reasons.append(f"You qualify for {tier_name(qualified)}.")
    reasons += [f"{m}." for m in missing]

    def outcome(applied, *more, action="", ends_on=None):
        return Outcome(qualified_tier=qualified, applied_tier=applied, previous_tier=current,
                       movement=movement(current, applied), reasons=tuple(reasons + list(more)),
                       provisional_action=action, provisional_ends_on=ends_on)

    if designated:
        return outcome(current, f"Global Strategic is a designation given by the program; recalculation does not "
                                f"move a designated partner (computed: {tier_name(qualified)}).",
                       action=PROVISIONAL_SUPERSEDED if provisional_ends_on else "")

    if kind == ANNUAL:
        closing = PROVISIONAL_SUPERSEDED if provisional_ends_on else ""
        if qualified == current:
            return outcome(current, f"Annual recalculation: you stay {tier_name(current)}.", action=closing)
        verb = "move up" if movement(current, qualified) == UP else "move down"
        return outcome(qualified, f"Annual recalculation (revenue {words}): you {verb} to {tier_name(qualified)}.",
                       action=closing)

    # Mid-year: partners may only advance (guide p.12) ...
    if rank(qualified) > rank(current):
        return outcome(qualified, f"Mid-year recalculation: you move up to {tier_name(qualified)}.",
                       action=PROVISIONAL_MET if provisional_ends_on else "")

    # ... except after a certification provisional period (guide footnote 2, our interpretation).
    held = requirement_for(current, requirements)
    people_short = people_shortfalls(held, metrics) if held else []
    if not people_short:
        stay = f"Mid-year recalculation: partners only move up; you stay {tier_name(current)}."
        if provisional_ends_on:
            return outcome(current, stay, "Your certification provisional period is closed: the counts are met.",
                           action=PROVISIONAL_MET)
        return outcome(current, stay)
    if provisional_ends_on is None:
        ends_on = as_of + timedelta(days=provisional_period_days)
        return outcome(current, f"A certification provisional period opens: you keep {tier_name(current)} if the "
                                f"certification and training counts are met again by {ends_on:%-d %b %Y}.",
                       action=PROVISIONAL_OPEN, ends_on=ends_on)
    if as_of < provisional_ends_on:
        return outcome(current, f"Your certification provisional period runs until {provisional_ends_on:%-d %b %Y}; "
                                f"you keep {tier_name(current)} until then.",
                       action=PROVISIONAL_CONTINUE, ends_on=provisional_ends_on)
    # The exception is about certifications, and revenue never moves anyone down mid-year: the partner
    # goes to the highest tier its people counts (and the partner agreement) still meet, never lower.
    landing = people_tier(metrics, requirements, below=current)
    return outcome(landing, f"Your certification provisional period ended on {provisional_ends_on:%-d %b %Y} with "
                            f"the counts still short: you move down to {tier_name(landing)}, the highest tier "
                            f"your certified and sales-trained people still meet.",
                   action=PROVISIONAL_EXPIRED, ends_on=provisional_ends_on)


def people_tier(metrics, requirements, *, below):
    """The highest earned tier under ``below`` whose people counts (and partner agreement) ``metrics`` meet,
    walking up from Registered as qualified_tier does but leaving revenue out (mid-year demotion after an
    expired certification provisional period, guide p.12 footnote 2)."""
    reached = TierLevel.NONE.value
    for requirement in _earned_tiers(tuple(requirements)):
        if rank(requirement.level) >= rank(below):
            break
        if requirement.requires_partner_agreement and not metrics.agreement_accepted:
            break
        if people_shortfalls(requirement, metrics):
            break
        reached = requirement.level
    return reached
