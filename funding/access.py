"""Who may see and change funding requests, claims and their files: the one place that decides.

Outsiders get 404 (they cannot tell "forbidden" from "absent"); people who may see but not act get 403.
- Partner users see their company's requests and act on them as the partner (submit, withdraw, answer,
  claim). Staff see the requests of the partners they may see (partners.access.partners_visible_to).
- PAMs (their partners and partners without a PAM) and program admins decide; PSAs only read.
- Only program admins mark claims paid and set allocations.

The services check the same rules themselves (``require_payer``, ``require_allocation_admin``,
``partners.access.require_reviewer``), so a command, a task or the Django admin cannot skip them.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from partners import access as partner_access
from partners.access import partners_visible_to, require_partner_user, require_program_admin, require_staff
from partners.models import StaffRole

from . import rules
from .models import ClaimFile, FundingRequest


def requests_visible_to(user):
    if not user.is_authenticated:
        return FundingRequest.objects.none()
    return FundingRequest.objects.filter(partner__in=partners_visible_to(user))


def may_review(user):
    return user.is_authenticated and (user.is_pam or user.is_program_admin)


def may_pay(user):
    """Program admins mark claims paid; PAMs decide claims but do not record payments."""
    return user.is_authenticated and user.is_program_admin


def require_payer(user):
    if not may_pay(user):
        raise PermissionDenied(_("Only a program admin may mark a claim paid."))


def sides_of(user, funding_request):
    """The sides of the workflows (funding.rules) ``user`` stands on for ``funding_request``: its partner's
    users act as the partner; PAMs and program admins as reviewers; program admins also pay claims."""
    sides = []
    if user.is_authenticated and user.partner_id == funding_request.partner_id:
        sides.append(rules.PARTNER)
    if may_review(user):
        sides.append(rules.REVIEWER)
    if may_pay(user):
        sides.append(rules.PROGRAM_ADMIN)
    return sides


def actions_for(user, funding_request):
    """The actions the page and the API offer ``user``: the workflow tables', for each side the user stands on."""
    return frozenset(action for side in sides_of(user, funding_request)
                     for action in rules.allowed_actions(funding_request.status, side=side))


def _visible(user, request_id):
    funding_request = (
        requests_visible_to(user).select_related("partner", "program_year", "submitted_by", "decided_by")
        .filter(pk=request_id).first()
    )
    if funding_request is None:
        raise Http404(_("No such funding request."))
    return funding_request


def request_for_user(user, request_id, *, for_change=False):
    """Read a request; with ``for_change``, act on it as the partner (only that partner's users)."""
    funding_request = _visible(user, request_id)
    if for_change and user.partner_id != funding_request.partner_id:
        raise PermissionDenied(_("Only the partner's users may do this."))
    return funding_request


def request_for_review(user, request_id):
    """Decide on a request or its claim: the partner's PAM (or any PAM if it has none) or a program admin, the
    rule the services check again (partners.access.require_reviewer). Checked before the posted form, so a
    wrong actor hears 403, never a form error."""
    funding_request = _visible(user, request_id)
    partner_access.require_reviewer(user, funding_request.partner)
    return funding_request


def request_for_payment(user, request_id):
    funding_request = _visible(user, request_id)
    require_payer(user)
    return funding_request


def claim_file_for_user(user, file_id):
    """A proof-of-performance file, for the partner's users and staff who may see the claim."""
    row = (
        ClaimFile.objects.select_related("claim__request")
        .filter(pk=file_id, claim__request__in=requests_visible_to(user)).first()
    )
    if row is None:
        raise Http404(_("No such file."))
    return row


def partner_for_staff(user, partner_id):
    """A partner's funding figures for staff who may see the partner."""
    require_staff(user)
    partner = partners_visible_to(user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner


def require_funding_partner_user(user):
    require_partner_user(user)


def require_reviewer(user):
    require_staff(user, StaffRole.PAM)


def require_allocation_admin(user):
    require_program_admin(user)
