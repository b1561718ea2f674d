"""`make run`'s demo lives in the current year: program years from 2022 to today's, past years closed, an
applied annual run on each 1 January and a tier history; loading it twice adds nothing."""

import pytest

from build_portal.demo import PARTNERS, load_demo
from partners.models import Partner
from program.models import ProgramYear
from tiers.models import RecalculationRun


@pytest.mark.django_db
def test_demo_years_runs_and_history_twice(freeze):
    import datetime

    freeze(datetime.date(2026, 12, 1))
    load_demo()
    runs = list(RecalculationRun.objects.order_by("as_of").values_list("kind", "as_of", "status"))
    load_demo()
    assert list(RecalculationRun.objects.order_by("as_of").values_list("kind", "as_of", "status")) == runs
    assert dict(ProgramYear.objects.values_list("year", "status")) == {
        2022: "closed", 2023: "closed", 2024: "closed", 2025: "closed", 2026: "published"}
    assert [(k, a.isoformat()) for k, a, s in runs if s == "applied"] == [
        ("annual", "2023-01-01"), ("annual", "2024-01-01"), ("annual", "2025-01-01"), ("annual", "2026-01-01"),
        ("midyear", "2026-12-01")]
    assert {p.domain: p.tier for p in Partner.objects.all()} == {d: t for _, d, _, t, *_ in PARTNERS}
    silver = Partner.objects.get(domain="silver.example")
    assert silver.tier_assessments.filter(run__status="applied").count() == 5  # its tier history
    assert silver.mdf_allocations.get().program_year.year == 2026
