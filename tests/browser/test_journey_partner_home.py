"""Journey: a Silver partner admin logs in and reads the home: tier progress, next steps that link to the
action (renew the two certifications that cost Silver, a deal about to expire), deals and pipeline ARR, MDF,
the PAM; at desktop (1280 px) and phone (390 px) width, where the table scrolls with a visible cue."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dealreg.models import DealRegistration, Opportunity
from funding import selectors as funding_selectors
from funding import services as funding_services
from partners.models import Completion, Course, PartnerRole, Person, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tests.tiers.conftest import win

from .conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_admin_reads_the_home_at_desktop_and_phone_width(page, shoot):
    today = timezone.localdate()
    program_admin = UserFactory(email="admin@vendor.example", staff_role=StaffRole.PROGRAM_ADMIN)
    pam = UserFactory(email="pam@vendor.example", full_name="Pat Manager", staff_role=StaffRole.PAM)
    partner = PartnerFactory(name="Silverline", domain="silverline.example", tier="silver", pam=pam)
    admin = UserFactory(email="admin@silverline.example", full_name="Sam Silver", partner=partner,
                        partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(partner, admin)
    for i in range(1, 11):  # 10 platform-certified, two lapse before 1 January
        person = Person.objects.create(partner=partner, name=f"Person {i}", email=f"p{i}@silverline.example")
        Completion.objects.create(person=person, course=Course.PLATFORM, completed_on=today - datetime.timedelta(days=300),
                                  expires_on=today + datetime.timedelta(days=12) if i > 8 else None)
        if i <= 5:
            Completion.objects.create(person=person, course=Course.SELLERS_101,
                                      completed_on=today - datetime.timedelta(days=300))
    win(partner, "250000", datetime.date(today.year, 1, 15))
    opportunity = Opportunity.objects.create(external_id="OPP-77", account_name="Initech", domain="initech.example",
                                             product_line="flex", arr_usd=Decimal("80000"))
    for i, (status, arr) in enumerate([("submitted", "40000"), ("approved", "80000"), ("rejected", "15000")]):
        DealRegistration.objects.create(
            partner=partner, submitted_by=admin, customer_company=f"Customer {i}", domain=f"c{i}.example",
            country="US", contact_name="C", contact_email=f"c@c{i}.example", products=["flex"], use_case="IVR",
            estimated_arr_usd=Decimal(arr), expected_close_date=today + datetime.timedelta(days=40),
            waiting_since=timezone.now(), status=status,
            expires_on=today + datetime.timedelta(days=10) if status == "approved" else None,
            approved_on=today if status == "approved" else None,
            opportunity=opportunity if status == "approved" else None,
        )
    funding_services.allocation_set(partner=partner, program_year=funding_selectors.current_program_year(),
                                    amount=Decimal("20000.00"), admin=program_admin, reason="Annual plan")

    log_in(page, "admin@silverline.example", PASSWORD)
    page.wait_for_url("**/partner/")
    cards = page.locator("[data-testid=next-steps] .card")
    titles = cards.locator(".card-title").all_inner_texts()
    assert any(t.startswith("Renew 2 certifications before 1 Jan") for t in titles), titles
    assert any(t.startswith("Deal DR-") and t.endswith("expires in 10 days") for t in titles), titles
    assert "or you will qualify for Bronze instead of Silver" in page.content()
    assert page.locator("[data-figure=pipeline-arr]").inner_text() == "$120,000"
    assert page.locator("[data-figure=mdf-remaining]").inner_text() == "$20,000"
    assert page.get_by_role("link", name="Email Pat Manager").get_attribute("href").startswith("mailto:pam@vendor.example")
    shoot(page, "desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator(".table-scroll-cue").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width} px)"
    shoot(page, "phone")

    # A next step links to its action: the roster, filtered to what expires soon.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    with page.expect_navigation():
        page.locator("[data-testid=next-steps] a", has_text="Update the roster").first.click()
    assert "/partner/people/" in page.url
