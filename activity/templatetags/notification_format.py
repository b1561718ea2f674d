"""Filters for the notification templates, whose params are plain values (dates as ISO strings).

    {% load notification_format %}  {{ p.expires_on|isodate|date:_("d M Y") }}
"""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isodate(value: object) -> object:
    """An ISO date ("2026-12-01") as a date, an ISO date and time as an aware datetime (UTC when it names no
    zone); anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        if "T" in value or " " in value.strip():
            moment = datetime.datetime.fromisoformat(value)
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


@register.filter
def padded_day(value: object) -> str:
    """A date as the deal registration notices write it ("01 Dec 2026" in English); each language's catalog
    gives its own order (a Django date format)."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import pgettext

    value = isodate(value)
    if not isinstance(value, datetime.date):
        return str(value or "")
    return date_format(value, pgettext("date format of a deal registration notice (Django date filter)", "d M Y"))
