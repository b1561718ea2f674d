"""Benefits hang off program.ProgramYear now: the same table, so nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0001_initial"),
        ("benefits", "0008_resell_invitations_to_partners"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="benefit",
                    name="program_year",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="benefits", to="program.programyear"),
                ),
            ],
            database_operations=[],
        ),
    ]
