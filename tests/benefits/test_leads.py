"""Directory leads: a visitor writes to the partner of a published listing (page and API); the message reaches
the partner's admins through the outbox, is kept for the partner's users, is limited per address, and the
visitor never sees an admin's address."""

import pytest
from django.core import mail
from django.urls import reverse

from activity.models import Notification
from activity.services import notifications_send_email
from benefits.models import DirectoryLead
from benefits.throttles import LEAD_RATE
from partners.models import PartnerRole
from tests.factories import PartnerFactory, UserFactory

from .helpers import make_listing

pytestmark = pytest.mark.django_db

LIMIT = int(LEAD_RATE.split("/")[0])


def lead(**overrides):
    return {"name": "Vera Visitor", "email": "vera@customer.example", "company": "Customer Inc",
            "country": "gb", "message": "We need a Flex migration by March."} | overrides


@pytest.fixture
def listing(partner, partner_admin, partner_member):
    return make_listing(partner)


def page_url(partner):
    return reverse("benefits:listing", kwargs={"partner_id": partner.pk})


def api_url(partner):
    return reverse("api:directory_lead_create", kwargs={"partner_id": partner.pk})


def test_visitor_sends_a_message_that_reaches_the_admins_only(client, partner, partner_admin, partner_member, listing):
    second_admin = UserFactory(email="boss@acme.example", partner=partner, partner_role=PartnerRole.ADMIN)
    UserFactory(email="gone@acme.example", partner=partner, partner_role=PartnerRole.ADMIN, is_active=False)
    html = client.get(page_url(partner)).content.decode()
    assert 'id="contact"' in html and "Send message" in html
    response = client.post(page_url(partner), lead())
    assert response.status_code == 302 and response["Location"].endswith("#contact")
    saved = DirectoryLead.objects.get()
    assert (saved.partner, saved.name, saved.email, saved.country) == (partner, "Vera Visitor", "vera@customer.example", "GB")
    rows = Notification.objects.filter(kind="benefits_directory_lead")
    assert {r.recipient for r in rows} == {partner_admin, second_admin}  # not members, not inactive admins
    notifications_send_email(notification_ids=[r.pk for r in rows])
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"admin@acme.example", "boss@acme.example"}
    body = sent["admin@acme.example"].body
    assert "Vera Visitor (vera@customer.example) of Customer Inc sent a message" in body
    assert "Country: United Kingdom" in body and "We need a Flex migration by March." in body
    assert sent["admin@acme.example"].subject == "Vera Visitor wrote to Acme Consulting from the partner directory"
    # The visitor's next page names the partner, never an admin's address.
    after = client.get(page_url(partner)).content.decode()
    assert "Your message was sent to Acme Consulting" in after
    for private in ("admin@acme.example", "boss@acme.example", "member@acme.example"):
        assert private not in after


def test_api_creates_a_lead_anonymously_and_names_no_address(client, partner, listing):
    response = client.post(api_url(partner), lead(company=""), content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"detail": "Your message was sent to Acme Consulting. They will reply by email."}
    assert DirectoryLead.objects.get().company == ""
    assert Notification.objects.filter(kind="benefits_directory_lead").count() == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"email": "not-an-email"}, "email"), ({"name": ""}, "name"), ({"message": ""}, "message"),
    ({"message": "x" * 4001}, "message"), ({"country": "ZZ"}, "country"),
])
def test_bad_input_is_refused_field_by_field(client, partner, listing, overrides, field):
    page = client.post(page_url(partner), lead(**overrides))
    assert page.status_code == 400 and 'class="errorlist' in page.content.decode()
    api = client.post(api_url(partner), lead(**overrides), content_type="application/json")
    assert api.status_code == 400 and field in api.json()
    assert not DirectoryLead.objects.exists() and not Notification.objects.exists()


def test_unknown_fields_are_refused_in_the_api(client, partner, listing):
    response = client.post(api_url(partner), lead(partner=99), content_type="application/json")
    assert response.status_code == 400 and "partner" in response.json()


def test_only_published_listings_take_messages(client, partner, partner_admin):
    make_listing(partner, contact_email="")  # incomplete: not in the directory
    assert client.post(page_url(partner), lead()).status_code == 404
    assert client.post(api_url(partner), lead(), content_type="application/json").status_code == 404
    assert not DirectoryLead.objects.exists()


def test_messages_are_limited_per_address_across_page_and_api(client, partner, listing):
    other = make_listing(PartnerFactory(name="Beta Co", tier="gold"))
    for i in range(LIMIT):
        target = (page_url(partner), {}) if i % 2 else (api_url(other.partner), {"content_type": "application/json"})
        assert client.post(target[0], lead(), **target[1]).status_code in (201, 302)
    refused = client.post(page_url(partner), lead())
    assert refused.status_code == 429 and "Too many messages from your network" in refused.content.decode()
    api = client.post(api_url(other.partner), lead(), content_type="application/json")
    assert api.status_code == 429
    assert DirectoryLead.objects.count() == LIMIT
    # Another address is not affected.
    assert client.post(page_url(partner), lead(), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_invalid_posts_do_not_use_up_the_limit(client, partner, listing):
    for _ in range(LIMIT + 2):
        assert client.post(page_url(partner), lead(email="nope")).status_code == 400
    assert client.post(page_url(partner), lead()).status_code == 302


def test_partner_users_read_their_leads_newest_first(client, partner, partner_admin, partner_member, listing,
                                                     other_partner, other_partner_admin):
    DirectoryLead.objects.create(partner=partner, name="First", email="a@x.example", message="Hello")
    DirectoryLead.objects.create(partner=partner, name="Second", email="b@x.example", message="Again",
                                 country="DE")
    DirectoryLead.objects.create(partner=other_partner, name="Not yours", email="c@x.example", message="Hi")
    for user in (partner_admin, partner_member):
        client.force_login(user)
        html = client.get(reverse("benefits:leads")).content.decode()
        assert html.index("Second") < html.index("First") and "Not yours" not in html
        assert "Germany" in html
        body = client.get(reverse("api:directory_leads")).json()
        assert [r["name"] for r in body["results"]] == ["Second", "First"]
        assert body["results"][0]["country"] == "DE"
    client.force_login(other_partner_admin)
    assert [r["name"] for r in client.get(reverse("api:directory_leads")).json()["results"]] == ["Not yours"]
    assert "No messages yet." not in client.get(reverse("benefits:leads")).content.decode()


def test_leads_page_when_there_are_none(client, partner_admin):
    client.force_login(partner_admin)
    html = client.get(reverse("benefits:leads")).content.decode()
    assert "No messages yet." in html and "not published" in html
