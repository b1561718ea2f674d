"""Customer countries are chosen from a list now (ISO 3166-1 alpha-2 codes); normalise what was typed before:
upper-cased and stripped, UK and EL become GB and GR (the EU's codes for those countries, which the form's
error already names). Any other unknown code is KEPT and reported: a registration is a submitted, audited
record, and an empty country would lose what the partner said; its PAM can see and ask."""

from django.db import migrations

ALIASES = {"UK": "GB", "EL": "GR"}


def normalise(apps, schema_editor):
    from django_countries import countries

    known = {code for code, _name in countries}
    DealRegistration = apps.get_model("dealreg", "DealRegistration")
    kept = []
    for registration in DealRegistration.objects.only("pk", "country").iterator():
        code = (registration.country or "").strip().upper()
        code = ALIASES.get(code, code)
        if code != registration.country:
            DealRegistration.objects.filter(pk=registration.pk).update(country=code)
        if code not in known:
            kept.append(f"registration {registration.pk}: {code!r}")
    if kept:
        print(f"\n  Unknown customer country codes kept: {'; '.join(kept)}")


class Migration(migrations.Migration):

    dependencies = [
        ("dealreg", "0006_seed_excluded_domains"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True),
    ]
