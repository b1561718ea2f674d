"""Countries are chosen from a list now and stored as ISO 3166-1 alpha-2 codes; normalise what was typed before.

- Partner.country: upper-cased and stripped; UK and EL become GB and GR (the EU's codes for those two
  countries, which the deal registration form already points partners to). Any other unknown code (ZZ, XX)
  is KEPT and reported: the field is required, and an empty country would hide what the partner meant; a
  PAM corrects it in the admin, where the list now shows the choices.
- ShowcaseListing.countries_served: each code upper-cased and stripped, each country once; unknown codes are
  DROPPED and reported: the list is shown to the public (a bare "ZZ" means nothing to a visitor) and the
  form's list could not show them, so the next save would drop them anyway.
"""

from django.db import migrations

ALIASES = {"UK": "GB", "EL": "GR"}


def _known():
    from django_countries import countries

    return {code for code, _name in countries}


def _normal(code, known):
    code = (code or "").strip().upper()
    return ALIASES.get(code, code) if ALIASES.get(code) in known else code


def normalise(apps, schema_editor):
    known = _known()
    Partner = apps.get_model("partners", "Partner")
    ShowcaseListing = apps.get_model("partners", "ShowcaseListing")
    kept, dropped = [], []
    for partner in Partner.objects.only("pk", "country").iterator():
        code = _normal(partner.country, known)
        if code != partner.country:
            Partner.objects.filter(pk=partner.pk).update(country=code)
        if code not in known:
            kept.append(f"partner {partner.pk}: {code!r}")
    for listing in ShowcaseListing.objects.only("pk", "countries_served").iterator():
        codes = [_normal(c, known) for c in listing.countries_served.split(",") if c.strip()]
        unknown = [c for c in codes if c not in known]
        value = ",".join(dict.fromkeys(c for c in codes if c in known))
        if unknown:
            dropped.append(f"listing {listing.pk}: {', '.join(unknown)}")
        if value != listing.countries_served:
            ShowcaseListing.objects.filter(pk=listing.pk).update(countries_served=value)
    if kept:
        print(f"\n  Unknown partner country codes kept (correct them in the admin): {'; '.join(kept)}")
    if dropped:
        print(f"\n  Unknown codes dropped from showcase listings: {'; '.join(dropped)}")


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0010_agreement_translations"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True),
    ]
