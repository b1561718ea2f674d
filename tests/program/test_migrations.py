"""The program year moved from the tiers app to the program app, and funding's POC maximum into the year:
an existing database (only 2022, with runs, tiers, benefits, funding rows) migrates and keeps every row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations before the move, per app that points at the program year.
BEFORE = [("tiers", "0003_assessment_without_database_foreign_keys"), ("funding", "0001_initial"),
          ("benefits", "0008_resell_invitations_to_partners"), ("program", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.without_current_year
@pytest.mark.django_db(transaction=True)
def test_an_existing_database_with_only_2022_migrates_and_keeps_every_row():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    ProgramYear = old.get_model("tiers", "ProgramYear")
    FundingYearSettings = old.get_model("funding", "FundingYearSettings")
    RecalculationRun = old.get_model("tiers", "RecalculationRun")
    MdfTierDefault = old.get_model("funding", "MdfTierDefault")
    y2022 = ProgramYear.objects.get(year=2022)
    # A second year, as the copy made it before years had a lifecycle, with its own funding settings.
    y2023 = ProgramYear.objects.create(year=2023, name="2023 program year", starts_on=datetime.date(2023, 1, 1),
                                       ends_on=datetime.date(2023, 12, 31), deal_expiry_days=75,
                                       mdf_cofunding_share=Decimal("0.40"), claim_window_days=30)
    FundingYearSettings.objects.create(program_year=y2023, poc_max_amount=Decimal("12345.00"))
    run = RecalculationRun.objects.create(kind="annual", as_of=datetime.date(2023, 1, 1), program_year=y2023,
                                          revenue_from=datetime.date(2022, 1, 1), revenue_to=datetime.date(2022, 12, 31))
    MdfTierDefault.objects.create(program_year=y2022, tier="gold", amount=Decimal("50000.00"))
    counts_before = {
        "tiers": old.get_model("tiers", "Tier").objects.count(),
        "benefits": old.get_model("benefits", "Benefit").objects.filter(program_year=y2022).count(),
    }
    assert counts_before["tiers"] > 0 and counts_before["benefits"] > 0

    _migrate(leaves)

    from benefits.models import Benefit
    from funding.models import MdfTierDefault as NewMdfTierDefault
    from program.models import ProgramYear as NewProgramYear
    from tiers.models import RecalculationRun as NewRun
    from tiers.models import Tier

    years = {y.year: y for y in NewProgramYear.objects.all()}
    assert set(years) == {2022, 2023}
    assert years[2022].pk == y2022.pk and years[2023].pk == y2023.pk
    # Years that existed were in force: published. The POC maximum came along, or the default when none was set.
    assert {y.status for y in years.values()} == {"published"} and all(y.published_at for y in years.values())
    assert (years[2023].poc_max_amount, years[2023].deal_expiry_days, years[2023].mdf_cofunding_share,
            years[2023].claim_window_days) == (Decimal("12345.00"), 75, Decimal("0.40"), 30)
    assert years[2022].poc_max_amount == Decimal("25000.00")
    assert Tier.objects.count() == counts_before["tiers"]
    assert Benefit.objects.filter(program_year=years[2022]).count() == counts_before["benefits"]
    assert NewRun.objects.get(pk=run.pk).program_year == years[2023]
    assert NewMdfTierDefault.objects.get(tier="gold").program_year == years[2022]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "program_programyear" in tables
    assert "tiers_programyear" not in tables and "funding_fundingyearsettings" not in tables
