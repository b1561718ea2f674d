"""An index for the public showcase directory's order (highest tier first, then name), on
partners_partner, created from the benefits app that owns the directory (partners' schema is not ours
to migrate). Partial: only the partners the directory can show (active, Bronze and above).

The expression must stay identical to benefits.selectors.TIER_ORDERING, as Django renders it, or
PostgreSQL will not use the index: tests/benefits/test_directory_index.py checks the plan.
PostgreSQL only; SQLite (`make run`) sorts its few rows without it.
"""

from django.db import migrations

INDEX = "benefits_directory_order"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON partners_partner (
    (CASE WHEN (tier = 'global_strategic') THEN 0 WHEN (tier = 'gold') THEN 1
          WHEN (tier = 'silver') THEN 2 WHEN (tier = 'bronze') THEN 3 ELSE 99 END),
    name, id
) WHERE is_active AND tier IN ('bronze', 'silver', 'gold', 'global_strategic')
"""
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0005_resell_gate_and_quantity_notes"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
