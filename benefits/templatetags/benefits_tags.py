"""Template tags of the benefits app: ``{% tier_benefits partner program_year=... %}`` (the benefits page; the
tier page gets the same list through tiers.sections, see benefits.views.tier_benefits_section)."""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import fingerprint
from partners.models import Agreement, AgreementAcceptance, Completion, Partner, User

from .. import rules, selectors
from ..models import BenefitInvitation

register = template.Library()

STATUS_CLASSES = {
    "included": "text-bg-success",
    "invited": "text-bg-primary",
    "invite_only": "text-bg-info",
    "from_tier": "text-bg-light border",
    "gated": "text-bg-warning",
    "not_offered": "text-bg-secondary",
}

# A published or closed year's benefits table no longer changes (only a draft is edited), so its rendered list
# is kept for a partner whose facts are the same. Bump TABLE_VERSION when the template or the rules' words
# change, so a deploy does not serve the old text.
TABLE_VERSION = 1
TABLE_SECONDS = 60 * 60


def _table_key(year, partner, facts, *, show_glossary, for_staff):
    """Everything the rendered list depends on: the year's state, the partner's name and facts, who reads it
    and in which language (the portal is translated: the same facts read differently in each)."""
    parts = (
        TABLE_VERSION, year.pk, year.status, year.published_at, year.name, get_language(), for_staff,
        show_glossary, partner.pk, partner.name, facts.tier, sorted(facts.invitations.items()),
        sorted(facts.agreement_kinds), facts.segment_certified,
    )
    return "benefits:tier_table:" + hashlib.sha256(repr(parts).encode()).hexdigest()


# The partner's rows behind its facts (selectors.partner_facts): with their fingerprint (core.fingerprint) the
# rendered list is found without reading the facts again (1 query instead of 3).
FACT_ROWS = [
    (Partner, "id = %(p)s"),
    (BenefitInvitation, "partner_id = %(p)s"),
    (User, "id IN (SELECT invited_by_id FROM {BenefitInvitation} WHERE partner_id = %(p)s)"),
    (AgreementAcceptance, "partner_id = %(p)s"),
    (Agreement, "TRUE"),
    (Completion, "partner_id = %(p)s"),
]


def _rows_key(year, partner, rows, *, today, show_glossary, for_staff):
    parts = (TABLE_VERSION, year.pk, year.status, year.published_at, year.name, get_language(), for_staff,
             show_glossary, partner.pk, today.isoformat(), rows)
    return "benefits:tier_table_rows:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _context(partner, year, statuses, show_glossary):
    rows = [(benefit, status, STATUS_CLASSES[status.status]) for benefit, status in statuses]
    return {"partner": partner, "program_year": year, "rows": rows, "show_glossary": show_glossary}


@register.simple_tag
def tier_benefits(partner, show_glossary=False, program_year=None, for_staff=False):
    """The benefits of the partner's program year (program_year_for(today), or ``program_year`` when the
    page has it already) and each one's status for this partner, rendered.

    The partner's facts (invitations, agreements and certification change at any time) are read (3 queries)
    unless the rows behind them are unchanged since this list was rendered for the partner today (their
    fingerprint, 1 query); the year's benefits and the rendering are taken from the cache when a view with the
    same facts, year and language rendered them already (2 queries and the template saved)."""
    today = timezone.localdate()
    year = program_year or selectors.program_year_for(today)
    if year.is_draft:
        overview = selectors.benefit_overview(partner, program_year=year, for_staff=for_staff)
        return mark_safe(render_to_string(  # noqa: S308 - our template's output, escaped there
            "benefits/_tier_benefits.html", _context(partner, overview.program_year, overview.statuses,
                                                     show_glossary)))
    rows = fingerprint.digest(FACT_ROWS, partner_id=partner.pk)
    rows_key = rows and _rows_key(year, partner, rows, today=today, show_glossary=show_glossary, for_staff=for_staff)
    html = cache.get(rows_key) if rows_key else None
    if html is not None:
        return mark_safe(html)  # noqa: S308 - rendered (and escaped) by our template below
    facts = selectors.partner_facts(partner, year, as_of=today)
    key = _table_key(year, partner, facts, show_glossary=show_glossary, for_staff=for_staff)
    html = cache.get(key)
    if html is None:
        statuses = [(b, rules.benefit_status(selectors.benefit_facts(b), facts, for_staff=for_staff))
                    for b in selectors.benefits_of_year(year)]
        html = render_to_string("benefits/_tier_benefits.html", _context(partner, year, statuses, show_glossary))
        cache.set(key, html, TABLE_SECONDS)
    if rows_key:
        cache.set(rows_key, html, TABLE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered (and escaped) by our template above


@register.simple_tag
def benefit_status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-secondary")
