"""API tokens pass the same gates as sessions, over real HTTP (the live server), as the attack was made.

Staff without a second factor and partner users whose company has not accepted the partner agreement
get by token exactly what they get logged in: the gates are DRF permission classes, which run after
DRF's token authentication (in middleware a token request is still anonymous).
"""

import pytest
import requests
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.views import APIView

from partners import gates
from partners.models import Agreement, PartnerRole, StaffRole
from tests.factories import PartnerFactory, UserFactory

from .http import logged_in, token_header

pytestmark = pytest.mark.django_db(transaction=True)


_token = token_header
_logged_in = logged_in


@pytest.mark.parametrize("role", [StaffRole.PAM, StaffRole.PSA, StaffRole.PROGRAM_ADMIN])
def test_staff_without_a_second_factor_get_403_by_token_as_by_session(live_server, people, role):
    user = UserFactory(staff_role=role, mfa=False)
    by_session = _logged_in(live_server, user)
    urls = ["/api/v1/partners/", "/api/v1/audit/", "/api/v1/funding/allocations/", "/api/v1/deal-registrations/queue/",
            "/api/v1/schema/", "/api/v1/directory/"]
    for url in urls:
        token_answer = requests.get(f"{live_server.url}{url}", headers=_token(user), timeout=10)
        session_answer = by_session.get(f"{live_server.url}{url}", timeout=10)
        assert token_answer.status_code == 403, f"{url} by token: {token_answer.status_code}"
        assert session_answer.status_code == 403, f"{url} by session: {session_answer.status_code}"
        assert "two-factor" in token_answer.text
    # The write the attack made: setting a partner's MDF allocation.
    answer = requests.post(f"{live_server.url}/api/v1/funding/allocations/{people.partner.pk}/", headers=_token(user),
                           json={"amount": "1000000.00"}, timeout=10)
    assert answer.status_code == 403


def test_unregistered_partner_admin_by_token_does_what_the_session_allows(live_server, program_admin):
    partner = PartnerFactory(tier="", domain="unregistered.example")  # applied, never accepted the partner agreement
    admin = UserFactory(email="boss@unregistered.example", partner=partner, partner_role=PartnerRole.ADMIN)
    token = _token(admin)
    by_session = _logged_in(live_server, admin)
    base = live_server.url
    invite = {"email": "second.admin@unregistered.example", "role": "admin"}
    for url, method, body in [
        (f"/api/v1/partners/{partner.pk}/invitations/", "post", invite),
        ("/api/v1/partner/people/", "post", {"name": "Ann", "email": "ann@unregistered.example", "job_role": "developer"}),
        ("/api/v1/partner/", "get", None),
        ("/api/v1/deal-registrations/", "get", None),
        ("/api/v1/notifications/", "get", None),
    ]:
        token_answer = getattr(requests, method)(f"{base}{url}", headers=token, json=body, timeout=10)
        session_answer = getattr(by_session, method)(f"{base}{url}", json=body, timeout=10)
        assert token_answer.status_code == session_answer.status_code == 403, (
            f"{method.upper()} {url}: token {token_answer.status_code}, session {session_answer.status_code}")
        assert "agreement" in token_answer.json()["detail"]
    # What the session allows, the token allows: read the agreements and accept the partner agreement.
    assert requests.get(f"{base}/api/v1/agreements/", headers=token, timeout=10).status_code == 200
    assert by_session.get(f"{base}/api/v1/agreements/", timeout=10).status_code == 200
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    answer = requests.post(f"{base}/api/v1/agreements/{agreement.pk}/accept/", headers=token, timeout=10)
    assert answer.status_code == 201, answer.text
    # Registered now: the same invitation goes through, by token.
    answer = requests.post(f"{base}/api/v1/partners/{partner.pk}/invitations/", headers=token, json=invite, timeout=10)
    assert answer.status_code == 201, answer.text


def _api_views(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _api_views(p.url_patterns)
        elif isinstance(p, URLPattern):
            view_class = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                yield str(p.pattern), view_class


def test_every_api_view_applies_both_gates():
    """A view that sets its own permission_classes must keep the gates (partners.gates.SIGNED_IN or PUBLIC).

    The schema and its docs page are read before the agreement is accepted: they keep the staff gate only.
    """
    views = list(_api_views(get_resolver().url_patterns))
    assert len(views) > 30
    schema_views = (SpectacularAPIView, SpectacularSwaggerView)
    missing = []
    for route, view in views:
        classes = {type(p) for p in view().get_permissions()}
        needed = {gates.StaffMFA} if issubclass(view, schema_views) else set(gates.GATES)
        if not needed <= classes:
            missing.append(f"{route} ({view.__name__})")
    assert not missing, f"API views without the staff two-factor and partner agreement gates: {missing}"
