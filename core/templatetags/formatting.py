"""Template filters for the one date format and the one money format (core/formatting.py).

    {% load formatting %}  {{ registration.expires_on|day }}  {{ figures.remaining|money }}
"""

from django import template

from core import formatting

register = template.Library()


@register.filter
def day(value):
    return formatting.day(value)


@register.filter
def moment(value):
    return formatting.moment(value)


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def country(code):
    return formatting.country_name(code)


@register.filter
def countries(codes):
    """A list of codes as names, each once."""
    return formatting.country_names(codes or [])
