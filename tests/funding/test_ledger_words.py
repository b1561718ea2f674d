"""The ledger stores what happened as data and words it in the reader's language (funding.ledger): every
entry a service writes, on the page, in the API and in the Django admin; and the migration that turned the
English notes of older entries into data.

The French catalog has no entries yet for the new sentences (the main session fills them from
/work/notes/translations/arch15.json): French is asserted where a catalog entry exists ("Claim rejected"),
through a stand-in translation for the others, and by the French date format, which comes from CLDR."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from core.formatting import day
from funding import ledger, services
from funding.admin import LedgerEntryAdmin
from funding.ledger import ledger_words
from funding.models import LedgerEntry, Program

from .conftest import approved_past_mdf, pdf

pytestmark = pytest.mark.django_db
D = Decimal
CONVERSION = importlib.import_module("funding.migrations.0005_ledger_notes_to_params")


@pytest.fixture
def entries(partner, partner_member, pam, program_admin, program_year):
    """One entry of every cause, each written by its service; returns them by name."""
    services.tier_default_set(program_year=program_year, tier="silver", amount=D("12000"), admin=program_admin)
    paid = approved_past_mdf(partner, partner_member, pam)  # creates the allocation from the tier default
    services.tier_default_set(program_year=program_year, tier="silver", amount=D("15000"), admin=program_admin)
    services.claim_submit(funding_request=paid, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    services.claim_approve(funding_request=paid, reviewer=pam, approved_amount=D("4000"), reason="Proof fine")
    services.claim_mark_paid(funding_request=paid, admin=program_admin, payment_reference="PAY-2026-7")
    rejected = approved_past_mdf(partner, partner_member, pam)
    services.claim_submit(funding_request=rejected, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    services.claim_reject(funding_request=rejected, reviewer=pam, reason="The invoice is for another event")
    expired = approved_past_mdf(partner, partner_member, pam)
    services.request_expire(funding_request=expired, today=expired.claim_deadline + datetime.timedelta(days=1))
    services.allocation_set(partner=partner, program_year=program_year, amount=D("30000"), admin=program_admin,
                            reason="Q3 events plan")
    rows = LedgerEntry.objects.filter(partner=partner)
    returned = rows.filter(kind=LedgerEntry.Kind.RETURNED)
    allocations = rows.filter(kind=LedgerEntry.Kind.ALLOCATION).order_by("id")
    return {
        "tier_default": allocations[0], "tier_default_changed": allocations[1], "typed": allocations[2],
        "approved": rows.filter(kind=LedgerEntry.Kind.APPROVED).first(),
        "not_claimed": returned.get(request=paid), "paid": rows.get(kind=LedgerEntry.Kind.PAID),
        "claim_rejected": returned.get(request=rejected), "expired": returned.get(request=expired),
        "deadline": expired.claim_deadline, "year": program_year.year,
    }


def test_each_service_stores_what_happened_as_data_and_no_english(entries):
    e = entries
    assert e["tier_default"].params == {"cause": "tier_default", "tier": "silver", "year": e["year"]}
    assert e["tier_default_changed"].params == {"cause": "tier_default_changed", "tier": "silver"}
    assert e["not_claimed"].params == {"cause": "not_claimed"}
    assert e["paid"].params == {"cause": "payment", "reference": "PAY-2026-7"}
    assert e["claim_rejected"].params == {"cause": "claim_rejected"}
    assert e["expired"].params == {"cause": "expired", "deadline": e["deadline"].isoformat()}
    assert (e["typed"].params, e["typed"].note) == ({}, "Q3 events plan")  # what the program admin typed
    assert e["approved"].params == {}  # the kind says it all
    # Only a person's words are stored as text.
    assert set(LedgerEntry.objects.exclude(note="").values_list("note", flat=True)) == {"Q3 events plan"}


def test_every_entry_reads_in_english(entries):
    e = entries
    with translation.override("en"):
        words = {name: ledger_words(e[name]) for name in e if isinstance(e[name], LedgerEntry)}
    assert words == {
        "tier_default": f"Silver tier default for {e['year']}",
        "tier_default_changed": "Tier default for Silver changed",
        "typed": "Q3 events plan",
        "approved": "",
        "not_claimed": "Approved amount not claimed",
        "paid": "Payment PAY-2026-7",
        "claim_rejected": "Claim rejected",
        "expired": f"Not claimed by {day(e['deadline'])}",
    }


def test_every_entry_reads_in_french_where_the_catalog_has_it(entries):
    e = entries
    with translation.override("fr"):
        assert ledger_words(e["claim_rejected"]) == "Demande de remboursement refusée"  # in the catalog already
        french_day = day(e["deadline"])
        assert french_day in ledger_words(e["expired"])  # the date in French (CLDR), worded when read
        assert ledger_words(e["typed"]) == "Q3 events plan"  # typed text is shown as typed
        # Tier names are the program's own in every language.
        assert "Silver" in ledger_words(e["tier_default"]) and str(e["year"]) in ledger_words(e["tier_default"])
    with translation.override("en"):
        assert day(e["deadline"]) != french_day


NEW_SENTENCES = {"%(tier)s tier default for %(year)s", "Tier default for %(tier)s changed", "Approved amount not claimed",
                 "Not claimed by %(deadline)s", "Payment %(reference)s"}


def test_every_sentence_goes_through_the_catalog_when_read(entries, monkeypatch):
    """A stand-in French catalog for the new sentences: each entry changes language with the reader."""
    real = translation._trans.gettext

    def gettext(message):
        if translation.get_language() == "fr" and message in NEW_SENTENCES:
            return "FR " + message
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", gettext)
    e = entries
    with translation.override("fr"):
        words = {name: ledger_words(e[name]) for name in ("tier_default", "tier_default_changed", "not_claimed",
                                                          "paid", "expired")}
        french_day = day(e["deadline"])
    assert words == {
        "tier_default": f"FR Silver tier default for {e['year']}",
        "tier_default_changed": "FR Tier default for Silver changed",
        "not_claimed": "FR Approved amount not claimed",
        "paid": "FR Payment PAY-2026-7",
        "expired": f"FR Not claimed by {french_day}",
    }
    with translation.override("en"):
        assert ledger_words(e["paid"]) == "Payment PAY-2026-7"


def test_the_page_the_api_and_the_admin_show_the_same_words_in_the_readers_language(client, entries, pam, partner):
    client.force_login(pam)
    url = reverse("funding:partner_funding", args=[partner.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Payment PAY-2026-7" in english and "Claim rejected" in english and "Q3 events plan" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Demande de remboursement refusée" in french and "Q3 events plan" in french
    ledger_json = client.get(reverse("api:funding-partner-summary", args=[partner.pk]),
                             HTTP_ACCEPT_LANGUAGE="fr").json()["ledger"]
    by_id = {row["id"]: row for row in ledger_json}
    rejected = by_id[entries["claim_rejected"].pk]
    assert (rejected["note"], rejected["params"]) == ("Demande de remboursement refusée", {"cause": "claim_rejected"})
    assert by_id[entries["paid"].pk]["params"] == {"cause": "payment", "reference": "PAY-2026-7"}
    with translation.override("en"):
        assert LedgerEntryAdmin(LedgerEntry, admin.site).words(entries["paid"]) == "Payment PAY-2026-7"


# ---------------------------------------------------------------- the migration of older notes


OLD_NOTES = [  # (kind, the note an older version stored, the params it becomes; None: typed text, kept)
    ("allocation", "Silver tier default for 2026", {"cause": "tier_default", "tier": "silver", "year": 2026}),
    ("allocation", "Global Strategic tier default for 2027",
     {"cause": "tier_default", "tier": "global_strategic", "year": 2027}),
    ("allocation", "Tier default for Gold changed", {"cause": "tier_default_changed", "tier": "gold"}),
    ("returned", "Approved amount not claimed", {"cause": "not_claimed"}),
    ("returned", "Claim rejected", {"cause": "claim_rejected"}),
    ("returned", "Not claimed by 2026-03-31", {"cause": "expired", "deadline": "2026-03-31"}),
    ("paid", "Payment PAY-2022-0042", {"cause": "payment", "reference": "PAY-2022-0042"}),
    ("allocation", "Annual plan", None),  # a program admin's reason
    ("allocation", "Payment plan agreed", None),  # looks like a payment, but an allocation's note is typed
    ("allocation", "Platinum tier default for 2026", None),  # no such tier: not ours
    ("allocation", "Tier default", None),  # the demo data's note
]


def _old_entry(kind, note, partner, program_year, funding_request):
    amount = D("100") if kind != "allocation" else D("-100")
    return LedgerEntry.objects.create(partner=partner, program_year=program_year, program=Program.MDF, kind=kind,
                                      amount=amount, request=None if kind == "allocation" else funding_request,
                                      note=note)


def test_the_migration_turns_the_old_english_notes_into_data_and_keeps_typed_ones(partner, partner_member, pam,
                                                                                 program_year, allocation):
    funding_request = approved_past_mdf(partner, partner_member, pam)
    rows = [(_old_entry(kind, note, partner, program_year, funding_request), note, params)
            for kind, note, params in OLD_NOTES]
    CONVERSION.forwards(apps, None)
    for row, note, params in rows:
        row.refresh_from_db()
        if params is None:
            assert (row.params, row.note) == ({}, note)
        else:
            assert (row.params, row.note) == (params, ""), note
    with translation.override("en"):  # converted entries read as before (the deadline in the one day format)
        expected = [note for _kind, note, _params in OLD_NOTES]
        expected[5] = f"Not claimed by {day(datetime.date(2026, 3, 31))}"
        assert [ledger_words(row) for row, _note, _params in rows] == expected
    converted = [row.pk for row, _note, params in rows if params]
    CONVERSION.forwards(apps, None)  # again: nothing left to convert, nothing changes
    assert LedgerEntry.objects.filter(pk__in=converted, note="").count() == len(converted)
    CONVERSION.backwards(apps, None)
    for row, note, _params in rows:
        row.refresh_from_db()
        assert (row.params, row.note) == ({}, note)


def test_params_of_reads_only_the_sentences_of_the_entrys_kind():
    assert CONVERSION.params_of("paid", "Payment X-1") == ledger.payment("X-1")
    assert CONVERSION.params_of("allocation", "Payment X-1") is None
    assert CONVERSION.params_of("returned", "Not claimed by 2026-03-31") == ledger.expired(datetime.date(2026, 3, 31))
    assert CONVERSION.params_of("returned", "Not claimed by soon") is None


def test_an_unknown_cause_shows_only_the_typed_note():
    """An entry written by a newer version with a cause this one does not know still shows its note."""
    entry = LedgerEntry(kind="returned", params={"cause": "something_new"}, note="")
    assert ledger_words(entry) == ""
    assert ledger_words(LedgerEntry(kind="allocation", params={}, note="Plan")) == "Plan"
