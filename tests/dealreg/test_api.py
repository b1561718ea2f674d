"""The deal registration API: same rules as the pages, 400 with field errors, 404 for outsiders."""

import datetime

import pytest
from django.urls import reverse

from dealreg import services
from dealreg.models import DealRegistration, Opportunity

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _body(**overrides):
    body = {
        "customer_company": "Globex Corporation", "website": "HTTPS://www.globex.example/", "country": "DE",
        "contact_name": "Hank", "contact_email": "hank@globex.example", "products": ["platform"],
        "use_case": "Voice", "estimated_arr_usd": "25000.00",
        "expected_close_date": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body


def test_partner_registers_through_the_api(client, partner_member):
    client.force_login(partner_member)
    response = client.post(reverse("api:dealreg-registrations"), _body(), content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert (data["domain"], data["status"], data["reference"]) == ("globex.example", "submitted", f"DR-{data['id']}")
    assert data["history"][0]["action"] == "submit"
    assert data["conflicts"] is None  # staff only


@pytest.mark.parametrize(("overrides", "field"), [
    ({"customer_company": None}, "customer_company"),
    ({"estimated_arr_usd": "0"}, "estimated_arr_usd"),
    ({"estimated_arr_usd": "abc"}, "estimated_arr_usd"),
    ({"estimated_arr_usd": "1.234"}, "estimated_arr_usd"),
    ({"expected_close_date": "2020-01-01"}, "expected_close_date"),
    ({"expected_close_date": "tomorrow"}, "expected_close_date"),
    ({"products": "flex"}, "products"),
    ({"products": []}, "products"),
    ({"country": "Germany"}, "country"),
    ({"country": "XX"}, "country"),
    ({"country": "UK"}, "country"),
    ({"country": 49}, "country"),
    ({"use_case": "x" * 4001}, "use_case"),
    ({"website": "nothing here"}, "website"),
])
def test_bad_input_is_a_400_with_field_errors(client, partner_member, overrides, field):
    client.force_login(partner_member)
    body = {k: v for k, v in _body(**overrides).items() if v is not None}
    response = client.post(reverse("api:dealreg-registrations"), body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()
    assert DealRegistration.objects.count() == 0


def test_mass_assignment_is_ignored(client, partner_member, other_partner):
    client.force_login(partner_member)
    response = client.post(reverse("api:dealreg-registrations"),
                           _body(status="approved", partner=other_partner.pk, expires_on="2099-01-01",
                                 final_arr_usd="9"), content_type=JSON)
    registration = DealRegistration.objects.get(pk=response.json()["id"])
    assert (registration.status, registration.partner_id, registration.expires_on, registration.final_arr_usd) == (
        "submitted", partner_member.partner_id, None, None)


def test_duplicate_is_a_400_naming_the_existing_registration(client, partner_member, registration):
    client.force_login(partner_member)
    response = client.post(reverse("api:dealreg-registrations"), _body(), content_type=JSON)
    assert response.status_code == 400
    assert registration.reference in response.json()["website"][0]


def test_another_partners_registration_is_404(client, other_partner_admin, registration):
    client.force_login(other_partner_admin)
    assert client.get(reverse("api:dealreg-registration", args=[registration.pk])).status_code == 404
    url = reverse("api:dealreg-withdraw", args=[registration.pk])
    assert client.post(url, {}, content_type=JSON).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_list_filters(client, partner_member, registration, submit, partner_admin):
    submit(partner_admin, website="hooli.example", customer_company="Hooli")
    client.force_login(partner_member)
    url = reverse("api:dealreg-registrations")
    assert client.get(url).json()["count"] == 2
    assert [r["customer_company"] for r in client.get(url, {"q": "hoo"}).json()["results"]] == ["Hooli"]
    assert client.get(url, {"status": "approved"}).json()["count"] == 0
    assert client.get(url, {"status": "bogus"}).status_code == 400


def test_pam_flow_through_the_api(client, pam, registration):
    client.force_login(pam)
    detail = client.get(reverse("api:dealreg-registration", args=[registration.pk])).json()
    assert detail["conflicts"] == {"other_partner": False, "existing_customer": False, "opportunity": False,
                                   "other_partner_attached": False}
    response = client.post(reverse("api:dealreg-approve", args=[registration.pk]), {"reason": "Good."},
                           content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = client.post(reverse("api:dealreg-win", args=[registration.pk]),
                           {"final_arr_usd": "30000.00", "closed_on": datetime.date.today().isoformat()},
                           content_type=JSON)
    assert response.json()["status"] == "won"
    assert Opportunity.objects.get().stage == "closed_won"


def test_impossible_transition_is_a_400_and_changes_nothing(client, pam, partner_admin, registration):
    services.registration_withdraw(registration=registration, user=partner_admin)
    client.force_login(pam)
    response = client.post(reverse("api:dealreg-approve", args=[registration.pk]), {"reason": "x"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You cannot approve a registration that is withdrawn."]}
    response = client.post(reverse("api:dealreg-win", args=[registration.pk]),
                           {"final_arr_usd": "1", "closed_on": "2022-01-01"}, content_type=JSON)
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == "withdrawn"


@pytest.mark.parametrize(("body", "field"), [
    ({"reason": "x"}, "reason_code"),
    ({"reason_code": "bored", "reason": "x"}, "reason_code"),
    ({"reason_code": "other"}, "reason"),
    ({"reason_code": "other", "reason": "x" * 2001}, "reason"),
])
def test_reject_needs_a_code_and_a_reason(client, pam, registration, body, field):
    client.force_login(pam)
    response = client.post(reverse("api:dealreg-reject", args=[registration.pk]), body, content_type=JSON)
    assert response.status_code == 400 and field in response.json()


def test_staff_who_submitted_cannot_decide_through_the_api(client, pam, partner):
    from .conftest import registration_data

    mine = services.registration_submit(partner=partner, submitted_by=pam, **registration_data())
    client.force_login(pam)
    response = client.post(reverse("api:dealreg-approve", args=[mine.pk]), {"reason": "x"}, content_type=JSON)
    assert response.status_code == 403


def test_queue_api(client, pam, registration, other_partner_admin, submit):
    submit(other_partner_admin)
    client.force_login(pam)
    data = client.get(reverse("api:dealreg-queue")).json()
    assert [r["id"] for r in data["results"]] == [registration.pk]
    assert data["results"][0]["conflicts"]["other_partner"] is True
    assert client.get(reverse("api:dealreg-queue"), {"status": "x"}).status_code == 400


def test_queue_api_counts_the_oldest_up_to_a_cap(client, pam, registration, partner_admin, submit, monkeypatch):
    from dealreg import api

    submit(partner_admin, website="second.example")
    submit(partner_admin, website="third.example")
    client.force_login(pam)
    data = client.get(reverse("api:dealreg-queue")).json()
    assert data["count"] == 3 and data["count_is_capped"] is False
    monkeypatch.setattr(api._QueuePaginator, "CAP", 2)
    data = client.get(reverse("api:dealreg-queue")).json()
    assert data["count"] == 2 and data["count_is_capped"] is True
    assert [r["id"] for r in data["results"]][0] == registration.pk  # the oldest first


def test_schema_documents_the_error_responses(client, program_admin):
    client.force_login(program_admin)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    approve = schema["paths"]["/api/v1/deal-registrations/{id}/approve/"]["post"]["responses"]
    assert {"200", "400", "403", "404"} <= set(approve)


def test_unknown_country_code_says_which_code_to_use(client, partner_member):
    client.force_login(partner_member)
    response = client.post(reverse("api:dealreg-registrations"), _body(country="uk"), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["country"] == ["UK is not an ISO 3166-1 country code; use GB."]
