"""Login, password reset and the API are rate-limited (allauth's limits and DRF throttling)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_for_one_account_are_refused(client, partner_admin):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": partner_admin.email, "password": "wrong"})
        assert response.status_code == 200  # the form with an error
    response = client.post(reverse("account_login"), {"login": partner_admin.email, "password": "pw-for-tests-123"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session, "the correct password is refused while the account is rate-limited"


def test_password_reset_requests_are_limited(client, partner_admin):
    statuses = [
        client.post(reverse("account_reset_password"), {"email": partner_admin.email}).status_code for _ in range(8)
    ]
    assert 429 in statuses


def test_anonymous_api_requests_are_throttled(client, settings):
    statuses = [client.get("/api/v1/schema/").status_code for _ in range(70)]
    assert statuses[0] == 200
    assert 429 in statuses
