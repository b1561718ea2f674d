"""Partner API (my company; staff list and detail) and the PAM / PSA assignment (page and API)."""

import pytest
from django.urls import reverse

from activity.models import AuditEntry
from partners.models import Partner, StaffRole
from tests.factories import CompletionFactory, PartnerFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_my_partner(client, partner, partner_member):
    CompletionFactory(person=PersonFactory(partner=partner), expires_on=None)
    client.force_login(partner_member)
    body = client.get(reverse("api:my_partner")).json()
    assert body["name"] == "Acme Consulting" and body["tier"] == "silver"
    assert body["counts"] == {"people": 1, "certified": 1, "trained": 0, "users": 2}
    assert body["pam"]["email"] == "pam@vendor.example"


def test_staff_list_shows_only_visible_partners(client, pam, other_pam, partner, other_partner, program_admin):
    unassigned = PartnerFactory(name="Unassigned", tier="silver")
    client.force_login(pam)
    names = [p["name"] for p in client.get(reverse("api:partner_list")).json()["results"]]
    assert names == ["Acme Consulting", "Unassigned"]
    client.force_login(program_admin)
    assert client.get(reverse("api:partner_list")).json()["count"] == 3
    client.force_login(other_pam)
    assert client.get(reverse("api:partner_detail", args=[partner.pk])).status_code == 404
    assert client.get(reverse("api:partner_detail", args=[unassigned.pk])).status_code == 200


def test_partner_list_query_count_does_not_grow(client, program_admin, django_assert_max_num_queries):
    client.force_login(program_admin)
    PartnerFactory()
    with django_assert_max_num_queries(8):
        client.get(reverse("api:partner_list"))
    for _ in range(25):
        CompletionFactory(person=PersonFactory(partner=PartnerFactory(pam=UserFactory(staff_role=StaffRole.PAM))))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:partner_list")).json()["count"] == 26
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partners:staff_partners")).status_code == 200


def test_program_admin_assigns_pam_and_psa_on_the_page(client, program_admin, other_partner, pam, psa):
    client.force_login(program_admin)
    url = reverse("partners:partner_team", args=[other_partner.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"pam": pam.pk, "psa": psa.pk})
    assert response.status_code == 302
    other_partner.refresh_from_db()
    assert (other_partner.pam, other_partner.psa) == (pam, psa)
    entry = AuditEntry.objects.get(action="partners.assign_team")
    assert entry.before["pam"] == "pam2@vendor.example" and entry.after["pam"] == "pam@vendor.example"
    assert pam.notifications.filter(subject__contains="Other Co").exists()


def test_team_page_rejects_the_wrong_staff_role(client, program_admin, other_partner, psa, partner_admin):
    client.force_login(program_admin)
    response = client.post(reverse("partners:partner_team", args=[other_partner.pk]), {"pam": psa.pk})
    assert "pam" in response.context["form"].errors
    response = client.post(reverse("partners:partner_team", args=[other_partner.pk]), {"pam": partner_admin.pk})
    assert "pam" in response.context["form"].errors


@pytest.mark.parametrize("data, field", [
    ({"pam": "psa"}, "pam"),
    ({"psa": "pam"}, "psa"),
    ({"pam": 999999}, "pam"),
    ({"pam": "abc"}, "pam"),
])
def test_api_team_bad_input(client, program_admin, partner, pam, psa, data, field):
    people = {"pam": pam.pk, "psa": psa.pk}
    data = {k: people.get(v, v) for k, v in data.items()}
    client.force_login(program_admin)
    response = client.post(reverse("api:partner_team", args=[partner.pk]), data, content_type="application/json")
    assert response.status_code == 400 and field in response.json()


def test_api_team_ignores_other_fields(client, program_admin, partner, other_pam):
    client.force_login(program_admin)
    response = client.post(reverse("api:partner_team", args=[partner.pk]),
                           {"pam": other_pam.pk, "tier": "gold", "name": "Hacked"}, content_type="application/json")
    assert response.status_code == 200
    partner.refresh_from_db()
    assert (partner.pam, partner.tier, partner.name) == (other_pam, "silver", "Acme Consulting")
    assert partner.psa is not None  # not sent: kept


def test_staff_home_lists_silver_and_above_without_a_pam(client, program_admin):
    PartnerFactory(name="Lonely Gold", tier="gold", pam=None)
    PartnerFactory(name="Bronze Without", tier="bronze", pam=None)
    client.force_login(program_admin)
    body = client.get(reverse("staff:home")).content.decode()
    assert "Lonely Gold" in body and "Bronze Without" not in body
    assert Partner.objects.count() == 2
