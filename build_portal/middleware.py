from allauth.mfa.models import Authenticator
from django.http import JsonResponse
from django.shortcuts import redirect


class StaffMFARequired:
    """Staff (PAM, PSA, program admin) must set up two-factor authentication before any staff page.

    Once a TOTP authenticator exists, allauth asks for a code at every login; until then, every page
    but the account pages sends them to set one up (DESIGN.md §5: MFA for staff).
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.staff_role
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            message = "Staff accounts must set up two-factor authentication first."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
