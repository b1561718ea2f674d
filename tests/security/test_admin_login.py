"""The Django admin login is no side door: it goes through allauth's login (second factor, rate limits).

Over real HTTP against the live server, as the attack was made: a program admin's email and password
posted to /admin/login/ must not give a session that opens staff pages or the staff API.
"""

import re

import pytest
import requests

from partners.models import StaffRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests-123"
STAFF_URLS = ["/staff/", "/staff/audit/", "/funding/allocations/", "/api/v1/audit/", "/admin/"]


def _csrf(session, base):
    """A CSRF cookie and form token from the allauth login page (the admin login page no longer renders)."""
    page = session.get(f"{base}/accounts/login/", timeout=10)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _post_admin_login(session, base, email, password):
    token = _csrf(session, base)
    return session.post(
        f"{base}/admin/login/?next=/admin/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/"},
        allow_redirects=False,
        timeout=10,
    )


def _no_staff_session(session, base):
    for url in STAFF_URLS:
        response = session.get(f"{base}{url}", allow_redirects=False, timeout=10)
        assert response.status_code in (302, 401, 403), f"{url} answered {response.status_code} with a password alone"
        if response.status_code == 302:
            assert response.headers["Location"].startswith(("/accounts/login/", "/admin/login/")), response.headers


@pytest.fixture
def superuser(db):
    # is_staff and is_superuser: the Django admin would let this user in; TOTP set up by the factory.
    return UserFactory(email="root@vendor.example", staff_role=StaffRole.PROGRAM_ADMIN, is_staff=True,
                       is_superuser=True)


def test_admin_login_with_a_password_alone_opens_nothing(live_server, superuser):
    session = requests.Session()
    response = _post_admin_login(session, live_server.url, superuser.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/"), response.headers["Location"]
    assert "sessionid" not in session.cookies
    _no_staff_session(session, live_server.url)


def test_admin_login_goes_to_allauth_which_asks_for_the_code(live_server, superuser):
    session = requests.Session()
    response = session.get(f"{live_server.url}/admin/", allow_redirects=True, timeout=10)
    assert response.url.startswith(f"{live_server.url}/accounts/login/")
    token = _csrf(session, live_server.url)
    response = session.post(
        f"{live_server.url}/accounts/login/?next=/admin/",
        data={"login": superuser.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/accounts/login/"}, allow_redirects=False, timeout=10,
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/2fa/authenticate/")
    _no_staff_session(session, live_server.url)


def test_26th_admin_login_after_25_wrong_passwords_is_refused(live_server, superuser):
    session = requests.Session()
    for _ in range(25):
        response = _post_admin_login(session, live_server.url, superuser.email, "wrong-password")
        assert response.status_code in (302, 429)
    response = _post_admin_login(session, live_server.url, superuser.email, PASSWORD)
    assert response.status_code in (302, 429)
    _no_staff_session(session, live_server.url)
    # And through the one real login page, allauth's limits refuse the right password after wrong ones.
    token = _csrf(session, live_server.url)
    for _ in range(25):
        session.post(f"{live_server.url}/accounts/login/", data={"login": superuser.email, "password": "wrong",
                                                                 "csrfmiddlewaretoken": token},
                     headers={"Referer": f"{live_server.url}/accounts/login/"}, allow_redirects=False, timeout=10)
    response = session.post(f"{live_server.url}/accounts/login/", data={"login": superuser.email, "password": PASSWORD,
                                                                        "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{live_server.url}/accounts/login/"}, allow_redirects=False, timeout=10)
    assert response.status_code in (200, 429), "the right password went through after 25 wrong ones"
    assert "sessionid" not in session.cookies
