"""Template filters for the one date format, the one money format and numbers (core/formatting.py), each
written for the page's language.

    {% load formatting %}  {{ registration.expires_on|day }}  {{ figures.remaining|money }}  {{ n|number }}
"""

from collections.abc import Iterable
from typing import Any

from django import template

from core import formatting

register = template.Library()


@register.filter
def day(value: object) -> str:
    return formatting.day(value)


@register.filter
def moment(value: Any) -> str:
    return formatting.moment(value)


@register.filter
def money(value: object) -> str:
    return formatting.money(value)


@register.filter
def number(value: object) -> str:
    return formatting.number(value)


@register.filter
def country(code: str | None) -> str:
    return formatting.country_name(code)


@register.filter
def countries(codes: Iterable[str | None] | None) -> str:
    """A list of codes as names, each once."""
    return formatting.country_names(codes or [])
