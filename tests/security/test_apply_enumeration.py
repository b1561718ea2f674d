"""'Become a partner' tells nobody whether an email address has an account (login and reset do not
either): a known address gets the same answer as a new one, and its owner is told by email."""

import re

import pytest
import requests

from activity.models import Notification
from partners.models import Partner

pytestmark = pytest.mark.django_db(transaction=True)

APPLICATION = {"company_name": "Newco", "website": "https://www.newco.example/", "country": "de",
               "partner_type": "si", "full_name": "Nia New", "password": "a-long-pass-phrase-9"}


def _apply(base, email):
    session = requests.Session()
    page = session.get(f"{base}/apply/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base}/apply/", data={**APPLICATION, "email": email, "csrfmiddlewaretoken": token},
                          headers={"Referer": f"{base}/apply/"}, allow_redirects=True, timeout=10)
    return answer


def _normalised(html):
    return re.sub(r'value="[^"]+"', "", html)


def test_known_and_unknown_email_get_the_same_answer(live_server, partner_admin):
    known = _apply(live_server.url, partner_admin.email.upper())
    unknown = _apply(live_server.url, "nobody.yet@elsewhere.example")
    assert known.status_code == unknown.status_code == 200
    assert known.url == unknown.url and known.url.endswith("/accounts/login/")
    assert "already exists" not in known.text
    assert _normalised(known.text) == _normalised(unknown.text)
    # No second company for the known address; its owner is told by email.
    assert Partner.objects.filter(name="Newco").count() == 1
    notice = Notification.objects.get(to_email__iexact=partner_admin.email)
    assert "already has a Build Portal account" in notice.body
