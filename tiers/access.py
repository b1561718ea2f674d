"""Who may see and change what in the tiers app: the one place that decides.

A partner's standing: its own users, and staff who may see the partner (PAM: assigned and unassigned
partners, PSA: assigned, program admin: all). Outsiders get 404. Runs, program years and the Global
Strategic designation belong to program admins; other staff who can see the partner get 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from partners.access import partner_for_user, require_partner_user, require_program_admin, require_staff
from program.models import ProgramYear

from .models import RecalculationRun


def own_partner(user):
    """The partner whose tier page a partner user reads."""
    require_partner_user(user)
    return user.partner


def standing_partner_for_user(user, partner_id, *, for_change=False):
    """A partner whose standing ``user`` may read (404 otherwise); with ``for_change``, only a program admin
    may change it (designation), others who can see it get 403."""
    partner = partner_for_user(user, partner_id)
    if for_change and not user.is_program_admin:
        raise PermissionDenied(_("Only a program admin may give or remove the Global Strategic designation."))
    return partner


def staff_partner_for_user(user, partner_id, *, for_change=False):
    """The staff page's partner: staff only (partner users read their own tier page)."""
    require_staff(user)
    return standing_partner_for_user(user, partner_id, for_change=for_change)


def require_recalculation_admin(user):
    require_program_admin(user)


def run_for_user(user, run_id):
    require_program_admin(user)
    return get_object_or_404(RecalculationRun.objects.select_related("program_year", "started_by", "applied_by"),
                             pk=run_id)


def program_year_for_user(user, year):
    require_program_admin(user)
    return get_object_or_404(ProgramYear, year=year)
