"""The revenue rule of dealreg/revenue.py held against the guide end to end, on PostgreSQL: partners, sales
imports, deal registrations through the services, pages and API, then a tier recalculation.

Guide p.10 "Revenue requirements": participation in a sales cycle "occurs in one of two ways: a member of the
Twilio sales team adds a partner to the sales opportunity at any time before the close of a sale", or "a
partner submits a deal registration opportunity. Once approved by Twilio, the partner is added to the sales
opportunity"; and "partners can submit a deal registration request for any missing sourced opportunities".

Every date is fixed in the 2022 program year (loaded by migration); pages and API read "today" from
django.utils.timezone.now, patched per test.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activity.models import Notification
from dealreg import rules, services
from dealreg.models import DealRegistration, Opportunity, OpportunityPartner
from dealreg.revenue import revenue_by_partner
from tests.factories import program_year_like_2022
from tiers import services as tier_services

from .conftest import registration_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def on(monkeypatch):
    """Set the portal's clock to 10:00 UTC of ``day`` (pages and API ask django.utils.timezone for today)."""

    def _on(day):
        moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return _on


def import_opportunity(program_admin, *, external_id="SF-1001", domain="globex.example", arr="30000", stage="open",
                       close_date="", product_line="flex", partner_domain="", attached_on=""):
    row = {"external_id": external_id, "account_name": "Globex Corporation", "domain": domain,
           "product_line": product_line, "arr_usd": arr, "stage": stage, "close_date": close_date}
    if partner_domain:
        row.update(partner_domain=partner_domain, attached_on=attached_on)
    services.opportunities_import(rows=[(1, row)], actor=program_admin, source="sales-system.csv")
    return Opportunity.objects.get(external_id=external_id)


def registered_and_approved(partner_admin, pam, *, submitted, approved, **overrides):
    registration = services.registration_submit(
        partner=partner_admin.partner, submitted_by=partner_admin, today=submitted,
        **registration_data(expected_close_date=submitted + datetime.timedelta(days=60), **overrides))
    return services.registration_approve(registration=registration, reviewer=pam, reason="Sourced by Acme.",
                                         today=approved)


@pytest.fixture(autouse=True)
def _program_year_2023(db):
    """The annual run on 1 January 2023 reads the 2023 program year (a published copy of 2022)."""
    program_year_like_2022(2023)


def _revenue(kind, partner, as_of):
    # The run as its scheduled job makes it on its as-of date (the clock of a test may be earlier).
    run = tier_services.run_preview(kind=kind, as_of=as_of, today=as_of)
    run, _ = tier_services.run_apply(run=run)
    return run.assessments.get(partner=partner).revenue_usd


def midyear_revenue(partner, as_of):
    return _revenue("midyear", partner, as_of)


def annual_revenue(partner, as_of):
    return _revenue("annual", partner, as_of)


def last_message(user):
    return Notification.objects.filter(recipient=user).order_by("-pk").first().body


# --- expiry never takes away a sale won while protected ----------------------------------------------------

def test_an_expired_registration_keeps_the_revenue_of_a_sale_won_while_it_was_protected(
        partner, partner_admin, pam, program_admin):
    """Approved 5 March; the sales import closes the opportunity won on 15 May; nobody marks it won in the
    portal; the daily job expires it after 3 June. The partner was added on approval, before the close: 30,000."""
    opportunity = import_opportunity(program_admin)
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 3, 1), approved=D(2022, 3, 5))
    assert (registration.opportunity, registration.expires_on) == (opportunity, D(2022, 6, 3))

    import_opportunity(program_admin, stage="closed_won", close_date="2022-05-15")
    assert services.registrations_expire_and_remind(today=D(2022, 6, 4))["expired"] == 1

    registration.refresh_from_db()
    assert registration.status == "expired"
    attachment = OpportunityPartner.objects.get(opportunity=opportunity, partner=partner)
    assert (attachment.attached_on, attachment.source) == (D(2022, 3, 5), "deal_registration")
    message = last_message(partner_admin)
    assert "closed won on 15 May 2022, inside the protection period" in message
    assert "It counts towards your tier revenue" in message
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("30000.00")
    assert annual_revenue(partner, D(2023, 1, 1)) == Decimal("30000.00")


def test_expiry_ends_the_protection_of_an_opportunity_still_open(partner, partner_admin, pam, program_admin):
    opportunity = import_opportunity(program_admin)
    registered_and_approved(partner_admin, pam, submitted=D(2022, 3, 1), approved=D(2022, 3, 5))
    services.registrations_expire_and_remind(today=D(2022, 6, 4))
    assert not OpportunityPartner.objects.filter(opportunity=opportunity, partner=partner).exists()
    assert "counts towards your tier revenue" not in last_message(partner_admin)
    # Won later, after the protection ended, and the partner is no longer on it: nothing counts.
    import_opportunity(program_admin, stage="closed_won", close_date="2022-06-20")
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("0")


def test_a_sale_won_after_the_protection_ended_is_not_kept_by_a_late_expiry(partner, partner_admin, pam,
                                                                              program_admin):
    """The daily job ran late: the opportunity closed won on 10 June, after the last protected day (3 June)."""
    opportunity = import_opportunity(program_admin)
    registered_and_approved(partner_admin, pam, submitted=D(2022, 3, 1), approved=D(2022, 3, 5))
    import_opportunity(program_admin, stage="closed_won", close_date="2022-06-10")
    services.registrations_expire_and_remind(today=D(2022, 6, 11))
    assert not OpportunityPartner.objects.filter(opportunity=opportunity, partner=partner).exists()
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("0")


def test_lost_is_refused_when_the_sales_system_says_closed_won(partner, partner_admin, pam, program_admin):
    import_opportunity(program_admin)
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 3, 1), approved=D(2022, 3, 5))
    import_opportunity(program_admin, stage="closed_won", close_date="2022-05-15")
    with pytest.raises(ValidationError, match="closed won on 15 May 2022; mark the registration won"):
        services.registration_lose(registration=registration, reviewer=pam, reason="Gone quiet.")
    assert OpportunityPartner.objects.filter(partner=partner).count() == 1


# --- won: the close date and the message -------------------------------------------------------------------

def test_won_with_a_close_date_before_the_approval_is_refused_and_writes_nothing(partner_admin, pam):
    """Approved 1 December, "won" closed 30 November: the partner was added after the close; it would not count."""
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 11, 20), approved=D(2022, 12, 1))
    with pytest.raises(ValidationError) as error:
        services.registration_win(registration=registration, reviewer=pam, final_arr_usd=Decimal("40000"),
                                  closed_on=D(2022, 11, 30), today=D(2022, 12, 2))
    assert "before the approval on 01 Dec 2022" in error.value.message_dict["closed_on"][0]
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert registration.opportunity.stage == "open"


@pytest.mark.parametrize(("closed_on", "product", "message", "annual_2023"), [
    (D(2022, 12, 1), "flex", "It counts towards your tier revenue", Decimal("40000.00")),  # the approval day
    (D(2022, 12, 20), "flex", "It counts towards your tier revenue", Decimal("40000.00")),
    (D(2022, 12, 20), "professional_services", "Professional-services revenue does not count", Decimal("0")),
])
def test_every_won_message_says_what_the_next_run_counts(partner, partner_admin, pam, closed_on, product, message,
                                                        annual_2023):
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 11, 20), approved=D(2022, 12, 1),
                                           products=[product])
    services.registration_win(registration=registration, reviewer=pam, final_arr_usd=Decimal("40000"),
                              closed_on=closed_on, today=D(2022, 12, 31))
    assert message in last_message(partner_admin)
    assert annual_revenue(partner, D(2023, 1, 1)) == annual_2023


def test_won_through_the_api_refuses_a_close_before_the_approval_with_a_field_error(client, partner_admin, pam, on):
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 11, 20), approved=D(2022, 12, 1))
    on(D(2022, 12, 5))
    client.force_login(pam)
    url = reverse("api:dealreg-win", args=[registration.pk])
    response = client.post(url, {"final_arr_usd": "40000.00", "closed_on": "2022-11-30"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "before the approval" in response.json()["closed_on"][0]


def test_a_later_sales_team_attachment_gives_way_to_the_earlier_approval(partner, partner_admin, pam, program_admin):
    """The sales team added the partner on 1 June; the approval of 5 March is the earlier evidence and counts."""
    opportunity = import_opportunity(program_admin, partner_domain=partner.domain, attached_on="2022-06-01")
    registration = registered_and_approved(partner_admin, pam, submitted=D(2022, 3, 1), approved=D(2022, 3, 5))
    services.registration_win(registration=registration, reviewer=pam, final_arr_usd=Decimal("30000"),
                              closed_on=D(2022, 5, 15), today=D(2022, 5, 16))
    attachment = OpportunityPartner.objects.get(opportunity=opportunity, partner=partner)
    assert attachment.attached_on == D(2022, 3, 5)
    assert "It counts towards your tier revenue" in last_message(partner_admin)
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("30000.00")


# --- missing sourced opportunities -------------------------------------------------------------------------

CLAIM = {"sourced_how": "We ran the discovery workshop and wrote the IVR design.", "country": "US",
         "contact_name": "Hank Scorpio", "contact_email": "hank@globex.example"}


def test_a_missing_sourced_opportunity_is_claimed_reviewed_and_counted_end_to_end(
        client, partner, partner_admin, pam, program_admin, other_partner, on):
    """The sales system closed SF-2002 won on 20 April 2022 (45,000 ARR) with another partner added after the
    close. Acme finds it in a pipeline review on 1 June, registers it through the API by the customer's domain;
    the PAM sees it marked already closed won with the ARR and the conflict, and approves it on the page."""
    opportunity = import_opportunity(program_admin, external_id="SF-2002", arr="45000", stage="closed_won",
                                     close_date="2022-04-20", partner_domain=other_partner.domain,
                                     attached_on="2022-05-01")
    on(D(2022, 6, 1))
    client.force_login(partner_admin)
    response = client.post(reverse("api:dealreg-claims"), {**CLAIM, "website": "https://www.globex.example"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["already_closed"], body["opportunity_external_id"], body["status"]) == (True, "SF-2002", "submitted")
    assert body["claimed_opportunity"] is None  # the sales system's figures are for the vendor side
    assert "SF-2002" in last_message(pam) and "already closed won on 20 Apr 2022" in last_message(pam)

    client.force_login(pam)
    queue = client.get(reverse("api:dealreg-queue")).json()["results"]
    item = next(r for r in queue if r["id"] == body["id"])
    assert item["claimed_opportunity"]["close_date"] == "2022-04-20"
    assert item["claimed_opportunity"]["arr_usd"] == "45000.00"
    assert item["conflicts"]["other_partner_attached"] is True
    assert item["business_days_waiting"] == 0 and item["is_overdue"] is False
    page = client.get(reverse("dealreg:queue")).content.decode()
    assert "already closed won on 20 Apr 2022" in page and "Other partner on the opportunity" in page
    detail = client.get(reverse("dealreg:detail", args=[body["id"]])).content.decode()
    assert "Already closed won on 20 Apr 2022" in detail and "$45,000 ARR" in detail
    assert "another partner is already on this opportunity" in detail.lower()

    on(D(2022, 6, 2))
    client.force_login(pam)  # a new day, a new session (sessions time out)
    response = client.post(reverse("dealreg:decide", args=[body["id"]]),
                           {"decision": "approve", "reason": "Confirmed with the account executive."})
    assert response.status_code == 302
    registration = DealRegistration.objects.get(pk=body["id"])
    assert (registration.status, registration.approved_on, registration.closed_on, registration.final_arr_usd) == (
        "won", D(2022, 6, 2), D(2022, 4, 20), Decimal("45000.00"))
    assert list(registration.events.values_list("action", flat=True)) == ["submit_claim", "approve", "win"]
    attachment = OpportunityPartner.objects.get(opportunity=opportunity, partner=partner)
    assert (attachment.attached_on, attachment.source) == (D(2022, 6, 2), "sourced_claim")
    message = last_message(partner_admin)
    assert "It counts towards your tier revenue" in message and "20 Apr 2022" in message

    # The tier page and the API (trailing 365 days as of today) and the next recalculation show it.
    client.force_login(partner_admin)
    assert client.get(reverse("api:tier_standing")).json()["metrics"]["revenue_usd"] == "45000.00"
    assert "45,000" in client.get(reverse("tiers:standing")).content.decode()
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("45000.00")
    # The other partner was added after the close by the sales team: that still does not count for it.
    assert revenue_by_partner(start=D(2022, 1, 1), end=D(2022, 12, 31)) == {partner.pk: Decimal("45000.00")}


def test_a_claim_is_registered_on_the_page_by_opportunity_id_and_can_be_rejected(client, partner, partner_admin,
                                                                                   pam, program_admin, on):
    import_opportunity(program_admin, external_id="SF-3003", stage="closed_won", close_date="2022-04-20")
    on(D(2022, 6, 1))
    client.force_login(partner_admin)
    assert client.get(reverse("dealreg:claim")).status_code == 200
    response = client.post(reverse("dealreg:claim"), {**CLAIM, "opportunity_id": "SF-3003"})
    assert response.status_code == 302
    registration = DealRegistration.objects.get(already_closed=True)
    client.force_login(pam)
    response = client.post(reverse("dealreg:decide", args=[registration.pk]),
                           {"decision": "reject", "reason_code": "insufficient_information", "reason": "No trace."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "rejected"
    assert not OpportunityPartner.objects.filter(partner=partner).exists()
    assert midyear_revenue(partner, D(2022, 7, 1)) == Decimal("0")


@pytest.mark.parametrize(("setup", "payload", "field", "words"), [
    ("none", {"opportunity_id": "SF-404"}, "opportunity_id", "no opportunity SF-404"),
    ("none", {"website": "nobody.example"}, "website", "no closed-won opportunity for nobody.example"),
    ("open", {"opportunity_id": "SF-1001"}, "opportunity_id", "does not record this opportunity as closed won"),
    ("ps", {"opportunity_id": "SF-1001"}, "opportunity_id", "Professional-services revenue never counts"),
    ("counted", {"opportunity_id": "SF-1001"}, "opportunity_id", "its revenue already counts"),
    ("two", {"website": "globex.example"}, "opportunity_id", "several closed-won opportunities"),
    ("none", {}, "opportunity_id", "opportunity id or the customer's website domain"),
    ("won", {"opportunity_id": "SF-1001", "sourced_how": ""}, "sourced_how", ""),
    ("won", {"opportunity_id": "SF-1001", "country": "UK"}, "country", "use GB"),
])
def test_a_bad_claim_gets_field_errors_on_the_page_and_a_400_from_the_api(
        client, partner, partner_admin, program_admin, on, setup, payload, field, words):
    if setup == "open":
        import_opportunity(program_admin)
    elif setup == "ps":
        import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20",
                           product_line="professional_services")
    elif setup == "counted":
        import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20", partner_domain=partner.domain,
                           attached_on="2022-04-01")
    elif setup == "two":
        import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20")
        import_opportunity(program_admin, external_id="SF-1002", stage="closed_won", close_date="2022-05-20")
    elif setup == "won":
        import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20")
    on(D(2022, 6, 1))
    client.force_login(partner_admin)
    data = {**CLAIM, **payload}
    response = client.post(reverse("api:dealreg-claims"), data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert words in " ".join(response.json()[field])
    page = client.post(reverse("dealreg:claim"), data)
    assert page.status_code == 400
    assert words.replace("'", "&#x27;") in page.content.decode()
    assert not DealRegistration.objects.exists()


def test_one_active_claim_per_partner_and_opportunity_beside_a_new_deal_for_the_customer(
        partner_admin, pam, program_admin):
    """A claim is about a sale that closed; the partner may at the same time register the customer's next deal."""
    import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20")
    services.registration_submit(partner=partner_admin.partner, submitted_by=partner_admin, today=D(2022, 6, 1),
                                 **registration_data(expected_close_date=D(2022, 9, 1)))
    claim = services.registration_claim_submit(partner=partner_admin.partner, submitted_by=partner_admin,
                                               opportunity_id="SF-1001", today=D(2022, 6, 1), **CLAIM)
    with pytest.raises(ValidationError, match=f"already registered this opportunity as {claim.reference}"):
        services.registration_claim_submit(partner=partner_admin.partner, submitted_by=partner_admin,
                                           website="globex.example", today=D(2022, 6, 1), **CLAIM)


def test_a_claim_is_refused_on_approval_when_the_sales_system_reopened_it(partner_admin, pam, program_admin):
    import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20")
    claim = services.registration_claim_submit(partner=partner_admin.partner, submitted_by=partner_admin,
                                               opportunity_id="SF-1001", today=D(2022, 6, 1), **CLAIM)
    import_opportunity(program_admin, stage="open")
    with pytest.raises(ValidationError, match="changed this opportunity"):
        services.registration_approve(registration=claim, reviewer=pam, reason="ok", today=D(2022, 6, 2))
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert not OpportunityPartner.objects.exists()


# --- the rule in plain values and the query agree ----------------------------------------------------------

@pytest.mark.parametrize(("source", "attached_on", "stage", "product_line", "counts"), [
    ("sales_team", D(2022, 5, 15), "closed_won", "flex", True),  # on the close date
    ("sales_team", D(2022, 5, 16), "closed_won", "flex", False),  # after it
    ("deal_registration", D(2022, 3, 5), "closed_won", "flex", True),
    ("deal_registration", D(2022, 5, 16), "closed_won", "flex", False),
    ("sourced_claim", D(2022, 6, 2), "closed_won", "flex", True),  # a PAM-approved claim after the close
    ("sourced_claim", D(2022, 6, 2), "closed_won", "professional_services", False),
    ("sales_team", D(2022, 3, 5), "open", "flex", False),
])
def test_the_rule_for_one_attachment_is_the_query_for_all(partner, source, attached_on, stage, product_line, counts):
    opportunity = Opportunity.objects.create(external_id="X-1", account_name="X", domain="x.example",
                                             product_line=product_line, arr_usd=Decimal("1000"), stage=stage,
                                             close_date=D(2022, 5, 15))
    OpportunityPartner.objects.create(opportunity=opportunity, partner=partner, attached_on=attached_on, source=source)
    assert rules.attachment_counts(source=source, attached_on=attached_on, stage=stage, close_date=D(2022, 5, 15),
                                   product_line=product_line) is counts
    assert (partner.pk in revenue_by_partner(start=D(2022, 1, 1), end=D(2022, 12, 31))) is counts


def test_the_claim_form_lists_countries_by_name_and_stores_the_code(client, partner, partner_admin, program_admin, on):
    import_opportunity(program_admin, external_id="SF-3004", stage="closed_won", close_date="2022-04-20")
    on(D(2022, 6, 1))
    client.force_login(partner_admin)
    html = client.get(reverse("dealreg:claim")).content.decode()
    assert '<select name="country"' in html and '<option value="DE">Germany</option>' in html
    response = client.post(reverse("dealreg:claim"), {**CLAIM, "opportunity_id": "SF-3004", "country": "de"})
    assert response.status_code == 302
    assert DealRegistration.objects.get(already_closed=True).country == "DE"
    page = client.post(reverse("dealreg:claim"), {**CLAIM, "opportunity_id": "SF-3004", "country": "ZZ"})
    assert page.status_code == 400 and "ZZ is not an ISO 3166-1 country code" in page.content.decode()
