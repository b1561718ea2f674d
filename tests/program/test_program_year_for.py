"""One lookup of the program year in force on a day: published (or, after its end, closed) years only,
never another year's rules, and a clear error naming the year."""

import datetime

import pytest
from django.urls import reverse

from program.models import ProgramYear
from program.selectors import NoProgramYear, program_year_for
from program.services import program_year_close, program_year_publish
from tests.factories import program_year_like_2022

D = datetime.date


def test_the_year_covering_the_day_and_only_it(db):
    assert program_year_for(D(2022, 6, 1)).year == 2022
    assert program_year_for(D(2026, 12, 1)).year == 2026  # the test's today (autouse fixture)
    with pytest.raises(NoProgramYear) as error:
        program_year_for(D(2025, 3, 1))
    assert error.value.year == 2025
    assert error.value.text.startswith("There is no published 2025 program year for 1 Mar 2025")


def test_a_draft_covers_nothing_until_published(db, program_admin):
    draft = program_year_like_2022(2028, status="draft")
    with pytest.raises(NoProgramYear, match="the 2028 program year is a draft, not published yet"):
        program_year_for(D(2028, 2, 29))
    program_year_publish(program_year=draft, user=program_admin)
    assert program_year_for(D(2028, 2, 29)) == draft  # a leap day is inside its year
    assert program_year_for(D(2028, 12, 31)) == draft and program_year_for(D(2028, 1, 1)) == draft


@pytest.mark.without_current_year
def test_on_2026_12_01_without_a_2026_year_nothing_falls_back_to_2022(db, client, partner_admin, freeze):
    freeze(D(2026, 12, 1))
    assert not ProgramYear.objects.filter(year=2026).exists()
    with pytest.raises(NoProgramYear, match="2026"):
        program_year_for(D(2026, 12, 1))
    client.force_login(partner_admin)
    # A page that needs the year says which one is missing, never a 500 and never 2022's rules.
    for name in ("tiers:standing", "benefits:benefits", "funding:overview"):
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 409, name
        assert "There is no published 2026 program year for 1 Dec 2026" in html and "2022" not in html
    # The API answers 400 with the same words.
    response = client.get(reverse("api:tier_standing"))
    assert response.status_code == 400
    assert "There is no published 2026 program year" in response.json()["non_field_errors"][0]


def test_on_2026_12_01_with_a_2026_year_pages_say_2026(db, client, partner_admin, freeze):
    freeze(D(2026, 12, 1))
    client.force_login(partner_admin)
    assert client.get(reverse("api:tier_standing")).json()["program_year"] == 2026
    assert client.get(reverse("api:benefits")).json()["program_year"] == 2026


def test_closing_needs_the_year_to_be_over_and_keeps_it_readable(db, program_admin):
    y2022 = ProgramYear.objects.get(year=2022)
    current = program_year_for(D(2026, 12, 1))
    with pytest.raises(Exception, match="runs until 31 Dec 2026"):
        program_year_close(program_year=current, user=program_admin, today=D(2026, 12, 1))
    closed = program_year_close(program_year=y2022, user=program_admin, today=D(2026, 12, 1))
    assert closed.status == "closed" and closed.closed_at is not None
    assert program_year_for(D(2022, 6, 1)) == closed  # its own dates still read its rules
    with pytest.raises(Exception, match="Only a published program year can be closed"):
        program_year_close(program_year=closed, user=program_admin, today=D(2026, 12, 1))
    with pytest.raises(Exception, match="only a draft can be published"):
        program_year_publish(program_year=closed, user=program_admin)
