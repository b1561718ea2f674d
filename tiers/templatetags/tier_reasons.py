"""The tier reasons a notification carries (codes with parameters), in the active language.

    {% load tier_reasons %}  {{ reason|tier_reason }}
"""

from django import template

from tiers import reasons

register = template.Library()


@register.filter
def tier_reason(reason: dict | str) -> str:
    return reasons.render(reason)
