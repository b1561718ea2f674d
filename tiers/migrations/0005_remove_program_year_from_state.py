"""The tiers app no longer has a ProgramYear model (program.ProgramYear owns the table): state only, no row
is touched."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("tiers", "0004_program_year_moves_to_program"),
        ("benefits", "0009_program_year_moves_to_program"),
        ("funding", "0002_program_year_moves_to_program"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProgramYear")],
            database_operations=[],
        ),
    ]
