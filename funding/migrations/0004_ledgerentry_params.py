"""Ledger entries keep what happened as data (params), worded in the reader's language when shown."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0003_delete_fundingyearsettings"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
