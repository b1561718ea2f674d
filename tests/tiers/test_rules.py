"""tiers/rules.py as tables: the guide's "Requirements by tier" and governance rules, no database."""

from datetime import date
from decimal import Decimal

import pytest

from tiers import rules
from tiers.reasons import render, render_all
from tiers.rules import ANNUAL, MIDYEAR, Metrics, TierRequirement

# The 2022 program year (guide p.10), as plain values.
Y2022 = [
    TierRequirement("registered", "Registered", 1),
    TierRequirement("bronze", "Bronze", 2, min_certified_technical=3, min_sales_trained=1, min_revenue_usd=Decimal("20000")),
    TierRequirement("silver", "Silver", 3, min_certified_technical=10, min_sales_trained=5,
                    min_revenue_usd=Decimal("200000")),
    TierRequirement("gold", "Gold", 4, min_certified_technical=15, min_sales_trained=10,
                    min_revenue_usd=Decimal("1000000")),
    TierRequirement("global_strategic", "Global Strategic", 5, min_certified_technical=15, min_sales_trained=10,
                    min_revenue_usd=Decimal("1000000"), is_designation=True),
]


def m(certified=0, trained=0, revenue="0", agreement=True):
    return Metrics(certified_technical=certified, sales_trained=trained, revenue_usd=Decimal(revenue),
                   agreement_accepted=agreement)


# Every boundary: exactly at each threshold qualifies, one below on any single requirement does not.
QUALIFIED = [
    (m(agreement=False), ""),
    (m(), "registered"),
    (m(3, 1, "20000"), "bronze"),
    (m(2, 1, "20000"), "registered"),
    (m(3, 0, "20000"), "registered"),
    (m(3, 1, "19999.99"), "registered"),
    (m(10, 5, "200000"), "silver"),
    (m(9, 5, "200000"), "bronze"),
    (m(10, 4, "200000"), "bronze"),
    (m(10, 5, "199999.99"), "bronze"),
    (m(15, 10, "1000000"), "gold"),
    (m(14, 10, "1000000"), "silver"),
    (m(15, 9, "1000000"), "silver"),
    (m(15, 10, "999999.99"), "silver"),
    # Far above every threshold: Gold is the top earned tier; Global Strategic is never computed.
    (m(500, 500, "99000000"), "gold"),
    # Walk up while every requirement of the next tier is met: revenue alone does not skip tiers.
    (m(0, 0, "5000000"), "registered"),
    (m(3, 1, "5000000"), "bronze"),
    # Without the partner agreement nothing counts.
    (m(15, 10, "1000000", agreement=False), ""),
]


@pytest.mark.parametrize(("metrics", "expected"), QUALIFIED)
def test_qualified_tier_walks_up_while_every_requirement_is_met(metrics, expected):
    assert rules.qualified_tier(metrics, Y2022)[0] == expected


def test_reasons_name_the_missing_requirement_in_words():
    tier, reasons = rules.qualified_tier(m(8, 5, "250000"), Y2022)
    assert tier == "bronze"
    assert reasons == ({"code": "requirement_short", "tier": "Silver", "requirement": "platform_certified", "have": 8,
                        "need": 10},)
    assert render_all(reasons) == ["Silver needs 10 platform-certified technical people; you have 8."]


def test_reasons_list_every_missing_requirement_with_the_revenue_window():
    _, reasons = rules.qualified_tier(m(10, 3, "150000"), Y2022, window=rules.window(ANNUAL, date(2023, 1, 1)))
    assert render_all(reasons) == [
        "Silver needs 5 sales-trained people; you have 3.",
        "Silver needs $200,000 of closed-won revenue in 2022; you have $150,000.",
    ]
    assert reasons[1]["window"] == {"year": 2022}
    assert (Decimal(reasons[1]["have"]), Decimal(reasons[1]["need"])) == (150000, 200000)  # decimal strings


def test_a_mid_year_revenue_reason_names_its_trailing_window():
    _, reasons = rules.qualified_tier(m(10, 5, "150000"), Y2022, window=rules.window(MIDYEAR, date(2022, 9, 30)))
    assert reasons[-1]["window"] == {"from": "2021-10-01", "to": "2022-09-30"}
    assert render(reasons[-1]) == ("Silver needs $200,000 of closed-won revenue from 1 Oct 2021 to 30 Sep 2022; "
                                   "you have $150,000.")


def test_missing_agreement_is_the_reason_for_not_registered():
    _, reasons = rules.qualified_tier(m(agreement=False), Y2022)
    assert render_all(reasons) == ["Registered needs the partner agreement accepted; your company has not accepted it."]


def test_progress_shows_have_and_need_of_each_requirement():
    rows = rules.progress(Y2022[2], m(8, 5, "100000"))
    assert [(r.label, r.have, r.need, r.met, r.percent) for r in rows] == [
        ("Partner agreement accepted", 1, 1, True, 100),
        ("Platform-certified technical people", 8, 10, False, 80),
        ("Sales-trained people", 5, 5, True, 100),
        ("Closed-won revenue (USD)", Decimal("100000"), Decimal("200000"), False, 50),
    ]


def test_next_tier_skips_the_designation():
    assert rules.next_tier("gold", Y2022) is None
    assert rules.next_tier("silver", Y2022).level == "gold"
    assert rules.next_tier("", Y2022).level == "registered"


# Revenue windows: prior calendar year (annual) and trailing 365 days ending on the as-of date (mid-year).
WINDOWS = [
    (ANNUAL, date(2023, 1, 1), date(2022, 1, 1), date(2022, 12, 31)),
    (ANNUAL, date(2023, 7, 15), date(2022, 1, 1), date(2022, 12, 31)),
    (MIDYEAR, date(2022, 7, 1), date(2021, 7, 2), date(2022, 7, 1)),
    # Leap years: 365 days, not "one year": the window ending 1 Mar 2024 contains 29 Feb 2024, so it starts
    # on 3 Mar 2023 (1 and 2 Mar 2023 fall out); one calendar year earlier would be 366 days.
    (MIDYEAR, date(2024, 3, 1), date(2023, 3, 3), date(2024, 3, 1)),
    (MIDYEAR, date(2024, 2, 29), date(2023, 3, 2), date(2024, 2, 29)),
    (MIDYEAR, date(2025, 3, 1), date(2024, 3, 2), date(2025, 3, 1)),
    # Across a year boundary.
    (MIDYEAR, date(2023, 1, 15), date(2022, 1, 16), date(2023, 1, 15)),
]


@pytest.mark.parametrize(("kind", "as_of", "start", "end"), WINDOWS)
def test_revenue_window(kind, as_of, start, end):
    assert rules.revenue_window(kind, as_of) == (start, end)
    if kind == MIDYEAR:
        assert (end - start).days + 1 == 365


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        rules.revenue_window("weekly", date(2022, 1, 1))


def assess(kind, metrics, current, *, designated=False, provisional_ends_on=None, as_of=date(2022, 7, 1)):
    return rules.assess(kind=kind, as_of=as_of, metrics=metrics, current_tier=current, designated=designated,
                        requirements=Y2022, provisional_ends_on=provisional_ends_on, provisional_period_days=90)


# (kind, metrics, current tier, open provisional period ends on, applied tier, movement, provisional action)
DECISIONS = [
    # Annual: up or down to what the partner qualifies for.
    (ANNUAL, m(10, 5, "200000"), "bronze", None, "silver", "up", ""),
    (ANNUAL, m(3, 1, "20000"), "silver", None, "bronze", "down", ""),
    (ANNUAL, m(10, 5, "200000"), "silver", None, "silver", "same", ""),
    (ANNUAL, m(0, 0, "0"), "gold", None, "registered", "down", ""),
    (ANNUAL, m(2, 1, "20000"), "silver", date(2022, 8, 1), "registered", "down", "superseded"),
    # Mid-year: only up.
    (MIDYEAR, m(15, 10, "1000000"), "silver", None, "gold", "up", ""),
    (MIDYEAR, m(10, 5, "0"), "silver", None, "silver", "same", ""),  # revenue fell: mid-year demotion refused
    (MIDYEAR, m(15, 10, "0"), "gold", None, "gold", "same", ""),
    # Mid-year, short of the tier's people counts: the provisional period opens, the tier is kept.
    (MIDYEAR, m(8, 5, "300000"), "silver", None, "silver", "same", "open"),
    (MIDYEAR, m(10, 4, "300000"), "silver", None, "silver", "same", "open"),
    # ... still short before it ends: kept.
    (MIDYEAR, m(8, 5, "300000"), "silver", date(2022, 7, 2), "silver", "same", "continue"),
    # ... still short at the first mid-year run on or after its end: down to what it qualifies for.
    (MIDYEAR, m(8, 5, "300000"), "silver", date(2022, 7, 1), "bronze", "down", "expired"),
    (MIDYEAR, m(8, 5, "300000"), "silver", date(2022, 6, 1), "bronze", "down", "expired"),
    (MIDYEAR, m(1, 0, "0"), "silver", date(2022, 6, 1), "registered", "down", "expired"),
    # ... to the highest tier its people counts still meet, never lower because of revenue (guide p.12:
    # the exception is a certification provisional period): Gold with 5 certified / 2 trained and no revenue
    # lands on Bronze, not Registered; with 12 / 7 on Silver.
    (MIDYEAR, m(5, 2, "0"), "gold", date(2022, 6, 1), "bronze", "down", "expired"),
    (MIDYEAR, m(12, 7, "0"), "gold", date(2022, 6, 1), "silver", "down", "expired"),
    (MIDYEAR, m(3, 1, "0"), "silver", date(2022, 6, 1), "bronze", "down", "expired"),
    (MIDYEAR, m(2, 1, "5000000"), "silver", date(2022, 6, 1), "registered", "down", "expired"),
    # ... counts met again: the period closes and the tier stays (even if revenue is short mid-year).
    (MIDYEAR, m(10, 5, "0"), "silver", date(2022, 8, 1), "silver", "same", "met"),
    # ... or the partner moves up: closes too.
    (MIDYEAR, m(15, 10, "1000000"), "silver", date(2022, 8, 1), "gold", "up", "met"),
    # Registered has no people counts: nothing to open.
    (MIDYEAR, m(0, 0, "0"), "registered", None, "registered", "same", ""),
    # Not registered (agreement not accepted): stays outside the program.
    (MIDYEAR, m(20, 20, "2000000", agreement=False), "", None, "", "same", ""),
]


@pytest.mark.parametrize(("kind", "metrics", "current", "ends_on", "applied", "movement", "action"), DECISIONS)
def test_assess(kind, metrics, current, ends_on, applied, movement, action):
    outcome = assess(kind, metrics, current, provisional_ends_on=ends_on)
    assert (outcome.applied_tier, outcome.movement, outcome.provisional_action) == (applied, movement, action)
    assert outcome.previous_tier == current
    assert outcome.reasons, "every decision is explained"


def test_provisional_period_opens_for_the_program_years_length():
    outcome = assess(MIDYEAR, m(8, 5, "300000"), "silver", as_of=date(2022, 7, 1))
    assert outcome.provisional_ends_on == date(2022, 9, 29)
    assert outcome.reasons[-1] == {"code": "provisional_open", "tier": "Silver", "ends_on": "2022-09-29"}
    assert render(outcome.reasons[-1]) == (
        "A certification provisional period opens: you keep Silver if the certification and training counts are met "
        "again by 29 Sep 2022.")
    assert "Silver needs 10 platform-certified technical people; you have 8." in render_all(outcome.reasons)


@pytest.mark.parametrize("kind", [ANNUAL, MIDYEAR])
def test_designated_partner_is_never_moved_but_the_computed_tier_is_recorded(kind):
    outcome = assess(kind, m(3, 1, "20000"), "global_strategic", designated=True)
    assert outcome.applied_tier == "global_strategic"
    assert outcome.qualified_tier == "bronze"
    assert outcome.movement == "same"
    assert render(outcome.reasons[-1]) == (
        "Global Strategic is a designation given by the program; recalculation does not move a designated partner "
        "(computed: Bronze).")


def test_demotion_after_an_expired_provisional_period_names_the_people_tier():
    outcome = assess(MIDYEAR, m(5, 2, "0"), "gold", provisional_ends_on=date(2022, 6, 1))
    assert outcome.qualified_tier == "registered"  # by revenue too: recorded, not applied
    assert outcome.applied_tier == "bronze"
    assert render(outcome.reasons[-1]) == (
        "Your certification provisional period ended on 1 Jun 2022 with the counts still short: you move down to "
        "Bronze, the highest tier your certified and sales-trained people still meet.")


@pytest.mark.parametrize(("metrics", "below", "expected"), [
    (m(5, 2), "gold", "bronze"),
    (m(15, 10), "gold", "silver"),  # never the tier it came down from
    (m(0, 0), "silver", "registered"),
    (m(9, 9), "silver", "bronze"),
    (m(20, 20, agreement=False), "gold", ""),
])
def test_people_tier_leaves_revenue_out(metrics, below, expected):
    assert rules.people_tier(metrics, Y2022, below=below) == expected


def test_mid_year_run_never_demotes_for_revenue_and_says_so():
    outcome = assess(MIDYEAR, m(15, 10, "0"), "gold")
    assert outcome.qualified_tier == "registered"
    assert render(outcome.reasons[-1]) == "Mid-year recalculation: partners only move up; you stay Gold."


# --- Near promotion (the staff worklist) ------------------------------------------------------------------

_SILVER = rules.TierRequirement(level="silver", name="Silver", rank=3, min_certified_technical=10,
                                min_sales_trained=5, min_revenue_usd=Decimal("200000"))


@pytest.mark.parametrize("certified, trained, revenue, near", [
    (10, 5, "200000", False),  # meets everything: the next run promotes it, nothing to chase
    (9, 5, "200000", True),  # one requirement short
    (2, 5, "200000", True),  # one requirement short, however far
    (8, 4, "160000", True),  # every shortfall within 20%
    (7, 4, "160000", False),  # certified 70%: more than 20% short, and two requirements unmet
    (8, 4, "159999", False),  # revenue just under 80%
])
def test_promotion_gap(certified, trained, revenue, near):
    metrics = rules.Metrics(certified, trained, Decimal(revenue), True)
    assert (rules.promotion_gap(_SILVER, metrics) is not None) is near


def test_people_drop_only_when_the_counts_are_met_today_and_short_later():
    today = rules.Metrics(10, 5, Decimal("0"), True)
    later = rules.Metrics(8, 5, Decimal("0"), True)
    assert render_all(rules.people_drop(_SILVER, today_metrics=today, later_metrics=later)) == [
        "Silver needs 10 platform-certified technical people; you have 8."]
    assert rules.people_drop(_SILVER, today_metrics=later, later_metrics=later) == []
    assert rules.people_drop(None, today_metrics=today, later_metrics=later) == []
