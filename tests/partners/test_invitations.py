"""Colleague invitations: invite, accept through the emailed link, list, revoke, remove (page and API)."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from activity.models import AuditEntry, Notification
from activity.services import notifications_send_email
from partners import services
from partners.models import Invitation, PartnerRole, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link_token(invitee_email):
    """Send the outbox row (as the Celery task would) and read the token from the emailed link."""
    row = Notification.objects.get(to_email=invitee_email)
    notifications_send_email(notification_ids=[row.pk])
    body = mail.outbox[-1].body
    return re.search(r"/invitations/([\w-]+)/", body).group(1)


def test_partner_admin_invites_a_colleague_on_the_page(admin_client, partner, partner_admin):
    response = admin_client.post(reverse("partners:invite", args=[partner.pk]),
                                 {"email": "New.Colleague@Acme.example", "role": "member"})
    assert response.status_code == 302 and response["Location"] == reverse("partners:colleagues")
    invitation = Invitation.objects.get()
    assert invitation.email == "new.colleague@acme.example"
    assert invitation.partner == partner and invitation.invited_by == partner_admin
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert AuditEntry.objects.filter(action="partners.invitation_create", partner_id=partner.pk).count() == 1
    token = _link_token("new.colleague@acme.example")
    assert mail.outbox[-1].to == ["new.colleague@acme.example"]
    assert len(token) > 30 and invitation.token_hash != token  # only a hash is stored
    page = admin_client.get(reverse("partners:colleagues"))
    assert b"new.colleague@acme.example" in page.content


def test_the_invitee_sets_name_and_password_and_joins_with_a_verified_email(client, partner, partner_admin):
    services.invitation_create(partner=partner, email="joiner@acme.example", role=PartnerRole.ADMIN,
                               invited_by=partner_admin)
    token = _link_token("joiner@acme.example")
    url = reverse("partners:invitation_accept", args=[token])
    assert b"Join Acme Consulting" in client.get(url).content
    response = client.post(url, {"full_name": "Jo Iner", "password": "a-long-pass-phrase-9",
                                 "password_again": "a-long-pass-phrase-9"})
    assert response.status_code == 302
    user = User.objects.get(email="joiner@acme.example")
    assert user.partner == partner and user.partner_role == PartnerRole.ADMIN and user.full_name == "Jo Iner"
    assert EmailAddress.objects.get(user=user).verified
    assert Invitation.objects.get().accepted_user == user
    # Logged in straight away, and the link cannot be used twice.
    assert client.get(reverse("partner_home")).status_code == 200
    client.logout()
    again = client.get(url)
    assert again.status_code == 404 and b"already used" in again.content
    assert Notification.objects.filter(recipient=partner_admin, subject__contains="joined").exists()


@pytest.mark.parametrize("data, field, message", [
    ({"full_name": "", "password": "a-long-pass-phrase-9", "password_again": "a-long-pass-phrase-9"}, "full_name",
     "This field is required"),
    ({"full_name": "J", "password": "short", "password_again": "short"}, "password", "too short"),
    ({"full_name": "J", "password": "a-long-pass-phrase-9", "password_again": "other-pass-phrase-9"}, "password_again",
     "differ"),
    ({"full_name": "x" * 151, "password": "a-long-pass-phrase-9", "password_again": "a-long-pass-phrase-9"},
     "full_name", "at most 150"),
])
def test_bad_input_when_joining_is_shown_next_to_the_field(client, partner, partner_admin, data, field, message):
    _invitation, token = services.invitation_create(partner=partner, email="j@acme.example", role="member",
                                                    invited_by=partner_admin)
    response = client.post(reverse("partners:invitation_accept", args=[token]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email="j@acme.example").exists()


def test_expired_revoked_and_unknown_links_do_not_work(client, partner, partner_admin):
    invitation, token = services.invitation_create(partner=partner, email="late@acme.example", role="member",
                                                   invited_by=partner_admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(reverse("partners:invitation_accept", args=[token]),
                           {"full_name": "Late", "password": "a-long-pass-phrase-9", "password_again": "a-long-pass-phrase-9"})
    assert response.status_code == 404 and b"expired" in response.content
    assert client.get(reverse("partners:invitation_accept", args=["nope" * 10])).status_code == 404
    assert not User.objects.filter(email="late@acme.example").exists()
    # An expired invitation does not block a new one to the same address.
    _new, new_token = services.invitation_create(partner=partner, email="late@acme.example", role="member",
                                                 invited_by=partner_admin)
    assert client.get(reverse("partners:invitation_accept", args=[new_token])).status_code == 200


def test_duplicate_email_gets_a_clear_error(admin_client, partner, partner_admin, other_partner_admin):
    url = reverse("partners:invite", args=[partner.pk])
    response = admin_client.post(url, {"email": other_partner_admin.email.upper(), "role": "member"})
    assert "already exists" in response.context["form"].errors["email"][0]
    admin_client.post(url, {"email": "twice@acme.example", "role": "member"})
    response = admin_client.post(url, {"email": "Twice@acme.example", "role": "admin"})
    assert "open invitation" in response.context["form"].errors["email"][0]
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("data, field", [
    ({"email": "", "role": "member"}, "email"),
    ({"email": "not-an-email", "role": "member"}, "email"),
    ({"email": "a@b.example", "role": "owner"}, "role"),
    ({"email": ("x" * 250) + "@b.example", "role": "member"}, "email"),
])
def test_bad_invitation_input(admin_client, partner, data, field):
    response = admin_client.post(reverse("partners:invite", args=[partner.pk]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert Invitation.objects.count() == 0


def test_program_admin_invites_for_any_partner(client, program_admin, other_partner):
    client.force_login(program_admin)
    response = client.post(reverse("partners:invite", args=[other_partner.pk]), {"email": "x@other.example",
                                                                                 "role": "admin"})
    assert response["Location"] == reverse("staff:partner", args=[other_partner.pk])
    assert Invitation.objects.get().partner == other_partner


def test_revoke_an_invitation(admin_client, partner, partner_admin):
    invitation, token = services.invitation_create(partner=partner, email="r@acme.example", role="member",
                                                   invited_by=partner_admin)
    admin_client.post(reverse("partners:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == partner_admin
    assert list(admin_client.get(reverse("partners:colleagues")).context["invitations"]) == []
    admin_client.logout()
    assert b"revoked" in admin_client.get(reverse("partners:invitation_accept", args=[token])).content
    assert AuditEntry.objects.filter(action="partners.invitation_revoke").exists()


def test_remove_a_colleague_deactivates_the_account(admin_client, partner_member, client):
    response = admin_client.post(reverse("partners:colleague_remove", args=[partner_member.pk]))
    assert response.status_code == 302
    partner_member.refresh_from_db()
    assert not partner_member.is_active
    assert AuditEntry.objects.get(action="partners.colleague_remove").before["is_active"] is True


def test_the_last_partner_admin_cannot_be_removed(client, program_admin, partner_admin, partner):
    client.force_login(program_admin)
    response = client.post(reverse("partners:colleague_remove", args=[partner_admin.pk]), follow=True)
    assert "last partner admin" in response.content.decode()
    partner_admin.refresh_from_db()
    assert partner_admin.is_active
    second = UserFactory(partner=partner, partner_role=PartnerRole.ADMIN)
    client.post(reverse("partners:colleague_remove", args=[partner_admin.pk]))
    partner_admin.refresh_from_db()
    assert not partner_admin.is_active
    response = client.post(reverse("partners:colleague_remove", args=[second.pk]), follow=True)
    assert "last partner admin" in response.content.decode()


def test_an_admin_cannot_remove_themself(admin_client, partner_admin):
    response = admin_client.post(reverse("partners:colleague_remove", args=[partner_admin.pk]), follow=True)
    assert "cannot remove yourself" in response.content.decode()


# --- API -------------------------------------------------------------------------------------------

def test_api_invite_list_revoke(admin_api, partner):
    url = reverse("api:invitation_list", args=[partner.pk])
    response = admin_api.post(url, {"email": "api@acme.example", "role": "admin"}, format="json")
    assert response.status_code == 201 and response.json()["role"] == "admin"
    listed = admin_api.get(url).json()
    assert [i["email"] for i in listed] == ["api@acme.example"]
    revoked = admin_api.post(reverse("api:invitation_revoke", args=[listed[0]["id"]]))
    assert revoked.status_code == 200
    assert admin_api.get(url).json() == []


@pytest.mark.parametrize("data, field", [
    ({}, "email"),
    ({"email": "x@y.example", "role": "owner"}, "role"),
    ({"email": ["x@y.example"], "role": "member"}, "email"),
    ({"email": "admin@other.example", "role": "member"}, "email"),
])
def test_api_invitation_bad_input(admin_api, partner, other_partner_admin, data, field):
    response = admin_api.post(reverse("api:invitation_list", args=[partner.pk]), data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Invitation.objects.count() == 0


def test_api_mass_assignment_cannot_pick_the_partner(admin_api, partner, other_partner):
    response = admin_api.post(reverse("api:invitation_list", args=[partner.pk]),
                              {"email": "m@acme.example", "role": "member", "partner": other_partner.pk,
                               "expires_at": "2099-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert invitation.partner == partner and invitation.expires_at.year < 2099


def test_api_accept_and_remove(api, partner, partner_admin):
    _invitation, token = services.invitation_create(partner=partner, email="apijoin@acme.example", role="member",
                                                    invited_by=partner_admin)
    bad = api.post(reverse("api:invitation_accept"), {"token": token, "full_name": "A", "password": "123"},
                   format="json")
    assert bad.status_code == 400 and "password" in bad.json()
    wrong = api.post(reverse("api:invitation_accept"), {"token": "x" * 40, "full_name": "A",
                                                        "password": "a-long-pass-phrase-9"}, format="json")
    assert wrong.status_code == 400 and "no longer valid" in wrong.json()["non_field_errors"][0]
    ok = api.post(reverse("api:invitation_accept"), {"token": token, "full_name": "Api Joiner",
                                                     "password": "a-long-pass-phrase-9"}, format="json")
    assert ok.status_code == 201 and ok.json()["role"] == "member"
    api.force_authenticate(partner_admin)
    colleagues = api.get(reverse("api:colleague_list", args=[partner.pk])).json()
    joined = next(c for c in colleagues if c["email"] == "apijoin@acme.example")
    assert api.post(reverse("api:colleague_remove", args=[joined["id"]])).status_code == 200
    last = api.post(reverse("api:colleague_remove", args=[partner_admin.pk]))
    assert last.status_code == 400


def test_colleague_list_query_count_does_not_grow(admin_api, partner, django_assert_max_num_queries):
    url = reverse("api:colleague_list", args=[partner.pk])
    with django_assert_max_num_queries(6):
        admin_api.get(url)
    for _ in range(20):
        UserFactory(partner=partner, partner_role=PartnerRole.MEMBER)
    with django_assert_max_num_queries(6):
        assert len(admin_api.get(url).json()) == 21


def test_inviting_outside_the_company_domain_asks_for_confirmation(client, partner_admin):
    client.force_login(partner_admin)
    url = reverse("partners:invite", args=[partner_admin.partner_id])
    response = client.post(url, {"email": "friend@gmail.com", "role": "member"})
    html = response.content.decode()
    assert "friend@gmail.com is not an address at acme.example" in html
    assert 'type="checkbox" name="confirm_outside"' in html
    assert not Invitation.objects.filter(email="friend@gmail.com").exists()
    client.post(url, {"email": "friend@gmail.com", "role": "member", "confirm_outside": "on"})
    assert Invitation.objects.filter(email="friend@gmail.com").exists()
    client.post(url, {"email": "colleague@eu.acme.example", "role": "member"})
    assert Invitation.objects.filter(email="colleague@eu.acme.example").exists()


def test_the_api_asks_the_same(client, partner_admin):
    client.force_login(partner_admin)
    url = reverse("api:invitation_list", args=[partner_admin.partner_id])
    refused = client.post(url, {"email": "friend@gmail.com", "role": "member"}, content_type="application/json")
    assert refused.status_code == 400 and "is not an address at" in refused.json()["email"][0]
    ok = client.post(url, {"email": "friend@gmail.com", "role": "member", "confirm": True},
                     content_type="application/json")
    assert ok.status_code == 201
