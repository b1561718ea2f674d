"""Reads of the program app. ``program_year_for(day)`` is the one lookup of the year in force on a day."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from .models import ProgramYear

# Years in force: a closed year still covers its dates (a page for 2025 reads 2025's rules), a draft never does.
IN_FORCE = (ProgramYear.Status.PUBLISHED, ProgramYear.Status.CLOSED)


class NoProgramYear(ValidationError):  # noqa: N818 - the domain's name for it, as the guide says "program year"
    """No published program year covers the day. A ValidationError, so a form shows it and the API answers
    400 with it; pages that need the year catch it and say so (build_portal.middleware)."""

    def __init__(self, day: datetime.date, *, field: str | None = None, draft: bool = False) -> None:
        self.day, self.year = day, day.year
        facts = {"year": day.year, "day": date_format(day, "j M Y")}
        if draft:
            message = _("There is no published %(year)s program year for %(day)s: the %(year)s program year is a "
                        "draft, not published yet. A program admin publishes it on the program years page.") % facts
        else:
            message = _("There is no published %(year)s program year for %(day)s: the %(year)s program year does "
                        "not exist. A program admin publishes it on the program years page.") % facts
        super().__init__({field: message} if field else message)

    @property
    def text(self) -> str:
        return self.messages[0]


def program_year_for(day: datetime.date, *, field: str | None = None) -> ProgramYear:
    """The published (or, after its end, closed) program year whose dates cover ``day``; raises NoProgramYear
    naming the year otherwise. Nothing falls back to another year's rules."""
    rows = list(ProgramYear.objects.filter(starts_on__lte=day, ends_on__gte=day))
    in_force = [y for y in rows if y.status in IN_FORCE]
    if in_force:
        return in_force[0]
    raise NoProgramYear(day, field=field, draft=bool(rows))


def current_program_year(today: datetime.date | None = None) -> ProgramYear:
    return program_year_for(today or timezone.localdate())


def program_year_or_none(day: datetime.date) -> ProgramYear | None:
    """For pages that say "no program year" themselves instead of failing."""
    try:
        return program_year_for(day)
    except NoProgramYear:
        return None


def program_years() -> QuerySet[ProgramYear]:
    return ProgramYear.objects.all()


def years_in_force() -> QuerySet[ProgramYear]:
    """Published and closed years, newest first: the years whose pages (funding, history) can be read."""
    return ProgramYear.objects.filter(status__in=IN_FORCE).order_by("-year")


def program_year_chosen(value: str | int | None, *, today: datetime.date | None = None, field: str = "year") -> ProgramYear:
    """``?year=`` of a page or the API: empty means the year in force today; otherwise a published or closed
    year (a ValidationError on ``field`` names what is wrong)."""
    if value is None or value == "":
        return current_program_year(today)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a year, e.g. 2026.")}) from None
    year = ProgramYear.objects.filter(year=number, status__in=IN_FORCE).first()
    if year is None:
        raise ValidationError({field: _("There is no published %(year)s program year.") % {"year": number}})
    return year


def program_year_notice(*, today: datetime.date | None = None) -> dict[str, Any] | None:
    """What a program admin is told about program years (None when all is well): any day, that the current
    calendar year has no published year; from 1 November, that next year is not prepared yet."""
    today = today or timezone.localdate()
    years = {y.year: y for y in ProgramYear.objects.filter(year__in=(today.year, today.year + 1))}
    current = years.get(today.year)
    if current is None or current.is_draft:
        text = (_("The %(year)s program year is a draft, not published: pages that need the program year say so, "
                  "and no recalculation can run.") if current
                else _("The %(year)s program year does not exist: pages that need the program year say so, and no "
                       "recalculation can run.")) % {"year": today.year}
        return {"level": "danger", "year": today.year, "source": today.year - 1, "draft": current, "text": text}
    if (today.month, today.day) >= (11, 1) and today.year + 1 not in years:
        return {"level": "warning", "year": today.year + 1, "source": today.year, "draft": None,
                "text": _("The %(next)s program year is not prepared yet: copy %(year)s and edit it.") % {
                    "next": today.year + 1, "year": today.year}}
    return None
