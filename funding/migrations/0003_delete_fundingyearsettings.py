"""The POC maximum is a setting of the program year now (program 0003 copied every row's value)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0002_program_year_moves_to_program"),
        ("program", "0003_fill_lifecycle_and_poc_maximum"),
    ]

    operations = [
        migrations.DeleteModel(name="FundingYearSettings"),
    ]
