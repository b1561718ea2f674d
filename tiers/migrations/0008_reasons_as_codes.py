"""Stored tier reasons become codes with parameters (tiers/reasons.py), so pages render them in the reader's
language. Each English sentence a run wrote is parsed back into its code; a sentence that does not parse
stays as it was stored (the pages show it as recorded in English), so nothing is lost.

The parser is frozen here, against the sentences the recalculation wrote before codes existed; it does not
follow later changes to tiers/reasons.py. Backwards, codes are written out as English sentences again."""

import functools
import re

from django.db import migrations

TIER = r"(?P<tier>[A-Z][A-Za-z ]*?)"
DAY = r"\d{1,2} [A-Z][a-z]{2} \d{4}"
MONEY = r"\$(?P<{}>[\d,]+)"
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                      "Dec"), start=1)}


def iso(text):
    d, m, y = text.split()
    return f"{int(y):04d}-{MONTHS[m]:02d}-{int(d):02d}"


def amount(text):
    return str(int(text.replace(",", "")))


def _short(requirement, **more):
    return lambda g: {"code": "requirement_short", "tier": g["tier"], "requirement": requirement,
                      **{k: f(g) for k, f in more.items()}}


def _revenue(g):
    out = {"code": "requirement_short", "tier": g["tier"], "requirement": "revenue", "have": amount(g["have"]),
           "need": amount(g["need"])}
    if g.get("year"):
        out["window"] = {"year": int(g["year"])}
    elif g.get("start"):
        out["window"] = {"from": iso(g["start"]), "to": iso(g["end"])}
    return out


PATTERNS = [
    (rf"You qualify for {TIER}\.", lambda g: {"code": "qualifies", "tier": g["tier"]}),
    (rf"{TIER} needs the partner agreement accepted; your company has not accepted it\.",
     _short("partner_agreement")),
    (rf"{TIER} needs (?P<need>\d+) platform-certified technical (?:person|people); you have (?P<have>\d+)\.",
     _short("platform_certified", have=lambda g: int(g["have"]), need=lambda g: int(g["need"]))),
    (rf"{TIER} needs (?P<need>\d+) sales-trained (?:person|people); you have (?P<have>\d+)\.",
     _short("sales_trained", have=lambda g: int(g["have"]), need=lambda g: int(g["need"]))),
    (rf"{TIER} needs {MONEY.format('need')} of closed-won revenue(?: in (?P<year>\d{{4}})| from (?P<start>{DAY}) to "
     rf"(?P<end>{DAY}))?; you have {MONEY.format('have')}\.", _revenue),
    (r"Global Strategic is a designation given by the program; recalculation does not move a designated partner "
     r"\(computed: (?P<computed>[A-Z][A-Za-z ]*)\)\.", lambda g: {"code": "designated", "computed": g["computed"]}),
    (rf"Annual recalculation: you stay {TIER}\.", lambda g: {"code": "annual_stay", "tier": g["tier"]}),
    (rf"Annual recalculation \(revenue in (?P<year>\d{{4}})\): you move (?P<direction>up|down) to {TIER}\.",
     lambda g: {"code": "annual_move", "direction": g["direction"], "tier": g["tier"],
                "window": {"year": int(g["year"])}}),
    (rf"Mid-year recalculation: you move up to {TIER}\.", lambda g: {"code": "midyear_up", "tier": g["tier"]}),
    (rf"Mid-year recalculation: partners only move up; you stay {TIER}\.",
     lambda g: {"code": "midyear_stay", "tier": g["tier"]}),
    (r"Your certification provisional period is closed: the counts are met\.", lambda g: {"code": "provisional_met"}),
    (rf"A certification provisional period opens: you keep {TIER} if the certification and training counts are met "
     rf"again by (?P<day>{DAY})\.", lambda g: {"code": "provisional_open", "tier": g["tier"], "ends_on": iso(g["day"])}),
    (rf"Your certification provisional period runs until (?P<day>{DAY}); you keep {TIER} until then\.",
     lambda g: {"code": "provisional_continue", "tier": g["tier"], "ends_on": iso(g["day"])}),
    (rf"Your certification provisional period ended on (?P<day>{DAY}) with the counts still short: you move down to "
     rf"{TIER}, the highest tier your certified and sales-trained people still meet\.",
     lambda g: {"code": "provisional_expired", "tier": g["tier"], "ended_on": iso(g["day"])}),
]
COMPILED = [(re.compile(pattern), build) for pattern, build in PATTERNS]


@functools.lru_cache(maxsize=4096)
def _parse(sentence):
    for pattern, build in COMPILED:
        match = pattern.fullmatch(sentence)
        if match:
            try:
                return build(match.groupdict())
            except (KeyError, ValueError):
                return None
    return None


def parse(sentence):
    """The code of an English reason sentence, or None when it does not parse (it is then kept as it is)."""
    found = _parse(sentence)
    return dict(found) if found is not None else None


def convert(reasons):
    """(new reasons, changed?): each sentence that parses becomes its code, the others stay."""
    out, changed = [], False
    for reason in reasons or []:
        code = parse(reason) if isinstance(reason, str) else None
        out.append(code if code is not None else reason)
        changed = changed or code is not None
    return out, changed


BATCH = 2000


def _rewrite(apps, change):
    Assessment = apps.get_model("tiers", "Assessment")
    pending = []
    for assessment in Assessment.objects.only("pk", "reasons").order_by("pk").iterator(chunk_size=BATCH):
        reasons, changed = change(assessment.reasons)
        if changed:
            assessment.reasons = reasons
            pending.append(assessment)
        if len(pending) >= BATCH:
            Assessment.objects.bulk_update(pending, ["reasons"])
            pending = []
    if pending:
        Assessment.objects.bulk_update(pending, ["reasons"])


def forwards(apps, schema_editor):
    _rewrite(apps, convert)


def backwards(apps, schema_editor):
    """Codes back to English sentences, for the code that expected them."""
    from django.utils import translation

    from tiers.reasons import render

    def to_sentences(reasons):
        out = [render(r) if isinstance(r, dict) else r for r in reasons or []]
        return out, any(isinstance(r, dict) for r in reasons or [])

    with translation.override("en"):
        _rewrite(apps, to_sentences)


class Migration(migrations.Migration):

    dependencies = [
        ("tiers", "0007_expiry_notices"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
