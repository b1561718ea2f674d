"""A visitor on a phone (390 px) writes to a partner from its public listing, choosing the country by name;
the partner's admin reads the message on the leads page."""

import pytest

from benefits.models import DirectoryLead
from tests.benefits.helpers import make_listing

from .conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_contacts_a_partner_from_a_phone_and_the_admin_reads_it(page, shoot, partner, partner_admin):
    make_listing(partner)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/directory/{partner.pk}/")
    form = page.locator("#contact")
    assert form.get_by_role("heading", name="Contact Acme Consulting").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the listing scrolls sideways at phone width ({width} px)"
    form.scroll_into_view_if_needed()
    shoot(page, "directory-contact-phone")

    page.get_by_label("Your name").fill("Vera Visitor")
    page.get_by_label("Your email").fill("vera@customer.example")
    page.get_by_label("Country").select_option(label="United Kingdom")
    page.get_by_label("Message").fill("We need a Flex migration by March.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send message").click()
    assert "Your message was sent to Acme Consulting" in page.content()
    assert "admin@acme.example" not in page.content()
    assert DirectoryLead.objects.get().country == "GB"

    log_in(page, partner_admin.email, PASSWORD)
    page.goto("/showcase/leads/")
    assert page.get_by_text("Vera Visitor").is_visible() and page.get_by_text("United Kingdom").is_visible()
    shoot(page, "directory-leads-phone")
