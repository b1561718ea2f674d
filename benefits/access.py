"""Who may see and change what in the benefits app: the one place that decides.

Built on partners.access. Outsiders get 404, people who may see but not change get 403.
Public (anonymous) reads go through the public selectors, which return only published listings
and badges addressed by their unguessable token.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from partners.access import (
    partner_for_user,
    partners_visible_to,
    require_partner_admin,
    require_partner_user,
    require_program_admin,
    require_staff,
)
from tiers.access import require_recalculation_admin

from .models import BenefitInvitation

__all__ = [
    "invitation_for_user", "invitations_visible_to", "listing_partner_for_change", "may_invite_partner",
    "who_may_invite",
    "partner_for_invitations", "partner_of_user", "require_partner_admin", "require_partner_user",
    "require_program_year_admin",
    "require_program_admin", "require_staff",
]


def may_invite_partner(user, partner):
    """Whoever reviews a partner's requests may invite it: a program admin any partner; a PAM the partners
    assigned to them and the partners that have no PAM (every PAM reviews those, DESIGN.md §1)."""
    if user.is_program_admin:
        return True
    return user.is_pam and partner.pam_id in (user.pk, None)


def who_may_invite(partner):
    """In words, for the page of someone who may not invite this partner."""
    if partner.pam_id:
        return _("Only %(pam)s (the partner's PAM) or a program admin may invite this partner.") % {"pam": partner.pam}
    return _("Any PAM or a program admin may invite this partner: it has no PAM yet.")


def partner_for_invitations(user, partner_id, *, for_change=False):
    """A partner whose invitations a staff user may see (404 outside their view), or change (403)."""
    require_staff(user)
    partner = partner_for_user(user, partner_id)
    if for_change and not may_invite_partner(user, partner):
        raise PermissionDenied(who_may_invite(partner))
    return partner


def invitations_visible_to(user):
    """Staff see the invitations of the partners they may see; partner users their own company's."""
    if not user.is_authenticated:
        return BenefitInvitation.objects.none()
    return BenefitInvitation.objects.filter(partner__in=partners_visible_to(user))


def invitation_for_user(user, invitation_id, *, for_change=False):
    invitation = (
        invitations_visible_to(user).select_related("partner", "benefit", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404(_("No such invitation."))
    if for_change and not (user.is_program_staff and may_invite_partner(user, invitation.partner)):
        raise PermissionDenied(_("Only the partner's PAM or a program admin may withdraw this invitation."))
    return invitation


def partner_of_user(user):
    """The partner of a partner user (403 for anyone else)."""
    require_partner_user(user)
    return user.partner


def listing_partner_for_change(user):
    """Only a partner admin edits their company's showcase listing."""
    require_partner_admin(user)
    return user.partner



def require_program_year_admin(user):
    """Copying a program year (with its benefits) is for whoever manages program years in the tiers app:
    program admins."""
    require_recalculation_admin(user)
