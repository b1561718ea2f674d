"""bench_dealreg_submit: seeds a scratch database, times the real submission service, drops the database."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dealreg.models import DealRegistration
from partners.models import Partner
from perf.management.commands.bench_dealreg_submit import KINDS, percentile


# It creates and drops a database, so no surrounding transaction; serialized_rollback like the other
# transactional dealreg tests, so the flush after it leaves the migrated rows for them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_benchmark_prints_percentiles_and_query_counts_and_drops_its_database():
    database = connection.settings_dict["NAME"]
    partners_before = Partner.objects.count()
    out = io.StringIO()
    call_command("bench_dealreg_submit", registrations=400, submissions=8, warmup=1, stdout=out)
    text = out.getvalue()

    assert "Seeded 400 registrations" in text
    assert "p50 ms" in text and "p95 ms" in text and "p99 ms" in text and "queries" in text
    rows = {kind: re.search(rf"^{re.escape(kind)} \((\w+)\)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)$",
                            text, re.M) for kind in KINDS}
    assert all(rows.values()), text
    assert {kind: (m[1], int(m[2])) for kind, m in rows.items()} == {
        "new customer": ("accepted", 2), "other partner's customer": ("accepted", 2),
        "known customer": ("accepted", 2), "duplicate": ("refused", 2),
    }
    # The duplicate check refuses before the insert: fewer queries than an accepted submission.
    assert int(rows["duplicate"][3]) < int(rows["new customer"][3])
    assert "Index Cond" in text and "No sequential scan" in text

    # Everything happened in the scratch database, which is gone; the configured one is untouched.
    scratch = re.search(r"Dropped scratch database (\w+)$", text, re.M)[1]
    assert connection.settings_dict["NAME"] == database
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone()[0] == 0
    assert Partner.objects.count() == partners_before
    assert not DealRegistration.objects.exists()


def test_benchmark_refuses_sizes_too_small_to_cover_every_kind():
    with pytest.raises(CommandError, match="at least"):
        call_command("bench_dealreg_submit", registrations=10, submissions=8, stdout=io.StringIO())


@pytest.mark.parametrize(("values", "share", "expected"), [
    ([5, 1, 3, 2, 4], 50, 3),
    (list(range(1, 101)), 95, 95),
    (list(range(1, 101)), 99, 99),
    (list(range(1, 301)), 99, 297),
    ([7], 99, 7),
])
def test_nearest_rank_percentile(values, share, expected):
    assert percentile(values, share) == expected
