"""Money belongs to a year: the funding pages and API show today's year by default with a year switcher,
every request names its year, and a new year never hides an old year's money or open requests."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import services
from tests.factories import program_year_like_2022

from .conftest import submit_mdf

pytestmark = pytest.mark.django_db


def test_a_new_year_shows_by_default_and_last_year_stays_one_click_away(client, partner, partner_admin,
                                                                      program_admin, program_year, freeze):
    services.allocation_set(partner=partner, program_year=program_year, amount=Decimal("20000.00"),
                            admin=program_admin, reason="Plan")
    open_request = submit_mdf(partner, partner_admin)
    program_year_like_2022(2027, source_year=program_year.year)
    freeze(datetime.date(2027, 1, 5))
    client.force_login(partner_admin)
    html = client.get(reverse("funding:overview")).content.decode()
    assert "Market development funds 2027" in html and 'id="year-switcher"' in html
    assert f'href="?year={program_year.year}"' in html
    # The open request of last year is listed, with its year beside it.
    assert open_request.reference in html and f"<td>{program_year.year}</td>" in html
    last_year = client.get(reverse("funding:overview"), {"year": program_year.year}).content.decode()
    assert f"Market development funds {program_year.year}" in last_year and "20,000" in last_year
    assert client.get(reverse("api:funding-summary")).json()["program_year"] == 2027
    body = client.get(reverse("api:funding-summary"), {"year": program_year.year}).json()
    assert body["program_year"] == program_year.year and Decimal(body["mdf"]["allocated"]) == Decimal("20000.00")
    assert client.get(reverse("funding:overview"), {"year": "1990"}).status_code == 404
    response = client.get(reverse("api:funding-summary"), {"year": "next"})
    assert response.status_code == 400 and "year" in response.json()
    detail = client.get(reverse("api:funding-request-detail", args=[open_request.pk])).json()
    assert detail["program_year"] == program_year.year
