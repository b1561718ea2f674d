"""Real HTTP against the live server: a requests session logged in as someone, or carrying their API token."""

import requests
from django.test import Client
from knox.models import AuthToken


def logged_in(live_server, user):
    """A requests session with ``user``'s Django session cookie and a CSRF token (as a browser has them)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(f"{live_server.url}/accounts/login/", timeout=10)
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
    session.headers["Referer"] = f"{live_server.url}/"
    return session


def token_header(user):
    return {"Authorization": f"Token {AuthToken.objects.create(user=user)[1]}"}
