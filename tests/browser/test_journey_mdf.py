"""Journey 3: a Silver partner requests MDF, its PAM approves a lower amount, the partner claims with a PDF
after the activity, the PAM approves the claim, a program admin marks it paid with a payment reference, and
the remaining allocation is right on the partner's pages.

The activity is a one-day webinar held today: the form accepts a start of today (funding is approved before
the work starts), and a claim is allowed from the activity's last day, so every step goes through the UI.

In English, French and Japanese (the browser's language): words from our catalogs (t), amounts as the
portal formats them in that language (usd).
"""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from activity.models import Notification
from core.formatting import day, money
from funding import selectors, services
from funding.models import Claim, FundingRequest, LedgerEntry
from partners.models import PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tests.funding.conftest import PDF

from .conftest import PASSWORD, log_in, log_in_staff, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure(page, name):
    return page.locator(f"[data-figure={name}]").first.inner_text().strip()


def usd(language, amount):
    with translation.override(language):
        return money(Decimal(amount))


def act(page, action, fields, button, done):
    """Fill and post one action form of a request's detail page, then wait for its confirmation."""
    form = page.locator(f"form[action$='/{action}/']")
    for selector, value in fields.items():
        form.locator(selector).fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()
    page.locator(".alert-success", has_text=done).wait_for()


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_silver_partner_requests_mdf_claims_and_is_paid(page, open_page, shoot, tmp_path, language):
    program_admin = UserFactory(email="admin@vendor.example", full_name="Ada Admin", staff_role=StaffRole.PROGRAM_ADMIN)
    pam = UserFactory(email="pam@vendor.example", full_name="Pat Manager", staff_role=StaffRole.PAM)
    partner = PartnerFactory(name="Silverline", domain="silverline.example", tier="silver", pam=pam)
    admin = UserFactory(email="admin@silverline.example", full_name="Sam Silver", partner=partner,
                        partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(partner, admin)
    program_year = selectors.current_program_year()
    services.allocation_set(partner=partner, program_year=program_year, amount=Decimal("20000.00"),
                            admin=program_admin, reason="Annual plan")
    today = timezone.localdate()
    proof = tmp_path / "webinar-invoice.pdf"
    proof.write_bytes(PDF)

    # The partner requests MDF for a webinar held today.
    log_in(page, "admin@silverline.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/funding/")
    assert figure(page, "allocated") == usd(language, "20000") and figure(page, "remaining") == usd(language, "20000")
    page.goto("/funding/mdf/new/")
    page.select_option("select[name=activity_type]", "virtual_event")
    page.fill("input[name=title]", "Flex migration webinar")
    page.fill("textarea[name=description]", "A live webinar for contact-centre leads on moving to Flex.")
    page.fill("input[name=starts_on]", str(today))
    page.fill("input[name=ends_on]", str(today))
    page.fill("input[name=total_cost]", "10000")
    page.fill("input[name=requested_amount]", "5000")
    shoot(page, "mdf-form")
    with page.expect_navigation():
        page.get_by_role("button", name=t(language, "Submit", "button: send the form"), exact=True).click()
    fr = FundingRequest.objects.get(partner=partner)
    page.locator(".alert-success", has_text=t(
        language, "%(reference)s submitted. Your partner account manager will review it.", reference=fr.reference,
    )).wait_for()
    assert (fr.program, fr.status, fr.requested_amount) == ("mdf", "submitted", Decimal("5000.00"))
    assert page.locator("h1").inner_text() == f"{fr.reference} · Flex migration webinar"

    # The PAM approves less than requested.
    pam_page = open_page()
    log_in_staff(pam_page, "pam@vendor.example", PASSWORD)
    pam_page.goto("/funding/queue/")
    pam_page.get_by_role("link", name=fr.reference).first.click()
    pam_page.wait_for_url(f"**/funding/requests/{fr.pk}/")
    shoot(pam_page, "pam-review")
    act(pam_page, "approve", {"input[name=approved_amount]": "4000",
                              "textarea[name=reason]": "Approved for one webinar; the print budget is not covered."},
        t(language, "Approve", "verb: decide a request"), t(language, "Request approved."))
    fr.refresh_from_db()
    assert (fr.status, fr.approved_amount) == ("approved", Decimal("4000.00"))

    # The partner sees the decision and claims with the actual cost and a PDF.
    page.goto("/notifications/")
    assert page.locator(".list-group-item", has_text=fr.reference).count() >= 1
    page.goto(f"/funding/requests/{fr.pk}/")
    assert usd(language, "4000") in page.locator("dl").first.inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=t(language, "Submit a claim")).click()
    page.fill("input[name=actual_cost]", "7000")
    page.fill("textarea[name=notes]", "120 attendees; invoice attached.")
    page.set_input_files("input[name=files]", str(proof))
    shoot(page, "claim-form")
    with page.expect_navigation():
        page.get_by_role("button", name=t(language, "Submit the claim")).click()
    page.locator(".alert-success", has_text=t(language, "Claim submitted. Your partner account manager will review it.")
                 ).wait_for()
    assert page.get_by_role("link", name="webinar-invoice.pdf").count() == 1
    fr.refresh_from_db()
    claim = Claim.objects.get(request=fr)
    assert fr.status == "claim_submitted" and claim.actual_cost == Decimal("7000.00")
    assert [f.original_name for f in claim.files.all()] == ["webinar-invoice.pdf"]

    # The PAM approves the claim: at most the approved amount and 50% of the actual cost (USD 3,500).
    pam_page.reload()
    cap = pam_page.locator("input[name=claim-approved_amount]")
    assert Decimal(cap.input_value()) == Decimal("3500.00")
    shoot(pam_page, "claim-review")
    act(pam_page, "claim/approve", {"textarea[name=claim-reason]": "Invoice matches the approved webinar."},
        t(language, "Approve the claim"), t(language, "Claim approved."))
    fr.refresh_from_db()
    claim.refresh_from_db()
    assert (fr.status, claim.approved_amount) == ("claim_approved", Decimal("3500.00"))

    # A program admin marks it paid with the payment reference.
    admin_page = open_page()
    log_in_staff(admin_page, "admin@vendor.example", PASSWORD)
    admin_page.goto(f"/funding/requests/{fr.pk}/")
    act(admin_page, "claim/pay", {"input[name=payment_reference]": "PAY-2026-0042"}, t(language, "Mark paid"),
        t(language, "Claim marked paid."))
    fr.refresh_from_db()
    claim.refresh_from_db()
    assert fr.status == "paid" and claim.payment_reference == "PAY-2026-0042" and claim.paid_at
    with translation.override(language):
        paid = t(language, "%(on)s, reference %(reference)s", on=day(claim.paid_at), reference="PAY-2026-0042")
    proof_card = admin_page.locator(".card", has=admin_page.get_by_role("heading", name=t(language, "Proof of performance")))
    assert paid in proof_card.inner_text()
    admin_page.goto(f"/funding/partners/{partner.pk}/")
    assert figure(admin_page, "remaining") == usd(language, "16500")
    shoot(admin_page, "staff-partner-funding")

    # The partner's page: 20,000 allocated; 4,000 approved of which 500 returned; 3,500 paid; 16,500 remaining.
    page.goto("/funding/")
    shown = {name: figure(page, name) for name in ("allocated", "approved", "paid", "returned", "remaining")}
    assert shown == {"allocated": usd(language, "20000"), "approved": usd(language, "3500"),
                     "paid": usd(language, "3500"), "returned": usd(language, "500"),
                     "remaining": usd(language, "16500")}
    shoot(page, "partner-funding")
    figures = selectors.ledger_figures(partner=partner, program_year=program_year, program="mdf")
    assert figures.remaining == Decimal("16500.00") and figures.paid == Decimal("3500.00")
    assert set(LedgerEntry.objects.filter(request=fr).values_list("kind", flat=True)) >= {
        "approved", "claim_approved", "paid", "returned"}
    assert Notification.objects.filter(recipient=admin, subject__contains=fr.reference).count() >= 3
