"""The tier reasons and forecasts a notification carries (codes with parameters), in the active language.

    {% load tier_reasons %}  {{ reason|tier_reason }}  {% for s in p|risk_sentences %}  {{ c.course|course_label }}
"""

from typing import Any

from django import template

from partners.models import Course
from tiers import forecasts, reasons

register = template.Library()


@register.filter
def tier_reason(reason: dict | str) -> str:
    return reasons.render(reason)


@register.filter
def risk_sentences(params: dict[str, Any]) -> list[str]:
    """The tier-at-risk forecast of a notice (``forecast``: TierRisk.as_params) in the reader's language; a notice
    written before forecasts were data carries its sentences (``risk``) as they were rendered then."""
    if params.get("forecast"):
        try:
            return forecasts.risk_sentences(params["forecast"])
        except (KeyError, TypeError, ValueError):
            return []
    return list(params.get("risk") or [])


@register.filter
def course_label(course: str) -> str:
    """A course code's name in the reader's language; an older notice's stored name is shown as stored."""
    return str(Course(course).label) if course in Course.values else course
