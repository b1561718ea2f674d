from django.db import migrations


def reload_program(apps, schema_editor):
    # The loader is idempotent: it sets the resell program's gate and the "{quantity}" notes.
    from benefits.program_2022 import load_program_year

    load_program_year(
        ProgramYear=apps.get_model("tiers", "ProgramYear"),
        Tier=apps.get_model("tiers", "Tier"),
        Benefit=apps.get_model("benefits", "Benefit"),
        TierBenefit=apps.get_model("benefits", "TierBenefit"),
        Agreement=apps.get_model("partners", "Agreement"),
    )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0004_benefit_gate_resell_addendum")]

    operations = [migrations.RunPython(reload_program, migrations.RunPython.noop)]
