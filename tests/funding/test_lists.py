"""The funding queue and the MDF allocations at size: one FilterSet each serves the page, the CSV export and the
API; the export holds exactly the filtered rows and the totals are theirs; query counts do not grow."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from build_portal.demo_book import build_book
from funding.models import FundingRequest, Status
from partners.models import Partner


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _money(value):
    return Decimal(value or "0")


@pytest.fixture
def book(db):
    build_book(size=40)


def test_queue_page_export_and_api_share_filters_and_order(client, program_admin, book):
    client.force_login(program_admin)
    query = "?status=all&program=mdf&o=-requested"
    page = client.get(reverse("funding:queue") + query).context["page"]
    rows = _csv(client.get(reverse("funding:queue_export") + query))
    api = client.get(reverse("api:funding-queue") + query).json()
    assert rows[0][:3] == ["reference", "program", "status"]
    rows = rows[1:]
    assert [r.reference for r in page.object_list] == [row[0] for row in rows][:50] == \
        [f"MDF-{item['id']:05d}" for item in api["results"]]
    assert len(rows) == page.paginator.count == api["count"] == FundingRequest.objects.filter(program="mdf").count()
    requested = [_money(row[10]) for row in rows]
    assert requested == sorted(requested, reverse=True) and {row[1] for row in rows} == {"mdf"}


def test_queue_defaults_to_what_waits_on_staff_and_searches_by_reference(client, program_admin, book):
    client.force_login(program_admin)
    waiting = FundingRequest.objects.filter(status__in=[Status.SUBMITTED, Status.CLAIM_SUBMITTED, Status.CLAIM_APPROVED])
    rows = _csv(client.get(reverse("funding:queue_export")))[1:]
    assert sorted(row[0] for row in rows) == sorted(r.reference for r in waiting)
    one = waiting.order_by("pk").first()
    found = client.get(reverse("api:funding-queue") + f"?status=all&q={one.reference.lower()}").json()["results"]
    assert [r["id"] for r in found] == [one.pk]
    body = client.get(reverse("funding:queue") + "?status=claim_submitted").content.decode()
    claims = waiting.filter(status="claim_submitted").count()
    assert f'Claims awaiting review <span class="badge bg-light text-dark">{claims}' in body


def test_queue_export_has_exactly_the_filtered_rows_and_the_page_totals_are_theirs(client, program_admin, book):
    client.force_login(program_admin)
    query = "?status=all&tier=silver"
    rows = _csv(client.get(reverse("funding:queue_export") + query))[1:]
    expected = FundingRequest.objects.filter(partner__tier="silver")
    assert sorted(row[0] for row in rows) == sorted(r.reference for r in expected) and rows
    assert {Partner.objects.get(pk=int(row[3])).tier for row in rows} == {"silver"}
    totals = client.get(reverse("funding:queue") + query).context["totals"]
    assert totals["count"] == len(rows)
    for name, column in (("requested", 10), ("approved", 11), ("claimed", 13), ("paid", 14), ("outstanding", 15)):
        assert totals[name] == sum(_money(row[column]) for row in rows), name
    assert totals["paid"] > 0 and totals["outstanding"] > 0  # the book has paid and open approvals


def test_a_pam_exports_only_the_requests_of_partners_they_may_see(client, pam, book):
    Partner.objects.filter(domain="p001.book.example").update(pam=pam)
    client.force_login(pam)
    rows = _csv(client.get(reverse("funding:queue_export") + "?status=all"))[1:]
    visible = FundingRequest.objects.filter(partner__in=Partner.objects.filter(pam__in=[pam]) | Partner.objects.filter(
        pam__isnull=True))
    assert sorted(row[0] for row in rows) == sorted(r.reference for r in visible)


def test_bad_queue_filters_are_a_400_on_page_export_and_api(client, program_admin, book):
    client.force_login(program_admin)
    for name in ("funding:queue", "funding:queue_export", "api:funding-queue"):
        assert client.get(reverse(name) + "?status=sideways").status_code == 400, name
        assert client.get(reverse(name) + "?o=nonsense").status_code == 400, name


def test_allocations_page_export_and_api_share_filters_and_the_totals_are_the_rows(client, program_admin, book):
    client.force_login(program_admin)
    query = "?tier=silver&o=-remaining"
    page = client.get(reverse("funding:allocations") + query)
    rows = _csv(client.get(reverse("funding:allocations_export") + query))
    api = client.get(reverse("api:funding-allocations") + query).json()
    assert rows[0][:2] == ["partner id", "partner"]
    rows = rows[1:]
    silver = Partner.objects.filter(tier="silver")
    assert sorted(int(row[0]) for row in rows) == sorted(silver.values_list("pk", flat=True)) and rows
    assert [p.pk for p in page.context["page"].object_list] == [int(row[0]) for row in rows][:50] == \
        [p["partner"] for p in api["partners"]]
    remaining = [_money(row[11]) for row in rows]
    assert remaining == sorted(remaining, reverse=True)
    totals = page.context["totals"]
    assert totals["count"] == len(rows) == api["count"]
    for name, column in (("allocated", 7), ("committed", 8), ("claimed", 9), ("paid", 10), ("remaining", 11)):
        assert totals[name] == sum(_money(row[column]) for row in rows), name
        assert _money(api["totals"][name]) == totals[name]
    assert totals["allocated"] > totals["committed"] > 0 and totals["claimed"] > 0


def test_allocations_rows_agree_with_the_partners_ledger_figures(client, program_admin, book):
    from funding import selectors

    client.force_login(program_admin)
    rows = _csv(client.get(reverse("funding:allocations_export") + "?o=-claimed"))[1:]
    year = selectors.current_program_year()
    for row in rows[:5]:
        figures = selectors.ledger_figures(partner=Partner.objects.get(pk=int(row[0])), program_year=year)
        assert (_money(row[7]), _money(row[8]), _money(row[9]), _money(row[10])) == (
            figures.allocated, figures.committed, figures.claimed, figures.paid)


def test_allocation_filters_unused_and_source(client, program_admin, book):
    client.force_login(program_admin)
    unused = _csv(client.get(reverse("funding:allocations_export") + "?unused=true"))[1:]
    assert unused and all(_money(row[11]) > 0 for row in unused)
    assert client.get(reverse("funding:allocations_export") + "?source=custom").status_code == 200
    assert client.get(reverse("api:funding-allocations") + "?tier=registered").status_code == 400


def test_schema_documents_the_funding_list_filters(client, program_admin):
    client.force_login(program_admin)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    queue = {p["name"] for p in schema["paths"]["/api/v1/funding/queue/"]["get"]["parameters"]}
    assert {"status", "program", "q", "partner", "pam", "tier", "year", "o", "page"} <= queue
    allocations = {p["name"] for p in schema["paths"]["/api/v1/funding/allocations/"]["get"]["parameters"]}
    assert {"q", "tier", "pam", "source", "unused", "o", "page"} <= allocations


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        lines = b"".join(response.streaming_content).count(b"\n") if response.streaming else 0
    return len(ctx.captured_queries), lines


LIST_URLS = [
    lambda: reverse("funding:queue") + "?status=all&o=-approved",
    lambda: reverse("funding:queue_export") + "?status=all",
    lambda: reverse("api:funding-queue") + "?status=all&q=a",
    lambda: reverse("funding:allocations") + "?o=paid",
    lambda: reverse("funding:allocations_export"),
    lambda: reverse("api:funding-allocations") + "?unused=true",
]


@pytest.mark.parametrize("role", ["program_admin", "pam"])
def test_list_and_export_query_counts_do_not_grow(client, people, role):
    user = getattr(people, role)
    client.force_login(user)
    urls = LIST_URLS if role == "program_admin" else LIST_URLS[:3]
    build_book(size=20)
    small = [_count(client, url()) for url in urls]
    build_book(size=80, offset=100)
    assert Partner.objects.filter(domain__endswith=".book.example").count() == 100
    large = [_count(client, url()) for url in urls]
    assert [q for q, _ in large] == [q for q, _ in small]
    assert all(big > few for (_, big), (_, few) in zip(large, small, strict=True) if few)
