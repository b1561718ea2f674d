"""Management commands and the scheduled tasks (called in-process: the task bodies, not the broker)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from build_portal.schedules import PERIODIC_TASKS
from program.models import ProgramYear
from tiers import tasks
from tiers.models import RecalculationRun

from .conftest import add_people

pytestmark = pytest.mark.django_db


def test_recalculate_tiers_dry_run_then_apply(partner_admin, partner):
    out = StringIO()
    call_command("recalculate_tiers", "--kind", "annual", "--as-of", "2023-01-01", stdout=out)
    assert "Dry run: nothing changed" in out.getvalue()
    partner.refresh_from_db()
    assert partner.tier == "silver"
    call_command("recalculate_tiers", "--kind", "annual", "--as-of", "2023-01-01", "--apply", stdout=out)
    partner.refresh_from_db()
    assert partner.tier == "registered"
    assert "Applied: 1 tier changed" in out.getvalue()


@pytest.mark.parametrize("args", [["--kind", "weekly", "--as-of", "2023-01-01"], ["--kind", "annual", "--as-of", "2023-13-01"],
                                  ["--kind", "annual"]])
def test_recalculate_tiers_bad_arguments(args):
    with pytest.raises((CommandError, SystemExit)):
        call_command("recalculate_tiers", *args, stdout=StringIO(), stderr=StringIO())
    assert not RecalculationRun.objects.exists()


def test_copy_program_year_command():
    call_command("copy_program_year", "2022", "2030", stdout=StringIO())
    assert ProgramYear.objects.get(year=2030).tiers.get(level="gold").min_certified_technical == 15
    with pytest.raises(CommandError, match="already exists"):
        call_command("copy_program_year", "2022", "2023", stdout=StringIO())
    with pytest.raises(CommandError, match="no 1990 program year"):
        call_command("copy_program_year", "1990", "2024", stdout=StringIO())


def test_tasks_apply_once_per_kind_and_date(partner_admin, partner):
    add_people(partner, certified=3, both=5)
    first = tasks.midyear_recalculation("2022-07-01")
    assert tasks.midyear_recalculation("2022-07-01") == first
    assert RecalculationRun.objects.get(pk=first).status == "applied"
    assert tasks.annual_recalculation("2023-01-01") != first


def test_schedules_run_annual_on_1_january_and_mid_year_monthly():
    # The annual run comes after the new program year is in force: the rollover job runs both.
    annual = PERIODIC_TASKS["Program year rollover and annual tier recalculation (1 January)"]
    midyear = PERIODIC_TASKS["Tier recalculation, mid-year (monthly)"]
    assert annual == ("build_portal.tasks.program_year_rollover",
                      {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1"})
    assert midyear[0] == "tiers.tasks.midyear_recalculation" and midyear[1]["month_of_year"] == "2-12"
