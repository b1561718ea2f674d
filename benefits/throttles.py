"""The per-address limit on the public "contact this partner" form, shared by the page and the API so a
visitor cannot double it by switching between them. Counted in the cache, like DRF's other throttles."""

from rest_framework.throttling import SimpleRateThrottle

LEAD_RATE = "5/hour"


class DirectoryLeadThrottle(SimpleRateThrottle):
    scope = "directory_lead"
    rate = LEAD_RATE

    def get_cache_key(self, request, view):
        # Per client address, logged in or not: the form is public.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def lead_allowance(request):
    """Count one message from this address: (True, None) while under LEAD_RATE, else (False, seconds to wait)."""
    throttle = DirectoryLeadThrottle()
    if throttle.allow_request(request, None):
        return True, None
    return False, throttle.wait()
