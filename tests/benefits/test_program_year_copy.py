"""Copying a program year copies its benefits table (Benefit and TierBenefit rows), whichever way a
program admin copies it: the service, the command, the program years page and the API."""

import datetime
import threading
import time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from activity.models import AuditEntry
from benefits.models import Benefit, BenefitInvitation, TierBenefit
from benefits.services import program_year_copy_with_benefits
from program.models import ProgramYear
from program.selectors import NoProgramYear, program_year_for
from program.services import program_year_publish

pytestmark = pytest.mark.django_db


def benefits_table(year):
    """The year's benefits table, row by row and cell by cell, in plain values."""
    rows = {b.code: (b.name, b.glossary, b.gate, b.quantity_note, b.position)
            for b in Benefit.objects.filter(program_year__year=year)}
    cells = {(c.benefit.code, c.tier): (c.availability, c.quantity)
             for c in TierBenefit.objects.filter(benefit__program_year__year=year).select_related("benefit")}
    return rows, cells


def y2022():
    return ProgramYear.objects.get(year=2022)


def test_copying_2022_to_2027_gives_the_same_benefits_table_cell_by_cell(program_admin, partner, pam):
    BenefitInvitation.objects.create(benefit=Benefit.objects.get(program_year__year=2022, code="resell-program"),
                                     partner=partner, invited_by=pam, reason="Resell pilot")
    source_table = benefits_table(2022)
    assert len(source_table[0]) >= 10 and len(source_table[1]) >= 30  # the guide's table, not a stub

    new = program_year_copy_with_benefits(source=y2022(), year=2027, user=program_admin)

    assert new.year == 2027 and new.tiers.count() == y2022().tiers.count()
    assert benefits_table(2027) == source_table
    assert benefits_table(2022) == source_table  # the source is untouched
    # Invitations belong to their program year: the partner must be invited again in 2027.
    assert not BenefitInvitation.objects.filter(benefit__program_year=new).exists()
    entry = AuditEntry.objects.get(action="benefits.program_year_copy")
    assert entry.actor == program_admin and entry.object_id == str(new.pk)
    assert entry.after == {"year": 2027, "benefits": len(source_table[0]), "cells": len(source_table[1])}
    assert AuditEntry.objects.filter(action="tiers.program_year_copy").count() == 1


@pytest.mark.parametrize("year", [2022, 1999, 2101])
def test_a_refused_copy_writes_nothing(program_admin, year):
    before = (ProgramYear.objects.count(), Benefit.objects.count(), TierBenefit.objects.count())
    with pytest.raises(ValidationError) as error:
        program_year_copy_with_benefits(source=y2022(), year=year, user=program_admin)
    assert "year" in error.value.error_dict
    assert (ProgramYear.objects.count(), Benefit.objects.count(), TierBenefit.objects.count()) == before
    assert not AuditEntry.objects.filter(action="benefits.program_year_copy").exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_copying_to_the_same_year_at_once_make_one_year(program_admin):
    """Real concurrent transactions on PostgreSQL: the second copy runs while the first is uncommitted,
    so both pass the "year exists?" check; the unique year stops the second, which gets a field error
    and leaves no half-copied benefits."""
    source = y2022()
    first_open, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                program_year_copy_with_benefits(source=source, year=2027, user=program_admin)
                first_open.set()
                second_thread.join(timeout=1)  # the second blocks on our uncommitted year until we commit
            results["first"] = "ok"
        finally:
            connection.close()

    def second():
        try:
            first_open.wait(timeout=10)
            started = time.monotonic()
            try:
                program_year_copy_with_benefits(source=source, year=2027, user=program_admin)
                results["second"] = "ok"
            except ValidationError as error:
                results["second"] = error.message_dict
            results["second_waited"] = time.monotonic() - started
        finally:
            connection.close()

    second_thread = threading.Thread(target=second)
    first_thread = threading.Thread(target=first)
    first_thread.start()
    second_thread.start()
    first_thread.join(timeout=20)
    second_thread.join(timeout=20)
    assert results["first"] == "ok"
    assert results["second"] == {"year": ["The 2027 program year already exists; edit it instead."]}
    assert results["second_waited"] >= 0.5  # it was blocked by the first's uncommitted year, not refused early
    assert ProgramYear.objects.filter(year=2027).count() == 1
    assert benefits_table(2027) == benefits_table(2022)


def test_command_copies_the_benefits():
    out = StringIO()
    call_command("copy_program_year", "2022", "2027", stdout=out)
    assert benefits_table(2027) == benefits_table(2022)
    assert f"and {Benefit.objects.filter(program_year__year=2027).count()} benefits" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("copy_program_year", "2022", "2027", stdout=StringIO())
    with pytest.raises(CommandError, match="There is no 1990 program year"):
        call_command("copy_program_year", "1990", "2028", stdout=StringIO())


def test_program_years_page_copies_with_benefits(client, program_admin):
    client.force_login(program_admin)
    page = client.get(reverse("tiers:program_years")).content.decode()
    assert f'action="{reverse("benefits:program_year_copy")}"' in page
    response = client.post(reverse("benefits:program_year_copy"), {"source": "2022", "year": "2027"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tiers:program_year_edit", args=[2027])
    assert benefits_table(2027) == benefits_table(2022)


@pytest.mark.parametrize(("data", "message"), [
    ({"source": "2022", "year": "2022"}, "The 2022 program year already exists; edit it instead."),
    ({"source": "2022", "year": "twenty"}, "Enter a whole number."),
    ({"source": "1990", "year": "2027"}, "Select a valid choice."),
    ({"year": "2027"}, "This field is required."),
])
def test_program_years_page_shows_errors_next_to_the_form(client, program_admin, data, message):
    client.force_login(program_admin)
    response = client.post(reverse("benefits:program_year_copy"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "2022 program year" in html  # the page, with the years listed
    assert set(ProgramYear.objects.values_list("year", flat=True)) == {2022, timezone.localdate().year}


def test_api_copies_with_benefits(client, program_admin):
    client.force_login(program_admin)
    response = client.post(reverse("api:program_year_copy"), {"source": 2022, "year": 2027},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["year"] == 2027 and body["benefit_count"] == Benefit.objects.filter(program_year__year=2022).count()
    assert benefits_table(2027) == benefits_table(2022)


@pytest.mark.parametrize(("payload", "field"), [
    ({"source": 2022, "year": "twenty"}, "year"),
    ({"source": 1990, "year": 2027}, "source"),
    ({"source": 2022}, "year"),
    ({"source": 2022, "year": 2022}, "year"),
    ({"source": 2022, "year": 2027, "benefits": []}, "benefits"),  # mass assignment: unknown fields refused
])
def test_api_bad_input_is_a_400_and_writes_nothing(client, program_admin, payload, field):
    client.force_login(program_admin)
    response = client.post(reverse("api:program_year_copy"), payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert set(ProgramYear.objects.values_list("year", flat=True)) == {2022, timezone.localdate().year}


def test_tier_page_of_a_partner_in_the_copied_year_shows_its_benefits(client, partner_admin, program_admin, freeze):
    new = program_year_copy_with_benefits(source=y2022(), year=2027, user=program_admin)
    # A copy is a draft: in force nowhere until published; then it covers its own dates, never another's.
    with pytest.raises(NoProgramYear, match="2027 program year is a draft"):
        program_year_for(datetime.date(2027, 1, 1))
    program_year_publish(program_year=new, user=program_admin)
    assert program_year_for(timezone.localdate()).year == timezone.localdate().year
    freeze(datetime.date(2027, 1, 1))
    assert program_year_for(timezone.localdate()) == new
    client.force_login(partner_admin)
    html = client.get(reverse("tiers:standing")).content.decode()
    assert "Benefits of the 2027 program year" in html
    assert html.count('<tr id="benefit-') == new.benefits.count() > 0
    assert 'id="benefit-partner-account-manager" data-status="included"' in html  # Silver includes a PAM


@pytest.mark.parametrize("way", ["page", "api", "command"])
def test_every_way_of_copying_a_year_carries_its_mdf_tier_defaults(client, program_admin, way):
    from funding.models import MdfTierDefault

    for tier, amount in (("silver", "20000.00"), ("gold", "50000.00")):
        MdfTierDefault.objects.create(program_year=y2022(), tier=tier, amount=amount)
    client.force_login(program_admin)
    if way == "page":
        client.post(reverse("benefits:program_year_copy"), {"source": "2022", "year": "2027"})
    elif way == "api":
        client.post(reverse("api:program_year_copy"), {"source": 2022, "year": 2027}, content_type="application/json")
    else:
        call_command("copy_program_year", "2022", "2027", stdout=StringIO())

    copied = dict(MdfTierDefault.objects.filter(program_year__year=2027).values_list("tier", "amount"))
    assert {tier: str(amount) for tier, amount in copied.items()} == {"silver": "20000.00", "gold": "50000.00"}
    assert AuditEntry.objects.filter(action="funding.tier_defaults_copy").count() == 1
