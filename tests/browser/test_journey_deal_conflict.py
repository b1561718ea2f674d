"""Journey 2: a partner member registers a deal; a second partner registers the same customer; the PAM sees
the conflict, approves the first and rejects the second with a reason; the partners see the decisions and
the notifications.

The second partner does not see the first partner's registration (docs/dealreg.md: conflict details concern
other partners), so "sees the conflict" is the rejection it is told about: duplicate, with the PAM's reason.

In English, French and Japanese (the browser's language): the page's words come from our catalogs (t, label);
what people typed (the PAM's reasons, the customer's name) stays as they typed it.
"""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst

from activity.models import Notification
from core.formatting import day
from dealreg.models import DealRegistration, OpportunityPartner
from partners.models import PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement

from .conftest import PASSWORD, label, log_in, log_in_staff, log_out, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_deal(page, language, *, company, website, arr):
    page.goto("/deals/new/")
    page.fill("input[name=customer_company]", company)
    page.fill("input[name=website]", website)
    page.select_option("select[name=country]", "DE")
    page.fill("input[name=contact_name]", "Dana Buyer")
    page.fill("input[name=contact_email]", "dana@globex.example")
    page.check("input[name=products][value=flex]")
    page.fill("textarea[name=use_case]", "Replace the contact centre with Flex in three German sites.")
    page.fill("input[name=estimated_arr_usd]", arr)
    page.fill("input[name=expected_close_date]", str(timezone.localdate() + datetime.timedelta(days=60)))
    with page.expect_navigation():
        page.get_by_role("button", name=t(language, "Submit registration")).click()
    page.wait_for_selector(".alert-success")
    return DealRegistration.objects.latest("pk")


def decide(page, language, registration, *, decision, reason, reason_code=None):
    page.goto(f"/deals/{registration.pk}/")
    form = page.locator(f"form[action='/deals/{registration.pk}/decide/']")
    form.locator("select[name=decision]").select_option(decision)
    if reason_code:
        form.locator("select[name=reason_code]").select_option(reason_code)
    form.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        form.get_by_role("button", name=t(language, "Record decision")).click()
    page.locator(".alert-success").get_by_text(
        t(language, "%(reference)s: decision recorded and the partner notified.", reference=registration.reference)
    ).wait_for()


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_two_partners_register_one_customer_and_the_pam_decides(page, shoot, language):
    pam = UserFactory(email="pam@vendor.example", full_name="Pat Manager", staff_role=StaffRole.PAM)
    first = PartnerFactory(name="First Systems", domain="first.example", tier="silver", pam=pam)
    second = PartnerFactory(name="Second Solutions", domain="second.example", tier="silver", pam=pam)
    first_admin = UserFactory(email="admin@first.example", partner=first, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(first, first_admin)
    UserFactory(email="member@first.example", full_name="Mo Member", partner=first, partner_role=PartnerRole.MEMBER)
    second_admin = UserFactory(email="admin@second.example", partner=second, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(second, second_admin)

    # A member of the first partner registers Globex.
    log_in(page, "member@first.example", PASSWORD)
    page.wait_for_url("**/partner/")
    first_reg = register_deal(page, language, company="Globex GmbH", website="https://www.globex.example/de", arr="48000")
    assert page.locator("h1").inner_text().startswith(f"{first_reg.reference} · Globex GmbH")
    assert page.locator("h1 ~ .badge").first.inner_text() == label(language, DealRegistration.Status.SUBMITTED)
    shoot(page, "first-submitted")
    assert (first_reg.partner, first_reg.domain, first_reg.status) == (first, "globex.example", "submitted")
    log_out(page)

    # The second partner registers the same customer under another spelling of its website.
    log_in(page, "admin@second.example", PASSWORD)
    page.wait_for_url("**/partner/")
    second_reg = register_deal(page, language, company="Globex", website="globex.example", arr="30000")
    assert (second_reg.partner, second_reg.domain, second_reg.status) == (second, "globex.example", "submitted")
    # Confidential: nothing on the second partner's page names the first partner.
    assert "First Systems" not in page.content()
    log_out(page)

    # The PAM's queue flags the conflict on both, and so does the detail page.
    log_in_staff(page, "pam@vendor.example", PASSWORD)
    page.goto("/staff/deals/")
    for reg in (first_reg, second_reg):
        row = page.locator("tr", has=page.get_by_role("link", name=reg.reference))
        assert row.locator(".badge", has_text=t(language, "Other partner")).count() == 1
    shoot(page, "pam-queue")
    page.goto(f"/deals/{second_reg.pk}/")
    conflict = page.locator(".card", has=page.get_by_role("heading", name=t(language, "Conflict check")))
    assert capfirst(t(language, "another partner has an open or approved registration for this domain")) in (
        conflict.inner_text())
    shoot(page, "pam-conflict")

    decide(page, language, first_reg, decision="approve", reason="First to register, with a named contact and a plan.")
    first_reg.refresh_from_db()
    assert first_reg.status == "approved" and first_reg.expires_on is not None
    assert OpportunityPartner.objects.filter(partner=first, opportunity__domain="globex.example").exists()
    decide(page, language, second_reg, decision="reject", reason_code="duplicate",
           reason="Another partner registered Globex first and was approved.")
    second_reg.refresh_from_db()
    assert (second_reg.status, second_reg.reject_reason) == ("rejected", "duplicate")
    duplicate = label(language, DealRegistration.RejectReason.DUPLICATE)
    assert duplicate in page.locator("dl").inner_text()
    shoot(page, "pam-rejected")
    log_out(page)

    # The second partner sees the decision, the reason and the notification.
    log_in(page, "admin@second.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/notifications/")
    # The notice names the registration and gives the reason (the code, in words, and the PAM's words).
    item = page.locator(".list-group-item", has_text=second_reg.reference)
    assert item.count() == 1
    notice = item.inner_text()
    assert t(language, "Reason: Duplicate registration.") in notice
    assert "Another partner registered Globex first and was approved." in notice
    shoot(page, "second-notifications")
    with page.expect_navigation():
        item.locator("button[name=open]").click()
    page.wait_for_url(f"**/deals/{second_reg.pk}/")
    assert page.locator("h1 ~ .badge").first.inner_text() == label(language, DealRegistration.Status.REJECTED)
    assert "Another partner registered Globex first and was approved." in page.locator("dl").inner_text()
    shoot(page, "second-rejected")
    assert Notification.objects.get(recipient=second_admin, subject__startswith=second_reg.reference).read_at
    log_out(page)

    # The first partner's member sees the approval and until when the deal is protected.
    log_in(page, "member@first.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/notifications/")
    approval = page.locator(".list-group-item", has_text=first_reg.reference)
    assert approval.count() == 1 and "Globex GmbH" in approval.inner_text()
    page.goto(f"/deals/{first_reg.pk}/")
    details = page.locator("dl").inner_text()
    with translation.override(language):
        protected_until = day(first_reg.expires_on)
    assert t(language, "Protected until") in details and protected_until in details
    shoot(page, "first-approved")
