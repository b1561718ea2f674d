"""Journey 4: a program admin previews the annual recalculation, sees who moves, applies it; a partner that
moved sees its new tier and the reason on its tier page (and a notification).

In English, French and Japanese (the browser's language): words from our catalogs (t, label); the reasons as
the portal renders them in that language."""

import datetime

import pytest
from django.utils import timezone, translation

from activity.models import Notification
from core.formatting import day
from partners.models import PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory, accept_partner_agreement
from tiers.models import Assessment, RecalculationRun

from .conftest import PASSWORD, label, log_in, log_in_staff, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_program_admin_previews_and_applies_the_annual_run_and_a_partner_sees_why(page, open_page, shoot, language):
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
        admin_page.get_by_role("button", name=t(language, "Preview", "verb: compute a preview run")).click()
    admin_page.get_by_text(t(language, "Preview ready: nothing has changed yet. Review it, then apply.")).wait_for()
    run = RecalculationRun.objects.get()
    assert (run.kind, run.status, run.as_of) == ("annual", "preview", as_of)
    assert admin_page.get_by_text(t(language, "Preview — nothing changed yet")).is_visible()
    faded.refresh_from_db()
    assert faded.tier == "silver", "a preview changes nothing"

    # Who moves: the "Moves down" filter lists Faded Silver with its reasons; Steady stays.
    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name=label(language, Assessment.Movement.DOWN)).click()
    rows = admin_page.locator("table tbody tr")
    assert rows.count() == 1
    down = Assessment.objects.get(run=run, partner=faded)
    assert (down.movement, down.previous_tier, down.computed_tier) == ("down", "silver", "registered")
    row = rows.first.inner_text()
    assert "Faded Silver" in row and "Silver" in row and "Registered" in row
    with translation.override(language):
        reasons = down.reason_texts
    assert reasons and reasons[0] in row
    shoot(admin_page, "preview-moves-down")
    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name=label(language, Assessment.Movement.SAME)).click()
    assert admin_page.locator("tr", has_text="Steady Registered").count() == 1

    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name=t(language, "Apply this run…")).click()
    # The confirmation: the counts, and nothing happens without ticking the box.
    counts = admin_page.locator("#apply-counts").inner_text()
    assert f"{t(language, 'Move down')}\t1" in counts
    assert f"{t(language, 'Global Strategic, kept (designated)')}\t0" in counts
    shoot(admin_page, "apply-confirmation")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name=t(language, "Apply"), exact=True).click()
    admin_page.get_by_text(t(language, "Tick the confirmation to apply this run.")).wait_for()
    admin_page.check("#confirm")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name=t(language, "Apply"), exact=True).click()
    with translation.override(language):
        applied = translation.ngettext(
            "Applied: %(changed)d tier changed, %(skipped)d skipped because their tier changed after the preview.",
            "Applied: %(changed)d tiers changed, %(skipped)d skipped because their tier changed after the preview.",
            1) % {"changed": 1, "skipped": 0}
    admin_page.locator(".alert-success", has_text=applied).wait_for()
    assert admin_page.locator("h1 ~ .badge").first.inner_text() == t(language, "Applied", "a run's status")
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
    with translation.override(language):
        header = t(language, "Last recalculation (%(kind)s, as of %(as_of)s)",
                   kind=label(language, RecalculationRun.Kind.ANNUAL).lower(), as_of=day(as_of))
    last = page.locator(".card", has=page.locator(".card-header", has_text=header)).inner_text()
    for reason in reasons:
        assert reason in last
    shoot(page, "partner-tier")
    assert Notification.objects.filter(recipient=faded_admin).exists()
    page.goto("/notifications/")
    assert page.locator(".list-group-item").filter(has_text="Registered").count() >= 1
    shoot(page, "partner-notifications")
