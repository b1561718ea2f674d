"""A recalculation that changes many tiers writes them in place (partners.tier_writes): the directory's
index is set aside, every tier change is a heap-only update, and the index comes back as it was. On real
PostgreSQL, counting the updates with the server's own statistics of this transaction."""

from datetime import date

import psycopg2
import pytest
from django.db import connection

from benefits import selectors as benefits_selectors
from partners import tier_writes
from partners.models import Partner, TierLevel
from tests.benefits.helpers import make_listing
from tests.factories import PartnerFactory
from tiers import services

from .conftest import partners_moving_up

pytestmark = pytest.mark.django_db

ANNUAL_2023 = date(2023, 1, 1)
DIRECTORY_INDEX = "benefits_directory_order"


def partner_updates():
    """(rows updated, of them heap-only) in partners_partner by this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                       [Partner._meta.db_table])
        return cursor.fetchone()


def index_definition(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [name])
        return cursor.fetchone()[0]


def directory_plan():
    sql, params = benefits_selectors.directory_search()[:21].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned; ask what is possible
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return plan


def test_the_directory_index_is_the_one_partner_index_that_reads_the_tier():
    with connection.cursor() as cursor:
        indexes = tier_writes.tier_reading_indexes(cursor)
    assert [(name, constraint) for name, _, constraint in indexes] == [(DIRECTORY_INDEX, False)]


def test_a_run_changing_many_tiers_writes_them_in_place_and_builds_the_index_again(monkeypatch, program_admin):
    climbers = partners_moving_up(3)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 3)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    updated, hot = partner_updates()
    run, applied = services.run_apply(run=run, user=program_admin)
    after_updated, after_hot = partner_updates()
    assert applied and run.changed_count == 3
    assert (after_updated - updated, after_hot - hot) == (3, 3)  # every change in place: no index entry written
    assert set(Partner.objects.filter(pk__in=[p.pk for p in climbers]).values_list("tier", "tier_since")) == {
        (TierLevel.GOLD, ANNUAL_2023)}
    # Built again from PostgreSQL's own text of it; building it again changes nothing more.
    rebuilt = index_definition(DIRECTORY_INDEX)
    Partner.objects.update(tier=TierLevel.REGISTERED)
    again = services.run_preview(kind="midyear", as_of=date(2023, 2, 1), today=date(2023, 2, 1))
    assert services.run_apply(run=again, user=program_admin)[0].changed_count == 3
    assert index_definition(DIRECTORY_INDEX) == rebuilt


def test_the_directory_reads_its_index_built_again_from_the_text_postgresql_keeps():
    """The rebuilt index serves the directory's page. (Within the transaction that rewrote rows in place,
    PostgreSQL uses an index built over them only from the next transactions on: pg_index.indcheckxmin.)"""
    for i in range(30):
        make_listing(PartnerFactory(name=f"P{i}", tier=["bronze", "silver", "gold"][i % 3]), logo=False)
    with connection.cursor() as cursor:
        [(name, definition, _)] = tier_writes.tier_reading_indexes(cursor)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the new rows' checks, pending otherwise
        cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(definition)
    assert DIRECTORY_INDEX in directory_plan()


def test_a_run_changing_few_tiers_writes_them_the_usual_way(program_admin):
    partners_moving_up(2)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    updated, hot = partner_updates()
    run, _ = services.run_apply(run=run, user=program_admin)
    after_updated, after_hot = partner_updates()
    assert run.changed_count == 2 and (after_updated - updated, after_hot - hot) == (2, 0)


@pytest.mark.parametrize("in_place", [False, True])
def test_the_apply_writes_the_same_rows_in_place_or_not(in_place, monkeypatch, program_admin):
    from .test_services import _apply_snapshot

    partners_moving_up(2)
    PartnerFactory(name="Falling Co", tier=TierLevel.SILVER)  # no agreement: moves down
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    plain = _apply_snapshot(services._apply_tiers_sql, run, program_admin)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 1 if in_place else 10**9)
    assert _apply_snapshot(services._apply_tiers_sql, run, program_admin) == plain
    assert plain["counts"][1] == 3


@pytest.mark.django_db(transaction=True)
def test_a_reader_holding_the_table_makes_the_apply_write_the_usual_way_without_waiting_long(
        monkeypatch, program_admin):
    """The table's lock is taken only when free: the apply does not queue behind an open read on another
    connection (an export, say), nor every page behind itself, and the run still applies, the usual way."""
    partners_moving_up(2)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 1)
    monkeypatch.setattr(tier_writes, "LOCK_ATTEMPTS", 3)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    reader = psycopg2.connect(**connection.get_connection_params())
    try:
        with reader.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM partners_partner")  # holds ACCESS SHARE until rollback
        run, applied = services.run_apply(run=run, user=program_admin)
        # The reader's open transaction still sees the table, and the apply did not wait for it to end.
        with reader.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM partners_partner")
            assert cursor.fetchone()[0] == Partner.objects.count()
    finally:
        reader.rollback()
        reader.close()
    assert applied and run.changed_count == 2
    assert set(Partner.objects.values_list("tier", flat=True)) == {TierLevel.GOLD}
    with connection.cursor() as cursor:
        assert [name for name, _, _ in tier_writes.tier_reading_indexes(cursor)] == [DIRECTORY_INDEX]


@pytest.mark.django_db(transaction=True)
def test_a_designation_after_the_preview_is_kept_by_an_in_place_apply(monkeypatch, program_admin):
    climbers = partners_moving_up(3)
    monkeypatch.setattr(tier_writes, "IN_PLACE_MIN_CHANGES", 1)
    run = services.run_preview(kind="annual", as_of=ANNUAL_2023)
    services.designation_give(partner=climbers[0], user=program_admin, reason="Strategic account")
    run, _ = services.run_apply(run=run, user=program_admin)
    assert (run.changed_count, run.skipped_count) == (2, 1)
    assert dict(Partner.objects.values_list("name", "tier")) == {
        "Climber 0": TierLevel.GLOBAL_STRATEGIC, "Climber 1": TierLevel.GOLD, "Climber 2": TierLevel.GOLD}


def test_every_deferrable_constraint_is_initially_deferred():
    """The in-place write runs the deferred checks early and puts them back with SET CONSTRAINTS ALL DEFERRED,
    which is exact only while no constraint is DEFERRABLE INITIALLY IMMEDIATE."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE condeferrable AND NOT condeferred")
        assert cursor.fetchall() == []
