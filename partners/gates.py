"""The two gates every signed-in request passes, whatever the door (page session, API session, API token).

- Staff (PAM, PSA, program admin) reach nothing until they have set up two-factor authentication
  (DESIGN.md §5: MFA for staff). Once a TOTP authenticator exists, allauth asks for a code at every login.
- A partner user reaches nothing but the agreements until their company has accepted the partner
  agreement (the guide: every partner starts at Registered once the partner agreement is accepted).

Each rule is written once here. Pages apply it in middleware (``PagesGate``); the API applies it as DRF
permission classes (``StaffMFA``, ``PartnerAgreement``), because only there has DRF's token authentication
run: in middleware a token request is still anonymous.
"""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated

STAFF_MFA_MESSAGE = gettext_lazy("Staff accounts must set up two-factor authentication first.")
PARTNER_AGREEMENT_MESSAGE = gettext_lazy("Your company must accept the partner agreement first.")


def staff_mfa_missing(user):
    """A signed-in staff user without a TOTP authenticator."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.staff_role
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def partner_agreement_missing(user):
    """A signed-in partner user whose company has not accepted the partner agreement (no tier yet)."""
    return bool(user is not None and user.is_authenticated and user.partner_id and not user.partner.tier)


class StaffMFA(BasePermission):
    message = STAFF_MFA_MESSAGE

    def has_permission(self, request, view):
        return not staff_mfa_missing(request.user)


class PartnerAgreement(BasePermission):
    """Views that a partner user needs in order to accept the agreement set ``agreement_gate_open = True``."""

    message = PARTNER_AGREEMENT_MESSAGE

    def has_permission(self, request, view):
        if getattr(view, "agreement_gate_open", False):
            return True
        return not partner_agreement_missing(request.user)


GATES = [StaffMFA, PartnerAgreement]
# Every API view uses one of these two lists (REST_FRAMEWORK's default, or the public one).
SIGNED_IN = [IsAuthenticated, *GATES]
PUBLIC = [AllowAny, *GATES]


class PagesGate:
    """The same two gates for pages (session only). The API is left to the permission classes above."""

    # /i18n/: the language switcher works on the pages these gates send people to.
    STAFF_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")
    PARTNER_OPEN_PREFIXES = ("/accounts/", "/static/", "/agreements/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith("/api/"):
            user = getattr(request, "user", None)
            if not path.startswith(self.STAFF_OPEN_PREFIXES) and staff_mfa_missing(user):
                return redirect("mfa_activate_totp")
            if not path.startswith(self.PARTNER_OPEN_PREFIXES) and partner_agreement_missing(user):
                return redirect("partners:agreements")
        return self.get_response(request)
