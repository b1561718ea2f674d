"""No input reaches a 500, over real HTTP as the attacks were made: control characters in any field are a
400 naming the field (pages and API, one middleware); optional fields are optional; bad query values
are 400 with field errors; no credentials on the API is a 401 that says how to authenticate."""

import pytest
import requests

from partners.models import Invitation, PartnerRole

from .http import logged_in, token_header

pytestmark = pytest.mark.django_db(transaction=True)


def test_nul_in_a_query_is_a_400_naming_the_field(live_server, people):
    base = live_server.url
    answer = requests.get(f"{base}/api/v1/deal-registrations/?q=%00", headers=token_header(people.partner_admin),
                          timeout=10)
    assert answer.status_code == 400, answer.text[:300]
    assert "q" in answer.json()
    page = logged_in(live_server, people.pam).get(f"{base}/staff/deals/?q=abc%00def", timeout=10)
    assert page.status_code == 400
    assert "<strong>q</strong>" in page.text and "control characters" in page.text
    # Other control characters are refused too; tab and newline are text, and bytes that are not UTF-8
    # (here an encoded surrogate) are read as the replacement character.
    for value, expected in (("%01", 400), ("%1B", 400), ("%7F", 400), ("%ED%A0%80", 200)):
        answer = requests.get(f"{base}/api/v1/deal-registrations/?q=a{value}",
                              headers=token_header(people.partner_admin), timeout=10)
        assert answer.status_code == expected, value
    answer = requests.get(f"{base}/api/v1/deal-registrations/?q=a%09b%0Ac",
                          headers=token_header(people.partner_admin), timeout=10)
    assert answer.status_code == 200


def test_nul_in_a_body_field_is_a_400_naming_the_field_and_writes_nothing(live_server, people):
    base = live_server.url
    headers = token_header(people.partner_admin)
    url = f"{base}/api/v1/partners/{people.partner.pk}/invitations/"
    answer = requests.post(url, headers=headers, json={"email": "a\u0000b@acme.example"}, timeout=10)
    assert answer.status_code == 400
    assert answer.json() == {"email": ["Remove the control characters (such as NUL) from this field."]}
    # Nested JSON is named by its path; a lone surrogate (which PostgreSQL cannot store either) is refused.
    answer = requests.post(url, headers={**headers, "Content-Type": "application/json"},
                           data='{"email": "x@acme.example", "extra": {"names": ["ok", "\\ud800"]}}', timeout=10)
    assert answer.status_code == 400
    assert list(answer.json()) == ["extra.names.1"]
    # A form on a page.
    session = logged_in(live_server, people.partner_admin)
    page = session.post(f"{base}/partner/people/new/", data={"name": "Ann\x00", "email": "ann@acme.example"},
                        timeout=10)
    assert page.status_code == 400
    assert "<strong>name</strong>" in page.text
    assert not Invitation.objects.filter(email__startswith="a").exclude(email="invitee@acme.example").exists()


def test_invitation_without_role_invites_a_member(live_server, people):
    answer = requests.post(f"{live_server.url}/api/v1/partners/{people.partner.pk}/invitations/",
                           headers=token_header(people.partner_admin), json={"email": "new.colleague@acme.example"},
                           timeout=10)
    assert answer.status_code == 201, answer.text
    assert answer.json()["role"] == PartnerRole.MEMBER


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/deal-registrations/?status=", "status"),
    ("/api/v1/deal-registrations/?status=nonsense", "status"),
    ("/api/v1/deal-registrations/?page=", "page"),
    ("/api/v1/deal-registrations/?page=-1", "page"),
    ("/api/v1/notifications/?unread=-5", "unread"),
    ("/api/v1/notifications/?page=", "page"),
    ("/api/v1/funding/requests/?status=", "status"),
    ("/api/v1/funding/requests/?program=nope", "program"),
])
def test_invalid_query_values_are_400_with_field_errors(live_server, people, url, field):
    answer = requests.get(f"{live_server.url}{url}", headers=token_header(people.partner_admin), timeout=10)
    assert answer.status_code == 400, answer.text[:300]
    assert field in answer.json()


def test_queue_filters_are_validated(live_server, people):
    headers = token_header(people.pam)
    base = live_server.url
    assert requests.get(f"{base}/api/v1/deal-registrations/queue/?overdue=maybe", headers=headers,
                        timeout=10).status_code == 400
    assert requests.get(f"{base}/api/v1/deal-registrations/queue/?overdue=true&status=approved", headers=headers,
                        timeout=10).status_code == 200


def test_no_credentials_is_401_with_www_authenticate(live_server):
    answer = requests.get(f"{live_server.url}/api/v1/partner/", timeout=10)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Token"
    answer = requests.get(f"{live_server.url}/api/v1/partner/", headers={"Authorization": "Token nonsense"}, timeout=10)
    assert answer.status_code == 401


def test_schema_says_pam_and_psa_may_be_null(live_server):
    schema = requests.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=10).json()
    partner = schema["components"]["schemas"]["Partner"]["properties"]
    for name in ("pam", "psa"):
        field = partner[name]
        assert field.get("nullable") or any(option.get("type") == "null" for option in field.get("oneOf", [])), field
