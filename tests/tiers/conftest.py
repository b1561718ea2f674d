import itertools
from datetime import date
from decimal import Decimal

import pytest

from dealreg.models import Opportunity, OpportunityPartner
from partners.models import Completion, Course, Person, TierLevel
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement, program_year_like_2022

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _program_year_2023(request):
    """The tier tests recalculate in 2022 (the guide's year) and on 1 January 2023 (the annual run on 2022's
    revenue): 2023 exists as a program admin makes it, a published copy of 2022."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("_program_year_of_today")
        program_year_like_2022(2023)


def add_people(partner, *, certified=0, trained=0, both=0, completed_on=date(2021, 6, 1), expires_on=None):
    """People with a current platform and/or Sellers 101 completion (``both`` people have the two)."""
    people = []
    for course, n in ((Course.PLATFORM, certified), (Course.SELLERS_101, trained), (None, both)):
        for _ in range(n):
            i = next(_seq)
            person = Person.objects.create(partner=partner, name=f"Person {i}", email=f"p{i}@{partner.domain}")
            for c in ([course] if course else [Course.PLATFORM, Course.SELLERS_101]):
                Completion.objects.create(person=person, course=c, completed_on=completed_on, expires_on=expires_on)
            people.append(person)
    return people


def win(partner, arr, close_date, *, attached_on=None, product_line=Opportunity.ProductLine.PLATFORM,
        stage=Opportunity.Stage.CLOSED_WON, source=OpportunityPartner.Source.SALES_TEAM):
    i = next(_seq)
    opportunity = Opportunity.objects.create(
        external_id=f"OPP-{i}", account_name=f"Customer {i}", domain=f"customer{i}.example",
        product_line=product_line, arr_usd=Decimal(arr), stage=stage, close_date=close_date,
    )
    OpportunityPartner.objects.create(opportunity=opportunity, partner=partner, source=source,
                                      attached_on=attached_on or close_date)
    return opportunity


def make_silver(partner, year=2022):
    """Enough for Silver in ``year`` (10 certified, 5 trained, $200,000)."""
    add_people(partner, certified=5, trained=0, both=5)
    win(partner, "200000", date(year, 6, 1))


def partners_moving_up(n):
    """``n`` partners with the agreement and enough people and revenue for Gold, all Registered today."""
    partners = []
    for i in range(n):
        partner = PartnerFactory(name=f"Climber {i}", tier=TierLevel.REGISTERED)
        accept_partner_agreement(partner, UserFactory(partner=partner, partner_role="admin"))
        add_people(partner, both=15)
        win(partner, "1000000", date(2022, 6, 1))
        partners.append(partner)
    return partners


@pytest.fixture
def as_of():
    return date(2023, 1, 1)
