"""Indexes in the order the lists read, so a page costs what it costs at a thousand rows (the pages were
sorting every row before cutting their 50):

- partners (name, id): the staff partner list, its API and export;
- people (partner, name, id): staff's people list of one partner;
- people (partner, natural order of the name, id): the partner's roster (selectors.roster, natural_order).
  PostgreSQL only, as natural_order itself (regular expressions; SQLite for `make run` sorts by lower(name)).
  The expressions must stay identical to what Django renders for natural_order("name"), or PostgreSQL will
  not use the index: tests/partners/test_list_indexes.py checks the plan.
"""

from django.db import migrations, models

NATURAL_ORDER = "partners_person_natural_order"
# The three ORDER BY terms of natural_order("name"), then the id (selectors.roster orders by "pk" last).
CREATE = f"""
CREATE INDEX IF NOT EXISTS {NATURAL_ORDER} ON partners_person (
    partner_id,
    LOWER(regexp_replace(name, %s, %s)),
    (NULLIF(regexp_replace(name, %s, %s), %s)::bigint) NULLS FIRST,
    LOWER(name),
    id
)
"""
PARAMS = [r"\d.*$", "", r"^\D*(\d{0,18}).*$", r"\1", ""]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, PARAMS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NATURAL_ORDER}")


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0011_normalise_country_codes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='partner',
            index=models.Index(fields=['name', 'id'], name='partner_name_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['partner', 'name', 'id'], name='person_partner_name'),
        ),
        migrations.RunPython(create, drop),
    ]
