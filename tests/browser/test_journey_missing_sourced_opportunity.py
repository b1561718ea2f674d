"""Journey: a partner admin finds in a pipeline review a sale the sales system closed won without the partner,
registers it as a missing sourced opportunity (guide p.10), and the PAM sees it marked "already closed won on …"
with the ARR, approves it, and the partner reads that it counts towards its tier revenue."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dealreg.models import DealRegistration, Opportunity, OpportunityPartner
from partners.models import PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement

from .conftest import PASSWORD, log_in, log_in_staff, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_claims_a_missing_sourced_opportunity_and_the_pam_approves_it(page, shoot):
    pam = UserFactory(email="pam@vendor.example", full_name="Pat Manager", staff_role=StaffRole.PAM)
    acme = PartnerFactory(name="Acme Consulting", domain="acme.example", tier="silver", pam=pam)
    admin = UserFactory(email="admin@acme.example", partner=acme, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(acme, admin)
    closed = timezone.localdate() - datetime.timedelta(days=20)
    opportunity = Opportunity.objects.create(
        external_id="SF-0042", account_name="Initech", domain="initech.example", product_line="flex",
        arr_usd=Decimal("45000"), stage="closed_won", close_date=closed)

    log_in(page, "admin@acme.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/deals/")
    with page.expect_navigation():
        page.get_by_role("link", name="Register a missing sourced opportunity").click()
    page.fill("input[name=opportunity_id]", "SF-0042")
    page.fill("textarea[name=sourced_how]", "We ran the discovery workshop and designed the Flex rollout.")
    page.select_option("select[name=country]", "US")
    page.fill("input[name=contact_name]", "Bill Lumbergh")
    page.fill("input[name=contact_email]", "bill@initech.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit registration").click()
    page.wait_for_selector(".alert-success")
    claim = DealRegistration.objects.get(already_closed=True)
    assert page.locator("h1 ~ .badge", has_text="Missing sourced opportunity").count() == 1
    shoot(page, "partner-submitted")
    log_out(page)

    log_in_staff(page, "pam@vendor.example", PASSWORD)
    page.goto("/staff/deals/")
    row = page.locator("tr", has=page.get_by_role("link", name=claim.reference))
    assert f"already closed won on {closed:%d %b %Y}" in row.inner_text()
    assert "$45,000" in row.inner_text()  # the ARR in the one money format
    shoot(page, "pam-queue")
    page.goto(f"/deals/{claim.pk}/")
    assert f"Already closed won on {closed:%d %b %Y}" in page.locator("dl").inner_text()
    form = page.locator(f"form[action='/deals/{claim.pk}/decide/']")
    form.locator("select[name=decision]").select_option("approve")
    form.locator("textarea[name=reason]").fill("Confirmed with the account executive.")
    with page.expect_navigation():
        form.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=decision recorded and the partner notified")
    shoot(page, "pam-approved")
    claim.refresh_from_db()
    assert (claim.status, claim.closed_on) == ("won", closed)
    assert OpportunityPartner.objects.get(opportunity=opportunity, partner=acme).source == "sourced_claim"
    log_out(page)

    log_in(page, "admin@acme.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/notifications/")
    item = page.locator(".list-group-item", has_text=f"{claim.reference} approved")
    assert "It counts towards your tier revenue" in item.inner_text()
    page.goto(f"/deals/{claim.pk}/")
    assert page.locator("h1 ~ .badge").first.inner_text() == "Won"
    shoot(page, "partner-won")
