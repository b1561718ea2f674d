"""The staff home's worklist is counted at most every WORKLIST_SECONDS per book, and the page says as of when.

These tests commit (``transaction=True``): inside a transaction the worklist is counted afresh and kept nowhere,
which is what every other test of the staff home sees."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from build_portal.staff import selectors
from dealreg.models import DealRegistration

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(partner, user, company):
    today = timezone.localdate()
    return DealRegistration.objects.create(
        partner=partner, submitted_by=user, customer_company=company, domain=f"{company.lower()}.example",
        country="US", contact_name="A", contact_email=f"a@{company.lower()}.example", use_case="x",
        estimated_arr_usd=Decimal("1000"), expected_close_date=today + datetime.timedelta(days=30),
        waiting_since=timezone.now())


def _home(client):
    body = client.get(reverse("staff:home")).content.decode()
    as_of = re.search(r'id="worklist-as-of">\s*Figures as of (\d\d:\d\d) UTC', body)
    assert as_of, body
    waiting = re.search(r"<strong>(\d+)</strong> waiting", body)
    return as_of.group(1), int(waiting.group(1)), body


def test_the_worklist_is_kept_for_minutes_and_the_page_says_as_of_when(client, monkeypatch, pam, partner,
                                                                       partner_admin):
    client.force_login(pam)
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)

    def at(minutes):
        monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=minutes))

    at(0)
    assert _home(client)[:2] == ("10:00", 0)
    _submit(partner, partner_admin, "Later")
    # Four minutes on, the page still shows the count of 10:00, and says so.
    at(4)
    assert _home(client)[:2] == ("10:00", 0)
    # Past WORKLIST_SECONDS it is counted again, and the time says when.
    at(selectors.WORKLIST_SECONDS // 60 + 1)
    as_of, waiting, body = _home(client)
    assert (as_of, waiting) == ("10:06", 1)
    assert "Later" in body


def test_each_book_is_kept_apart(client, freeze, pam, other_pam, partner, partner_admin, other_partner):
    freeze(timezone.localdate(), hour=9)
    _submit(partner, partner_admin, "Mine")
    client.force_login(other_pam)
    _as_of, _waiting, body = _home(client)
    assert "Mine" not in body  # the other PAM's book counted first ...
    client.force_login(pam)
    _as_of, waiting, body = _home(client)
    assert waiting == 1 and "Mine" in body  # ... is not the PAM's


def test_the_worklist_is_kept_per_language(client, freeze, pam):
    client.force_login(pam)
    freeze(timezone.localdate(), hour=9)
    assert client.get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    key_en = selectors._worklist_key(pam, pam="", today=timezone.localdate())
    assert client.get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"
    from django.core.cache import cache
    from django.utils import translation

    with translation.override("fr"):
        key_fr = selectors._worklist_key(pam, pam="", today=timezone.localdate())
    assert key_en != key_fr and cache.get(key_en) is not None and cache.get(key_fr) is not None


def test_inside_a_transaction_the_worklist_is_counted_afresh(pam, partner, partner_admin):
    from django.db import transaction

    with transaction.atomic():
        first, _ = selectors.worklist_as_of(pam)
        _submit(partner, partner_admin, "Fresh")
        second, _ = selectors.worklist_as_of(pam)
    assert (first["deal_reviews"].count, second["deal_reviews"].count) == (0, 1)
