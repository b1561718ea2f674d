"""The partner's benefits page and GET /api/v1/benefits/."""

import datetime

import pytest
from django.urls import reverse

from benefits.models import Benefit, BenefitInvitation
from partners.models import Course
from tests.factories import CompletionFactory, PersonFactory, benefit_of_this_year

pytestmark = pytest.mark.django_db


def statuses(client):
    response = client.get(reverse("api:benefits"))
    assert response.status_code == 200
    return {b["code"]: b for b in response.json()["benefits"]}


def test_page_lists_every_benefit_with_glossary_and_status(client, partner_member):
    client.force_login(partner_member)
    response = client.get(reverse("benefits:benefits"))
    html = response.content.decode()
    assert response.status_code == 200
    year = benefit_of_this_year("poc-cofunding").program_year
    for benefit in Benefit.objects.filter(program_year=year):
        assert f'id="benefit-{benefit.code}"' in html
    assert "The proof-of-concept program co-invests cash" in html  # glossary text
    assert 'id="benefit-engagement-center" data-status="from_tier"' in html
    assert "Available from Gold." in html
    assert 'id="benefit-resell-program" data-status="invite_only"' in html
    assert "ask your partner account manager" in html


def test_a_partner_without_a_pam_is_told_who_may_invite_it(client, partner_member):
    partner = partner_member.partner
    partner.pam = None
    partner.save(update_fields=["pam"])
    client.force_login(partner_member)
    html = client.get(reverse("benefits:benefits")).content.decode()
    assert 'id="benefit-resell-program" data-status="invite_only"' in html
    assert "any PAM or program admin of the program team may invite it" in html
    assert "ask your partner account manager" not in html
    assert "may invite it." in statuses(client)["resell-program"]["explanation"]


def test_quantities_from_the_tier_cells(client, partner_member, set_tier):
    client.force_login(partner_member)
    result = statuses(client)
    assert result["contact-center-licenses"]["quantity"] == 5  # Silver
    assert result["contact-center-licenses"]["quantity_text"] == "5 free named-user Flex licences for internal use"
    assert result["flex-implementation-offering"]["quantity_text"] == (
        "Up to 5 free Flex licences per customer implementation")
    set_tier(partner_member.partner, "gold")
    assert statuses(client)["contact-center-licenses"]["quantity"] == 10


def test_partner_support_program_needs_the_support_addendum(client, partner_admin, accept):
    client.force_login(partner_admin)
    support = statuses(client)["partner-support-program"]
    assert support["status"] == "gated"
    assert support["missing"] == ["the partner support addendum"]
    accept(partner_admin.partner, "support_addendum", partner_admin)
    assert statuses(client)["partner-support-program"]["status"] == "included"


def test_segment_promotion_needs_a_current_certification_and_the_agreement(client, partner_admin, accept):
    client.force_login(partner_admin)
    partner = partner_admin.partner
    assert len(statuses(client)["segment-promotion"]["missing"]) == 2
    person = PersonFactory(partner=partner)
    # An expired certification does not count.
    CompletionFactory(person=person, course=Course.SEGMENT_SALES, completed_on=datetime.date(2020, 1, 1),
                      expires_on=datetime.date(2021, 1, 1))
    accept(partner, "segment", partner_admin)
    segment = statuses(client)["segment-promotion"]
    assert segment["status"] == "gated"
    assert segment["missing"] == ["a current Segment sales certification on your people roster"]
    CompletionFactory(person=person, course=Course.SEGMENT_SALES, completed_on=datetime.date(2022, 2, 1),
                      expires_on=None)
    assert statuses(client)["segment-promotion"]["status"] == "included"


def test_resell_needs_invitation_and_resell_addendum(client, partner_admin, pam, accept):
    client.force_login(partner_admin)
    partner = partner_admin.partner
    assert statuses(client)["resell-program"]["status"] == "invite_only"
    BenefitInvitation.objects.create(benefit=benefit_of_this_year("resell-program"), partner=partner,
                                     invited_by=pam, reason="Resell pilot")
    resell = statuses(client)["resell-program"]
    assert resell["status"] == "gated"
    assert resell["invitation"]["invited_by"] == pam.full_name
    assert resell["missing"] == ["the resell addendum"]
    accept(partner, "resell_addendum", partner_admin)
    assert statuses(client)["resell-program"]["status"] == "invited"


def test_another_partners_invitation_does_not_count(client, partner_admin, other_partner, other_pam):
    BenefitInvitation.objects.create(benefit=benefit_of_this_year("partner-solution-architect"),
                                     partner=other_partner, invited_by=other_pam, reason="r")
    client.force_login(partner_admin)
    assert statuses(client)["partner-solution-architect"]["status"] == "invite_only"


@pytest.mark.parametrize("n", [1, 8])
def test_api_query_count_does_not_grow(client, partner_admin, pam, django_assert_max_num_queries, n):
    partner = partner_admin.partner
    for i in range(n):
        CompletionFactory(person=PersonFactory(partner=partner), course=Course.SEGMENT_SALES,
                          completed_on=datetime.date(2022, 1, 1 + i), expires_on=None)
        BenefitInvitation.objects.create(benefit=benefit_of_this_year("partner-solution-architect"),
                                         partner=partner, invited_by=pam, reason="r",
                                         withdrawn_at=datetime.datetime(2022, 1, 2, tzinfo=datetime.UTC))
    client.force_login(partner_admin)
    # session + user + agreement gate (partner) + 7 for the overview
    with django_assert_max_num_queries(11):
        assert client.get(reverse("api:benefits")).status_code == 200
