"""The deal list keeps its rendered rows under a key made of everything they show (dealreg.views._list_rows_key):
any change to what a row shows is a new key, so the list never shows an old row."""

import pytest
from django.urls import reverse
from django.utils import translation

from dealreg import services
from partners.models import User

pytestmark = pytest.mark.django_db


def _list(client, **headers):
    return client.get(reverse("dealreg:list"), **headers).content.decode()


def test_the_kept_rows_follow_every_change_a_row_shows(client, partner_admin, registration):
    client.force_login(partner_admin)
    assert "Globex Corporation" in _list(client) and "Submitted" in _list(client)
    services.registration_withdraw(registration=registration, user=partner_admin, reason="No budget")
    html = _list(client)
    assert "Withdrawn" in html and "Submitted</span>" not in html
    User.objects.filter(pk=partner_admin.pk).update(full_name="Renamed Admin")
    assert "Renamed Admin" in _list(client)


def test_the_kept_rows_are_kept_per_language_and_filter(client, partner_admin, registration):
    client.force_login(partner_admin)
    english = _list(client)
    french = _list(client, HTTP_ACCEPT_LANGUAGE="fr")
    with translation.override("fr"):
        assert str(registration.Status.SUBMITTED.label) in french
    assert french != english
    empty = client.get(reverse("dealreg:list"), {"q": "no such company"}).content.decode()
    assert "No registrations match these filters." in empty
    assert "You have not registered a deal yet." not in empty


def test_the_kept_rows_key_names_what_a_row_shows(partner_admin, registration):
    from dealreg.views import _list_rows_key

    registration.is_overdue = False
    before = _list_rows_key([registration], filtered=False)
    for field, value in [("customer_company", "Other"), ("domain", "other.example"), ("status", "approved"),
                         ("is_overdue", True)]:
        changed = type(registration).objects.get(pk=registration.pk)
        changed.is_overdue = False
        setattr(changed, field, value)
        assert _list_rows_key([changed], filtered=False) != before, field
    assert _list_rows_key([registration], filtered=True) != before


def test_the_review_queue_rows_follow_what_they_show(client, pam, partner_admin, registration):
    from dealreg.views import _queue_rows_key

    client.force_login(pam)
    html = client.get(reverse("dealreg:queue")).content.decode()
    assert "Globex Corporation" in html
    services.registration_request_info(registration=registration, reviewer=pam, question="Which region?")
    html = client.get(reverse("dealreg:queue") + "?status=all").content.decode()
    assert "Information requested" in html
    # The key changes with each thing a row shows.
    row = type(registration).objects.select_related("partner", "partner__pam", "opportunity").get(pk=registration.pk)
    before = _queue_rows_key([row], with_pam=False)
    row.partner.name = "Renamed partner"
    assert _queue_rows_key([row], with_pam=False) != before
    row.conflict_other_partner = True
    assert _queue_rows_key([row], with_pam=False) != before
    assert _queue_rows_key([row], with_pam=True) != _queue_rows_key([row], with_pam=False)


def test_the_directory_cards_key_names_what_a_card_shows():
    from types import SimpleNamespace

    from benefits.views import _cards_key

    def entry(**changes):
        values = {"pk": 1, "name": "Acme", "tier": "gold", "description": "We build", "products": ["Flex"],
                  "countries": ["US"], **changes}
        return {"partner": SimpleNamespace(pk=values["pk"], name=values["name"], tier=values["tier"]),
                "tier_name": "Gold", "listing": SimpleNamespace(description=values["description"]),
                "products": values["products"], "countries": values["countries"]}

    before = _cards_key([entry()])
    for change in ({"name": "Acme 2"}, {"tier": "silver"}, {"description": "We sell"}, {"products": ["Voice"]},
                   {"countries": ["FR"]}, {"pk": 2}):
        assert _cards_key([entry(**change)]) != before, change
    with translation.override("fr"):
        assert _cards_key([entry()]) != before
