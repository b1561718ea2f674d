"""Deal hygiene: customers a registration cannot name (free mail, the vendor, the partner itself) are refused
with the reason; unusual figures ask for confirmation; every error shows at once, on the page and in the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dealreg import rules
from dealreg.models import DealRegistration, DealRegistrationLimits, ExcludedCustomerDomain

from .conftest import registration_data

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = registration_data(**overrides)
    data["expected_close_date"] = data["expected_close_date"].isoformat()
    return data


@pytest.mark.parametrize(("website", "words"), [
    ("gmail.com", "gmail.com is a free email provider"),
    ("https://mail.Yahoo.com/inbox", "mail.yahoo.com is a free email provider"),
    ("twilio.com", "twilio.com is the vendor's own domain"),
    ("www.acme.example", "acme.example is your own company's domain"),
    ("eu.acme.example", "eu.acme.example is your own company's domain"),
])
def test_a_customer_that_cannot_be_registered_is_refused_with_the_reason(partner_admin, submit, website, words):
    with pytest.raises(ValidationError) as error:
        submit(partner_admin, website=website)
    assert words in error.value.message_dict["website"][0]
    assert not DealRegistration.objects.exists()


def test_the_free_mail_list_is_seeded_and_editable(partner_admin, submit):
    assert ExcludedCustomerDomain.objects.filter(reason="free_mail", domain__in=["gmail.com", "outlook.com"]).count() == 2
    ExcludedCustomerDomain.objects.create(domain="globex.example", reason="free_mail")
    with pytest.raises(ValidationError):
        submit(partner_admin)
    ExcludedCustomerDomain.objects.filter(domain="globex.example").delete()
    assert submit(partner_admin).domain == "globex.example"


def test_the_page_shows_every_error_at_once_on_the_first_submit(client, partner_admin):
    client.force_login(partner_admin)
    data = form_data(website="gmail.com", country="ZZ",
                     expected_close_date=timezone.localdate() - datetime.timedelta(days=1))
    data["contact_email"] = "not-an-email"
    response = client.post(reverse("dealreg:create"), data)
    form = response.context["form"]
    assert set(form.errors) >= {"website", "country", "expected_close_date", "contact_email"}
    assert "free email provider" in form.errors["website"][0]
    assert not DealRegistration.objects.exists()


def test_an_arr_above_the_ceiling_asks_for_confirmation_with_a_tick(client, partner_admin):
    client.force_login(partner_admin)
    DealRegistrationLimits.objects.create(year=timezone.localdate().year, confirm_arr_above_usd=Decimal("500000"))
    data = form_data(estimated_arr_usd="999999999.99")
    response = client.post(reverse("dealreg:create"), data)
    html = response.content.decode()
    assert "An estimated ARR above $500,000 is unusual" in html
    assert 'type="checkbox" name="confirm"' in html
    assert not DealRegistration.objects.exists()
    response = client.post(reverse("dealreg:create"), {**data, "confirm": "on"})
    assert response.status_code == 302
    assert DealRegistration.objects.get().estimated_arr_usd == Decimal("999999999.99")


def test_a_close_date_more_than_18_months_out_asks_for_confirmation(client, partner_admin):
    client.force_login(partner_admin)
    far = rules.add_months(timezone.localdate(), 18) + datetime.timedelta(days=1)
    html = client.post(reverse("dealreg:create"), form_data(expected_close_date=far)).content.decode()
    assert "more than 18 months away" in html
    near = rules.add_months(timezone.localdate(), 18)
    assert client.post(reverse("dealreg:create"), form_data(expected_close_date=near)).status_code == 302


def test_an_ordinary_registration_shows_no_tick(client, partner_admin):
    client.force_login(partner_admin)
    html = client.get(reverse("dealreg:create")).content.decode()
    assert 'type="checkbox" name="confirm"' not in html


def test_the_api_gives_the_same_field_errors_at_once(client, partner_admin):
    client.force_login(partner_admin)
    data = form_data(website="twilio.com", country="ZZ", estimated_arr_usd="5000000")
    data["contact_email"] = "nope"
    response = client.post(reverse("api:dealreg-registrations"), data, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"website", "country", "estimated_arr_usd", "contact_email"}
    assert "vendor's own domain" in body["website"][0]
    assert "unusual" in body["estimated_arr_usd"][0]
    ok = client.post(reverse("api:dealreg-registrations"), {**form_data(estimated_arr_usd="5000000"), "confirm": True},
                     content_type="application/json")
    assert ok.status_code == 201, ok.json()


def test_add_months_keeps_the_day_or_the_month_end():
    assert rules.add_months(datetime.date(2026, 8, 31), 18) == datetime.date(2028, 2, 29)
    assert rules.add_months(datetime.date(2026, 12, 1), 18) == datetime.date(2028, 6, 1)
