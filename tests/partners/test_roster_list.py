"""The people roster: natural order, search, "expiring within 60 days", and the import's CSV template."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import roster
from partners.models import Completion, Person

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["page"]]


def add(partner, name, *, expires_in=None):
    person = Person.objects.create(partner=partner, name=name, email=f"{name.replace(' ', '.').lower()}@acme.example")
    if expires_in is not None:
        today = timezone.localdate()
        Completion.objects.create(person=person, course="platform", completed_on=today - datetime.timedelta(days=400),
                                  expires_on=today + datetime.timedelta(days=expires_in))
    return person


def test_people_sort_naturally(client, partner_admin):
    for name in ["Person 10", "Person 2", "Person 1", "Person 11", "ada"]:
        add(partner_admin.partner, name)
    client.force_login(partner_admin)
    assert names(client.get(reverse("partners:people"))) == ["ada", "Person 1", "Person 2", "Person 10", "Person 11"]


def test_search_and_expiring_filter(client, partner_admin):
    partner = partner_admin.partner
    add(partner, "Grace Hopper", expires_in=30)
    add(partner, "Alan Turing", expires_in=90)
    add(partner, "Old Timer", expires_in=-5)
    client.force_login(partner_admin)
    assert names(client.get(reverse("partners:people"), {"q": "hopper"})) == ["Grace Hopper"]
    assert names(client.get(reverse("partners:people"), {"expiring": "60"})) == ["Grace Hopper"]
    body = client.get(reverse("api:person_list"), {"expiring": "60"}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["name"] for r in rows] == ["Grace Hopper"]


def test_the_csv_template_downloads_with_the_import_columns(client, partner_member):
    client.force_login(partner_member)
    response = client.get(reverse("partners:people_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = response.content.decode().splitlines()
    assert header.split(",") == list(roster.CSV_COLUMNS) and len(rows) == 2
