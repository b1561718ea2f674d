"""A registration's history stores what happened as data: the portal's words are a code with its facts, put in
the reader's language when read (dealreg/history.py); what a person typed is kept as typed, never glued to a
label. The English sentences stored before codes are migrated to codes (dealreg/migrations/0009)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from activity.models import AuditEntry
from core.formatting import day, money
from dealreg import history, services
from dealreg.models import DealRegistrationEvent, Opportunity

from .conftest import registration_data

pytestmark = pytest.mark.django_db

migration = importlib.import_module("dealreg.migrations.0009_event_reasons_as_codes")
D = datetime.date

# Each code with its English words, and the msgid and values they are made of (for the French reading).
CASES = [
    (history.CLAIM_WON, {"close_date": "2022-04-20", "arr_usd": "45000.00", "opportunity": "SF-1001"},
     "Already closed won on 20 Apr 2022 with $45,000 ARR (SF-1001).",
     "Already closed won on %(close_date)s with %(arr)s ARR (%(opportunity)s).",
     lambda: {"close_date": day(D(2022, 4, 20)), "arr": money("45000.00"), "opportunity": "SF-1001"}),
    (history.WON, {"arr_usd": "1234.50", "closed_on": "2026-12-01"}, "$1,234.50 ARR, closed 1 Dec 2026",
     "%(arr)s ARR, closed %(closed)s", lambda: {"arr": money("1234.50"), "closed": day(D(2026, 12, 1))}),
    (history.EXPIRED, {"expires_on": "2022-06-03"}, "Not won or lost by 3 Jun 2022.",
     "Not won or lost by %(expires_on)s.", lambda: {"expires_on": day(D(2022, 6, 3))}),
    (history.EXPIRED, {"expires_on": "2022-06-03", "close_date": "2022-05-15"},
     "Not won or lost by 3 Jun 2022. Closed won on 15 May 2022 in the sales system: the attachment stays.",
     "Not won or lost by %(expires_on)s. Closed won on %(close_date)s in the sales system: the attachment stays.",
     lambda: {"expires_on": day(D(2022, 6, 3)), "close_date": day(D(2022, 5, 15))}),
    (history.REJECTED, {"reject_reason": "duplicate"}, "Rejection reason: Duplicate registration",
     "Rejection reason: %(reject_reason)s", lambda: {"reject_reason": translation.gettext("Duplicate registration")}),
]


@pytest.mark.parametrize(("code", "params", "english", "msgid", "values"), CASES)
def test_each_code_reads_in_english(code, params, english, msgid, values):
    with translation.override("en"):
        assert history.render(code, params) == english


@pytest.mark.parametrize(("code", "params", "english", "msgid", "values"), CASES)
def test_each_code_reads_in_french_from_one_whole_msgid(code, params, english, msgid, values, monkeypatch):
    """French dates and money, and the sentence from the French catalog: one msgid per code (a translator sees
    the whole sentence). A new msgid reads in English until the main session's catalogs have it."""
    asked = []

    def spy(text):
        asked.append(text)
        return translation.gettext(text)

    monkeypatch.setattr(history, "_", spy)
    with translation.override("fr"):
        french = history.render(code, params)
        assert french == translation.gettext(msgid) % values()
    assert asked == [msgid]
    assert french != english


def test_the_won_words_and_the_rejection_category_come_from_the_french_catalog():
    with translation.override("fr"):
        won = translation.gettext("%(arr)s ARR, closed %(closed)s")
        category = translation.gettext("Duplicate registration")
        assert won != "%(arr)s ARR, closed %(closed)s" and category != "Duplicate registration"
        assert history.render(history.WON, {"arr_usd": "1000.00", "closed_on": "2026-12-01"}) == won % {
            "arr": money("1000.00"), "closed": day(D(2026, 12, 1))}
        assert category in history.render(history.REJECTED, {"reject_reason": "duplicate"})


def test_a_code_it_cannot_render_reads_as_nothing():
    assert history.render("", {}) == ""
    assert history.render("from_a_later_version", {"x": 1}) == ""
    assert history.render(history.EXPIRED, {}) == ""  # a parameter missing: no error page


# --- what the services record -------------------------------------------------------------------------------

def _audit(registration, action):
    return AuditEntry.objects.filter(object_type="dealreg.dealregistration", object_id=str(registration.pk),
                                     action=action).get()


def test_a_rejection_keeps_the_typed_reason_apart_from_its_category(registration, pam):
    with translation.override("fr"):  # the PAM reads in French: the record is the same
        services.registration_reject(registration=registration, reviewer=pam, reason_code="duplicate",
                                     reason="Acme registered it first.")
    event = registration.events.get(action="reject")
    assert (event.reason, event.reason_code, event.reason_params) == (
        "Acme registered it first.", history.REJECTED, {"reject_reason": "duplicate"})
    # The audit trail is kept in the source language, the portal's words then the typed reason.
    assert _audit(registration, "dealreg.reject").reason == (
        "Rejection reason: Duplicate registration\nAcme registered it first.")


def test_won_records_the_figures_and_any_typed_reason(registration, pam, today):
    services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    services.registration_win(registration=registration, reviewer=pam, final_arr_usd=Decimal("1000.00"),
                              closed_on=today)
    event = registration.events.get(action="win")
    assert (event.reason, event.reason_code, event.reason_params) == (
        "", history.WON, {"arr_usd": "1000.00", "closed_on": today.isoformat()})
    with translation.override("en"):
        assert event.text == f"$1,000 ARR, closed {day(today)}"


def import_opportunity(program_admin, **row):
    row = {"external_id": "SF-1001", "account_name": "Globex Corporation", "domain": "globex.example",
           "product_line": "flex", "arr_usd": "30000", "stage": "open", "close_date": "", **row}
    services.opportunities_import(rows=[(1, row)], actor=program_admin, source="sales-system.csv")
    return Opportunity.objects.get(external_id=row["external_id"])


def approved_in_march_2022(partner_admin, pam):
    registration = services.registration_submit(
        partner=partner_admin.partner, submitted_by=partner_admin, today=D(2022, 3, 1),
        **registration_data(expected_close_date=D(2022, 5, 1)))
    return services.registration_approve(registration=registration, reviewer=pam, reason="ok", today=D(2022, 3, 5))


@pytest.mark.parametrize(("closed_won", "params"), [
    (False, {"expires_on": "2022-06-03"}),
    (True, {"expires_on": "2022-06-03", "close_date": "2022-05-15"}),
])
def test_an_expiry_records_its_date_and_a_sale_that_keeps_the_attachment(partner_admin, pam, program_admin,
                                                                          closed_won, params):
    import_opportunity(program_admin)
    registration = approved_in_march_2022(partner_admin, pam)
    if closed_won:
        import_opportunity(program_admin, stage="closed_won", close_date="2022-05-15")
    services.registrations_expire_and_remind(today=D(2022, 6, 4))
    event = registration.events.get(action="expire")
    assert (event.actor, event.reason, event.reason_code, event.reason_params) == (
        None, "", history.EXPIRED, params)
    with translation.override("en"):
        assert _audit(registration, "dealreg.expire").reason == event.words


def test_an_approved_claim_records_the_sales_system_figures(partner_admin, pam, program_admin):
    import_opportunity(program_admin, stage="closed_won", close_date="2022-04-20", arr_usd="45000")
    claim = services.registration_claim_submit(
        partner=partner_admin.partner, submitted_by=partner_admin, opportunity_id="SF-1001", today=D(2022, 6, 1),
        sourced_how="Our workshop.", country="US", contact_name="Hank", contact_email="hank@globex.example")
    services.registration_approve(registration=claim, reviewer=pam, reason="Confirmed.", today=D(2022, 6, 2))
    event = claim.events.get(action="win")
    assert (event.reason, event.reason_code, event.reason_params) == (
        "", history.CLAIM_WON, {"close_date": "2022-04-20", "arr_usd": "45000.00", "opportunity": "SF-1001"})
    assert claim.events.get(action="approve").reason == "Confirmed."


# --- every reader: the page, the API, the admin -------------------------------------------------------------

def test_the_detail_page_shows_the_words_in_the_readers_language_and_the_typed_reason_as_typed(
        client, registration, pam, partner_admin):
    services.registration_reject(registration=registration, reviewer=pam, reason_code="not_a_fit",
                                 reason="Outside our regions.")
    client.force_login(partner_admin)
    url = reverse("dealreg:detail", args=[registration.pk])
    html = client.get(url).content.decode()
    assert "Rejection reason: Not a fit" in html and "Outside our regions." in html
    assert "Not a fit: Outside" not in html
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        assert translation.gettext("Not a fit") in html
    assert "Outside our regions." in html


def test_the_api_gives_the_words_the_note_and_the_code(client, registration, pam, partner_admin):
    services.registration_reject(registration=registration, reviewer=pam, reason_code="not_a_fit",
                                 reason="Outside our regions.")
    client.force_login(partner_admin)
    url = reverse("api:dealreg-registration", args=[registration.pk])
    item = client.get(url).json()["history"][-1]
    assert item == {**item, "action": "reject", "reason": "Rejection reason: Not a fit\nOutside our regions.",
                    "note": "Outside our regions.", "reason_code": "rejected",
                    "reason_params": {"reject_reason": "not_a_fit"}}
    assert client.get(url).json()["history"][0]["reason_code"] == ""  # the submission: nothing to say
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()["history"][-1]
    with translation.override("fr"):
        assert translation.gettext("Not a fit") in french["reason"]
    assert (french["note"], french["reason_code"]) == ("Outside our regions.", "rejected")


def test_the_admin_shows_the_words(registration, pam):
    from dealreg.admin import EventInline

    services.registration_reject(registration=registration, reviewer=pam, reason_code="duplicate", reason="Twice.")
    event = registration.events.get(action="reject")
    with translation.override("en"):
        assert EventInline.why(None, event) == "Rejection reason: Duplicate registration\nTwice."


# --- the migration of the English sentences stored before codes ---------------------------------------------

OLD = [
    ("win", "Already closed won on 20 Apr 2022 with 45000.00 USD ARR (SF-1001).",
     ("claim_won", {"close_date": "2022-04-20", "arr_usd": "45000.00", "opportunity": "SF-1001"}, "")),
    ("win", "Won: 1000.00 USD ARR, closed 2026-12-01.", ("won", {"arr_usd": "1000.00", "closed_on": "2026-12-01"}, "")),
    ("expire", "Not won or lost by 03 Jun 2022.", ("expired", {"expires_on": "2022-06-03"}, "")),
    ("expire", "Not won or lost by 03 Jun 2022. Closed won on 15 May 2022 in the sales system: the attachment stays.",
     ("expired", {"expires_on": "2022-06-03", "close_date": "2022-05-15"}, "")),
    ("reject", "Duplicate registration: Acme registered it first.\nSee DR-4.",
     ("rejected", {"reject_reason": "duplicate"}, "Acme registered it first.\nSee DR-4.")),
    ("reject", "Other: We stopped selling there.", ("rejected", {"reject_reason": "other"}, "We stopped selling there.")),
    ("reject", "Not a fit: Outside our regions.", ("rejected", {"reject_reason": "not_a_fit"}, "Outside our regions.")),
]


@pytest.mark.parametrize(("action", "text", "parsed"), OLD)
def test_each_old_sentence_parses_to_its_code(action, text, parsed):
    assert migration.parse(action, text) == parsed
    assert migration.sentence(*parsed) == text  # and back, as it was stored


@pytest.mark.parametrize(("action", "text"), [
    ("win", "Signed by the COO."),  # a typed reason of a win
    ("reject", "No category here."),
    ("approve", "Duplicate registration: looks fine"),  # the pattern, but not an event the portal wrote it for
    ("expire", "Not won or lost by 3 June 2022."),
    ("win", "Won: 1000.00 USD ARR, closed 2026-12-01. And more."),
])
def test_anything_else_is_left_as_typed(action, text):
    assert migration.parse(action, text) is None


def test_a_rejection_labelled_in_the_reviewers_language_is_split_too():
    labels = migration.reject_labels()
    with translation.override("fr"):
        french = translation.gettext("Duplicate registration")
    assert labels[french] == "duplicate"
    parsed = migration.parse("reject", f"{french}: Déjà enregistré.", labels=labels,
                             rejected=migration.rejected_pattern(labels))
    assert parsed == ("rejected", {"reject_reason": "duplicate"}, "Déjà enregistré.")


def test_the_migration_converts_stored_rows_and_back(registration, pam):
    def event(action, text):
        return DealRegistrationEvent.objects.create(registration=registration, action=action, to_status="approved",
                                                    reason=text)

    rows = [event(action, text) for action, text, _parsed in OLD]
    typed = event("win", "Signed by the COO.")
    answer = event("respond", "Not won or lost by 03 Jun 2022.")  # a partner typed it: not the portal's

    migration.forwards(apps, None)
    for row, (_action, _text, (code, params, reason)) in zip(rows, OLD, strict=True):
        row.refresh_from_db()
        assert (row.reason_code, row.reason_params, row.reason) == (code, params, reason)
    for row, text in ((typed, "Signed by the COO."), (answer, "Not won or lost by 03 Jun 2022.")):
        row.refresh_from_db()
        assert (row.reason_code, row.reason) == ("", text)
    with translation.override("en"):
        assert rows[0].text == "Already closed won on 20 Apr 2022 with $45,000 ARR (SF-1001)."
        assert rows[4].text == "Rejection reason: Duplicate registration\nAcme registered it first.\nSee DR-4."

    migration.forwards(apps, None)  # safe twice: a coded event is not parsed again
    rows[4].refresh_from_db()
    assert rows[4].reason == "Acme registered it first.\nSee DR-4."

    migration.backwards(apps, None)
    for row, (_action, text, _parsed) in zip(rows, OLD, strict=True):
        row.refresh_from_db()
        assert (row.reason_code, row.reason_params, row.reason) == ("", {}, text)
