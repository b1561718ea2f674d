"""Journey: a PAM opens the staff home on a book of a hundred partners, follows a worklist line to a
partner 360, the charts render as pictures, and the page works at phone width."""

import pytest

from build_portal.demo_book import build_book
from partners.models import Partner, StaffRole
from tests.factories import UserFactory

from .conftest import PASSWORD, log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pam_works_the_book_from_the_worklist_and_opens_a_partner_360(page, shoot):
    pam = UserFactory(email="pam@vendor.example", full_name="Pat PAM", staff_role=StaffRole.PAM)
    UserFactory(email="admin@vendor.example", full_name="Ada Admin", staff_role=StaffRole.PROGRAM_ADMIN)
    build_book(size=100)
    assert Partner.objects.filter(pam=pam).exists()

    log_in_staff(page, "pam@vendor.example", PASSWORD)
    page.goto("/staff/")
    page.wait_for_selector("h2:has-text('Deal registrations to review')")
    assert page.locator("#h-promotion").is_visible() and page.locator("#h-risk").is_visible()
    # The tier-mix chart is an SVG picture that loaded (no script, no CDN).
    chart = page.locator("img.chart").first
    chart.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle())
    shoot(page, "staff-home")

    first = page.locator("section[aria-labelledby=h-deals] li a[href^='/staff/partners/']").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    page.wait_for_selector(f"h1:has-text('{name}')")
    for heading in ("Tier standing", "Deal registrations", "Funding", "People and certifications"):
        assert page.get_by_role("heading", name=heading).first.is_visible()
    shoot(page, "partner-360")

    page.get_by_role("link", name="Full tier standing").click()
    page.wait_for_selector("text=tier standing")
    assert "Included in your tier" not in page.content()
    page.get_by_role("link", name=f"← {name}").click()
    page.wait_for_selector(f"h1:has-text('{name}')")

    page.goto("/staff/reports/")
    page.wait_for_selector("h2:has-text('Deal registrations by month')")
    for img in page.locator("img.chart").all():
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", img.element_handle())
    shoot(page, "reports-charts")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/staff/")
    page.wait_for_selector("#h-deals")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "staff-home-phone")
