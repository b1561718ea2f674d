"""bench_recalc / benchmark_recalculation: seeds a committed scratch database, times the recalculation,
compares it with the per-partner loop, drops the database."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

import perf.scratch
from partners.models import Partner
from tiers.models import RecalculationRun


def _scratch_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone()[0] == 1


# It creates and drops a database, so no surrounding transaction; serialized_rollback so the flush after
# it leaves the migrated rows (program year, agreements) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_benchmark_runs_in_a_scratch_database_and_drops_it(partner):
    database = connection.settings_dict["NAME"]
    out, err = StringIO(), StringIO()
    call_command("bench_recalc", "--partners", "30", "--sample", "10", stdout=out, stderr=err)
    text = out.getvalue()

    assert "VACUUM ANALYZE in" in text
    assert re.search(r"^Preview: 30 partners in [\d.]+ s, \d+ queries", text, re.M), text
    assert re.search(r"^Full recalculation \(preview \+ apply\): 30 partners in [\d.]+ s, [\d,]+ partners/s$", text, re.M)
    assert "rolled back): 10 partners in" in text and "same tiers: yes" in text
    # The serial bare-SQL baseline of the same run, phase by phase, reaching the same tiers.
    assert re.search(r"^Bare SQL baseline \(serial, rolled back\): metrics [\d.]+ s, assessments [\d.]+ s, "
                     r"tier update [\d.]+ s, audit rows [\d.]+ s, notifications [\d.]+ s, checks at commit [\d.]+ s; "
                     r"total [\d.]+ s$", text, re.M), text
    # One active user per partner (--users 1): everyone whose partner changed tier is told.
    applied = re.search(r"^Apply: ([\d,]+) tiers changed in [\d.]+ s, \d+ queries, ([\d,]+) users notified$", text, re.M)
    assert applied and applied[1] == applied[2] and applied[1] != "0", text
    assert re.search(r"^Project / bare SQL: metrics .*; whole run [\d.]+ / [\d.]+ s = [\d.]+x; same tiers: yes$",
                     text, re.M), text
    assert re.search(r"^  seeded partners \(COPY\) in [\d.]+ s$", text, re.M), text
    assert re.fullmatch(r"Ratio \(set-based / per-partner loop, full recalculation\): \d+x", text.strip().splitlines()[-1])
    digest = re.search(r"^Assessments digest: ([0-9a-f]{32})$", text, re.M)

    # Nothing happened in the configured database, and the scratch one is gone.
    scratch = re.search(r"^Dropped scratch database (\w+)$", err.getvalue(), re.M)[1]
    assert connection.settings_dict["NAME"] == database and not _scratch_exists(scratch)
    assert not RecalculationRun.objects.exists()
    assert list(Partner.objects.values_list("pk", flat=True)) == [partner.pk]
    assert digest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_benchmark_drops_its_database_when_it_fails(monkeypatch):
    # Failing while the scratch database is being migrated (the first step inside it) keeps the test fast.
    def fail(*args, **kwargs):
        raise RuntimeError("migrate failed")

    monkeypatch.setattr(perf.scratch, "call_command", fail)
    err = StringIO()
    with pytest.raises(RuntimeError, match="migrate failed"):
        call_command("bench_recalc", "--partners", "5", stdout=StringIO(), stderr=err)
    scratch = re.search(r"^Dropped scratch database (\w+)$", err.getvalue(), re.M)[1]
    assert not _scratch_exists(scratch)
