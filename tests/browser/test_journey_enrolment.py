"""Journey 0: a company applies, verifies its email, logs in, accepts the partner agreement, is Registered."""

import re

import pytest
from django.core import mail

from partners.models import Partner

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_company_applies_verifies_and_becomes_registered(page, shoot):
    page.goto("/apply/")
    page.fill("input[name=company_name]", "Journey Consulting")
    page.fill("input[name=website]", "https://www.journey.example/about")
    page.select_option("select[name=country]", "NL")  # chosen from the list by name, stored as the code
    page.fill("input[name=full_name]", "Jo Journey")
    page.fill("input[name=email]", "jo@journey.example")
    page.fill("input[name=password]", "a-long-enough-passphrase")
    shoot(page, "apply")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/login/**")

    assert Partner.objects.get(domain="journey.example").tier == ""
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", page.url.split("/accounts")[0]))
    page.click("button[type=submit]")

    log_in(page, "jo@journey.example", "a-long-enough-passphrase")
    page.wait_for_url("**/agreements/")
    assert "must accept the" in page.content()
    shoot(page, "agreements")
    page.get_by_label("I accept the Partner agreement").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the Partner agreement").click()
    page.wait_for_selector("text=You accepted the Partner agreement")
    page.goto("/partner/")
    assert page.locator(".tier-badge").inner_text() == "Registered"
    shoot(page, "partner-home")
    assert Partner.objects.get(domain="journey.example").tier == "registered"
