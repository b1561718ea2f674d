"""Completion.partner: the person's partner, copied so the tier engine counts people per partner from the
completions alone. Filled from the roster; on PostgreSQL a composite foreign key (person_id, partner_id) ->
person (id, partner_id) keeps the copy equal, and ON UPDATE CASCADE makes it follow a person who moves."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """UPDATE partners_completion SET partner_id = (
              SELECT partner_id FROM partners_person WHERE partners_person.id = partners_completion.person_id)"""
COMPOSITE_FK = "completion_person_partner_matches"


def fill(apps, schema_editor):
    # Checked now, not at commit: PostgreSQL refuses the ALTER TABLE below while deferred checks are pending.
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(FILL)
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def add_composite_fk(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE partners_completion ADD CONSTRAINT {COMPOSITE_FK} FOREIGN KEY (person_id, partner_id) "
            "REFERENCES partners_person (id, partner_id) ON UPDATE CASCADE ON DELETE CASCADE "
            "DEFERRABLE INITIALLY DEFERRED"
        )


def drop_composite_fk(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE partners_completion DROP CONSTRAINT IF EXISTS {COMPOSITE_FK}")


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0004_partner_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="completion",
            name="partner",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="partners.partner"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="completion",
            name="partner",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="partners.partner"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("id", "partner"), name="person_id_partner_unique"),
        ),
        migrations.RunPython(add_composite_fk, drop_composite_fk),
    ]
