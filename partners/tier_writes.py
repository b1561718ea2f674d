"""Many tier changes at once, written in place (PostgreSQL).

PostgreSQL rewrites a row without touching any index (a heap-only tuple, "HOT") only when no index reads a
changed column and the row's page has room for the new version. A tier change writes ``tier`` and
``tier_since``; the only partner index that reads them is the public directory's order (highest tier
first: benefits, migration 0006), and the table keeps half of each page free for the new versions
(fillfactor 50, partners migration 0013). So a recalculation that changes many tiers sets the tier-reading
indexes aside, rewrites the rows in place and builds those indexes again: at 100,000 partners, 60,000
changes took 1.8 s with a new entry in each of the table's 8 indexes per row, and 0.25 s in place with the
directory's index built again.

Setting an index aside takes the table's ACCESS EXCLUSIVE lock until the transaction ends: the caller does
it last, after every other write of its transaction. The lock is taken only when it is free (NOWAIT), a few
times over a second: waiting for it would queue every page behind a long read (an export), and a writer
waiting on a partner row the caller has locked would then wait on the caller too, and be the deadlock's
victim. If it is never free, the rows are written the usual way.
"""

import contextlib
import time
from collections.abc import Iterator

from django.db import OperationalError, connection, transaction

from .models import Partner

# The standing columns a tier change writes.
TIER_COLUMNS = ("tier", "tier_since")
# Below this many changes, building the indexes again costs more than writing their entries (and is not
# worth locking the table for): a mid-year run moves a few partners.
IN_PLACE_MIN_CHANGES = 5_000
LOCK_ATTEMPTS = 20
LOCK_RETRY_SECONDS = 0.05


def tier_reading_indexes(cursor) -> list[tuple[str, str, bool]]:
    """(name, CREATE INDEX statement, backs a constraint) of the partner indexes whose key, expression or
    condition reads a tier column."""
    cursor.execute("""
        SELECT c.relname, pg_get_indexdef(i.indexrelid), EXISTS (
                   SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %(table)s::regclass AND EXISTS (
            SELECT 1 FROM pg_attribute a
            WHERE a.attrelid = i.indrelid AND a.attname = ANY(%(columns)s) AND (
                a.attnum = ANY(i.indkey::int2[]) OR EXISTS (
                    SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
                      AND d.refobjid = i.indrelid AND d.refobjsubid = a.attnum)))
        ORDER BY c.relname""", {"table": Partner._meta.db_table, "columns": list(TIER_COLUMNS)})
    return [(name, definition, constraint) for name, definition, constraint in cursor.fetchall()]


def worth_writing_in_place(changes: int) -> bool:
    return changes >= IN_PLACE_MIN_CHANGES


@contextlib.contextmanager
def tier_indexes_set_aside() -> Iterator[bool]:
    """Inside: the tier-reading indexes are dropped (True), or left as they are (False) when the table's
    lock was never free in LOCK_ATTEMPTS tries or one of them backs a constraint. On leaving, the dropped
    indexes are built again from their own definitions, in the same transaction. Must run in a transaction
    (the caller's), on PostgreSQL."""
    with connection.cursor() as cursor:
        indexes = tier_reading_indexes(cursor)
        if not indexes or any(constraint for _, _, constraint in indexes):
            yield False
            return
        # The checks the transaction's writes so far have deferred to the commit (each notification's
        # recipient, 5.7 s at a million) run now, before the table is locked, not while every page waits.
        _run_deferred_checks(cursor)
        if not _table_locked(cursor):
            yield False
            return
        for name, _, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield True
        # A row updated by the transaction that inserted it queues its foreign-key checks, and PostgreSQL
        # builds no index on a table with checks pending.
        _run_deferred_checks(cursor)
        for _, definition, _ in indexes:
            cursor.execute(definition)


def _table_locked(cursor) -> bool:
    """The partner table's ACCESS EXCLUSIVE lock, taken only while no one else holds any lock on it."""
    for attempt in range(LOCK_ATTEMPTS):
        if attempt:
            time.sleep(LOCK_RETRY_SECONDS)
        try:
            with transaction.atomic():  # a savepoint: a refused lock leaves the transaction usable
                cursor.execute(f"LOCK TABLE {Partner._meta.db_table} IN ACCESS EXCLUSIVE MODE NOWAIT")
            return True
        except OperationalError:
            continue
    return False


def _run_deferred_checks(cursor) -> None:
    """Run the checks deferred to the commit now. Django's foreign keys are all DEFERRABLE INITIALLY
    DEFERRED (a test holds the schema to it), so ALL DEFERRED puts them back as they were."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
