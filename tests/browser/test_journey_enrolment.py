"""Journey 0: a company applies, verifies its email, logs in, accepts the partner agreement, is Registered.

In English, French and Japanese (the browser's language): the page's words come from our catalogs (t)."""

import re

import pytest
from django.core import mail
from django.utils import translation

from partners.models import Agreement, Partner

from .conftest import log_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_a_company_applies_verifies_and_becomes_registered(page, shoot, language):
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
    must_accept = t(language, "Your company must accept the <strong>partner agreement</strong> before it can use the "
                              "portal. Accepting it makes %(partner)s a Registered partner.", partner="Journey Consulting")
    assert must_accept.split("<")[0] in page.content()
    shoot(page, "agreements")
    with translation.override(language):  # the agreement's title is program data, written per language
        agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
        title = agreement.title
    page.get_by_label(t(language, "I accept the %(title)s, version %(version)s, on behalf of %(partner)s.",
                        title=title, version=agreement.version, partner="Journey Consulting")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=t(language, "Accept the %(title)s", title=title)).click()
    page.get_by_text(t(language, "You accepted the %(title)s.", title=title)).wait_for()
    page.goto("/partner/")
    assert page.locator(".tier-badge").inner_text() == "Registered"
    shoot(page, "partner-home")
    assert Partner.objects.get(domain="journey.example").tier == "registered"
