"""The partner home (/partner/): tier progress, next steps that link to the action, deals by status with
the pipeline ARR, the MDF allocation, the PAM; read-only for members; query count constant with data size."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dealreg.models import DealRegistration
from partners.models import Agreement, Completion, Course, Partner, PartnerRole, Person
from tests.factories import UserFactory

TODAY = datetime.date(2022, 12, 1)
NOW = datetime.datetime(2022, 12, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def add_people(partner, n, *, course=Course.PLATFORM, expires_on=None, start=0):
    for i in range(start, start + n):
        person = Person.objects.create(partner=partner, name=f"Person {i}", email=f"p{i}-{course}@{partner.domain}")
        Completion.objects.create(person=person, course=course, completed_on=datetime.date(2022, 1, 10),
                                  expires_on=expires_on)


def add_registration(partner, user, i, *, status=DealRegistration.Status.SUBMITTED, arr="50000", expires_on=None,
                     opportunity=None):
    return DealRegistration.objects.create(
        partner=partner, submitted_by=user, customer_company=f"Customer {i}", domain=f"customer{i}.example",
        country="US", contact_name="C", contact_email=f"c@customer{i}.example", products=["flex"], use_case="IVR",
        estimated_arr_usd=Decimal(arr), expected_close_date=TODAY + datetime.timedelta(days=60), waiting_since=NOW,
        status=status, expires_on=expires_on, approved_on=TODAY if expires_on else None,
        opportunity=opportunity,
    )


def get_home(client, user):
    client.force_login(user)
    response = client.get(reverse("partner_home"))
    assert response.status_code == 200
    return response


def test_home_shows_progress_to_the_next_tier_with_the_people_still_missing(client, partner_admin):
    add_people(partner_admin.partner, 12)
    html = get_home(client, partner_admin).content.decode()
    assert "Progress to <strong>Gold</strong>" in html
    assert "12 of 15" in html
    assert "Add 3 platform-certified people for Gold" in html
    assert "Add 10 sales-trained people for Gold" in html
    assert reverse("partners:people") in html


def test_plural_is_right_for_one_person(client, partner_admin):
    add_people(partner_admin.partner, 14)
    add_people(partner_admin.partner, 9, course=Course.SELLERS_101)
    html = get_home(client, partner_admin).content.decode()
    assert "Add 1 platform-certified person for Gold" in html
    assert "Add 1 sales-trained person for Gold" in html


def test_an_si_partner_is_never_offered_the_invite_only_resell_addendum(client, partner_admin):
    assert partner_admin.partner.partner_type == Partner.PartnerType.SI
    html = get_home(client, partner_admin).content.decode()
    resell = Agreement.objects.get(kind=Agreement.Kind.RESELL_ADDENDUM, is_current=True)
    support = Agreement.objects.get(kind=Agreement.Kind.SUPPORT_ADDENDUM, is_current=True)
    assert f"Accept the {support.title}" in html
    assert resell.title not in html


def test_a_partner_invited_to_resell_is_offered_the_resell_addendum(client, partner_admin):
    Partner.objects.filter(pk=partner_admin.partner_id).update(resell_invited=True)
    resell = Agreement.objects.get(kind=Agreement.Kind.RESELL_ADDENDUM, is_current=True)
    assert f"Accept the {resell.title}" in get_home(client, partner_admin).content.decode()


def test_tier_at_risk_names_the_people_and_links_to_the_roster(client, partner_admin):
    partner = partner_admin.partner
    add_people(partner, 8)
    add_people(partner, 2, expires_on=datetime.date(2022, 12, 15), start=8)
    add_people(partner, 5, course=Course.SELLERS_101, start=20)
    from tests.tiers.conftest import win

    win(partner, "250000", datetime.date(2022, 6, 1))
    html = get_home(client, partner_admin).content.decode()
    assert "Renew 2 certifications before 1 Jan 2023" in html
    assert ("2 of your 10 platform certifications expire before the 1 Jan 2023 recalculation; renew them by "
            "31 Dec 2022 or you will qualify for Bronze instead of Silver.") in html
    assert "Person 8 (15 Dec 2022)" in html and "Person 9 (15 Dec 2022)" in html


def test_deals_by_status_with_pipeline_arr_and_an_expiring_deal_as_a_next_step(client, partner_admin):
    partner = partner_admin.partner
    add_registration(partner, partner_admin, 1, arr="40000")
    add_registration(partner, partner_admin, 2, status=DealRegistration.Status.REJECTED, arr="99000")
    from dealreg.models import Opportunity

    opportunity = Opportunity.objects.create(external_id="OPP-X", account_name="Customer 3", domain="customer3.example",
                                             product_line="flex", arr_usd=Decimal("10000"))
    approved = add_registration(partner, partner_admin, 3, status=DealRegistration.Status.APPROVED, arr="10000.50",
                                expires_on=TODAY + datetime.timedelta(days=10), opportunity=opportunity)
    html = get_home(client, partner_admin).content.decode()
    assert 'data-figure="pipeline-arr">$50,000.50<' in html
    assert "2 registrations, estimated ARR" in html
    assert f"Deal DR-{approved.pk} expires in 10 days" in html
    assert reverse("dealreg:detail", args=[approved.pk]) in html


def test_pam_has_a_contact_link(client, partner_admin):
    html = get_home(client, partner_admin).content.decode()
    assert f"mailto:{partner_admin.partner.pam.email}" in html


def test_member_sees_the_same_read_only_with_the_admins_named(client, partner_member, partner_admin):
    partner_admin.full_name = "Ada Admin"
    partner_admin.save()
    html = get_home(client, partner_member).content.decode()
    assert "your partner admins (Ada Admin)" in html
    assert "Read it" in html and "Read and accept" not in html


def test_member_of_an_unregistered_partner_is_told_the_admins_names(client, db):
    partner = Partner.objects.create(name="New Co", domain="new.example", website="https://new.example", country="US")
    UserFactory(email="boss@new.example", full_name="Grace Boss", partner=partner, partner_role=PartnerRole.ADMIN)
    member = UserFactory(email="m@new.example", partner=partner, partner_role=PartnerRole.MEMBER)
    client.force_login(member)
    response = client.get(reverse("partners:agreements"))
    assert "Ask your partner admin (Grace Boss) to accept it." in response.content.decode()


def _count_home_queries(client, user):
    client.force_login(user)
    client.get(reverse("partner_home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("partner_home")).status_code == 200
    return len(ctx.captured_queries)


def test_home_query_count_does_not_grow_with_the_data(client, partner_admin):
    partner = partner_admin.partner
    add_people(partner, 2)
    add_registration(partner, partner_admin, 1)
    small = _count_home_queries(client, partner_admin)
    add_people(partner, 30, start=100)
    add_people(partner, 8, expires_on=datetime.date(2022, 12, 20), start=200)
    add_people(partner, 20, course=Course.SELLERS_101, start=300)
    for i in range(2, 30):
        add_registration(partner, partner_admin, i)
    large = _count_home_queries(client, partner_admin)
    assert large == small, (small, large)
    assert timezone.localdate() == TODAY


def test_accepting_an_agreement_needs_the_explicit_tick(client, partner_admin):
    support = Agreement.objects.get(kind=Agreement.Kind.SUPPORT_ADDENDUM, is_current=True)
    client.force_login(partner_admin)
    response = client.post(reverse("partners:agreements"), {"agreement": support.pk}, follow=True)
    assert "Tick “I accept the" in response.content.decode()
    assert not partner_admin.partner.acceptances.filter(agreement=support).exists()
    client.post(reverse("partners:agreements"), {"agreement": support.pk, "i_accept": "yes"})
    assert partner_admin.partner.acceptances.filter(agreement=support).exists()


def test_agreements_page_shows_the_full_text_of_the_version(client, partner_admin):
    support = Agreement.objects.get(kind=Agreement.Kind.SUPPORT_ADDENDUM, is_current=True)
    client.force_login(partner_admin)
    html = client.get(reverse("partners:agreements")).content.decode()
    assert support.body in html
    assert f"I accept the {support.title}, version {support.version}" in html


def test_api_gives_the_same_home_with_display_strings(client, partner_admin):
    partner = partner_admin.partner
    add_people(partner, 8)
    add_people(partner, 2, expires_on=datetime.date(2022, 12, 15), start=8)
    add_people(partner, 5, course=Course.SELLERS_101, start=20)
    from tests.tiers.conftest import win

    win(partner, "250000", datetime.date(2022, 6, 1))
    add_registration(partner, partner_admin, 1, arr="40000.50")
    client.force_login(partner_admin)
    body = client.get(reverse("api:partner_home")).json()
    assert body["tier"] == "silver" and body["next_tier"] == "gold"
    assert body["tier_at_risk"]["tier_otherwise"] == "bronze"
    assert [lapse["person"] for lapse in body["tier_at_risk"]["lapses"]] == ["Person 8", "Person 9"]
    assert body["pipeline_arr_usd"] == "40000.50" and body["pipeline_arr_display"] == "$40,000.50"
    assert body["as_of_display"] == "1 Dec 2022"
    assert body["next_steps"][0]["title"].startswith("Renew 2 certifications")  # the most urgent first
    assert any(step["title"].startswith("Accept the") for step in body["next_steps"])
    assert not any("Resell" in step["title"] for step in body["next_steps"])
    assert body["pam"]["email"] == partner.pam.email
