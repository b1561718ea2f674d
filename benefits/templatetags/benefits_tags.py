"""Template tags of the benefits app. The tier page includes ``{% tier_benefits partner program_year=... %}``; the
program years page (tiers) ``{% program_year_copy_form %}``, whose action is ours because copying a
year copies its benefits."""

from django import template

from .. import selectors
from ..forms import ProgramYearCopyForm

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


@register.inclusion_tag("benefits/_program_year_copy.html", takes_context=True)
def program_year_copy_form(context):
    """The "Copy a year" form; benefits.views.program_year_copy passes back a bound form with its errors."""
    return {"form": context.get("copy_form") or ProgramYearCopyForm(), "csrf_token": context.get("csrf_token")}
