"""One format for dates and one for money, for pages, emails, messages and the API's display strings, in the
language the request (or the email's recipient) reads (django.utils.translation.get_language()).

English is the portal's own format, unchanged:
- A day is written "1 Dec 2026" (no leading zero, short month, full year): unambiguous in every locale
  the program serves, and short enough for a table cell on a phone.
- Money is US dollars (every amount in the program guide is in USD): "$20,000" for whole dollars and
  "$1,234,567.50" when there are cents. Negative amounts read "-$500".

The other languages follow CLDR through babel, choosing the formats that say the same thing:
- a day is the "yMMMd" skeleton (year, abbreviated month, day in the locale's order): fr "1 déc. 2026",
  ja "2026年12月1日", pt-BR "1 de dez. de 2026", es "1 dic 2026";
- an event's moment is that day and the "Hm" time (24-hour) joined by the locale's medium date-time pattern:
  fr "1 déc. 2026, 14:05", ja "2026年12月1日 14:05";
- money is the locale's standard currency pattern for USD, without the cents when there are none (as in
  English): fr "20 000 $US" and "1 234 567,50 $US", ja "$20,000", pt-BR "US$ 20.000", es "20.000 US$";
- a number is the locale's decimal pattern: fr "1 234", pt-BR and es "1.234".
English is not left to CLDR: its English ("en") writes "Dec 1, 2026", and British English "4 Sept 2026".

Plain functions of plain values; the template filters in core/templatetags/formatting.py call these.
"""

import datetime
import functools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language, ngettext, pgettext, to_locale

EMPTY = "—"
CENTS = Decimal("0.01")
CURRENCY = "USD"


@functools.cache
def _babel_locale(language: str) -> Locale | None:
    """The CLDR locale of a Django language code ("pt-br" → pt_BR); None for English (the portal's own
    formats) and for a code babel does not know."""
    if language == "en" or language.startswith("en-"):
        return None
    try:
        return Locale.parse(to_locale(language))
    except (ValueError, LookupError):
        return None


def _locale() -> Locale | None:
    """The active language's CLDR locale, or None when the portal's English formats apply (also when no
    language is active, e.g. after translation.deactivate_all())."""
    language = get_language()
    return _babel_locale(language) if language else None


def _as_date(value: Any) -> Any:
    """A date from a date, the local date of an aware datetime, or an ISO string (other text is returned)."""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def day(value: Any) -> str:
    """A date (or the local date of an aware datetime) as "1 Dec 2026" (fr "1 déc. 2026"); "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    value = _as_date(value)
    if isinstance(value, str):
        return value
    locale = _locale()
    if locale is None:
        return f"{value.day} {value:%b %Y}"
    return format_skeleton("yMMMd", value, locale=locale)


def moment(value: Any) -> str:
    """An event's date and time: "1 Dec 2026, 14:05" in the server's time zone (ja "2026年12月1日 14:05")."""
    if value in (None, ""):
        return EMPTY
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = _locale()
    if locale is None:
        return f"{day(value)}, {value:%H:%M}"
    # CLDR's date-time pattern: {1} is the date, {0} the time ("{1}, {0}" in French, "{1} {0}" in Japanese).
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", day(value)).replace("{0}", format_skeleton("Hm", value, locale=locale))


def money(value: object) -> str:
    """An amount in USD: "$20,000" or "$1,234,567.50" (fr "20 000 $US", "1 234 567,50 $US"); "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    try:
        amount = Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    whole = amount == amount.to_integral_value()
    locale = _locale()
    if locale is None:
        sign = "-" if amount < 0 else ""
        amount = abs(amount)
        text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
        return f"{sign}${text}"
    if not whole:
        return format_currency(amount, CURRENCY, locale=locale)
    # The locale's own currency pattern without its fraction digits: whole dollars show no ",00".
    pattern = locale.currency_formats["standard"].pattern
    pattern = re.sub(r"\.0+", "", pattern)
    return format_currency(amount, CURRENCY, format=pattern, locale=locale, currency_digits=False)


def number(value: object) -> str:
    """A count or amount without a currency: "1,234" (fr "1 234", es "1.234"); "—" for nothing."""
    if value in (None, ""):
        return EMPTY
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    locale = _locale()
    if locale is None:
        return f"{amount:,}"
    return format_decimal(amount, locale=locale)


def days_from_now(target: datetime.date, *, today: datetime.date) -> str:
    """"today", "tomorrow", "in 10 days", "1 day ago"."""
    delta = (target - today).days
    if delta == 0:
        return pgettext("a deadline relative to today", "today")
    if delta == 1:
        return pgettext("a deadline relative to today", "tomorrow")
    if delta > 0:
        return ngettext("in %(n)d day", "in %(n)d days", delta) % {"n": delta}
    return ngettext("%(n)d day ago", "%(n)d days ago", -delta) % {"n": -delta}


def count_of(n: int, phrase: Any) -> str:
    """A count with its noun, in the reader's language: "1 sales-trained person", "3 sales-trained people".

    ``phrase`` is a whole plural message whose count is named "n", so makemessages can extract it:
    ``ngettext_lazy("%(n)d sales-trained person", "%(n)d sales-trained people", "n")``."""
    return str(phrase % {"n": n})


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple[int | str, ...]:
    """A sort key that orders "Person 2" before "Person 10" (numbers compare as numbers, case ignored)."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(text or ""))


def country_choices() -> list[tuple[str, str]]:
    """(ISO 3166-1 alpha-2 code, name) for every officially assigned country, by name (django-countries);
    user-assigned codes such as ZZ or XK are not in it."""
    from django_countries import countries

    return list(countries)


@functools.lru_cache(maxsize=16)
def _country_names(language: str | None) -> dict[str, str]:
    """{code: name} in a language, made once per process: the directory names a few countries on each of its
    rows, and django-countries translates its whole entry on every lookup."""
    from django_countries import countries

    return {code: str(name) for code, name in countries}


def country_name(code: str | None) -> str:
    """"GB" -> "United Kingdom"; an unknown code is shown as it is."""
    code = (code or "").strip().upper()
    return _country_names(get_language()).get(code) or code


def country_names(codes: Iterable[str | None]) -> str:
    """Each country once, by name, in the order first given: ["US", "us", "GB"] -> "United States of America,
    United Kingdom"."""
    seen = dict.fromkeys((c or "").strip().upper() for c in codes if (c or "").strip())
    return ", ".join(country_name(c) for c in seen)
