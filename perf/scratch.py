"""What the benchmark commands (bench_recalc, bench_dealreg_submit) share: a scratch database of their own and
Celery's in-memory transport for the emails their writes enqueue."""

import os
import time
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@contextmanager
def scratch_database(write, prefix):
    """A freshly migrated PostgreSQL database next to the configured one; the connection points at it inside
    the block and back after. It is dropped at the end, also on failure or Ctrl-C: the configured database is
    never touched."""
    if connection.vendor != "postgresql":
        raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to a PostgreSQL database.")
    if connection.in_atomic_block:
        raise CommandError("Run the benchmark outside a transaction: it creates and drops a database.")
    original = connection.settings_dict["NAME"]
    name = f"{prefix}_{os.getpid()}_{time.time_ns()}"  # the prefix is code's, the rest digits: safe to quote
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    connection.settings_dict["NAME"] = name
    # Content types are cached per connection alias: the scratch database's ids must not leak either way.
    ContentType.objects.clear_cache()
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        write(f"Scratch database {name} migrated in {time.perf_counter() - started:.1f} s")
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        ContentType.objects.clear_cache()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        write(f"Dropped scratch database {name}")


@contextmanager
def broker_in_memory():
    """The scratch database's notification ids mean nothing to a real worker: the emails a benchmark's writes
    enqueue after commit go to Celery's in-memory transport, through the same .delay() as in production."""
    from celery import current_app as app  # build_portal.celery's, the layer above this one

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved


@contextmanager
def foreign_key_checks_off(cursor):
    """Bulk seeding without the per-row foreign-key checks (PostgreSQL's replica mode, as pg_restore
    --disable-triggers uses): the seeders write parents before children, so the checks would only cost
    time. Needs a superuser, as the local benchmark database has; anyone else seeds with the checks on."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    (superuser,) = cursor.fetchone()
    if superuser:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield superuser
    finally:
        if superuser:
            cursor.execute("SET session_replication_role = DEFAULT")


@contextmanager
def indexes_rebuilt_after(cursor, tables, write=None):
    """Bulk seeding into ``tables`` without their secondary indexes and unique constraints, rebuilt at the
    end from their own definitions, as pg_restore does: one sorted build per index is several times faster
    than millions of inserts into it (a million random badge tokens). Kept: primary keys and the unique
    constraints a foreign key references. The scratch database only; the definitions are the migrations'."""
    cursor.execute("""
        SELECT i.indrelid::regclass::text, c.relname, k.conname,
               coalesce(pg_get_constraintdef(k.oid), pg_get_indexdef(i.indexrelid))
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND (k.oid IS NULL OR k.contype = 'u')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)""",
                   [list(tables)])
    indexes = cursor.fetchall()
    for table, index, constraint, _ in indexes:  # names read from the catalog
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"' if constraint else f'DROP INDEX "{index}"')
    try:
        yield
    finally:
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for table, _, constraint, definition in indexes:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {definition}' if constraint
                           else definition)
        cursor.execute("RESET maintenance_work_mem")
        if write:
            write(f"  rebuilt {len(indexes)} indexes in {time.perf_counter() - started:.1f} s")
