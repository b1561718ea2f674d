"""allauth's pages (login, password reset, email verification, MFA) render inside the portal layout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["account_login", "account_reset_password", "account_email_verification_sent"])
def test_account_pages_use_the_portal_layout_with_bootstrap_fields(client, url_name):
    body = client.get(reverse(url_name)).content.decode()
    assert "bootstrap/css/bootstrap.min.css" in body and 'class="navbar' in body
    if url_name != "account_email_verification_sent":
        assert 'class="form-control' in body and 'class="btn btn-primary"' in body


def test_login_page_offers_no_open_sign_up(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "sign up" not in body.lower() and reverse("partners:apply") in body


def test_login_errors_are_shown(client, partner_admin):
    response = client.post(reverse("account_login"), {"login": partner_admin.email, "password": "wrong"})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_mfa_pages_use_the_portal_layout(client, partner_admin):
    client.force_login(partner_admin)
    body = client.get(reverse("mfa_index")).content.decode()
    assert 'class="navbar' in body and "card" in body
