"""The program year moves from the tiers app to this one, row for row: this migration only tells Django's
state that the model now lives here, on the table it already has (tiers_programyear); the rename of the
table follows in 0002, once the other apps' foreign keys point here."""

import django.core.validators
from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("tiers", "0003_assessment_without_database_foreign_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProgramYear",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveIntegerField(unique=True)),
                        ("name", models.CharField(max_length=100)),
                        ("starts_on", models.DateField()),
                        ("ends_on", models.DateField()),
                        ("provisional_period_days", models.PositiveIntegerField(default=90)),
                        ("deal_expiry_days", models.PositiveIntegerField(default=90)),
                        ("deal_reminder_days", models.PositiveIntegerField(default=14)),
                        ("deal_review_business_days", models.PositiveIntegerField(default=2)),
                        ("mdf_cofunding_share", models.DecimalField(decimal_places=2, default=Decimal("0.50"), max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal("0.01")), django.core.validators.MaxValueValidator(Decimal("1.00"))])),
                        ("claim_window_days", models.PositiveIntegerField(default=45)),
                    ],
                    options={
                        "ordering": ["-year"],
                        "db_table": "tiers_programyear",
                        "constraints": [models.CheckConstraint(condition=models.Q(("ends_on__gt", models.F("starts_on"))), name="program_year_dates")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
