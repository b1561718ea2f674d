"""The yearly rollover and the full copy of a program year. They live at the top because a year's rows
belong to several apps: its settings to program, its tiers to tiers, its benefits table to benefits, its
MDF tier defaults to funding.

1 January (build_portal.tasks.program_year_rollover, scheduled in build_portal/schedules.py): the new
year is published if a program admin prepared it (a draft), or else created as a copy of the year before and
published, and every program admin is told in the app and by email; the year before is closed; then the
annual recalculation runs against the new year (guide p.12).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.services import notify
from benefits.services import program_year_copy_with_benefits
from partners.models import StaffRole, User
from program.models import ProgramYear
from program.services import program_year_close, program_year_publish
from tiers import rules as tier_rules
from tiers import services as tier_services

PROGRAM_YEARS_URL = "/staff/tiers/years/"


def program_year_copy_full(*, source, year, user=None):
    """Copy ``source`` to ``year`` as a draft: settings, tiers and thresholds, the benefits table cell by cell,
    and the MDF tier defaults (program.copying runs every app's part of the copy)."""
    return program_year_copy_with_benefits(source=source, year=year, user=user)


@dataclass(frozen=True)
class Rollover:
    program_year: ProgramYear
    action: str  # "published" (a prepared draft), "copied" (from the year before), "none" (in force already)
    run: object | None


def rollover(*, today: datetime.date | None = None) -> Rollover:
    """Idempotent and safe when two run at once: the year before is locked first, so a second rollover waits,
    then finds the new year published and only applies (idempotently) the one scheduled annual run."""
    today = today or timezone.localdate()
    year = today.year
    with transaction.atomic():
        previous = ProgramYear.objects.select_for_update().filter(year=year - 1).first()
        current = ProgramYear.objects.select_for_update().filter(year=year).first()
        if current is not None and current.is_draft:
            current, action = program_year_publish(program_year=current), "published"
        elif current is None:
            if previous is None:
                raise ValidationError(_("There is no %(previous)s program year to copy the %(year)s program year from.")
                                      % {"previous": year - 1, "year": year})
            current = program_year_publish(program_year=program_year_copy_full(source=previous, year=year))
            action = "copied"
            _tell_program_admins(current, previous)
        else:
            action = "none"
        if previous is not None and previous.is_published and today > previous.ends_on:
            program_year_close(program_year=previous, today=today)
    run = None
    if today == current.starts_on:
        run = tier_services.scheduled_recalculation(kind=tier_rules.ANNUAL, as_of=today, today=today)
    return Rollover(current, action, run)


def _tell_program_admins(current, previous):
    admins = list(User.objects.filter(staff_role=StaffRole.PROGRAM_ADMIN, is_active=True))
    notify(recipients=admins, url=PROGRAM_YEARS_URL,
           kind="program_year_copied", params={"year": current.year, "previous_year": previous.year})
