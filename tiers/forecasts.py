"""Forecasts a partner reads about its tier: pure functions over plain values, recomputed on every view and
recorded nowhere. They call the same rules as the recalculation (tiers/rules.py) with the same metrics and
revenue window, so what a forecast says is what a run on the same data computes (tested side by side).

- *Tier at risk*: which platform certifications and Sellers 101 completions lapse before the next annual
  recalculation (1 January, guide p.12), and whether that costs a tier.
- *Pipeline to tier*: whether winning an open deal registration at its estimated ARR reaches the next tier,
  counted as the tier page counts revenue (trailing 365 days, as a mid-year run, where partners move up).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import day, money, natural_key
from partners.models import Course

from . import rules

COUNTED_COURSES = (Course.PLATFORM, Course.SELLERS_101)
# Notices before a completion expires (issue: 60, 30 and 7 days before).
NOTICE_DAYS = (60, 30, 7)


@dataclass(frozen=True)
class Holding:
    """One completion of a counted course by one person of the partner."""

    person_id: int
    person_name: str
    course: str
    completed_on: datetime.date
    expires_on: datetime.date | None


@dataclass(frozen=True)
class Lapse:
    person_id: int
    person_name: str
    course: str
    expires_on: datetime.date


@dataclass(frozen=True)
class CourseRisk:
    course: str
    have_now: int
    lapsing: tuple[Lapse, ...]

    def sentence(self, *, recalculation_on, renew_by, otherwise, renewed):
        return course_sentence(course=self.course, n=len(self.lapsing), total=self.have_now,
                               recalculation_on=recalculation_on, renew_by=renew_by, otherwise=otherwise, renewed=renewed)


def course_sentence(*, course: str, n: int, total: int, recalculation_on: datetime.date, renew_by: datetime.date,
                    otherwise: str, renewed: str) -> str:
    """One whole sentence per course and count (translators see each as it reads); the plural follows the
    number lapsing (``n``), the noun the number held (``total``): "1 of your 1 ... certification", "1 of your 10
    ... certifications"."""
    values = {"n": n, "total": total, "recalculation": day(recalculation_on),
              "renew_by": day(renew_by), "otherwise": otherwise, "renewed": renewed}
    if course == Course.PLATFORM:
        if total == 1:
            return _("%(n)d of your %(total)d platform certification expires before the %(recalculation)s "
                     "recalculation; renew it by %(renew_by)s or you will qualify for %(otherwise)s instead of "
                     "%(renewed)s.") % values
        return ngettext(
            "%(n)d of your %(total)d platform certifications expires before the %(recalculation)s recalculation; "
            "renew it by %(renew_by)s or you will qualify for %(otherwise)s instead of %(renewed)s.",
            "%(n)d of your %(total)d platform certifications expire before the %(recalculation)s recalculation; "
            "renew them by %(renew_by)s or you will qualify for %(otherwise)s instead of %(renewed)s.",
            n) % values
    if total == 1:
        return _("%(n)d of your %(total)d Sellers Series 101 completion expires before the %(recalculation)s "
                 "recalculation; renew it by %(renew_by)s or you will qualify for %(otherwise)s instead of "
                 "%(renewed)s.") % values
    return ngettext(
        "%(n)d of your %(total)d Sellers Series 101 completions expires before the %(recalculation)s "
        "recalculation; renew it by %(renew_by)s or you will qualify for %(otherwise)s instead of %(renewed)s.",
        "%(n)d of your %(total)d Sellers Series 101 completions expire before the %(recalculation)s "
        "recalculation; renew them by %(renew_by)s or you will qualify for %(otherwise)s instead of %(renewed)s.",
        n) % values


@dataclass(frozen=True)
class TierRisk:
    recalculation_on: datetime.date
    tier_if_renewed: str
    tier_otherwise: str
    courses: tuple[CourseRisk, ...]
    rules_year: int | None = None  # the program year whose requirements the forecast applied

    @property
    def renew_by(self):
        # The annual run counts completions current on 1 January: a renewal imported by 31 December counts.
        return self.recalculation_on - datetime.timedelta(days=1)

    @property
    def lapses(self):
        return tuple(lapse for c in self.courses for lapse in c.lapsing)

    def sentences(self):
        """In the active language, rendered when read (pages, the notice with the recipient's language)."""
        return risk_sentences(self.as_params())

    def as_params(self) -> dict[str, Any]:
        """The forecast as plain JSON values, as a notification stores it (rendered by risk_sentences when read):
        tier levels, ISO dates, and per course the number held and the number lapsing."""
        return {"recalculation_on": self.recalculation_on.isoformat(), "tier_if_renewed": self.tier_if_renewed,
                "tier_otherwise": self.tier_otherwise, "rules_year": self.rules_year,
                "courses": [{"course": c.course, "have_now": c.have_now, "lapsing": len(c.lapsing)}
                            for c in self.courses]}


def risk_sentences(params: dict[str, Any]) -> list[str]:
    """A forecast's sentences (TierRisk.as_params) in the active language."""
    recalculation_on = datetime.date.fromisoformat(params["recalculation_on"])
    # The annual run counts completions current on 1 January: a renewal imported by 31 December counts.
    renew_by = recalculation_on - datetime.timedelta(days=1)
    otherwise, renewed = rules.tier_label(params["tier_otherwise"]), rules.tier_label(params["tier_if_renewed"])
    out = [course_sentence(course=c["course"], n=c["lapsing"], total=c["have_now"], recalculation_on=recalculation_on,
                           renew_by=renew_by, otherwise=otherwise, renewed=renewed)
           for c in params["courses"]]
    rules_year = params.get("rules_year")
    if rules_year and rules_year != recalculation_on.year:
        out.append(_("The %(year)s requirements are not published yet: this assumes the %(rules_year)s ones.") % {
            "year": recalculation_on.year, "rules_year": rules_year})
    return out


def next_annual_recalculation(today):
    return datetime.date(today.year + 1, 1, 1)


def people_on(holdings, *, as_of, renewed_course=None, today=None):
    """(certified technical, sales trained) on ``as_of``, counted as selectors.people_counts counts them:
    distinct people with a completion done by then that has not expired (it counts through its expiry day).
    With ``renewed_course`` ('*' for both), completions of that course current ``today`` count as renewed."""
    counted = {c: set() for c in COUNTED_COURSES}
    for h in holdings:
        if h.course not in counted or h.completed_on > as_of:
            continue
        current = h.expires_on is None or h.expires_on >= as_of
        renewed = renewed_course in ("*", h.course) and (h.expires_on is None or h.expires_on >= today)
        if current or renewed:
            counted[h.course].add(h.person_id)
    return len(counted[Course.PLATFORM]), len(counted[Course.SELLERS_101])


def _qualified(certified, trained, *, revenue_usd, agreement_accepted, requirements):
    metrics = rules.Metrics(certified_technical=certified, sales_trained=trained, revenue_usd=revenue_usd,
                            agreement_accepted=agreement_accepted)
    return rules.qualified_tier(metrics, requirements)[0]


def lapsing(holdings, *, course, today, before):
    """The people whose every completion of ``course`` current today has expired by ``before``."""
    best = {}
    for h in holdings:
        if h.course != course or h.completed_on > today or (h.expires_on is not None and h.expires_on < today):
            continue
        previous = best.get(h.person_id)
        if previous is None or (previous.expires_on is not None and (h.expires_on is None
                                                                     or h.expires_on > previous.expires_on)):
            best[h.person_id] = h
    out = [Lapse(h.person_id, h.person_name, h.course, h.expires_on) for h in best.values()
           if h.expires_on is not None and h.expires_on < before]
    return tuple(sorted(out, key=lambda lapse: (lapse.expires_on, natural_key(lapse.person_name))))


def tier_at_risk(*, holdings, revenue_usd, agreement_accepted, requirements, today, designated=False,
                 rules_year=None):
    """What the next annual recalculation computes if the lapsing completions are not renewed, against what
    it computes if they are; None when the lapses cost no tier (or the partner is designated)."""
    if designated:
        return None
    recalc = next_annual_recalculation(today)
    kw = {"revenue_usd": revenue_usd, "agreement_accepted": agreement_accepted, "requirements": requirements}
    otherwise = _qualified(*people_on(holdings, as_of=recalc), **kw)
    renewed = _qualified(*people_on(holdings, as_of=recalc, renewed_course="*", today=today), **kw)
    if rules.rank(renewed) <= rules.rank(otherwise):
        return None
    now_counts = dict(zip(COUNTED_COURSES, people_on(holdings, as_of=today), strict=True))
    courses = []
    for course in COUNTED_COURSES:
        only_this = _qualified(*people_on(holdings, as_of=recalc, renewed_course=course, today=today), **kw)
        people = lapsing(holdings, course=course, today=today, before=recalc)
        if people and rules.rank(only_this) > rules.rank(otherwise):
            courses.append(CourseRisk(course=course, have_now=now_counts[course], lapsing=people))
    if not courses:  # only renewing both together saves the tier: name every lapse
        courses = [CourseRisk(course=c, have_now=now_counts[c], lapsing=p) for c in COUNTED_COURSES
                   if (p := lapsing(holdings, course=c, today=today, before=recalc))]
    return TierRisk(recalculation_on=recalc, tier_if_renewed=renewed, tier_otherwise=otherwise, courses=tuple(courses),
                    rules_year=rules_year)


@dataclass(frozen=True)
class PipelineStep:
    reference: str
    registration_id: int
    estimated_arr_usd: Decimal
    reaches_tier: str
    revenue_then: Decimal
    threshold: Decimal

    def sentence(self):
        return _("If %(reference)s is won at its estimated ARR of %(arr)s, you reach %(tier)s (revenue %(revenue)s of "
                 "%(threshold)s).") % {"reference": self.reference, "arr": money(self.estimated_arr_usd),
                                      "tier": rules.tier_label(self.reaches_tier), "revenue": money(self.revenue_then),
                                      "threshold": money(self.threshold)}


def if_won(*, metrics, arr_usd, requirements):
    """The tier the partner qualifies for if ``arr_usd`` more closed-won revenue counts."""
    more = metrics._replace(revenue_usd=metrics.revenue_usd + Decimal(arr_usd))
    return rules.qualified_tier(more, requirements)[0]


def pipeline_to_tier(*, metrics, open_registrations, requirements):
    """For each open registration (reference, id, estimated ARR) whose win alone lifts the qualified tier:
    the tier it reaches and the revenue against that tier's threshold."""
    today_tier = rules.qualified_tier(metrics, requirements)[0]
    steps = []
    for reference, pk, arr in open_registrations:
        reached = if_won(metrics=metrics, arr_usd=arr, requirements=requirements)
        if rules.rank(reached) > rules.rank(today_tier):
            requirement = rules.requirement_for(reached, requirements)
            steps.append(PipelineStep(reference=reference, registration_id=pk, estimated_arr_usd=Decimal(arr),
                                      reaches_tier=reached, revenue_then=metrics.revenue_usd + Decimal(arr),
                                      threshold=requirement.min_revenue_usd))
    return steps


def notice_due(*, expires_on, today, notice_days=NOTICE_DAYS):
    """Which notice (days before expiry) is due today for a completion, or None. The smallest threshold not
    yet passed: a job that missed days sends the latest notice once, never an earlier one late."""
    left = (expires_on - today).days
    if left < 0:
        return None
    due = [d for d in notice_days if d >= left]
    return min(due) if due else None
