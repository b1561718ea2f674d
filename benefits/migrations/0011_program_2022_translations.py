from django.db import migrations
from django.db.models import Q


def _fill(queryset, column, text):
    """Write a translation where its column is still empty: an admin's own translation is never replaced."""
    queryset.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""})).update(**{column: text})


def translate_the_2022_texts(apps, schema_editor):
    """The 2022 guide's benefit names and glossary, tier descriptions and agreement summaries in French,
    Japanese, Portuguese (Brazil) and Spanish, for every program year's rows that still read as the guide
    does in English (years copied from 2022 included; a text an admin rewrote is left alone)."""
    from benefits import program_2022 as guide
    from benefits.program_2022_translations import AGREEMENTS, BENEFITS, LANGUAGES, QUANTITY_NOTES, TIER_DESCRIPTIONS
    from benefits.program_2022_translations import column

    Benefit = apps.get_model("benefits", "Benefit")
    Tier = apps.get_model("tiers", "Tier")
    Agreement = apps.get_model("partners", "Agreement")
    names = {code: name for code, name, _ in [*guide.BENEFITS_BY_TIER, *guide.GATED_BENEFITS]}
    descriptions = {row["level"]: row["description"] for row in guide.TIERS}
    agreements = {kind: (version, title, body) for kind, version, title, body in guide.AGREEMENTS}
    for language in LANGUAGES:
        for code, (name, glossary) in BENEFITS[language].items():
            _fill(Benefit.objects.filter(code=code, name_en=names[code]), column("name", language), name)
            _fill(Benefit.objects.filter(code=code, glossary_en=guide.GLOSSARY[code]), column("glossary", language),
                  glossary)
        for code, note in QUANTITY_NOTES[language].items():
            _fill(Benefit.objects.filter(code=code, quantity_note_en=guide.QUANTITY_NOTES[code]),
                  column("quantity_note", language), note)
        for level, description in TIER_DESCRIPTIONS[language].items():
            _fill(Tier.objects.filter(level=level, description_en=descriptions[level]),
                  column("description", language), description)
        for kind, (title, body) in AGREEMENTS[language].items():
            version, english_title, english_body = agreements[kind]
            rows = Agreement.objects.filter(kind=kind, version=version)
            _fill(rows.filter(title_en=english_title), column("title", language), title)
            _fill(rows.filter(body_en=english_body), column("body", language), body)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0010_benefit_translations"),
        ("tiers", "0008_tier_translations"),
        ("partners", "0010_agreement_translations"),
    ]

    operations = [migrations.RunPython(translate_the_2022_texts, migrations.RunPython.noop)]
