"""{{ entry|ledger_words }}: a ledger entry's words in the reader's language (funding.ledger)."""

from django import template

from funding.ledger import ledger_words as _ledger_words

register = template.Library()


@register.filter
def ledger_words(entry):
    return _ledger_words(entry)
