"""The roster, staff's people and partner lists read a page from an index in their order, count at most
10,000 rows, and run the same queries whatever the number of rows: a page of a million rows then costs what
it costs at a thousand (bench_pages measures it)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.selectors import CappedPaginator
from build_portal.demo_book import build_book
from partners import access, selectors
from partners.filters import PartnerFilter, PersonFilter
from partners.models import Partner, Person
from tests.factories import CompletionFactory, PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _plan(queryset):
    """The plan PostgreSQL would use if the tables were large: a few rows would be scanned and sorted."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_roster_page_reads_the_natural_order_index(partner):
    """Migration 0012 indexes exactly the expressions Django renders for natural_order("name")."""
    for name in ["Person 10", "Person 2", "ada", "Bob 3"]:
        PersonFactory(partner=partner, name=name)
    plan = _plan(selectors.roster(partner)[:50])
    assert "partners_person_natural_order" in plan and "Sort" not in plan, plan
    expiring = selectors.roster(partner, expiring_within=60, today=timezone.localdate())[:50]
    assert "partners_person_natural_order" in _plan(expiring), _plan(expiring)


def test_staff_people_of_one_partner_read_the_name_index_and_keep_the_order(program_admin, partner, other_partner):
    for name in ["Carol", "alice", "Bob"]:
        PersonFactory(partner=partner, name=name)
    PersonFactory(partner=other_partner, name="Aaron")
    people = access.people_visible_to(program_admin)
    chosen = PersonFilter({"partner": str(partner.pk)}, queryset=people).qs
    assert "person_partner_name" in _plan(chosen[:50]), _plan(chosen[:50])
    everyone = PersonFilter(None, queryset=people).qs
    assert [p.name for p in chosen] == [p.name for p in everyone if p.partner_id == partner.pk]
    by_partner = PersonFilter({"partner": str(partner.pk), "o": "-partner,email"}, queryset=people).qs
    assert [p.email for p in by_partner] == list(
        Person.objects.filter(partner=partner).order_by("email", "pk").values_list("email", flat=True))


def test_the_partner_list_reads_the_name_index(program_admin):
    PartnerFactory.create_batch(3)
    partners = access.partners_visible_to(program_admin).select_related("pam", "psa").order_by("name", "pk")
    page = PartnerFilter(None, queryset=partners).qs[:50]
    assert "partner_name_order" in _plan(page), _plan(page)


def test_roster_counts_are_exact_up_to_the_cap_then_say_more(partner):
    today = timezone.localdate()
    for _ in range(3):
        person = PersonFactory(partner=partner)
        CompletionFactory(person=person, course="platform", completed_on=today - datetime.timedelta(days=5),
                          expires_on=None)
        CompletionFactory(person=person, course="platform", completed_on=today - datetime.timedelta(days=50),
                          expires_on=today + datetime.timedelta(days=5))
    CompletionFactory(person=PersonFactory(partner=partner), course="sellers_101",
                      completed_on=today - datetime.timedelta(days=500), expires_on=today - datetime.timedelta(days=1))
    exact = selectors.roster_counts(partner, as_of=today)
    assert exact == {"people": 4, "certified": 3, "trained": 0, "users": 0}
    annotated = selectors.with_roster_counts(Partner.objects.filter(pk=partner.pk), as_of=today).get()
    assert (annotated.people_count, annotated.certified_count, annotated.trained_count) == (4, 3, 0)
    capped = selectors.roster_counts(partner, as_of=today, cap=3)
    assert (capped["people"], str(capped["people"]), capped["people"].capped) == (3, "3+", True)
    assert (str(capped["certified"]), capped["certified"].capped) == ("3", False)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["partners:staff_people", "api:staff_person_list"])
def test_staff_people_queries_do_not_grow(client, program_admin, partner, name):
    client.force_login(program_admin)
    url = reverse(name) + f"?partner={partner.pk}"
    for _ in range(2):
        CompletionFactory(person=PersonFactory(partner=partner))
    small = _queries(client, url)
    for _ in range(60):
        CompletionFactory(person=PersonFactory(partner=partner))
    assert _queries(client, url) == small


def test_the_roster_page_and_api_count_at_most_the_cap(client, partner_admin, partner, monkeypatch):
    Person.objects.bulk_create(Person(partner=partner, name=f"P {i}", email=f"p{i}@acme.example") for i in range(30))
    monkeypatch.setattr(CappedPaginator, "CAP", 20)
    client.force_login(partner_admin)
    page = client.get(reverse("partners:people")).context["page"]
    assert (page.paginator.count, str(page.paginator.count), page.paginator.num_pages) == (20, "20+", 1)
    body = client.get(reverse("api:person_list")).json()
    assert body["count"] == 20 and body["count_is_capped"] is True


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_writes_what_the_models_say(client, program_admin):
    """The export reads plain tuples: the same cells as each partner's own fields, labels and counts."""
    build_book(size=20)
    client.force_login(program_admin)
    rows = _csv(client.get(reverse("partners:staff_partners_export")))
    partners = selectors.with_roster_counts(Partner.objects.select_related("pam", "psa"), as_of=timezone.localdate())
    expected = [[str(cell) for cell in (
        p.pk, p.name, p.domain, p.country, p.get_partner_type_display(), p.get_tier_display(), p.tier_since or "",
        p.pam.email if p.pam else "", p.psa.email if p.psa else "", p.people_count, p.certified_count,
        p.trained_count, p.user_count, "yes" if p.is_active else "no")] for p in partners]
    assert rows[1:] == expected and len(expected) >= 20
    assert any(int(r[9]) for r in rows[1:]) and any(int(r[10]) for r in rows[1:]) and any(r[7] for r in rows[1:])


def test_a_partner_search_counts_up_to_its_own_cap(client, program_admin, monkeypatch):
    for i in range(4):
        PartnerFactory(name=f"Atlas Labs {i}")
    PartnerFactory(name="Other Co")
    monkeypatch.setattr(selectors.PartnerSearchPaginator, "CAP", 2)
    client.force_login(program_admin)
    page = client.get(reverse("partners:staff_partners"), {"q": "atlas"}).context["page"]
    assert (str(page.paginator.count), page.paginator.num_pages, len(page.object_list)) == ("2+", 1, 2)
    body = client.get(reverse("api:partner_list"), {"q": "atlas"}).json()
    assert (body["count"], body["count_is_capped"]) == (2, True)
    assert client.get(reverse("partners:staff_partners")).context["page"].paginator.count == 5
    assert client.get(reverse("api:partner_list")).json()["count"] == 5
