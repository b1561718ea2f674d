"""The tiers' and runs' foreign keys now name program.ProgramYear: the same table, so the database keeps
its constraints as they are (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0001_initial"),
        ("tiers", "0003_assessment_without_database_foreign_keys"),
        # The 2022 loads (benefits 0003 and 0005) write tiers through tiers.ProgramYear: they run first,
        # whatever order the rest of the graph suggests.
        ("benefits", "0005_resell_gate_and_quantity_notes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="tier",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tiers", to="program.programyear"),
                ),
                migrations.AlterField(
                    model_name="recalculationrun",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="runs", to="program.programyear"),
                ),
            ],
            database_operations=[],
        ),
    ]
