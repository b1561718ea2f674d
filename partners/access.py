"""Who may see and change what in the partners app: the one place that decides.

Outsiders get 404 (they cannot tell "forbidden" from "absent"); people who may see but not
change get 403. Other apps build on these role checks.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Completion, Invitation, Partner, Person, User


def is_partner_user(user):
    return user.is_authenticated and user.partner_id is not None


def is_partner_admin(user):
    return user.is_authenticated and user.is_partner_admin


def is_staff_user(user):
    return user.is_authenticated and bool(user.staff_role)


def is_program_admin(user):
    return user.is_authenticated and user.is_program_admin


def partners_visible_to(user):
    """Partners a user may read: their own; PAM/PSA their assigned ones and (PAM) unassigned ones; admins all."""
    qs = Partner.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_program_admin:
        return qs
    if user.is_pam:
        return qs.filter(Q(pam=user) | Q(pam__isnull=True))
    if user.is_psa:
        return qs.filter(psa=user)
    if user.partner_id:
        return qs.filter(pk=user.partner_id)
    return qs.none()


def partner_for_user(user, partner_id, *, for_change=False):
    partner = partners_visible_to(user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    if for_change and not may_manage_partner(user, partner):
        raise PermissionDenied(_("You may not change this partner."))
    return partner


def may_manage_partner(user, partner):
    """Partner admins manage their own company; program admins manage every company."""
    if user.is_program_admin:
        return True
    return user.is_partner_admin and user.partner_id == partner.pk


def people_visible_to(user):
    return Person.objects.filter(partner__in=partners_visible_to(user))


def person_for_user(user, person_id, *, for_change=False):
    person = people_visible_to(user).select_related("partner").filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No such person."))
    if for_change and not may_manage_partner(user, person.partner):
        raise PermissionDenied(_("Only your partner admin may change the people roster."))
    return person


def require_partner_user(user):
    if not is_partner_user(user):
        raise PermissionDenied(_("This page is for partner users."))


def require_partner_admin(user):
    if not is_partner_admin(user):
        raise PermissionDenied(_("Only a partner admin may do this."))


def require_staff(user, *roles):
    """Staff only; with ``roles``, only those staff roles (program admins always pass)."""
    if not is_staff_user(user):
        raise PermissionDenied(_("This page is for program staff."))
    if roles and not user.is_program_admin and user.staff_role not in roles:
        raise PermissionDenied(_("Your role may not do this."))


def require_program_admin(user):
    if not is_program_admin(user):
        raise PermissionDenied(_("Only a program admin may do this."))


def invitations_visible_to(user):
    """Invitations are managed by those who manage the partner: its admins and program admins."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    if user.is_program_admin:
        return Invitation.objects.all()
    if user.is_partner_admin:
        return Invitation.objects.filter(partner_id=user.partner_id)
    return Invitation.objects.none()


def invitation_for_user(user, invitation_id):
    invitation = invitations_visible_to(user).select_related("partner").filter(pk=invitation_id).first()
    if invitation is None:
        # Members and staff who can see the partner still must not learn who is invited: 403 when the
        # invitation is of a partner they see, 404 otherwise.
        other = Invitation.objects.filter(pk=invitation_id, partner__in=partners_visible_to(user)).exists()
        if other:
            raise PermissionDenied(_("Only a partner admin may manage invitations."))
        raise Http404(_("No such invitation."))
    return invitation


def colleague_for_user(user, colleague_id, *, for_change=False):
    """A partner user (colleague) of a partner the user sees; changing needs may_manage_partner."""
    colleague = (User.objects.select_related("partner")
                 .filter(pk=colleague_id, partner__in=partners_visible_to(user)).first())
    if colleague is None:
        raise Http404(_("No such colleague."))
    if for_change and not may_manage_partner(user, colleague.partner):
        raise PermissionDenied(_("Only a partner admin may remove colleagues."))
    return colleague


def completion_for_user(user, completion_id, *, for_change=False):
    completion = (Completion.objects.select_related("person__partner")
                  .filter(pk=completion_id, person__partner__in=partners_visible_to(user)).first())
    if completion is None:
        raise Http404(_("No such completion."))
    if for_change and not may_manage_partner(user, completion.person.partner):
        raise PermissionDenied(_("Only your partner admin may change the people roster."))
    return completion


def require_partner_manager(user, partner):
    if not may_manage_partner(user, partner):
        raise PermissionDenied(_("Only a partner admin may do this."))


def require_reviewer(user, partner):
    """Decisions on a partner's requests (deal registrations, funding requests and claims): the partner's PAM
    (any PAM while it has none) or a program admin, and never a user of the partner itself."""
    if not (user.is_authenticated and (user.is_pam or user.is_program_admin)):
        raise PermissionDenied(_("Only a PAM or a program admin may decide this."))
    if user.partner_id is not None and user.partner_id == partner.pk:
        raise PermissionDenied(_("You cannot decide for your own company."))
    if user.is_pam and partner.pam_id is not None and partner.pam_id != user.pk:
        raise PermissionDenied(_("Only the partner's PAM or a program admin may decide this."))

