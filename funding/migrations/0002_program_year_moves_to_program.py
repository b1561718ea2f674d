"""Funding rows hang off program.ProgramYear now: the same table, so nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0001_initial"),
        ("funding", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="fundingyearsettings",
                    name="program_year",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="funding_settings", to="program.programyear"),
                ),
                migrations.AlterField(
                    model_name="fundingrequest",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="funding_requests", to="program.programyear"),
                ),
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="program.programyear"),
                ),
                migrations.AlterField(
                    model_name="mdfallocation",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="mdf_allocations", to="program.programyear"),
                ),
                migrations.AlterField(
                    model_name="mdftierdefault",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="mdf_tier_defaults", to="program.programyear"),
                ),
            ],
            database_operations=[],
        ),
    ]
