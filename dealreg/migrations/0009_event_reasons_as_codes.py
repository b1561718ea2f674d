"""History events stop storing the portal's English sentences: each becomes a code with parameters
(dealreg/history.py renders it in the reader's language), and a reviewer's typed reason is kept as typed.

The sentences the services wrote before codes existed are parsed back, by the event's action:
- win:    "Already closed won on 05 Dec 2026 with 123456.50 USD ARR (OPP-7)." (an approved missing sourced
          opportunity) and "Won: 1000.00 USD ARR, closed 2026-12-05." (won with no typed reason);
- expire: "Not won or lost by 05 Dec 2026." and the same followed by " Closed won on 01 Dec 2026 in the sales
          system: the attachment stays.";
- reject: "<category label>: <typed reason>" (the label in English or in the language the reviewer read in): the
          label's category becomes the code's parameter and the typed reason stays, as typed, without the label.
Anything else (text a person typed, a sentence that does not parse) is left as it is. Safe to run twice: an
event that has a code is not parsed again.

The parser is frozen here, against the sentences as the services wrote them; it does not follow later changes to
dealreg/history.py. Backwards, codes are written out as the old English sentences again."""

import re

from django.db import migrations

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY = r"\d{1,2} (?:" + "|".join(MONTHS) + r") \d{4}"
AMOUNT = r"-?\d+(?:\.\d+)?"
# The rejection categories' English labels, as DealRegistration.RejectReason named them when these were written.
REJECT_LABELS = {
    "Duplicate registration": "duplicate",
    "Existing customer": "existing_customer",
    "Insufficient information": "insufficient_information",
    "Not a fit": "not_a_fit",
    "Other": "other",
}

CLAIM_WON = re.compile(rf"Already closed won on (?P<close_date>{DAY}) with (?P<arr_usd>{AMOUNT}) USD ARR "
                       rf"\((?P<opportunity>[^()]+)\)\.")
WON = re.compile(rf"Won: (?P<arr_usd>{AMOUNT}) USD ARR, closed (?P<closed_on>\d{{4}}-\d{{2}}-\d{{2}})\.")
EXPIRED = re.compile(rf"Not won or lost by (?P<expires_on>{DAY})\.(?: Closed won on (?P<close_date>{DAY}) in the "
                     rf"sales system: the attachment stays\.)?")


def reject_labels():
    """{label: category} for the English labels and their translations: the label was written in the language
    the reviewer read the page in (the catalogs of the time are the ones deployed with this migration)."""
    from django.conf import settings
    from django.utils import translation

    labels = dict(REJECT_LABELS)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for english, code in REJECT_LABELS.items():
                text = (translation.pgettext("rejection reason", english) if code == "other"
                        else translation.gettext(english))
                labels.setdefault(text, code)
    return labels


def rejected_pattern(labels):
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(f"(?P<label>{alternatives}): (?P<reason>.*)", re.DOTALL)


REJECTED = rejected_pattern(REJECT_LABELS)


def iso(text):
    d, m, y = text.split()
    return f"{int(y):04d}-{MONTHS.index(m) + 1:02d}-{int(d):02d}"


def english_day(value):
    y, m, d = value.split("-")
    return f"{int(d):02d} {MONTHS[int(m) - 1]} {y}"


def parse(action, reason, *, labels=REJECT_LABELS, rejected=REJECTED):
    """(code, params, typed reason) of an event's stored text, or None when it is not a sentence the portal wrote.
    ``labels`` and ``rejected``: the rejection labels to recognise (reject_labels()) and their pattern."""
    text = reason or ""
    if action == "win":
        if match := CLAIM_WON.fullmatch(text):
            return "claim_won", {"close_date": iso(match["close_date"]), "arr_usd": match["arr_usd"],
                                 "opportunity": match["opportunity"]}, ""
        if match := WON.fullmatch(text):
            return "won", {"arr_usd": match["arr_usd"], "closed_on": match["closed_on"]}, ""
    elif action == "expire":
        if match := EXPIRED.fullmatch(text):
            params = {"expires_on": iso(match["expires_on"])}
            if match["close_date"]:
                params["close_date"] = iso(match["close_date"])
            return "expired", params, ""
    elif action == "reject":
        if match := rejected.fullmatch(text):
            return "rejected", {"reject_reason": labels[match["label"]]}, match["reason"]
    return None


def sentence(code, params, reason):
    """The English text an event stored before codes (backwards); None for a code it does not know."""
    if code == "claim_won":
        return (f"Already closed won on {english_day(params['close_date'])} with {params['arr_usd']} USD ARR "
                f"({params['opportunity']}).")
    if code == "won":
        return reason or f"Won: {params['arr_usd']} USD ARR, closed {params['closed_on']}."
    if code == "expired":
        text = f"Not won or lost by {english_day(params['expires_on'])}."
        if params.get("close_date"):
            text += f" Closed won on {english_day(params['close_date'])} in the sales system: the attachment stays."
        return text
    if code == "rejected":
        label = {v: k for k, v in REJECT_LABELS.items()}[params["reject_reason"]]
        return f"{label}: {reason}"
    return None


BATCH = 2000


def _rewrite(apps, queryset, change):
    Event = apps.get_model("dealreg", "DealRegistrationEvent")
    pending = []
    for event in queryset(Event).only("pk", "action", "reason", "reason_code", "reason_params").order_by("pk") \
            .iterator(chunk_size=BATCH):
        if change(event):
            pending.append(event)
        if len(pending) >= BATCH:
            Event.objects.bulk_update(pending, ["reason", "reason_code", "reason_params"])
            pending = []
    if pending:
        Event.objects.bulk_update(pending, ["reason", "reason_code", "reason_params"])


def forwards(apps, schema_editor):
    labels = reject_labels()
    rejected = rejected_pattern(labels)

    def to_code(event):
        found = parse(event.action, event.reason, labels=labels, rejected=rejected)
        if found is None:
            return False
        event.reason_code, event.reason_params, event.reason = found
        return True

    _rewrite(apps, lambda Event: Event.objects.filter(action__in=["win", "expire", "reject"], reason_code=""),
             to_code)


def backwards(apps, schema_editor):
    def to_sentence(event):
        try:
            text = sentence(event.reason_code, event.reason_params or {}, event.reason)
        except (KeyError, ValueError, IndexError):
            text = None
        if text is None:
            return False
        event.reason, event.reason_code, event.reason_params = text, "", {}
        return True

    _rewrite(apps, lambda Event: Event.objects.exclude(reason_code=""), to_sentence)


class Migration(migrations.Migration):

    dependencies = [
        ("dealreg", "0008_event_reason_code"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
