"""Tier reasons are data: a code with parameters, put in the reader's words when read (tiers/reasons.py);
stored English sentences of older runs are migrated to codes or kept as they were."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from activity.actions import AuditAction
from activity.models import AuditEntry
from tiers import reasons, services
from tiers.models import Assessment, RecalculationRun

from .conftest import add_people, win

migration = importlib.import_module("tiers.migrations.0008_reasons_as_codes")

MIDYEAR_WINDOW = {"from": "2021-10-01", "to": "2022-09-30"}

# Each code with the English sentence a run wrote for it before reasons were codes (the same words).
ENGLISH = [
    ({"code": "qualifies", "tier": "Silver"}, "You qualify for Silver."),
    ({"code": "requirement_short", "tier": "Registered", "requirement": "partner_agreement"},
     "Registered needs the partner agreement accepted; your company has not accepted it."),
    ({"code": "requirement_short", "tier": "Silver", "requirement": "platform_certified", "have": 8, "need": 10},
     "Silver needs 10 platform-certified technical people; you have 8."),
    ({"code": "requirement_short", "tier": "Bronze", "requirement": "platform_certified", "have": 0, "need": 1},
     "Bronze needs 1 platform-certified technical person; you have 0."),
    ({"code": "requirement_short", "tier": "Bronze", "requirement": "sales_trained", "have": 0, "need": 1},
     "Bronze needs 1 sales-trained person; you have 0."),
    ({"code": "requirement_short", "tier": "Gold", "requirement": "sales_trained", "have": 3, "need": 10},
     "Gold needs 10 sales-trained people; you have 3."),
    ({"code": "requirement_short", "tier": "Silver", "requirement": "revenue", "have": "200000", "need": "250000",
      "window": {"year": 2023}},
     "Silver needs $250,000 of closed-won revenue in 2023; you have $200,000."),
    ({"code": "requirement_short", "tier": "Silver", "requirement": "revenue", "have": "150000", "need": "200000",
      "window": MIDYEAR_WINDOW},
     "Silver needs $200,000 of closed-won revenue from 1 Oct 2021 to 30 Sep 2022; you have $150,000."),
    ({"code": "requirement_short", "tier": "Silver", "requirement": "revenue", "have": "0", "need": "200000"},
     "Silver needs $200,000 of closed-won revenue; you have $0."),
    ({"code": "designated", "computed": "Bronze"},
     "Global Strategic is a designation given by the program; recalculation does not move a designated partner "
     "(computed: Bronze)."),
    ({"code": "annual_stay", "tier": "Gold"}, "Annual recalculation: you stay Gold."),
    ({"code": "annual_move", "direction": "up", "tier": "Gold", "window": {"year": 2022}},
     "Annual recalculation (revenue in 2022): you move up to Gold."),
    ({"code": "annual_move", "direction": "down", "tier": "Registered", "window": {"year": 2022}},
     "Annual recalculation (revenue in 2022): you move down to Registered."),
    ({"code": "midyear_up", "tier": "Silver"}, "Mid-year recalculation: you move up to Silver."),
    ({"code": "midyear_stay", "tier": "Gold"}, "Mid-year recalculation: partners only move up; you stay Gold."),
    ({"code": "provisional_met"}, "Your certification provisional period is closed: the counts are met."),
    ({"code": "provisional_open", "tier": "Silver", "ends_on": "2022-09-29"},
     "A certification provisional period opens: you keep Silver if the certification and training counts are met "
     "again by 29 Sep 2022."),
    ({"code": "provisional_continue", "tier": "Silver", "ends_on": "2022-09-29"},
     "Your certification provisional period runs until 29 Sep 2022; you keep Silver until then."),
    ({"code": "provisional_expired", "tier": "Bronze", "ended_on": "2022-06-01"},
     "Your certification provisional period ended on 1 Jun 2022 with the counts still short: you move down to "
     "Bronze, the highest tier your certified and sales-trained people still meet."),
]


@pytest.mark.parametrize(("reason", "sentence"), ENGLISH)
def test_each_code_reads_in_english_as_the_sentences_did(reason, sentence):
    with translation.override("en"):
        assert reasons.render(reason) == sentence


def test_the_tier_page_only_codes_read_as_before():
    short = {"code": "requirement_short", "tier": "Silver", "requirement": "sales_trained", "have": 3, "need": 5}
    with translation.override("en"):
        assert reasons.render_all([{"code": "designated_today"}, {"code": "qualifies_today", "tier": "Bronze"},
                                   {"code": "at_next_annual", "reason": short}]) == [
            "Global Strategic is a designation given by the program; recalculations do not move it.",
            "By today's figures you qualify for Bronze.",
            "At the next annual recalculation: Silver needs 5 sales-trained people; you have 3.",
        ]


# A catalog as a translator would write it: whole sentences, the placeholders by name and in another order.
FAKE_FR = {
    "You qualify for %(tier)s.": "Vous êtes admissible au niveau %(tier)s.",
    "%(tier)s needs %(need)s of closed-won revenue from %(start)s to %(end)s; you have %(have)s.":
        "Vous avez %(have)s de revenu conclu du %(start)s au %(end)s ; %(tier)s demande %(need)s.",
    "%(tier)s needs %(need)d platform-certified technical people; you have %(have)d.":
        "Vous avez %(have)d personnes techniques certifiées ; %(tier)s en demande %(need)d.",
}


def test_a_reason_is_one_whole_sentence_translated_with_named_placeholders(monkeypatch):
    asked = []

    def gettext(msgid):
        asked.append(msgid)
        return FAKE_FR.get(msgid, msgid)

    def ngettext(singular, plural, n):
        asked.append((singular, plural))
        return FAKE_FR.get(singular if n == 1 else plural, singular if n == 1 else plural)

    monkeypatch.setattr(reasons, "_", gettext)
    monkeypatch.setattr(reasons, "ngettext", ngettext)
    assert reasons.render({"code": "qualifies", "tier": "Gold"}) == "Vous êtes admissible au niveau Gold."
    assert reasons.render({"code": "requirement_short", "tier": "Silver", "requirement": "revenue", "have": "150000",
                           "need": "200000", "window": MIDYEAR_WINDOW}) == (
        "Vous avez $150,000 de revenu conclu du 1 Oct 2021 au 30 Sep 2022 ; Silver demande $200,000.")
    assert reasons.render({"code": "requirement_short", "tier": "Silver", "requirement": "platform_certified",
                           "have": 8, "need": 10}) == "Vous avez 8 personnes techniques certifiées ; Silver en demande 10."
    # One msgid per sentence (the singular and plural forms together for a count), none a fragment.
    assert asked[-1] == ("%(tier)s needs %(need)d platform-certified technical person; you have %(have)d.",
                         "%(tier)s needs %(need)d platform-certified technical people; you have %(have)d.")
    assert all(isinstance(m, tuple) or m.endswith(".") for m in asked)


def test_a_reason_reads_in_french():
    # scripts/test.sh compiles the catalogs before pytest starts.
    with translation.override("fr"):
        text = reasons.render({"code": "qualifies", "tier": "Gold"})
    assert "Gold" in text and "You qualify" not in text


def test_a_stored_sentence_is_shown_as_stored_and_an_unknown_code_does_not_break_a_page():
    assert reasons.render("Some sentence an old run wrote.") == "Some sentence an old run wrote."
    assert reasons.lines(["Old.", {"code": "qualifies", "tier": "Gold"}]) == [
        reasons.Line("Old.", True), reasons.Line("You qualify for Gold.", False)]
    assert reasons.render({"code": "a_code_from_the_future", "tier": "Gold"}) == "a_code_from_the_future"


def test_the_api_gives_the_code_its_parameters_and_the_text():
    short = {"code": "requirement_short", "tier": "Silver", "requirement": "sales_trained", "have": 3, "need": 5}
    assert reasons.as_data(short) == {
        "code": "requirement_short", "params": {"tier": "Silver", "requirement": "sales_trained", "have": 3, "need": 5},
        "text": "Silver needs 5 sales-trained people; you have 3."}
    assert reasons.as_data("Old.") == {"code": None, "params": {}, "text": "Old."}


# --- The data migration -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "sentence"), ENGLISH)
def test_the_migration_parses_each_sentence_back_into_its_code(reason, sentence):
    parsed = migration.parse(sentence)
    assert parsed is not None, sentence
    with translation.override("en"):
        assert reasons.render(parsed) == sentence
    assert parsed["code"] == reason["code"]


def test_the_migration_reads_whole_dollar_amounts_and_dates_as_iso():
    parsed = migration.parse("Silver needs $250,000 of closed-won revenue from 2 Oct 2021 to 1 Oct 2022; you have "
                             "$1,200.")
    assert parsed == {"code": "requirement_short", "tier": "Silver", "requirement": "revenue", "have": "1200",
                      "need": "250000", "window": {"from": "2021-10-02", "to": "2022-10-01"}}
    assert migration.parse("Something a person wrote by hand.") is None
    assert migration.parse("You qualify for Gold") is None  # not the whole sentence


@pytest.mark.django_db
def test_the_migration_converts_stored_sentences_and_keeps_the_ones_it_cannot_read(partner, other_partner):
    run = services.run_preview(kind="annual", as_of=date(2023, 1, 1))
    Assessment.objects.filter(run=run, partner=partner).update(reasons=[
        "You qualify for Silver.", "Gold needs 15 platform-certified technical people; you have 8.",
        "A sentence written by a version nobody remembers.", "Annual recalculation: you stay Silver."])
    Assessment.objects.filter(run=run, partner=other_partner).update(reasons=[{"code": "qualifies", "tier": "Gold"}])

    migration.forwards(apps, None)

    mine = Assessment.objects.get(run=run, partner=partner)
    assert mine.reasons == [
        {"code": "qualifies", "tier": "Silver"},
        {"code": "requirement_short", "tier": "Gold", "requirement": "platform_certified", "have": 8, "need": 15},
        "A sentence written by a version nobody remembers.",
        {"code": "annual_stay", "tier": "Silver"},
    ]
    assert mine.reasons_recorded_in_english
    assert Assessment.objects.get(run=run, partner=other_partner).reasons == [{"code": "qualifies", "tier": "Gold"}]

    migration.backwards(apps, None)  # and back: the sentences as they were
    assert Assessment.objects.get(run=run, partner=partner).reasons == [
        "You qualify for Silver.", "Gold needs 15 platform-certified technical people; you have 8.",
        "A sentence written by a version nobody remembers.", "Annual recalculation: you stay Silver."]


# --- Pages, the API, the audit trail and the email --------------------------------------------------------


@pytest.mark.django_db
def test_a_run_stores_codes_and_the_api_gives_them_with_the_text(client, program_admin, partner, partner_admin):
    add_people(partner, certified=3, both=5)
    win(partner, "150000", date(2022, 6, 1))
    run = services.run_preview(kind="annual", as_of=date(2023, 1, 1))
    stored = Assessment.objects.get(run=run, partner=partner).reasons
    assert all(isinstance(r, dict) and "code" in r for r in stored)
    client.force_login(program_admin)
    rows = client.get(reverse("api:tier_run_assessments", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    row = next(r for r in rows["results"] if r["partner"] == partner.pk)
    assert row["reasons"] == [item["text"] for item in row["reason_codes"]]
    assert [{"code": item["code"], **item["params"]} for item in row["reason_codes"]] == stored
    assert "Silver needs 10 platform-certified technical people; you have 8." in row["reasons"]

    services.run_apply(run=run, user=program_admin)
    client.force_login(partner_admin)
    body = client.get(reverse("api:tier_standing")).json()
    last = body["last_recalculation"]
    assert [{"code": item["code"], **item["params"]} for item in last["reason_codes"]] == stored
    assert last["reasons"] == body["tier_history"][0]["reasons"] == [item["text"] for item in last["reason_codes"]]
    assert body["reasons"] == [item["text"] for item in body["reason_codes"]] and body["reason_codes"]


@pytest.mark.django_db
def test_the_audit_trail_names_the_run_whose_assessment_gives_the_reasons_and_the_email_reads_them(
        partner, partner_admin):
    add_people(partner, certified=3, both=5)
    win(partner, "150000", date(2022, 6, 1))
    run = services.recalculate(kind="annual", as_of=date(2023, 1, 1), apply=True)
    entry = AuditEntry.objects.get(partner_id=partner.pk, action=AuditAction.TIER_CHANGE)
    assert entry.reason == (f"Applied by the annual recalculation as of 2023-01-01 (run {run.pk}); the run's "
                            "assessment of the partner gives the reasons.")
    assessment = Assessment.objects.get(run=run, partner=partner)
    assert "Silver needs 10 platform-certified technical people; you have 8." in reasons.render_all(
        assessment.reasons)
    from activity.rendering import render_text

    params = services.tier_change_notice(run, partner.name, "silver", "bronze", "down",
                                         Assessment.objects.get(run=run, partner=partner).reasons)
    body = render_text(services.TIER_CHANGE_KIND, params, "en")
    assert "Annual recalculation (revenue in 2022): you move down to Bronze." in body


@pytest.mark.django_db
def test_the_tier_page_says_when_a_reason_was_recorded_in_english(client, partner, partner_admin):
    run = services.recalculate(kind="annual", as_of=date(2023, 1, 1), apply=True)
    Assessment.objects.filter(run=run, partner=partner).update(reasons=["Written by hand, long ago."])
    client.force_login(partner_admin)
    html = client.get(reverse("tiers:standing")).content.decode()
    assert "Written by hand, long ago." in html
    assert "Recorded in English before reasons were translated." in html
    assert RecalculationRun.objects.filter(pk=run.pk, status="applied").exists()
