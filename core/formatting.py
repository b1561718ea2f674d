"""One format for dates and one for money, for pages, emails, messages and the API's display strings.

- A day is written "1 Dec 2026" (no leading zero, short month, full year): unambiguous in every locale
  the program serves, and short enough for a table cell on a phone.
- Money is US dollars (every amount in the program guide is in USD): "$20,000" for whole dollars and
  "$1,234,567.50" when there are cents. Negative amounts read "-$500".

Plain functions of plain values; the template filters in core/templatetags/formatting.py call these.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import ngettext

EMPTY = "—"
CENTS = Decimal("0.01")


def day(value: Any) -> str:
    """A date (or the local date of an aware datetime) as "1 Dec 2026"; "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.day} {value:%b %Y}"


def moment(value: Any) -> str:
    """An event's date and time: "1 Dec 2026, 14:05" in the server's time zone."""
    if value in (None, ""):
        return EMPTY
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{day(value)}, {value:%H:%M}"


def money(value: object) -> str:
    """An amount in USD: "$20,000" or "$1,234,567.50"; "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    try:
        amount = Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}${text}"


def days_from_now(target: datetime.date, *, today: datetime.date) -> str:
    """"today", "tomorrow", "in 10 days", "1 day ago"."""
    delta = (target - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta > 0:
        return ngettext("in %(n)d day", "in %(n)d days", delta) % {"n": delta}
    return ngettext("%(n)d day ago", "%(n)d days ago", -delta) % {"n": -delta}


def count_of(n: int, singular: str, plural: str) -> str:
    """"1 sales-trained person", "3 sales-trained people"."""
    return ngettext(f"%(n)d {singular}", f"%(n)d {plural}", n) % {"n": n}


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple[int | str, ...]:
    """A sort key that orders "Person 2" before "Person 10" (numbers compare as numbers, case ignored)."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(text or ""))


def country_choices() -> list[tuple[str, str]]:
    """(ISO 3166-1 alpha-2 code, name) for every officially assigned country, by name (django-countries);
    user-assigned codes such as ZZ or XK are not in it."""
    from django_countries import countries

    return list(countries)


def country_name(code: str | None) -> str:
    """"GB" -> "United Kingdom"; an unknown code is shown as it is."""
    from django_countries import countries

    code = (code or "").strip().upper()
    return countries.name(code) or code


def country_names(codes: Iterable[str | None]) -> str:
    """Each country once, by name, in the order first given: ["US", "us", "GB"] -> "United States of America,
    United Kingdom"."""
    seen = dict.fromkeys((c or "").strip().upper() for c in codes if (c or "").strip())
    return ", ".join(country_name(c) for c in seen)
