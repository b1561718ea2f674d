"""The audit trail page and API for program admins: filters, pagination, before/after/reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.models import AuditEntry
from activity.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(partner, other_partner, partner_admin, program_admin):
    audit_record(actor=partner_admin, action="partners.person_create", obj=partner, partner_id=partner.pk,
                 after={"name": "Ada"})
    audit_record(actor=program_admin, action="partners.assign_team", obj=other_partner, partner_id=other_partner.pk,
                 before={"pam": None}, after={"pam": "pam@vendor.example"}, reason="New Silver partner")
    old = audit_record(actor=None, action="tiers.tier_change", obj=partner, partner_id=partner.pk,
                       before={"tier": "bronze"}, after={"tier": "silver"}, reason="Annual recalculation")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))


def test_page_shows_before_after_and_reason(client, program_admin, entries):
    client.force_login(program_admin)
    body = client.get(reverse("partners:audit")).content.decode()
    assert "New Silver partner" in body and "pam@vendor.example" in body and "Other Co" in body


@pytest.mark.parametrize("params, expected", [
    ({"action": "partners.assign_team"}, ["partners.assign_team"]),
    ({"actor": "admin@acme"}, ["partners.person_create"]),
    ({"object_type": "partners.partner"}, ["partners.person_create", "partners.assign_team", "tiers.tier_change"]),
])
def test_page_filters(client, program_admin, entries, params, expected):
    client.force_login(program_admin)
    page = client.get(reverse("partners:audit"), params).context["page"]
    assert sorted(e.action for e in page) == sorted(expected)


def test_page_filters_by_partner_and_dates(client, program_admin, entries, partner):
    client.force_login(program_admin)
    today = timezone.localdate()
    page = client.get(reverse("partners:audit"), {"partner": partner.pk}).context["page"]
    assert sorted(e.action for e in page) == ["partners.person_create", "tiers.tier_change"]
    page = client.get(reverse("partners:audit"), {"date_from": today - datetime.timedelta(days=1),
                                                  "date_to": today}).context["page"]
    assert "tiers.tier_change" not in [e.action for e in page] and len(page) == 2


@pytest.mark.parametrize("params, field", [
    ({"date_from": "yesterday"}, "date_from"),
    ({"date_from": "2022-05-02", "date_to": "2022-05-01"}, "date_to"),
    ({"partner": "abc"}, "partner"),
    ({"action": "no.such_action"}, "action"),
])
def test_page_bad_filters_show_a_message(client, program_admin, entries, params, field):
    client.force_login(program_admin)
    response = client.get(reverse("partners:audit"), params)
    assert response.status_code == 200 and field in response.context["form"].errors


def test_page_is_paginated_with_constant_queries(client, program_admin, partner, django_assert_max_num_queries):
    client.force_login(program_admin)
    for i in range(3):
        audit_record(actor=program_admin, action="partners.person_update", obj=partner, partner_id=partner.pk, after={"i": i})
    with django_assert_max_num_queries(14):
        client.get(reverse("partners:audit"))
    for i in range(120):
        audit_record(actor=program_admin, action="partners.person_update", obj=partner, partner_id=partner.pk, after={"i": i})
    with django_assert_max_num_queries(14):
        response = client.get(reverse("partners:audit"), {"page": 2})
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.num_pages == 3


def test_api_filters_and_bad_input(client, program_admin, entries, partner):
    client.force_login(program_admin)
    body = client.get(reverse("api:audit_list"), {"partner": partner.pk, "action": "tiers.tier_change"}).json()
    assert body["count"] == 1
    entry = body["results"][0]
    assert entry["before"] == {"tier": "bronze"} and entry["reason"] == "Annual recalculation" and entry["actor"] is None
    bad = client.get(reverse("api:audit_list"), {"date_from": "2022-13-01", "partner": "x"})
    assert bad.status_code == 400 and set(bad.json()) == {"date_from", "partner"}


def test_api_and_page_are_for_program_admins_only(client, pam):
    client.force_login(pam)
    assert client.get(reverse("api:audit_list")).status_code == 403
    assert client.get(reverse("partners:audit")).status_code == 403


def test_action_and_type_choices_are_those_the_trail_holds(entries):
    from activity import selectors

    everything = AuditEntry.objects.all()
    assert selectors.audit_actions(everything) == ["partners.assign_team", "partners.person_create",
                                                   "tiers.tier_change"]
    assert selectors.audit_object_types(everything) == ["partners.partner"]
    assert selectors.audit_actions(everything.filter(action__startswith="tiers.")) == ["tiers.tier_change"]
    assert selectors.audit_actions(AuditEntry.objects.none()) == []


def test_page_and_api_count_up_to_a_cap_without_sorting(client, program_admin, entries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activity import selectors

    monkeypatch.setattr(selectors.AuditPaginator, "CAP", 2)
    client.force_login(program_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("partners:audit"), {"object_type": "partners.partner"})
    assert str(response.context["page"].paginator.count) == "2+" and "2+ entries" in response.content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "activity_auditentry" in q["sql"]]
    # Which entries are counted does not matter: no ORDER BY, so the database need not sort every match first.
    assert counts and all("ORDER BY" not in sql for sql in counts)
    body = client.get(reverse("api:audit_list")).json()
    # Only the newest CAP are paged (the page in the browser alike).
    assert body["count"] == 2 and body["count_is_capped"] is True and len(body["results"]) == 2
