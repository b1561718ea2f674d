"""Journey: on 1 December the program admin home says the next program year is missing; the admin copies it,
edits a threshold; on 1 January the rollover publishes the prepared year and the partner sees it."""

import datetime

import pytest
from django.urls import reverse

from build_portal.tasks import program_year_rollover
from partners.models import PartnerRole, StaffRole
from program.models import ProgramYear
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement

from .conftest import PASSWORD, log_in, log_in_staff, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_prepares_next_year_and_the_partner_sees_it_on_1_january(page, shoot, freeze):
    freeze(datetime.date(2026, 12, 1))
    UserFactory(email="admin@vendor.example", full_name="Ada Admin", staff_role=StaffRole.PROGRAM_ADMIN)
    partner = PartnerFactory(name="Newcomer Labs", domain="newcomer.example", tier="registered")
    accept_partner_agreement(partner, UserFactory(email="admin@newcomer.example", partner=partner,
                                                  partner_role=PartnerRole.ADMIN))

    log_in_staff(page, "admin@vendor.example", PASSWORD)
    page.goto(reverse("partners:staff_home"))
    notice = page.locator("#program-year-notice")
    assert "The 2027 program year is not prepared yet: copy 2026 and edit it." in notice.inner_text()
    shoot(page, "notice")
    with page.expect_navigation():
        notice.get_by_role("button", name="Copy 2026 to 2027").click()
    assert page.url.endswith(reverse("tiers:program_year_edit", args=[2027]))
    page.fill("input[name=bronze-min_revenue_usd]", "30000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator("[data-status=draft]").count() == 1
    shoot(page, "program-years")
    y2027 = ProgramYear.objects.get(year=2027)
    assert y2027.status == "draft" and y2027.tiers.get(level="bronze").min_revenue_usd == 30000
    page.goto(reverse("partners:staff_home"))
    assert page.locator("#program-year-notice").count() == 0
    log_out(page)

    # 1 January: the beat job publishes the prepared year and runs the annual recalculation with it.
    freeze(datetime.date(2027, 1, 1), hour=8)
    assert program_year_rollover()["action"] == "published"
    log_in(page, "admin@newcomer.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto(reverse("tiers:standing"))
    html = page.content()
    assert "Benefits of the 2027 program year" in html and "2026 program year" not in html
    assert "$30,000" in page.locator("#progress").inner_text()
    shoot(page, "partner-2027")
