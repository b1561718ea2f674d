"""Staff lists at size: one FilterSet serves the page, the CSV export and the API (and the schema)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from build_portal.demo_book import build_book
from partners.models import Partner
from partners.selectors import with_roster_counts
from tests.factories import PartnerFactory


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def three(db, pam):
    return [
        PartnerFactory(name="Zeta Labs", domain="zeta.example", tier="gold", country="DE", pam=pam),
        PartnerFactory(name="Alpha Labs", domain="alpha.example", tier="gold", country="DE", pam=None),
        PartnerFactory(name="Beta Works", domain="beta.example", tier="bronze", country="US", pam=None),
    ]


def test_page_export_and_api_select_the_same_partners(client, program_admin, three):
    client.force_login(program_admin)
    query = "?q=labs&tier=gold&country=de&o=-name"
    page = client.get(reverse("partners:staff_partners") + query).content.decode()
    assert page.index("Zeta Labs") < page.index("Alpha Labs") and "Beta Works" not in page
    assert '<option value="DE" selected>Germany</option>' in page  # countries are chosen by name
    rows = _csv(client.get(reverse("partners:staff_partners_export") + query))
    assert rows[0][:3] == ["id", "name", "domain"]
    assert [r[1] for r in rows[1:]] == ["Zeta Labs", "Alpha Labs"]
    api = client.get(reverse("api:partner_list") + query).json()
    assert [p["name"] for p in api["results"]] == ["Zeta Labs", "Alpha Labs"]
    none = client.get(reverse("api:partner_list") + "?pam=none&o=name").json()
    assert [p["name"] for p in none["results"]] == ["Alpha Labs", "Beta Works"]


def test_bad_filters_are_a_400_with_field_errors_on_page_api_and_export(client, program_admin, three):
    client.force_login(program_admin)
    page = client.get(reverse("partners:staff_partners") + "?tier=platinum")
    assert page.status_code == 400 and "tier" in page.content.decode()
    api = client.get(reverse("api:partner_list") + "?tier=platinum")
    assert api.status_code == 400 and "tier" in api.json()
    assert client.get(reverse("partners:staff_partners_export") + "?tier=platinum").status_code == 400


def test_export_keeps_to_the_partners_a_pam_may_see(client, pam, three, other_partner):
    client.force_login(pam)
    names = {r[1] for r in _csv(client.get(reverse("partners:staff_partners_export")))[1:]}
    assert "Other Co" not in names and {"Zeta Labs", "Alpha Labs", "Beta Works"} <= names


def test_export_neutralises_spreadsheet_formulas(client, program_admin):
    PartnerFactory(name="=HYPERLINK(\"http://evil\")", domain="evil.example")
    client.force_login(program_admin)
    rows = _csv(client.get(reverse("partners:staff_partners_export")))
    assert rows[1][1].startswith("'=")


def test_schema_documents_the_partner_filters(client, program_admin):
    client.force_login(program_admin)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/partners/"]["get"]["parameters"]}
    assert {"q", "tier", "country", "partner_type", "pam", "o", "page"} <= params


def test_partner_list_and_export_query_counts_do_not_grow(client, program_admin):
    client.force_login(program_admin)
    urls = [reverse("partners:staff_partners") + "?o=-people", reverse("partners:staff_partners_export") + "?tier=silver",
            reverse("api:partner_list") + "?q=a", reverse("partners:staff_partners"),
            reverse("partners:staff_partners") + "?q=p0&o=name"]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            out.append(len(ctx.captured_queries))
        return out

    build_book(size=20)
    small = counts()
    build_book(size=80, offset=100)
    assert Partner.objects.count() == 100
    assert counts() == small


def test_deal_queue_page_export_and_api_share_filters_and_order(client, program_admin):
    build_book(size=40)
    client.force_login(program_admin)
    query = "?status=all&q=retail&o=-arr"
    page = client.get(reverse("dealreg:queue") + query).context["page"].object_list
    rows = _csv(client.get(reverse("dealreg:queue_export") + query))[1:]
    api = client.get(reverse("api:dealreg-queue") + query).json()
    assert [r.reference for r in page][:20] == [row[0] for row in rows][:20] == \
        [f"DR-{item['id']}" for item in api["results"]][:20]
    arr = [float(row[7]) for row in rows]
    assert arr == sorted(arr, reverse=True) and len(rows) > 20
    assert client.get(reverse("dealreg:queue_export") + "?status=nope").status_code == 400


def test_deal_queue_export_query_count_does_not_grow(client, program_admin):
    client.force_login(program_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("dealreg:queue_export") + "?status=all")
            lines = b"".join(response.streaming_content).count(b"\n")
        return len(ctx.captured_queries), lines

    build_book(size=20)
    small, small_lines = count()
    build_book(size=80, offset=100)
    large, large_lines = count()
    assert large == small and large_lines > small_lines


def test_audit_trail_finds_the_partner_by_name_and_exports_what_is_filtered(client, program_admin, three):
    from activity.services import audit_record

    zeta, alpha, _beta = three
    audit_record(actor=program_admin, action="partners.assign_team", obj=zeta, partner_id=zeta.pk, after={"pam": 1})
    audit_record(actor=program_admin, action="partners.assign_team", obj=alpha, partner_id=alpha.pk, after={"pam": 2})
    client.force_login(program_admin)
    page = client.get(reverse("partners:audit") + "?partner_name=zeta").content.decode()
    assert "<select" not in page.split('name="partner_name"')[0].rsplit("<label", 1)[-1]
    assert "Zeta Labs" in page and "Alpha Labs" not in page
    rows = _csv(client.get(reverse("partners:audit_export") + "?partner_name=zeta"))
    assert [r[2] for r in rows[1:]] == [str(zeta.pk)]
    api = client.get(reverse("api:audit_list") + f"?partner={alpha.pk}").json()
    assert [e["partner_id"] for e in api["results"]] == [alpha.pk]


def test_run_assessments_page_export_and_api_share_filters(client, program_admin):
    from tiers.models import RecalculationRun

    build_book(size=40)
    run = RecalculationRun.objects.order_by("-applied_at").first()
    client.force_login(program_admin)
    query = "?movement=up&o=-revenue"
    page = client.get(reverse("tiers:run_detail", args=[run.pk]) + query).context["page"].object_list
    rows = _csv(client.get(reverse("tiers:run_export", args=[run.pk]) + query))[1:]
    api = client.get(reverse("api:tier_run_assessments", args=[run.pk]) + query).json()
    assert [a.partner_id for a in page] == [int(r[0]) for r in rows] == [a["partner"] for a in api["results"]]
    assert rows and {r[5] for r in rows} == {"up"}
    assert client.get(reverse("api:tier_run_assessments", args=[run.pk]) + "?movement=sideways").status_code == 400


def test_people_list_page_export_and_api_share_filters(client, pam, program_admin):
    build_book(size=40)
    client.force_login(program_admin)
    soon = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    query = f"?partner_name=north&expiring_before={soon}&o=partner"
    page = client.get(reverse("partners:staff_people") + query).context["page"].object_list
    api = client.get(reverse("api:staff_person_list") + query).json()
    assert [p.pk for p in page] == [p["id"] for p in api["results"]]
    assert page and all("North" in p.partner.name for p in page)
    rows = _csv(client.get(reverse("partners:staff_people_export") + query))[1:]
    assert {r[3] for r in rows} == {p.email for p in page}
    client.force_login(pam)
    names = {r[1] for r in _csv(client.get(reverse("partners:staff_people_export")))[1:]}
    assert names <= set(Partner.objects.filter(Q(pam=pam) | Q(pam__isnull=True)).values_list("name", flat=True))


def test_partner_list_page_counts_its_rows_as_the_sort_by_people_does(client, program_admin):
    """The page counts only its own rows unless it is sorted by a count: the figures are the same either way."""
    build_book(size=60)
    client.force_login(program_admin)
    by_name = client.get(reverse("partners:staff_partners")).context["page"]
    sorted_by_count = client.get(reverse("partners:staff_partners") + "?o=people").context["page"]
    assert by_name.paginator.count == sorted_by_count.paginator.count == Partner.objects.count()
    annotated = with_roster_counts(Partner.objects.all(), as_of=timezone.localdate())
    figures = {p.pk: (p.people_count, p.certified_count, p.trained_count, p.user_count) for p in annotated}
    for page in (by_name, sorted_by_count):
        for p in page.object_list:
            assert (p.people_count, p.certified_count, p.trained_count, p.user_count) == figures[p.pk]
    assert any(p.people_count for p in by_name.object_list)
