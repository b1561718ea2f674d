"""Journey 1: a partner admin logs in, accepts the partner agreement, imports people and completions from a
CSV file, and reads the tier page: the progress bars show the counts the import produced."""

import datetime

import pytest
from django.utils import timezone

from partners.models import AgreementAcceptance, Completion, Partner, PartnerRole, Person
from program.selectors import program_year_for
from tests.factories import PartnerFactory, UserFactory

from .conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_admin_accepts_the_agreement_imports_a_roster_and_sees_tier_progress(page, shoot, tmp_path):
    partner = PartnerFactory(name="Roster Labs", domain="roster.example", tier="")
    UserFactory(email="admin@roster.example", partner=partner, partner_role=PartnerRole.ADMIN)
    today = timezone.localdate()
    done, expires = today - datetime.timedelta(days=30), today + datetime.timedelta(days=700)
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text(
        "name,email,job_role,course,completed_on,expires_on\n"
        f"Ada Lovelace,ada@roster.example,technical,platform,{done},{expires}\n"
        f"Grace Hopper,grace@roster.example,technical,platform,{done},{expires}\n"
        f"Grace Hopper,grace@roster.example,technical,sellers_101,{done},\n"
        f"Ben Seller,ben@roster.example,sales,sellers_101,{done},\n"
        # Expired long ago: on the roster, but it must not count as certified.
        f"Old Timer,old@roster.example,technical,platform,2019-01-10,2021-01-10\n",
        encoding="utf-8",
    )

    # Until the agreement is accepted, every page leads to the agreements page.
    log_in(page, "admin@roster.example", PASSWORD)
    page.wait_for_url("**/agreements/")
    assert "must accept the" in page.locator(".alert-warning").inner_text()
    shoot(page, "agreements")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the Partner agreement").click()
    page.wait_for_selector("text=You accepted the Partner agreement")
    partner.refresh_from_db()
    assert partner.tier == "registered"
    assert AgreementAcceptance.objects.filter(partner=partner, accepted_by__email="admin@roster.example").exists()

    # The roster is empty; the admin imports the CSV file through the page's file input.
    page.goto("/partner/people/")
    page.wait_for_selector("text=Nobody is on the roster yet")
    with page.expect_navigation():
        page.get_by_role("link", name="Import CSV").click()
    page.set_input_files("input[name=file]", str(csv_file))
    shoot(page, "import-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/partner/people/")
    message = page.locator(".alert-success").inner_text()
    assert "Imported 5 rows: 4 people added, 0 updated, 5 completions added, 0 updated." in message
    rows = page.locator("table tbody tr")
    assert rows.count() == 4
    assert page.locator("tr", has_text="Ada Lovelace").locator(".badge", has_text="Platform").count() == 1
    shoot(page, "people")

    assert Person.objects.filter(partner=partner).count() == 4
    assert Completion.objects.filter(person__partner=partner).count() == 5
    assert Person.objects.get(email="grace@roster.example").completions.count() == 2

    # The tier page: progress towards Bronze, with the imported counts on the bars.
    page.goto("/tier/")
    assert page.locator(".tier-badge").first.inner_text() == "Registered"
    bronze = program_year_for(today).tiers.get(level="bronze")
    card = page.locator("#progress")
    assert "Progress to Bronze" in card.locator(".card-header").inner_text()
    bars = card.get_by_role("progressbar")
    assert bars.count() >= 3

    def shown(label):
        row = card.locator(".mb-3", has=page.get_by_role("progressbar", name=label))
        return row.locator(".text-muted").first.inner_text().strip(), row.get_by_role("progressbar")

    text, bar = shown("Partner agreement accepted")
    assert text == "accepted" and bar.get_attribute("aria-valuenow") == "100"
    text, bar = shown("Platform-certified technical people")
    assert text == f"2 of {bronze.min_certified_technical}"
    assert bar.get_attribute("aria-valuenow") == str(min(100, 200 // bronze.min_certified_technical))
    text, bar = shown("Sales-trained people")
    assert text == f"2 of {bronze.min_sales_trained}"
    shoot(page, "tier")
    assert Partner.objects.get(pk=partner.pk).tier == "registered"
