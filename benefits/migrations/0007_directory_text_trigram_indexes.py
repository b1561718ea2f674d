"""Trigram GIN indexes for the public directory's text search (partner name, listing description and
services), so a search for a rare word reads its few matches instead of walking every listing.

The indexed expression must stay identical to what Django renders for ``icontains`` on PostgreSQL,
``UPPER("col"::text) LIKE UPPER('%text%')``, or PostgreSQL cannot use the index: tests/benefits/
test_directory_index.py checks the plan. The name index is not partial on purpose: PostgreSQL keeps
statistics for the expression of a full index only, and without them it guesses that any text is
rare. partners_partner and partners_showcaselisting are the partners app's tables; the directory
that searches them is ours, so the indexes are created here, as migration 0006 does.

PostgreSQL only; SQLite (`make run`) has no pg_trgm and searches its few rows without indexes.
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Reversing drops
our indexes but keeps the extension, which something else may use by then.
"""

from django.db import migrations

INDEXES = {
    "benefits_partner_name_trgm": ("partners_partner", "name"),
    "benefits_listing_description_trgm": ("partners_showcaselisting", "description"),
    "benefits_listing_services_trgm": ("partners_showcaselisting", "services"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    # Statistics of the indexed expressions exist only after an ANALYZE. Until autovacuum gets to it,
    # the planner would guess, e.g. walk every listing for a word nobody uses (2 s at 100,000 partners).
    schema_editor.execute("ANALYZE partners_partner")
    schema_editor.execute("ANALYZE partners_showcaselisting")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0006_directory_order_index"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
