"""Journey 4: a program admin previews the annual recalculation, sees who moves, applies it; a partner that
moved sees its new tier and the reason on its tier page (and a notification)."""

import datetime

import pytest
from django.utils import timezone

from activity.models import Notification
from partners.models import PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tiers.models import Assessment, RecalculationRun

from .conftest import PASSWORD, log_in, log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_admin_previews_and_applies_the_annual_run_and_a_partner_sees_why(page, open_page, shoot):
    UserFactory(email="admin@vendor.example", full_name="Ada Admin", staff_role=StaffRole.PROGRAM_ADMIN)
    # Silver on paper, but no certified people, no sales-trained people and no revenue last year.
    faded = PartnerFactory(name="Faded Silver", domain="faded.example", tier="silver",
                           tier_since=datetime.date(2021, 1, 1))
    faded_admin = UserFactory(email="admin@faded.example", partner=faded, partner_role=PartnerRole.ADMIN)
    accept_partner_agreement(faded, faded_admin)
    steady = PartnerFactory(name="Steady Registered", domain="steady.example", tier="registered")
    accept_partner_agreement(steady, UserFactory(email="admin@steady.example", partner=steady,
                                                 partner_role=PartnerRole.ADMIN))
    as_of = datetime.date(timezone.localdate().year, 1, 1)

    admin_page = open_page()
    log_in_staff(admin_page, "admin@vendor.example", PASSWORD)
    admin_page.goto("/staff/tiers/runs/")
    admin_page.select_option("select[name=kind]", "annual")
    admin_page.fill("input[name=as_of]", str(as_of))
    shoot(admin_page, "runs")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Preview").click()
    admin_page.wait_for_selector("text=Preview ready: nothing has changed yet")
    run = RecalculationRun.objects.get()
    assert (run.kind, run.status, run.as_of) == ("annual", "preview", as_of)
    assert admin_page.get_by_text("Preview — nothing changed yet").is_visible()
    faded.refresh_from_db()
    assert faded.tier == "silver", "a preview changes nothing"

    # Who moves: the "Moves down" filter lists Faded Silver with its reasons; Steady stays.
    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name="Moves down").click()
    rows = admin_page.locator("table tbody tr")
    assert rows.count() == 1
    down = Assessment.objects.get(run=run, partner=faded)
    assert (down.movement, down.previous_tier, down.computed_tier) == ("down", "silver", "registered")
    row = rows.first.inner_text()
    assert "Faded Silver" in row and "Silver" in row and "Registered" in row
    assert down.reasons and down.reason_texts[0] in row
    shoot(admin_page, "preview-moves-down")
    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name="Stays").click()
    assert admin_page.locator("tr", has_text="Steady Registered").count() == 1

    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name="Apply this run…").click()
    # The confirmation: the counts, and nothing happens without ticking the box.
    counts = admin_page.locator("#apply-counts").inner_text()
    assert "Move down\t1" in counts and "Global Strategic, kept (designated)\t0" in counts
    shoot(admin_page, "apply-confirmation")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Apply").click()
    admin_page.wait_for_selector("text=Tick the confirmation to apply this run.")
    admin_page.check("#confirm")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Apply").click()
    admin_page.wait_for_selector("text=Applied: 1 tier changed, 0 skipped")
    assert admin_page.locator("h1 ~ .badge").first.inner_text() == "Applied"
    shoot(admin_page, "applied")
    run.refresh_from_db()
    faded.refresh_from_db()
    steady.refresh_from_db()
    assert run.status == "applied" and run.changed_count == 1
    assert (faded.tier, steady.tier) == ("registered", "registered")

    # The partner sees its new tier, why, and the notification.
    log_in(page, "admin@faded.example", PASSWORD)
    page.wait_for_url("**/partner/")
    page.goto("/tier/")
    assert page.locator(".tier-badge").first.inner_text() == "Registered"
    last = page.locator(".card", has=page.locator(".card-header", has_text="Last recalculation")).inner_text()
    assert f"annual, as of {as_of:%-d %b %Y}" in last
    for reason in down.reason_texts:
        assert reason in last
    shoot(page, "partner-tier")
    assert Notification.objects.filter(recipient=faded_admin).exists()
    page.goto("/notifications/")
    assert page.locator(".list-group-item").filter(has_text="Registered").count() >= 1
    shoot(page, "partner-notifications")
