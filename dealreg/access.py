"""Who may see and act on deal registrations and sales imports: the one place that decides.

Outsiders get 404 (they cannot tell "forbidden" from "absent"); people who may see a registration
but not take the action they asked for get 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from partners.access import partners_visible_to, require_program_admin

from . import rules
from .models import DealRegistration


def registrations_visible_to(user):
    """Partner users: their company's. PAM: assigned partners' and unassigned partners'. PSA: assigned
    partners' (read-only). Program admin: all."""
    if not user.is_authenticated:
        return DealRegistration.objects.none()
    if user.partner_id:
        return DealRegistration.objects.filter(partner_id=user.partner_id)
    if user.staff_role:
        return DealRegistration.objects.filter(partner__in=partners_visible_to(user))
    return DealRegistration.objects.none()


def may_review(user):
    """PAMs and program admins decide registrations; PSAs only read."""
    return user.is_authenticated and (user.is_pam or user.is_program_admin)


def sides_of(user, registration):
    """The sides of the workflow (dealreg.rules) ``user`` stands on for ``registration``: its partner's users
    act as the partner; PAMs and program admins as reviewers (the services check the partner's own PAM)."""
    sides = []
    if user.is_authenticated and user.partner_id == registration.partner_id:
        sides.append(rules.PARTNER)
    if may_review(user):
        sides.append(rules.REVIEWER)
    return sides


def actions_for(user, registration):
    """The actions the page and the API offer ``user`` on ``registration``: the workflow table's, for each
    side the user stands on."""
    return frozenset(
        action for side in sides_of(user, registration)
        for action in rules.allowed_actions(registration.status, side=side, extension=registration.extension)
    )


def require_partner_user(user):
    if not (user.is_authenticated and user.partner_id):
        raise PermissionDenied(_("Deal registrations are submitted by partner users."))


def require_reviewer(user):
    if not may_review(user):
        raise PermissionDenied(_("Only a PAM or a program admin may review deal registrations."))


def registration_for_user(user, registration_id, *, for_change=None):
    """The registration, or 404 for outsiders. ``for_change``: the side of the workflow (dealreg.rules) the
    user acts on, rules.PARTNER (the partner's own actions) or rules.REVIEWER (a PAM's or program admin's
    decisions) -> 403 for those who may see but not act on that side."""
    registration = (
        registrations_visible_to(user)
        .select_related("partner", "partner__pam", "submitted_by", "decided_by", "opportunity")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise Http404(_("No such deal registration."))
    if for_change == rules.PARTNER and user.partner_id != registration.partner_id:
        raise PermissionDenied(_("Only the partner that registered this deal may do this."))
    if for_change == rules.REVIEWER:
        require_reviewer(user)
    return registration


def require_importer(user):
    """Sales-system imports are for program admins (DESIGN.md §1)."""
    require_program_admin(user)
