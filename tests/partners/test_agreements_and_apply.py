"""Becoming a partner, accepting agreements, and the gate that holds an unregistered partner at /agreements/."""

import pytest
from django.urls import reverse

from activity.models import AuditEntry
from partners import services
from partners.models import Agreement, AgreementAcceptance, Partner, PartnerRole, User
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {"company_name": "Newco", "website": "https://www.newco.example/about", "country": "de",
               "partner_type": "si", "full_name": "Nia New", "email": "nia@newco.example",
               "password": "a-long-pass-phrase-9"}


def test_apply_creates_the_partner_and_its_first_admin(client):
    response = client.post(reverse("partners:apply"), APPLICATION)
    assert response.status_code == 302
    partner = Partner.objects.get(domain="newco.example")
    assert partner.country == "DE" and partner.tier == "" and partner.partner_type == "si"
    user = User.objects.get(email="nia@newco.example")
    assert user.partner == partner and user.partner_role == PartnerRole.ADMIN
    assert AuditEntry.objects.filter(action="partners.apply", partner_id=partner.pk).exists()


@pytest.mark.parametrize("changes, field", [
    ({"company_name": ""}, "company_name"),
    ({"website": "not a website"}, "website"),
    ({"country": "Germany"}, "country"),
    ({"country": "1"}, "country"),
    ({"partner_type": "resell"}, "partner_type"),  # resell is invite-only
    ({"email": "nope"}, "email"),
    ({"password": "short"}, "password"),
    ({"password": "password123"}, "password"),
    ({"company_name": "x" * 201}, "company_name"),
])
def test_apply_bad_input(client, changes, field):
    response = client.post(reverse("partners:apply"), {**APPLICATION, **changes})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Partner.objects.filter(name="Newco").exists() and not User.objects.filter(email="nia@newco.example").exists()


def test_apply_duplicate_domain_and_duplicate_email(client, partner, partner_admin):
    same_domain = client.post(reverse("partners:apply"), {**APPLICATION, "website": "http://ACME.example"})
    assert "already enrolled" in same_domain.context["form"].errors["website"][0]
    # Duplicate email: see tests/security/test_apply_enumeration.py (answered as a new address).
    assert Partner.objects.count() == 1


@pytest.fixture
def newcomer(db):
    partner = PartnerFactory(name="Newcomer", domain="newcomer.example", tier="", tier_since=None)
    return UserFactory(email="admin@newcomer.example", partner=partner, partner_role=PartnerRole.ADMIN)


@pytest.mark.parametrize("url_name", ["partners:home", "partners:people", "partners:colleagues",
                                      "activity:notifications", "home"])
def test_unregistered_partner_pages_redirect_to_agreements(client, newcomer, url_name):
    client.force_login(newcomer)
    response = client.get(reverse(url_name), follow=True)
    assert response.redirect_chain[-1][0] == reverse("partners:agreements")


@pytest.mark.parametrize("url_name", ["api:my_partner", "api:person_list", "api:notification_list"])
def test_unregistered_partner_api_is_403_except_agreements(client, newcomer, url_name):
    client.force_login(newcomer)
    assert client.get(reverse(url_name)).status_code == 403
    assert client.get(reverse("api:agreement_list")).status_code == 200


def test_accepting_the_partner_agreement_on_the_page_registers_and_records_ip(client, newcomer):
    client.force_login(newcomer)
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    client.post(reverse("partners:agreements"), {"agreement": agreement.pk}, REMOTE_ADDR="203.0.113.7")
    acceptance = AgreementAcceptance.objects.get(partner=newcomer.partner)
    assert acceptance.accepted_by == newcomer and acceptance.ip_address == "203.0.113.7"
    newcomer.partner.refresh_from_db()
    assert newcomer.partner.tier == "registered"
    assert client.get(reverse("partners:home")).status_code == 200


def test_members_cannot_accept(client, partner, partner_member):
    client.force_login(partner_member)
    agreement = Agreement.objects.get(kind=Agreement.Kind.SEGMENT, is_current=True)
    assert client.post(reverse("partners:agreements"), {"agreement": agreement.pk}).status_code == 403
    response = client.post(reverse("api:agreement_accept", args=[agreement.pk]))
    assert response.status_code == 403
    assert not AgreementAcceptance.objects.filter(agreement=agreement).exists()


def test_api_lists_agreements_with_acceptance_and_accepts(client, partner, partner_admin):
    client.force_login(partner_admin)
    listed = {a["kind"]: a for a in client.get(reverse("api:agreement_list")).json()}
    assert listed["partner"]["accepted"] is True and listed["segment"]["accepted"] is False
    assert listed["segment"]["may_accept"] is True and listed["resell_addendum"]["may_accept"] is False
    response = client.post(reverse("api:agreement_accept", args=[listed["segment"]["id"]]), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 201 and response.json()["accepted_by"] == partner_admin.email
    assert AgreementAcceptance.objects.get(agreement_id=listed["segment"]["id"]).ip_address == "198.51.100.1"


def test_resell_addendum_needs_an_invitation_to_the_resell_program(client, partner, partner_admin, pam):
    client.force_login(partner_admin)
    addendum = Agreement.objects.get(kind=Agreement.Kind.RESELL_ADDENDUM, is_current=True)
    response = client.post(reverse("api:agreement_accept", args=[addendum.pk]))
    assert response.status_code == 400 and "invite-only" in response.json()["non_field_errors"][0]
    page = client.get(reverse("partners:agreements"))
    assert b"Only for partners invited to the resell program" in page.content
    # The benefits app calls this when a PAM invites the partner (tests/benefits/test_resell_path.py).
    services.resell_invitation_set(partner=partner, invited=True, actor=pam, reason="Resell pilot")
    assert client.post(reverse("api:agreement_accept", args=[addendum.pk])).status_code == 201
    partner.refresh_from_db()
    assert partner.partner_type == "resell"


def test_accept_unknown_or_old_agreement_is_404(client, partner_admin):
    client.force_login(partner_admin)
    assert client.post(reverse("api:agreement_accept", args=[999999])).status_code == 404
    assert client.post(reverse("partners:agreements"), {"agreement": "abc"}).status_code == 404
