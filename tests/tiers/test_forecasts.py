"""Forecasts (tiers/forecasts.py) as tables, and each forecast against the recalculation's own result on
the same data: when the forecast says Bronze, the run computes Bronze."""

import datetime
from datetime import date, timedelta
from decimal import Decimal

import pytest

from partners.models import Course
from tiers import forecasts, rules, selectors, services
from tiers.reasons import render_all

from .conftest import add_people, win

REQUIREMENTS = (
    rules.TierRequirement("registered", "Registered", 1),
    rules.TierRequirement("bronze", "Bronze", 2, min_certified_technical=3, min_sales_trained=1,
                          min_revenue_usd=Decimal("20000")),
    rules.TierRequirement("silver", "Silver", 3, min_certified_technical=10, min_sales_trained=5,
                          min_revenue_usd=Decimal("200000")),
    rules.TierRequirement("gold", "Gold", 4, min_certified_technical=15, min_sales_trained=10,
                          min_revenue_usd=Decimal("1000000")),
)
TODAY = date(2026, 12, 1)


def holding(i, course=Course.PLATFORM, expires_on=None, completed_on=date(2026, 1, 5)):
    return forecasts.Holding(i, f"Person {i}", course, completed_on, expires_on)


def silver_holdings(*, lapsing=0, lapse_on=date(2026, 12, 15)):
    """10 platform-certified (``lapsing`` of them expire on ``lapse_on``) and 5 sales-trained people."""
    out = [holding(i, expires_on=lapse_on if i <= lapsing else None) for i in range(1, 11)]
    out += [holding(100 + i, Course.SELLERS_101) for i in range(5)]
    return out


def risk(holdings, revenue="250000"):
    return forecasts.tier_at_risk(holdings=holdings, revenue_usd=Decimal(revenue), agreement_accepted=True,
                                  requirements=REQUIREMENTS, today=TODAY)


def test_two_lapsing_certifications_of_ten_cost_silver_and_the_sentence_names_the_numbers():
    r = risk(silver_holdings(lapsing=2))
    assert (r.tier_if_renewed, r.tier_otherwise, r.recalculation_on) == ("silver", "bronze", date(2027, 1, 1))
    assert [lapse.person_name for lapse in r.lapses] == ["Person 1", "Person 2"]
    assert r.sentences() == [
        "2 of your 10 platform certifications expire before the 1 Jan 2027 recalculation; renew them by "
        "31 Dec 2026 or you will qualify for Bronze instead of Silver."
    ]


def test_no_risk_when_the_lapses_leave_enough_people_or_revenue_already_decides():
    holdings = silver_holdings(lapsing=2) + [holding(50), holding(51)]  # 12 certified, 10 after the lapses
    assert risk(holdings) is None
    assert risk(silver_holdings(lapsing=2), revenue="100000") is None  # Bronze by revenue either way


@pytest.mark.parametrize(("lapse_on", "at_risk"), [
    (date(2026, 12, 31), True),   # expires the day before the run: not counted on 1 January
    (date(2027, 1, 1), False),    # counts through its expiry day
    (date(2027, 3, 1), False),
])
def test_a_completion_counts_through_its_expiry_day(lapse_on, at_risk):
    assert (risk(silver_holdings(lapsing=1, lapse_on=lapse_on)) is not None) is at_risk


def test_a_renewal_already_on_file_is_not_a_lapse():
    holdings = silver_holdings(lapsing=1) + [holding(1, completed_on=date(2026, 11, 1))]
    assert risk(holdings) is None


def test_only_the_course_that_costs_the_tier_is_named():
    holdings = silver_holdings(lapsing=1)
    holdings += [holding(200, Course.SELLERS_101, expires_on=date(2026, 12, 20))]  # 6 trained, 5 after
    r = risk(holdings)
    assert [c.course for c in r.courses] == [Course.PLATFORM]
    assert r.sentences()[0].startswith("1 of your 10 platform certifications expires before")


def test_a_designated_partner_is_never_at_risk():
    assert forecasts.tier_at_risk(holdings=silver_holdings(lapsing=5), revenue_usd=Decimal("0"),
                                  agreement_accepted=True, requirements=REQUIREMENTS, today=TODAY,
                                  designated=True) is None


def test_pipeline_names_the_registration_that_reaches_the_next_tier():
    metrics = rules.Metrics(certified_technical=15, sales_trained=10, revenue_usd=Decimal("1000000") - 40000,
                            agreement_accepted=True)
    steps = forecasts.pipeline_to_tier(metrics=metrics, requirements=REQUIREMENTS, open_registrations=[
        ("DR-31", 31, Decimal("80000")), ("DR-32", 32, Decimal("10000")),
    ])
    assert [s.sentence() for s in steps] == [
        "If DR-31 is won at its estimated ARR of $80,000, you reach Gold (revenue $1,040,000 of $1,000,000)."
    ]


def test_pipeline_is_silent_when_people_are_missing_for_the_next_tier():
    metrics = rules.Metrics(certified_technical=12, sales_trained=10, revenue_usd=Decimal("960000"),
                            agreement_accepted=True)
    assert forecasts.pipeline_to_tier(metrics=metrics, requirements=REQUIREMENTS,
                                      open_registrations=[("DR-31", 31, Decimal("80000"))]) == []


@pytest.mark.parametrize(("days_left", "due"), [
    (61, None), (60, 60), (45, 60), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None),
])
def test_notice_due_is_the_smallest_threshold_not_yet_passed(days_left, due):
    assert forecasts.notice_due(expires_on=TODAY + timedelta(days=days_left), today=TODAY) == due


# --- Against the recalculation itself ------------------------------------------------------------------------

DEC_1 = date(2022, 12, 1)


@pytest.mark.django_db
def test_the_forecast_bronze_is_what_the_annual_run_computes(partner, partner_admin):
    add_people(partner, certified=8, both=2, completed_on=date(2022, 1, 10))  # 10 certified, 2 trained
    add_people(partner, trained=3, completed_on=date(2022, 1, 10))  # 5 trained
    # Two of the ten certified people's certifications expire on 15 December.
    from partners.models import Completion

    expiring = list(Completion.objects.filter(partner=partner, course=Course.PLATFORM).order_by("id")[:2])
    Completion.objects.filter(pk__in=[c.pk for c in expiring]).update(expires_on=date(2022, 12, 15))
    win(partner, "250000", date(2022, 6, 1))

    forecast = selectors.tier_risk(partner, today=DEC_1)
    assert (forecast.tier_if_renewed, forecast.tier_otherwise) == ("silver", "bronze")
    assert len(forecast.lapses) == 2

    run = services.run_preview(kind=rules.ANNUAL, as_of=forecast.recalculation_on)
    assessment = run.assessments.get(partner=partner)
    assert assessment.computed_tier == forecast.tier_otherwise == "bronze"


@pytest.mark.django_db
def test_the_forecast_is_empty_when_the_run_keeps_the_tier(partner, partner_admin):
    add_people(partner, certified=5, both=5, completed_on=date(2022, 1, 10), expires_on=date(2023, 6, 1))
    win(partner, "250000", date(2022, 6, 1))
    assert selectors.tier_risk(partner, today=DEC_1) is None
    run = services.run_preview(kind=rules.ANNUAL, as_of=date(2023, 1, 1))
    assert run.assessments.get(partner=partner).computed_tier == "silver"


@pytest.mark.django_db
def test_the_pipeline_forecast_gold_is_what_a_run_computes_once_the_deal_is_won(partner, partner_admin):
    from dealreg.models import DealRegistration

    add_people(partner, certified=5, both=10, completed_on=date(2022, 1, 10))  # 15 certified, 10 trained
    win(partner, "960000", date(2022, 6, 1))
    registration = DealRegistration.objects.create(
        partner=partner, submitted_by=partner_admin, customer_company="Initech", domain="initech.example",
        country="US", contact_name="Bill", contact_email="bill@initech.example", products=["flex"], use_case="IVR",
        estimated_arr_usd=Decimal("80000"), expected_close_date=date(2022, 12, 20),
        waiting_since=datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC),
    )
    standing = selectors.standing(partner, as_of=DEC_1)
    requirements = standing["requirements"]
    steps = selectors.pipeline_to_tier(partner, metrics=standing["metrics"], requirements=requirements)
    assert [(s.reference, s.reaches_tier) for s in steps] == [(registration.reference, "gold")]

    win(partner, "80000", DEC_1)  # won at its estimated ARR
    run = services.run_preview(kind=rules.MIDYEAR, as_of=DEC_1)
    assert run.assessments.get(partner=partner).computed_tier == "gold"


@pytest.mark.django_db
def test_tier_page_shows_both_forecasts(client, partner, partner_admin):
    from unittest import mock

    from dealreg.models import DealRegistration

    add_people(partner, certified=5, both=10, completed_on=date(2022, 1, 10))
    win(partner, "960000", date(2022, 6, 1))
    registration = DealRegistration.objects.create(
        partner=partner, submitted_by=partner_admin, customer_company="Initech", domain="initech.example",
        country="US", contact_name="Bill", contact_email="bill@initech.example", products=["flex"], use_case="IVR",
        estimated_arr_usd=Decimal("80000"), expected_close_date=date(2022, 12, 20),
        waiting_since=datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC),
    )
    client.force_login(partner_admin)
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2022, 12, 1, 9, tzinfo=datetime.UTC)):
        html = client.get("/tier/").content.decode()
    assert (f"If {registration.reference} is won at its estimated ARR of $80,000, you reach Gold "
            f"(revenue $1,040,000 of $1,000,000).") in html
    assert 'data-testid="tier-at-risk"' not in html


@pytest.mark.django_db
def test_tier_page_names_the_people_whose_lapse_costs_the_tier(client, partner, partner_admin):
    from unittest import mock

    people = add_people(partner, certified=3, both=5, completed_on=date(2022, 1, 10))
    lapsing = add_people(partner, certified=2, completed_on=date(2022, 1, 10), expires_on=date(2022, 12, 15))
    win(partner, "250000", date(2022, 6, 1))
    client.force_login(partner_admin)
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2022, 12, 1, 9, tzinfo=datetime.UTC)):
        html = client.get("/tier/").content.decode()
    assert ("2 of your 10 platform certifications expire before the 1 Jan 2023 recalculation; renew them by "
            "31 Dec 2022 or you will qualify for Bronze instead of Silver.") in html
    assert f"{lapsing[0].name}: expires 15 Dec 2022" in html and people[0].name not in html


def test_shortfall_words_use_the_singular_for_one():
    one = rules.TierRequirement("bronze", "Bronze", 2, min_certified_technical=1, min_sales_trained=1)
    metrics = rules.Metrics(certified_technical=0, sales_trained=0, revenue_usd=Decimal("0"), agreement_accepted=True)
    assert render_all(rules.shortfalls(one, metrics)) == ["Bronze needs 1 platform-certified technical person; you have 0.",
                                                          "Bronze needs 1 sales-trained person; you have 0."]


@pytest.mark.django_db
def test_each_open_registration_says_what_winning_it_does(client, partner, partner_admin):
    from unittest import mock

    from dealreg.models import DealRegistration

    add_people(partner, certified=5, both=10, completed_on=date(2022, 1, 10))
    win(partner, "960000", date(2022, 6, 1))
    registration = DealRegistration.objects.create(
        partner=partner, submitted_by=partner_admin, customer_company="Initech", domain="initech.example",
        country="US", contact_name="Bill", contact_email="bill@initech.example", products=["flex"], use_case="IVR",
        estimated_arr_usd=Decimal("80000"), expected_close_date=date(2022, 12, 20),
        waiting_since=datetime.datetime(2022, 12, 1, tzinfo=datetime.UTC),
    )
    client.force_login(partner_admin)
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2022, 12, 1, 9, tzinfo=datetime.UTC)):
        html = client.get(f"/deals/{registration.pk}/").content.decode()
    assert (f"If {registration.reference} is won at its estimated ARR of $80,000, you reach Gold "
            f"(revenue $1,040,000 of $1,000,000).") in html
