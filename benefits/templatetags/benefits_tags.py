"""Template tags of the benefits app: ``{% tier_benefits partner program_year=... %}`` (the benefits page; the
tier page gets the same list through tiers.sections, see benefits.views.tier_benefits_section)."""

from django import template

from .. import selectors

register = template.Library()

STATUS_CLASSES = {
    "included": "text-bg-success",
    "invited": "text-bg-primary",
    "invite_only": "text-bg-info",
    "from_tier": "text-bg-light border",
    "gated": "text-bg-warning",
    "not_offered": "text-bg-secondary",
}


@register.inclusion_tag("benefits/_tier_benefits.html")
def tier_benefits(partner, show_glossary=False, program_year=None):
    """The benefits of the partner's program year (program_year_for(today), or ``program_year`` when the
    page has it already) and each one's status for this partner, in a fixed number of queries
    (benefits.selectors.benefit_overview)."""
    overview = selectors.benefit_overview(partner, program_year=program_year)
    rows = [(benefit, status, STATUS_CLASSES[status.status]) for benefit, status in overview.statuses]
    return {"partner": partner, "program_year": overview.program_year, "rows": rows,
            "show_glossary": show_glossary}


@register.simple_tag
def benefit_status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-secondary")
