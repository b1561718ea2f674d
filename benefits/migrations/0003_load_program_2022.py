from django.db import migrations


def load(apps, schema_editor):
    from benefits.program_2022 import load_program_year

    load_program_year(
        ProgramYear=apps.get_model("tiers", "ProgramYear"),
        Tier=apps.get_model("tiers", "Tier"),
        Benefit=apps.get_model("benefits", "Benefit"),
        TierBenefit=apps.get_model("benefits", "TierBenefit"),
        Agreement=apps.get_model("partners", "Agreement"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0002_initial"),
        ("tiers", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
