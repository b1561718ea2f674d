"""The funding API under /api/v1/funding/: same rules as the pages, 400 with field errors, mass
assignment ignored, 403 with the eligibility explanation, query counts of lists."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from funding.models import Claim, FundingRequest, Status
from tests.factories import PartnerFactory, UserFactory

from .conftest import EXE, PDF, approved_past_mdf, mdf_data, poc_data, submit_mdf

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def api():
    return APIClient()


def as_json(data):
    out = {}
    for k, v in data.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else (str(v) if isinstance(v, Decimal) else v)
    return out


def test_mdf_request_through_the_api_ignores_mass_assignment(api, partner, partner_member, other_partner, today):
    api.force_authenticate(partner_member)
    body = as_json(mdf_data(today))
    body.update(status="paid", partner=other_partner.pk, approved_amount="5000", program_year=1999,
                cofunding_share="1.00", claim_deadline="2030-01-01")
    response = api.post(reverse("api:funding-mdf-create"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["partner"], data["approved_amount"], data["cofunding_share"]) == (
        "submitted", partner.pk, None, "0.50")
    assert data["history"][0]["action"] == "funding.submit"


@pytest.mark.parametrize(("change", "field"), [
    ({"requested_amount": "5000.01"}, "requested_amount"),  # above 50% of 10,000
    ({"requested_amount": "0"}, "requested_amount"),
    ({"requested_amount": "-10"}, "requested_amount"),
    ({"total_cost": "ten"}, "total_cost"),
    ({"activity_type": "billboard"}, "activity_type"),
    ({"title": "x" * 201}, "title"),
    ({"starts_on": "yesterday"}, "starts_on"),
    ({"description": None}, "description"),
])
def test_bad_mdf_input_gets_400_with_field_errors(api, partner_member, today, change, field):
    api.force_authenticate(partner_member)
    response = api.post(reverse("api:funding-mdf-create"), {**as_json(mdf_data(today)), **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not FundingRequest.objects.exists()


def test_missing_fields_get_400(api, partner_member):
    api.force_authenticate(partner_member)
    response = api.post(reverse("api:funding-poc-create"), {}, format="json")
    assert response.status_code == 400
    assert {"title", "customer_name", "products", "requested_amount"} <= set(response.json())


def test_poc_nomination_through_the_api(api, partner_member, today):
    api.force_authenticate(partner_member)
    response = api.post(reverse("api:funding-poc-create"), as_json(poc_data(today)), format="json")
    assert response.status_code == 201
    assert response.json()["products"] == ["flex", "platform"]


def test_ineligible_partner_gets_403_with_why_and_how(api, partner, partner_member, today):
    partner.tier = "bronze"
    partner.save()
    api.force_authenticate(partner_member)
    response = api.post(reverse("api:funding-mdf-create"), as_json(mdf_data(today)), format="json")
    assert response.status_code == 403
    body = response.json()
    assert "only by invitation" in body["detail"] and body["how_to_become_eligible"]
    assert body["eligibility_url"] == reverse("funding:eligibility")
    eligibility = api.get(reverse("api:funding-eligibility")).json()
    assert eligibility["mdf"]["eligible"] is False and eligibility["poc"]["eligible"] is False


def test_decisions_and_claim_flow_through_the_api(api, partner, partner_member, pam, program_admin, allocation):
    fr = submit_mdf(partner, partner_member)
    api.force_authenticate(pam)
    url = reverse("api:funding-request-approve", args=[fr.pk])
    response = api.post(url, {"approved_amount": "20000.01", "reason": "x"}, format="json")
    assert response.status_code == 400 and "approved_amount" in response.json()
    response = api.post(url, {"approved_amount": "4000", "reason": "Go"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api.post(url, {"approved_amount": "4000", "reason": "again"}, format="json")
    assert response.status_code == 400 and "cannot be approved" in response.json()["non_field_errors"][0]

    past = approved_past_mdf(partner, partner_member, pam)
    api.force_authenticate(partner_member)
    claim_url = reverse("api:funding-claim", args=[past.pk])
    response = api.post(claim_url, {"actual_cost": "9000", "files": [SimpleUploadedFile("x.pdf", EXE)]},
                        format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    response = api.post(claim_url, {"actual_cost": "9000", "files": [SimpleUploadedFile("x.pdf", PDF)],
                                    "status": "paid"}, format="multipart")
    assert response.status_code == 200, response.json()
    claim = response.json()["claim"]
    assert response.json()["status"] == "claim_submitted" and claim["files"][0]["name"] == "x.pdf"
    download = api.get(claim["files"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    api.force_authenticate(pam)
    response = api.post(reverse("api:funding-claim-approve", args=[past.pk]),
                        {"approved_amount": "4500.01", "reason": "x"}, format="json")
    assert response.status_code == 400  # 50% of 9,000
    response = api.post(reverse("api:funding-claim-approve", args=[past.pk]),
                        {"approved_amount": "4500", "reason": "ok"}, format="json")
    assert response.json()["claim"]["approved_amount"] == "4500.00"
    api.force_authenticate(program_admin)
    response = api.post(reverse("api:funding-claim-pay", args=[past.pk]), {"payment_reference": "PAY-9"}, format="json")
    assert response.json()["status"] == "paid"

    api.force_authenticate(partner_member)
    summary = api.get(reverse("api:funding-summary")).json()["mdf"]
    assert summary == {"allocated": "20000.00", "approved": "8500.00", "approved_total": "9000.00",
                       "returned": "500.00", "claimed": "4500.00", "paid": "4500.00", "remaining": "11500.00"}


def test_info_request_answer_and_withdraw_through_the_api(api, partner, partner_member, pam):
    fr = submit_mdf(partner, partner_member)
    api.force_authenticate(pam)
    assert api.post(reverse("api:funding-request-info", args=[fr.pk]), {"reason": "Audience?"}).status_code == 200
    api.force_authenticate(partner_member)
    response = api.post(reverse("api:funding-request-answer", args=[fr.pk]), {"answer": "CTOs", "requested_amount": "-1"})
    assert response.status_code == 400
    assert api.post(reverse("api:funding-request-answer", args=[fr.pk]), {"answer": "CTOs"}).status_code == 200
    response = api.post(reverse("api:funding-request-withdraw", args=[fr.pk]), {"reason": "later"})
    assert response.json()["status"] == "withdrawn"


def test_allocations_through_the_api(api, partner, program_admin):
    api.force_authenticate(program_admin)
    response = api.post(reverse("api:funding-tier-default"), {"tier": "silver", "amount": "12000"}, format="json")
    assert response.json() == {"tier": "silver", "amount": "12000.00"}
    response = api.post(reverse("api:funding-tier-default"), {"tier": "registered", "amount": "1"}, format="json")
    assert response.status_code == 400 and "tier" in response.json()
    response = api.post(reverse("api:funding-allocation-set", args=[partner.pk]), {"amount": "-5"}, format="json")
    assert response.status_code == 400
    response = api.post(reverse("api:funding-allocation-set", args=[partner.pk]), {"amount": "30000"}, format="json")
    assert response.json()["mdf"]["allocated"] == "30000.00"
    rows = api.get(reverse("api:funding-allocations")).json()["partners"]
    assert {"partner": partner.pk, "amount": "30000.00", "is_custom": True}.items() <= next(
        r for r in rows if r["partner"] == partner.pk).items()
    ledger = api.get(reverse("api:funding-partner-summary", args=[partner.pk])).json()["ledger"]
    assert [e["amount"] for e in ledger] == ["18000.00", "12000.00"]  # the tier default, then the change


def test_another_partners_request_is_404(api, partner, partner_member, other_partner_admin):
    fr = submit_mdf(partner, partner_member)
    api.force_authenticate(other_partner_admin)
    assert api.get(reverse("api:funding-request-detail", args=[fr.pk])).status_code == 404
    assert api.post(reverse("api:funding-request-withdraw", args=[fr.pk]), {}).status_code == 404
    assert FundingRequest.objects.get().status == Status.SUBMITTED
    assert not Claim.objects.exists()


@pytest.mark.parametrize("name", ["api:funding-requests", "api:funding-queue"])
def test_api_list_query_counts_do_not_grow(api, program_admin, today, name, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            p = PartnerFactory(tier="silver")
            submit_mdf(p, UserFactory(partner=p, partner_role="admin"), today=today)

    api.force_authenticate(program_admin)
    grow(2)
    with django_assert_max_num_queries(10) as small:
        assert api.get(reverse(name)).json()["count"] == 2
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(reverse(name)).json()["count"] == 22


def test_schema_documents_the_funding_endpoints(api, program_admin):
    api.force_authenticate(program_admin)
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    approve = schema["paths"]["/api/v1/funding/requests/{id}/approve/"]["post"]
    assert {"200", "400", "403", "404"} <= set(approve["responses"])
    assert "/api/v1/funding/mdf-requests/" in schema["paths"]
