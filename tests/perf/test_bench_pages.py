"""bench_pages (each page at growing sizes of its own data, seeded with COPY in a scratch database) and
bench_staff_pages (the staff workspace on the configured database, rolled back)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from activity.models import AuditEntry, Notification
from partners.models import Partner, User
from tests.factories import PartnerFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_benchmark_times_every_page_at_each_size_and_drops_its_database():
    database = connection.settings_dict["NAME"]
    partners_before = Partner.objects.count()
    out = io.StringIO()
    call_command("bench_pages", sizes=[60, 120], repeat=1, stdout=out)
    text = out.getvalue()
    assert "60 rows of each kind seeded" in text and "120 rows of each kind seeded" in text
    for label in ("audit trail", "notifications, unread", "unread count API", "PAM review queue",
                  "roster (partner)", "staff partner search 'atlas'", "partner name suggestions 'atlas'"):
        rows = re.findall(rf"^{re.escape(label)}\s+[\d.]+\s+[\d.]+\s+\d+$", text, re.M)
        assert len(rows) == 2, (label, text)
        assert re.search(rf"^{re.escape(label)}\s+[\d.]+\s+[\d.]+\s+[\d.]+x", text, re.M), label
    assert "Plans of the notification reads" in text and "Index Cond: (recipient_id = " in text
    assert "Plans of the list pages' reads" in text and "roster page (natural order):" in text
    scratch = re.search(r"Dropped scratch database (\w+)$", text, re.M)[1]
    assert connection.settings_dict["NAME"] == database
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone()[0] == 0
    assert Partner.objects.count() == partners_before
    assert not AuditEntry.objects.exists() and not Notification.objects.exists()


def test_pages_benchmark_refuses_sizes_out_of_order():
    with pytest.raises(CommandError, match="increasing"):
        call_command("bench_pages", sizes=[1000, 100], stdout=io.StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_benchmark_refuses_a_small_database():
    with pytest.raises(CommandError, match="load-test"):
        call_command("bench_staff_pages", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_benchmark_prints_percentiles_and_leaves_the_database_as_it_was(partner_admin, pam, monkeypatch):
    from perf.management.commands import bench_staff_pages

    monkeypatch.setattr(bench_staff_pages, "MIN_PARTNERS", 1)
    PartnerFactory.create_batch(3)
    users = User.objects.count()
    out = io.StringIO()
    call_command("bench_staff_pages", repeat=2, export_repeat=1, stdout=out)
    text = out.getvalue()
    for label in ("staff home, program admin", "partner 360", "partner list search 'atlas'", "partner CSV export",
                  "partner tier page", "PAM review queue"):
        assert re.search(rf"^{re.escape(label)}.*?\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+$", text, re.M), \
            (label, text)
    assert "Deleted what the run created" in text and User.objects.count() == users
