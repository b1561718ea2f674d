"""The partner filters pick a partner by typing its name: a few suggestions from the server, never a list of
every partner on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.services import audit_record
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_suggests_a_few_names_in_order(client, program_admin):
    for i in range(12):
        PartnerFactory(name=f"Nimbus Labs {i:02d}", domain=f"nimbus{i}.example")
    PartnerFactory(name="Harbor Group", domain="harbor.example")
    client.force_login(program_admin)
    names = [r["name"] for r in client.get(reverse("partners:partner_names"), {"q": "imbus"}).json()["results"]]
    assert len(names) == 10 and names == sorted(names) and all(n.startswith("Nimbus Labs ") for n in names)
    exact = client.get(reverse("partners:partner_names"), {"q": "bus Labs 07"}).json()["results"]
    assert [r["name"] for r in exact] == ["Nimbus Labs 07"] and isinstance(exact[0]["id"], int)
    assert client.get(reverse("partners:partner_names"), {"q": "n"}).json() == {"results": []}


def test_a_pam_is_offered_only_the_partners_they_see(client, pam, partner, other_partner):
    client.force_login(pam)
    names = [r["name"] for r in client.get(reverse("partners:partner_names"), {"q": "co"}).json()["results"]]
    assert names == ["Acme Consulting"]  # Other Co has another PAM


def test_partners_may_not_search_other_partners(client, partner_admin):
    client.force_login(partner_admin)
    assert client.get(reverse("partners:partner_names"), {"q": "acme"}).status_code == 403


def test_audit_page_lists_no_partners_and_its_queries_do_not_grow(client, program_admin, partner):
    client.force_login(program_admin)
    audit_record(actor=program_admin, action="partners.person_update", obj=partner, partner_id=partner.pk)
    body = client.get(reverse("partners:audit")).content.decode()
    assert "Acme Consulting</option>" not in body  # the partner is typed, not picked from a select
    assert 'data-partner-search="/staff/partners/names/"' in body and "js/partner_search.js" in body
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("partners:audit"), {"partner_name": "acme"})
    for i in range(60):
        other = PartnerFactory(name=f"Acme Systems {i}", domain=f"acme-systems{i}.example")
        audit_record(actor=program_admin, action="partners.person_create", obj=other, partner_id=other.pk)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("partners:audit"), {"partner_name": "acme"})
    assert len(response.context["page"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_chosen_partner_id_and_name_filter_together(client, program_admin, partner, other_partner):
    audit_record(actor=program_admin, action="partners.assign_team", obj=partner, partner_id=partner.pk)
    audit_record(actor=program_admin, action="partners.assign_team", obj=other_partner, partner_id=other_partner.pk)
    client.force_login(program_admin)
    page = client.get(reverse("partners:audit"), {"partner_name": "Acme Consulting", "partner": partner.pk}
                      ).context["page"]
    assert [e.partner_id for e in page] == [partner.pk]
    export = b"".join(client.get(reverse("partners:audit_export"), {"partner_name": "acme"}).streaming_content)
    assert export.decode().count("partners.assign_team") == 1
