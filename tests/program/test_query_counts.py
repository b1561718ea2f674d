"""Several program years of data (closed years with runs, allocations and requests) do not add queries to the
tier, benefits and funding pages."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding import services as funding_services
from program.models import ProgramYear
from program.services import program_year_close
from tests.factories import program_year_like_2022
from tiers import services as tier_services

PAGES = ("tiers:standing", "benefits:benefits", "funding:overview")


def _counts(client):
    counts = {}
    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_pages_cost_the_same_with_one_year_or_five(client, partner, partner_admin, program_admin):
    client.force_login(partner_admin)
    _counts(client)  # warm the per-process caches (content types, sessions)
    before = _counts(client)
    for year in (2023, 2024, 2025):
        program_year = program_year_like_2022(year)
        tier_services.scheduled_recalculation(kind="annual", as_of=datetime.date(year, 1, 1))
        funding_services.allocation_set(partner=partner, program_year=program_year, amount=Decimal("1000.00"),
                                        admin=program_admin, reason="Plan")
    tier_services.scheduled_recalculation(kind="midyear", as_of=datetime.date(2026, 6, 1))
    for program_year in ProgramYear.objects.filter(year__lt=2026):
        program_year_close(program_year=program_year, today=datetime.date(2026, 12, 1))
    assert ProgramYear.objects.count() == 5
    _counts(client)  # closing years and applying runs change the cached program data's version: warm it again
    assert _counts(client) == before
