"""The English sentences the services used to store in ledger notes become params (funding.ledger words
them in the reader's language); any other note is what a person typed and stays as it is.

Only the sentences of the entry's own kind are read (an allocation's typed reason "Payment plan" is not a
payment). Safe to run again: a converted entry has an empty note and is skipped. Going back writes the
English sentences again."""

import re

from django.db import migrations

# The tier names as the old notes wrote them (partners.models.TierLevel labels, the same in every language).
TIERS = {"Registered": "registered", "Bronze": "bronze", "Silver": "silver", "Gold": "gold",
         "Global Strategic": "global_strategic"}
LABELS = {code: label for label, code in TIERS.items()}

PATTERNS = [  # (kind, the old note, the params it meant)
    ("allocation", re.compile(r"(?P<tier>.+) tier default for (?P<year>\d{4})"),
     lambda m: {"cause": "tier_default", "tier": TIERS[m["tier"]], "year": int(m["year"])}
     if m["tier"] in TIERS else None),
    ("allocation", re.compile(r"Tier default for (?P<tier>.+) changed"),
     lambda m: {"cause": "tier_default_changed", "tier": TIERS[m["tier"]]} if m["tier"] in TIERS else None),
    ("returned", re.compile(r"Approved amount not claimed"), lambda m: {"cause": "not_claimed"}),
    ("returned", re.compile(r"Claim rejected"), lambda m: {"cause": "claim_rejected"}),
    ("returned", re.compile(r"Not claimed by (?P<deadline>\d{4}-\d{2}-\d{2})"),
     lambda m: {"cause": "expired", "deadline": m["deadline"]}),
    ("paid", re.compile(r"Payment (?P<reference>.+)"), lambda m: {"cause": "payment", "reference": m["reference"]}),
]


def params_of(kind, note):
    """The params an old note meant, or None when it is typed text (or already converted)."""
    for pattern_kind, pattern, build in PATTERNS:
        if kind == pattern_kind and (match := pattern.fullmatch(note)):
            params = build(match)
            if params is not None:
                return params
    return None


def note_of(params):
    """The English note an entry's params stood for (for going back)."""
    cause = params.get("cause")
    if cause == "tier_default":
        return f"{LABELS.get(params['tier'], params['tier'])} tier default for {params['year']}"
    if cause == "tier_default_changed":
        return f"Tier default for {LABELS.get(params['tier'], params['tier'])} changed"
    if cause == "not_claimed":
        return "Approved amount not claimed"
    if cause == "claim_rejected":
        return "Claim rejected"
    if cause == "expired":
        return f"Not claimed by {params['deadline']}"
    if cause == "payment":
        return f"Payment {params['reference']}"
    return ""


def forwards(apps, schema_editor):
    LedgerEntry = apps.get_model("funding", "LedgerEntry")
    changed = []
    for entry in LedgerEntry.objects.exclude(note="").filter(params={}).only("kind", "note", "params").iterator(
            chunk_size=2000):
        params = params_of(entry.kind, entry.note)
        if params is not None:
            entry.params, entry.note = params, ""
            changed.append(entry)
    LedgerEntry.objects.bulk_update(changed, ["params", "note"], batch_size=2000)


def backwards(apps, schema_editor):
    LedgerEntry = apps.get_model("funding", "LedgerEntry")
    changed = []
    for entry in LedgerEntry.objects.exclude(params={}).only("note", "params").iterator(chunk_size=2000):
        words = note_of(entry.params)
        if words:
            entry.note = " · ".join(part for part in (words, entry.note) if part)[:300]
            entry.params = {}
            changed.append(entry)
    LedgerEntry.objects.bulk_update(changed, ["params", "note"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0004_ledgerentry_params"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
