"""Two-factor authentication is required for every staff role before any staff page (DESIGN.md §5)."""

import pytest
from django.urls import reverse

from partners.models import StaffRole
from tests.factories import PartnerUserFactory, UserFactory, activate_totp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [StaffRole.PAM, StaffRole.PSA, StaffRole.PROGRAM_ADMIN])
def test_staff_without_mfa_are_sent_to_set_it_up(client, role):
    user = UserFactory(staff_role=role, mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": "pw-for-tests-123"})
    response = client.get(reverse("partners:staff_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before changing two-factor settings, then shows the set-up page.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": "pw-for-tests-123"}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [StaffRole.PAM, StaffRole.PSA, StaffRole.PROGRAM_ADMIN])
def test_staff_without_mfa_get_403_from_the_api(client, role):
    user = UserFactory(staff_role=role, mfa=False)
    client.force_login(user)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 403
    assert b"two-factor" in response.content  # in the schema's own format (YAML unless JSON is asked for)


def test_staff_with_mfa_reach_staff_pages(client):
    user = UserFactory(staff_role=StaffRole.PAM, mfa=False)
    activate_totp(user)
    client.force_login(user)
    assert client.get(reverse("partners:staff_home")).status_code == 200


def test_login_of_staff_with_mfa_asks_for_a_code(client):
    user = UserFactory(staff_role=StaffRole.PAM)
    response = client.post(reverse("account_login"), {"login": user.email, "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in until the code is given.
    assert "_auth_user_id" not in client.session


def test_mfa_is_optional_for_partner_users(client, partner_admin):
    client.force_login(partner_admin)
    assert client.get(reverse("partners:home")).status_code == 200


def test_partner_user_without_mfa_can_log_in_with_a_password(client):
    user = PartnerUserFactory()
    from tests.factories import accept_partner_agreement

    accept_partner_agreement(user.partner, user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
