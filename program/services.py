"""Writes of the program app: a year's lifecycle (draft -> published -> closed). Each in one transaction with
its audit entry. Copying a year (tiers, benefits, MDF defaults) is composed by the apps that own those rows."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.services import audit_record

from .models import ProgramYear

if TYPE_CHECKING:
    from partners.models import User  # a name only: program sits below partners


def _require_program_admin(user: "User | None") -> None:
    if user is not None and not getattr(user, "is_program_admin", False):
        raise ValidationError(_("Only a program admin may publish or close a program year."))


def program_year_publish(*, program_year: ProgramYear, user: "User | None" = None) -> ProgramYear:
    """Put a prepared (draft) year in force for its dates. ``user`` None: the 1 January rollover."""
    _require_program_admin(user)
    with transaction.atomic():
        year = ProgramYear.objects.select_for_update().get(pk=program_year.pk)
        if year.status != ProgramYear.Status.DRAFT:
            raise ValidationError((
                _("The %(year)s program year is published already; only a draft can be published.")
                if year.status == ProgramYear.Status.PUBLISHED
                else _("The %(year)s program year is closed already; only a draft can be published.")
            ) % {"year": year.year})
        year.status, year.published_at = ProgramYear.Status.PUBLISHED, timezone.now()
        year.save(update_fields=["status", "published_at"])
        audit_record(actor=user, action=AuditAction.PROGRAM_YEAR_PUBLISH, obj=year, before={"status": "draft"},
                     after={"status": year.status})
    return year


def program_year_close(*, program_year: ProgramYear, user: "User | None" = None,
                       today: datetime.date | None = None) -> ProgramYear:
    """Close a published year after its last day: read-only from then on, its data kept and viewable."""
    _require_program_admin(user)
    today = today or timezone.localdate()
    with transaction.atomic():
        year = ProgramYear.objects.select_for_update().get(pk=program_year.pk)
        if year.status != ProgramYear.Status.PUBLISHED:
            raise ValidationError((
                _("Only a published program year can be closed; %(year)s is draft.")
                if year.status == ProgramYear.Status.DRAFT
                else _("Only a published program year can be closed; %(year)s is closed.")
            ) % {"year": year.year})
        if today <= year.ends_on:
            raise ValidationError(_("The %(year)s program year runs until %(last_day)s; close it after its last day.")
                                  % {"year": year.year, "last_day": date_format(year.ends_on, "j M Y")})
        year.status, year.closed_at = ProgramYear.Status.CLOSED, timezone.now()
        year.save(update_fields=["status", "closed_at"])
        audit_record(actor=user, action=AuditAction.PROGRAM_YEAR_CLOSE, obj=year, before={"status": "published"},
                     after={"status": year.status})
    return year
