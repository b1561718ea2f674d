from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class PartnerAgreementGate:
    """Until the partner agreement is accepted a partner user can reach only the acceptance page
    (and account pages to log out, verify email, reset a password)."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/agreements/", "/api/v1/schema/", "/api/v1/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.partner_id
            and not user.partner.tier
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path != "/api/v1/agreements/"
            and not request.path.startswith("/api/v1/agreements/")
        ):
            message = "Your company must accept the partner agreement first."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            return redirect(reverse("partners:agreements"))
        return self.get_response(request)
