"""Metrics gathered set-based on PostgreSQL: people counts and revenue attribution (dealreg/revenue.py)."""

from datetime import date
from decimal import Decimal

from dealreg.models import Opportunity, OpportunityPartner
from dealreg.revenue import revenue_by_partner
from partners.models import Completion, Course
from tests.factories import PartnerFactory, accept_partner_agreement
from tiers import rules, selectors

from .conftest import add_people, win


def test_revenue_counts_closed_won_attached_on_or_before_close(partner):
    win(partner, "1000", date(2022, 3, 1), attached_on=date(2022, 2, 1))
    win(partner, "2000", date(2022, 3, 1), attached_on=date(2022, 3, 1))  # on the close date: counts
    win(partner, "4000", date(2022, 3, 1), attached_on=date(2022, 3, 2))  # after the close: does not
    assert revenue_by_partner(start=date(2022, 1, 1), end=date(2022, 12, 31)) == {partner.pk: Decimal("3000.00")}


def test_professional_services_open_and_lost_never_count(partner):
    win(partner, "1000", date(2022, 3, 1), product_line=Opportunity.ProductLine.PROFESSIONAL_SERVICES)
    win(partner, "2000", date(2022, 3, 1), stage=Opportunity.Stage.CLOSED_LOST)
    win(partner, "4000", date(2022, 3, 1), stage=Opportunity.Stage.OPEN)
    win(partner, "8000", date(2022, 3, 1), product_line=Opportunity.ProductLine.FLEX,
        source=OpportunityPartner.Source.DEAL_REGISTRATION)
    assert revenue_by_partner(start=date(2022, 1, 1), end=date(2022, 12, 31)) == {partner.pk: Decimal("8000.00")}


def test_window_bounds_are_inclusive_and_prior_year_differs_from_trailing_365(partner):
    win(partner, "1", date(2021, 12, 31))
    win(partner, "10", date(2022, 1, 1))
    win(partner, "100", date(2022, 12, 31))
    win(partner, "1000", date(2023, 1, 1))
    annual = rules.revenue_window(rules.ANNUAL, date(2023, 1, 1))
    assert revenue_by_partner(start=annual[0], end=annual[1])[partner.pk] == Decimal("110")
    midyear = rules.revenue_window(rules.MIDYEAR, date(2023, 1, 1))  # 2 Jan 2022 .. 1 Jan 2023
    assert revenue_by_partner(start=midyear[0], end=midyear[1])[partner.pk] == Decimal("1100")


def test_one_opportunity_counts_for_every_partner_attached_in_time(partner, other_partner):
    opportunity = win(partner, "5000", date(2022, 5, 1))
    OpportunityPartner.objects.create(opportunity=opportunity, partner=other_partner, attached_on=date(2022, 4, 1))
    assert revenue_by_partner(start=date(2022, 1, 1), end=date(2022, 12, 31)) == {
        partner.pk: Decimal("5000"), other_partner.pk: Decimal("5000")}


def test_people_are_counted_distinct_with_a_current_completion_on_the_as_of_date(partner):
    [twice] = add_people(partner, certified=1)
    Completion.objects.create(person=twice, course=Course.PLATFORM, completed_on=date(2022, 2, 1))  # a second one
    add_people(partner, both=2)  # one person may count in both columns
    add_people(partner, certified=1, expires_on=date(2022, 12, 31))  # expired before 1 Jan 2023
    add_people(partner, certified=1, expires_on=date(2023, 1, 1))  # counts through its expiry date
    add_people(partner, trained=1, completed_on=date(2023, 1, 2))  # completed after the as-of date
    add_people(partner, certified=1)
    counts = selectors.people_counts(as_of=date(2023, 1, 1))
    assert counts[partner.pk] == (5, 2)


def test_segment_certification_is_not_a_platform_certification(partner):
    [person] = add_people(partner, certified=0, trained=1)
    Completion.objects.create(person=person, course=Course.SEGMENT_SALES, completed_on=date(2022, 1, 1))
    assert selectors.people_counts(as_of=date(2023, 1, 1))[partner.pk] == (0, 1)


def test_metrics_for_partners_without_any_data_are_zero(partner):
    lonely = PartnerFactory()
    metrics = selectors.metrics_by_partner(kind=rules.ANNUAL, as_of=date(2023, 1, 1), partner_ids={lonely.pk})
    assert metrics[lonely.pk] == rules.Metrics(0, 0, Decimal("0"), False)


def test_a_runs_reads_come_straight_from_the_driver_as_decimals_and_ints(partner, partner_admin):
    """A run reads its rows without Django's converters (core.rows): revenue still a Decimal to the cent and
    the people counts ints, as the rules compare them with the requirements."""
    other = PartnerFactory()
    win(partner, "1000.50", date(2022, 3, 1))
    win(other, "7", date(2022, 5, 1))
    add_people(partner, certified=2, both=1)
    add_people(other, trained=1)
    accept_partner_agreement(partner, partner_admin)
    as_of = date(2023, 1, 1)
    sources = selectors.metric_sources(kind=rules.ANNUAL, as_of=as_of)
    assert sources.revenue == {partner.pk: Decimal("1000.50"), other.pk: Decimal("7.00")}
    assert sources.people == {partner.pk: (3, 1), other.pk: (0, 1)}
    assert sources.agreed == {partner.pk}
    assert all(type(v) is Decimal for v in sources.revenue.values())
    assert all(type(n) is int for counts in sources.people.values() for n in counts)


def test_no_partners_read_no_metrics(partner):
    win(partner, "1000", date(2022, 3, 1))
    assert selectors.metrics_by_partner(kind=rules.ANNUAL, as_of=date(2023, 1, 1), partner_ids=set()) == {}
