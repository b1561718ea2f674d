"""The tier pages and the API: content, filters, bad input and mass assignment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activity.models import AuditEntry
from activity.services import notify
from program.models import ProgramYear
from tiers import services
from tiers.models import RecalculationRun

from .conftest import add_people, win

pytestmark = pytest.mark.django_db


def test_tier_page_shows_badge_progress_reasons_and_last_run(client, partner_admin, partner):
    add_people(partner, certified=3, both=5)
    win(partner, "150000", date.today())
    services.recalculate(kind="midyear", as_of=date.today(), apply=True)
    client.force_login(partner_admin)
    html = client.get(reverse("tiers:standing")).content.decode()
    assert 'class="tier-badge tier-silver"' in html
    assert "Progress to <strong>Gold</strong>" in html
    assert 'class="progress progress-slim"' in html and "8 of 15" in html
    assert "Silver needs 10 platform-certified technical people; you have 8." in html
    assert "Certification provisional period until" in html
    assert "Last recalculation: mid-year as of" in html


def test_tier_page_includes_the_benefits_of_the_tier(client, partner_admin):
    client.force_login(partner_admin)
    html = client.get(reverse("tiers:standing")).content.decode()
    assert "Partner account manager" in html  # a Silver benefit, rendered by benefits' tier_benefits tag


# The tier page's queries (the load test's "partner tier page"): session, user, partner; the program year
# (2 when today is past the last loaded year: ProgramYear.for_date falls back to the latest) and its tiers;
# revenue, people and agreement (the metrics); the open provisional period; the last applied assessment;
# unread notifications; the benefits tag's benefits, cells, invitations, agreement kinds and Segment
# certification. The benefits tag reuses the page's program year instead of looking it up again.
# The forecasts add five: the next annual run's program year (two when it falls back to the latest), its
# revenue window, the current completions (tier at risk) and the open registrations (pipeline to tier).
TIER_PAGE_QUERIES = 22


def test_tier_page_query_count_does_not_grow_with_data(client, partner_admin, partner, other_partner,
                                                       django_assert_max_num_queries):
    client.force_login(partner_admin)
    add_people(partner, certified=2)
    with django_assert_max_num_queries(TIER_PAGE_QUERIES) as small:
        assert client.get(reverse("tiers:standing")).status_code == 200
    add_people(partner, certified=20, trained=10, both=5)
    add_people(other_partner, certified=12, trained=6)
    for i in range(20):
        win(partner, "1000", date(2022, 1, 1 + i))
        win(other_partner, "5000", date(2022, 2, 1 + i))
    services.recalculate(kind="midyear", as_of=date.today(), apply=True)
    notify(recipients=[partner_admin] * 15, kind="funding_info_requested", params={"reference": "News", "reason": "x"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("tiers:standing")).status_code == 200


def test_api_standing_json(client, partner_member, partner):
    add_people(partner, certified=10, trained=5)
    win(partner, "200000", date.today())
    client.force_login(partner_member)
    body = client.get(reverse("api:tier_standing")).json()
    assert body["tier"] == "silver" and body["next_tier"] == "gold" and body["qualified_tier"] == "silver"
    assert body["metrics"] == {"certified_technical": 10, "sales_trained": 5, "revenue_usd": "200000.00",
                               "agreement_accepted": True}
    assert {"label": "Platform-certified technical people", "have": "10.00", "need": "15.00", "met": False} \
        in body["progress"]
    assert body["last_recalculation"] is None


def test_staff_see_a_partners_standing_on_page_and_api(client, pam, partner, partner_admin):
    client.force_login(pam)
    assert client.get(reverse("tiers:partner_standing", args=[partner.pk])).status_code == 200
    assert client.get(reverse("api:partner_tier_standing", args=[partner.pk])).json()["partner_name"] == "Acme Consulting"


def test_program_admin_designates_from_the_page_and_sees_errors(client, program_admin, partner, partner_admin):
    client.force_login(program_admin)
    url = reverse("tiers:designation", args=[partner.pk])
    response = client.post(url, {"action": "give", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(url, {"action": "promote", "reason": "x"})
    assert response.status_code == 400 and "Choose to give or to remove" in response.content.decode()
    partner.refresh_from_db()
    assert partner.tier == "silver"
    assert client.post(url, {"action": "give", "reason": "Alliance", "tier": "gold"}).status_code == 302
    partner.refresh_from_db()
    assert partner.tier == "global_strategic"
    response = client.post(url, {"action": "give", "reason": "Again"})
    assert response.status_code == 400 and "already Global Strategic" in response.content.decode()


@pytest.mark.parametrize(("payload", "field"), [
    ({"reason": "x"}, "action"),
    ({"action": "give"}, "reason"),
    ({"action": "give", "reason": "x" * 2001}, "reason"),
    ({"action": 5, "reason": "x"}, "action"),
])
def test_designation_api_bad_input(client, program_admin, partner, payload, field):
    client.force_login(program_admin)
    response = client.post(reverse("api:partner_designation", args=[partner.pk]), payload,
                           content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not AuditEntry.objects.filter(action__startswith="tiers.designation").exists()


def test_designation_api_rule_error_is_a_400(client, program_admin, partner):
    client.force_login(program_admin)
    response = client.post(reverse("api:partner_designation", args=[partner.pk]),
                           {"action": "remove", "reason": "not designated"}, content_type="application/json")
    assert response.status_code == 400 and "not Global Strategic" in str(response.json())


def test_preview_page_lists_filters_and_applies(client, program_admin, partner, partner_admin, other_partner_admin):
    add_people(partner, both=10, certified=5)
    win(partner, "1000000", date(2022, 3, 1))
    client.force_login(program_admin)
    response = client.post(reverse("tiers:runs"), {"kind": "annual", "as_of": "2023-01-01"})
    run = RecalculationRun.objects.get()
    assert response["Location"] == reverse("tiers:run_detail", args=[run.pk])
    html = client.get(reverse("tiers:run_detail", args=[run.pk]) + "?movement=up").content.decode()
    assert "Acme Consulting" in html and "Other Co" not in html
    html = client.get(reverse("tiers:run_detail", args=[run.pk]) + "?movement=down").content.decode()
    assert "Other Co" in html and "Acme Consulting" not in html
    assert "Bronze needs 3 platform-certified technical people; you have 0." in html
    assert client.get(reverse("tiers:run_detail", args=[run.pk]) + "?movement=bogus").status_code == 200
    # Apply asks first: the counts, and an explicit confirmation.
    confirm = client.get(reverse("tiers:run_apply", args=[run.pk])).content.decode()
    assert 'id="apply-counts"' in confirm and "Global Strategic, kept (designated)" in confirm
    response = client.post(reverse("tiers:run_apply", args=[run.pk]))
    assert response.status_code == 400 and "Tick the confirmation" in response.content.decode()
    partner.refresh_from_db()
    assert partner.tier == "silver"
    client.post(reverse("tiers:run_apply", args=[run.pk]), {"confirm": "yes"})
    partner.refresh_from_db()
    assert partner.tier == "gold"
    response = client.post(reverse("tiers:run_apply", args=[run.pk]), follow=True)
    assert "already applied" in response.content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "weekly", "as_of": "2023-01-01"}, "Select a valid choice"),
    ({"kind": "annual", "as_of": "2023-02-30"}, "Enter a valid date"),
    ({"kind": "annual"}, "An annual recalculation is as of 1 January"),  # empty: today, 1 Dec 2026
    ({"kind": "annual", "as_of": "2023-07-01"}, "choose 1 Jan 2023, not 1 Jul 2023"),
    ({"kind": "midyear", "as_of": "2027-06-01"}, "1 Jun 2027 is in the future"),
    ({"kind": "annual", "as_of": "2025-01-01"}, "There is no published 2025 program year"),
])
def test_preview_page_bad_input(client, program_admin, data, message):
    client.force_login(program_admin)
    response = client.post(reverse("tiers:runs"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not RecalculationRun.objects.exists()


def test_run_api_create_ignores_mass_assignment_and_apply_is_idempotent(client, program_admin, partner_admin):
    client.force_login(program_admin)
    response = client.post(reverse("api:tier_runs"), {"kind": "annual", "as_of": "2023-01-01", "status": "applied",
                                                      "program_year": 1999, "started_by": 5},
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "preview" and body["program_year"] == 2023 and body["started_by"] == str(program_admin)
    rows = client.get(reverse("api:tier_run_assessments", args=[body["id"]]) + "?movement=down").json()
    assert rows["count"] == 1 and rows["results"][0]["partner_name"] == "Acme Consulting"
    assert client.get(reverse("api:tier_run_assessments", args=[body["id"]]) + "?movement=x").status_code == 400
    refused = client.post(reverse("api:tier_run_apply", args=[body["id"]]), {}, content_type="application/json")
    assert refused.status_code == 400 and "confirm" in refused.json()
    refused = client.post(reverse("api:tier_run_apply", args=[body["id"]]), {"confirm": False},
                          content_type="application/json")
    assert refused.status_code == 400 and "confirm: true" in refused.json()["confirm"][0]
    first = client.post(reverse("api:tier_run_apply", args=[body["id"]]), {"confirm": True},
                        content_type="application/json").json()
    second = client.post(reverse("api:tier_run_apply", args=[body["id"]]), {"confirm": True},
                         content_type="application/json").json()
    assert first == second and first["status"] == "applied"


@pytest.mark.parametrize("payload", [{}, {"kind": "annual", "as_of": "yesterday"}, {"kind": ["annual"], "as_of": "2023-01-01"}])
def test_run_api_bad_input(client, program_admin, payload):
    client.force_login(program_admin)
    response = client.post(reverse("api:tier_runs"), payload, content_type="application/json")
    assert response.status_code == 400
    assert not RecalculationRun.objects.exists()


def test_program_year_edit_page(client, program_admin):
    # Copying from the page (with the benefits) is the benefits app's: tests/benefits/test_program_year_copy.py.
    services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2030, user=program_admin)
    client.force_login(program_admin)
    url = reverse("tiers:program_year_edit", args=[2030])
    data = {"provisional_period_days": "60", "poc_max_amount": "25000"}
    for level, (c, t, r) in {"registered": (0, 0, 0), "bronze": (3, 1, 20000), "silver": (12, 5, 250000),
                             "gold": (15, 10, 1000000)}.items():
        data |= {f"{level}-min_certified_technical": c, f"{level}-min_sales_trained": t, f"{level}-min_revenue_usd": r}
    assert client.post(url, data).status_code == 302
    y2023 = ProgramYear.objects.get(year=2030)
    assert y2023.provisional_period_days == 60
    assert y2023.tiers.get(level="silver").min_certified_technical == 12
    response = client.post(url, data | {"gold-min_certified_technical": "11", "bronze-min_sales_trained": "-1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    response = client.post(url, data | {"gold-min_certified_technical": "11"})
    assert "Gold cannot need less than Silver" in response.content.decode()
    assert y2023.tiers.get(level="gold").min_certified_technical == 15


def _edit_data(year):
    data = {"provisional_period_days": str(year.provisional_period_days), "poc_max_amount": str(year.poc_max_amount)}
    for t in year.tiers.filter(is_designation=False):
        data |= {f"{t.level}-{f}": str(getattr(t, f)) for f in services.TIER_FIELDS}
    return data


def test_program_year_edit_page_sets_the_poc_maximum_audited(client, program_admin):
    year = services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2030, user=program_admin)
    client.force_login(program_admin)
    url = reverse("tiers:program_year_edit", args=[2030])
    page = client.get(url).content.decode()
    assert "POC maximum per nomination (USD)" in page and 'value="25000.00"' in page
    assert client.post(url, _edit_data(year) | {"poc_max_amount": "40000.50"}).status_code == 302
    year.refresh_from_db()
    assert year.poc_max_amount == Decimal("40000.50")
    entry = AuditEntry.objects.filter(action="tiers.program_year_update", object_id=str(year.pk)).latest("at")
    assert entry.actor == program_admin
    assert (entry.before["poc_max_amount"], entry.after["poc_max_amount"]) == ("25000.00", "40000.50")


@pytest.mark.parametrize(("value", "error"), [
    ("0", "Enter an amount in USD greater than zero."),
    ("-5", "Enter an amount in USD greater than zero."),
    ("lots", "Enter a number."),
    ("", "This field is required."),
    ("10.001", "Ensure that there are no more than 2 decimal places."),
    ("12345678901", "Ensure that there are no more than 10 digits before the decimal point."),
])
def test_program_year_edit_page_refuses_a_bad_poc_maximum_on_the_field(client, program_admin, value, error):
    year = services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2030, user=program_admin)
    client.force_login(program_admin)
    response = client.post(reverse("tiers:program_year_edit", args=[2030]), _edit_data(year) | {"poc_max_amount": value})
    assert response.status_code == 400
    field = response.context["form"]["poc_max_amount"]
    assert [str(e) for e in field.errors] == [error]
    assert error in response.content.decode()
    year.refresh_from_db()
    assert year.poc_max_amount == Decimal("25000.00")


def test_program_year_update_refuses_a_poc_maximum_the_column_cannot_hold(program_admin):
    year = services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2030, user=program_admin)
    for bad in (Decimal("0"), Decimal("-1"), Decimal("0.001"), Decimal("1E10"), Decimal("NaN"), 100):
        with pytest.raises(ValidationError) as error:
            services.program_year_update(program_year=year, user=program_admin, provisional_period_days=90,
                                         requirements={}, poc_max_amount=bad)
        assert set(error.value.error_dict) == {"poc_max_amount"}
    year.refresh_from_db()
    assert year.poc_max_amount == Decimal("25000.00")


def test_a_year_that_may_not_be_edited_keeps_its_poc_maximum(client, program_admin):
    year = ProgramYear.objects.get(year=2023)
    services.recalculate(kind="annual", as_of=date(2023, 1, 1), apply=True)
    client.force_login(program_admin)
    response = client.post(reverse("tiers:program_year_edit", args=[2023]),
                           _edit_data(year) | {"poc_max_amount": "30000"})
    assert response.status_code == 400 and "copy it to a new year instead" in response.content.decode()
    response = client.patch(reverse("api:program_year_detail", args=[2023]), {"poc_max_amount": "30000"},
                            content_type="application/json")
    assert response.status_code == 400
    assert ProgramYear.objects.get(year=2023).poc_max_amount == Decimal("25000.00")


def test_program_year_api_sets_the_poc_maximum(client, program_admin):
    services.program_year_copy(source=ProgramYear.objects.get(year=2022), year=2030, user=program_admin)
    client.force_login(program_admin)
    url = reverse("api:program_year_detail", args=[2030])
    for bad in ("0", "-1", "abc", "1.005"):
        response = client.patch(url, {"poc_max_amount": bad}, content_type="application/json")
        assert response.status_code == 400 and "poc_max_amount" in response.json()
    assert "greater than zero" in client.patch(url, {"poc_max_amount": "0"},
                                               content_type="application/json").json()["poc_max_amount"][0]
    response = client.patch(url, {"poc_max_amount": "18000"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["poc_max_amount"] == "18000.00"
    # Leaving it out keeps it.
    response = client.patch(url, {"provisional_period_days": 60}, content_type="application/json")
    assert response.json()["poc_max_amount"] == "18000.00"
    entry = AuditEntry.objects.filter(action="tiers.program_year_update").order_by("at", "pk").first()
    assert entry.after["poc_max_amount"] == "18000.00"


def test_program_year_api_copy_and_patch(client, program_admin):
    client.force_login(program_admin)
    assert client.post(reverse("api:program_year_copy"), {"source": 2022, "year": "twenty"},
                       content_type="application/json").status_code == 400
    assert client.post(reverse("api:program_year_copy"), {"source": 1990, "year": 2024},
                       content_type="application/json").status_code == 400
    assert client.post(reverse("api:program_year_copy"), {"source": 2022, "year": 2024},
                       content_type="application/json").status_code == 201
    url = reverse("api:program_year_detail", args=[2024])
    response = client.patch(url, {"requirements": {"silver": {"min_sales_trained": 0}}}, content_type="application/json")
    assert response.status_code == 400 and "silver-min_sales_trained" in response.json()
    response = client.patch(url, {"requirements": {"gold": {"min_revenue_usd": "1500000"}}}, content_type="application/json")
    gold = next(t for t in response.json()["tiers"] if t["level"] == "gold")
    assert gold["min_revenue_usd"] == "1500000.00"
    assert client.get(reverse("api:program_year_detail", args=[1990])).status_code == 404
