"""The program year's own table name, its lifecycle (draft -> published -> closed) and the POC maximum that
funding.FundingYearSettings held. Existing years were in force already: they start published (0003)."""

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("program", "0001_initial"),
        ("tiers", "0005_remove_program_year_from_state"),
    ]

    operations = [
        migrations.AlterModelTable(name="programyear", table=None),
        migrations.AddField(
            model_name="programyear",
            name="status",
            field=models.CharField(choices=[("draft", "Draft"), ("published", "Published"), ("closed", "Closed")], default="published", max_length=10),
        ),
        migrations.AddField(
            model_name="programyear",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="programyear",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="programyear",
            name="poc_max_amount",
            field=models.DecimalField(decimal_places=2, default=Decimal("25000.00"), max_digits=12),
        ),
    ]
