"""Funding pages: overview with the allocation bar, eligibility explanation, forms with errors, detail with
history, staff decisions, claims with files, the download's access check, and query counts of lists."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding import services
from funding.models import Claim, FundingRequest, Status
from tests.factories import PartnerFactory, UserFactory

from .conftest import EXE, PDF, approved_past_mdf, invite, mdf_data, pdf, submit_mdf, submit_poc

pytestmark = pytest.mark.django_db
D = Decimal


def form_post(data):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_overview_shows_figures_and_the_bar(client, partner, partner_member, pam, program_admin, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)  # 5,000 approved of 20,000
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("4000"), reason="ok")
    client.force_login(partner_member)
    html = client.get(reverse("funding:overview")).content.decode()
    assert 'data-figure="allocated">USD 20,000.00' in html
    assert 'data-figure="claimed">USD 4,000.00' in html
    assert 'data-figure="returned">USD 1,000.00' in html
    assert 'data-figure="remaining">USD 16,000.00' in html
    assert "progress-stacked" in html and "pct-20" in html  # 4,000 of 20,000 claimed, not paid yet


def test_ineligible_partner_sees_why_and_how_instead_of_the_form(client, partner, partner_member):
    partner.tier = "bronze"
    partner.save()
    client.force_login(partner_member)
    for name in ("funding:mdf_new", "funding:poc_new"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        html = response.content.decode()
        assert "only by invitation" in html and "How to become eligible" in html
        assert "form" not in response.context and 'name="requested_amount"' not in html
    response = client.post(reverse("funding:mdf_new"), form_post(mdf_data(partner.created_at.date())))
    assert "only by invitation" in response.content.decode()
    assert not FundingRequest.objects.exists()


def test_eligibility_page_lists_silver_requirements(client, partner, partner_member):
    partner.tier = "registered"
    partner.save()
    client.force_login(partner_member)
    html = client.get(reverse("funding:eligibility")).content.decode()
    assert "10 platform-certified technical people" in html and "Not eligible yet" in html


def test_invited_bronze_partner_gets_the_form(client, partner, partner_member, program_year, pam):
    partner.tier = "bronze"
    partner.save()
    invite(partner, program_year, "poc-cofunding", pam)
    client.force_login(partner_member)
    assert "Nominate a POC project" in client.get(reverse("funding:poc_new")).content.decode()
    assert "only by invitation" in client.get(reverse("funding:mdf_new")).content.decode()


def test_mdf_form_submits_and_ignores_posted_status_partner_and_amounts(client, partner, partner_member, other_partner,
                                                                        today):
    client.force_login(partner_member)
    data = form_post(mdf_data(today))
    data.update(status="approved", partner=other_partner.pk, approved_amount="5000", claim_deadline="2030-01-01")
    response = client.post(reverse("funding:mdf_new"), data)
    fr = FundingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funding:request_detail", args=[fr.pk])
    assert (fr.status, fr.partner, fr.approved_amount, fr.claim_deadline) == (Status.SUBMITTED, partner, None, None)


def test_mdf_form_shows_errors_next_to_the_fields(client, partner_member, today):
    client.force_login(partner_member)
    data = form_post(mdf_data(today, requested_amount="6000", total_cost="10000"))
    response = client.post(reverse("funding:mdf_new"), data)
    assert response.status_code == 400
    assert "co-invests at most 50%" in response.context["form"].errors["requested_amount"][0]
    response = client.post(reverse("funding:mdf_new"), {**data, "requested_amount": "-1", "activity_type": "x"})
    errors = response.context["form"].errors
    assert "requested_amount" in errors and "activity_type" in errors
    assert not FundingRequest.objects.exists()


def test_poc_form_submits(client, partner, partner_member, today):
    client.force_login(partner_member)
    data = {"customer_name": "Globex", "title": "IVR", "goals": "g", "success_criteria": "s", "next_steps": "n",
            "products": ["flex", "segment"], "requested_amount": "9000", "starts_on": today.isoformat(),
            "ends_on": today.isoformat()}
    assert client.post(reverse("funding:poc_new"), data).status_code == 302
    assert FundingRequest.objects.get().products == ["flex", "segment"]


def test_detail_shows_history_and_staff_decide(client, partner, partner_member, pam, allocation):
    fr = submit_mdf(partner, partner_member)
    client.force_login(pam)
    response = client.post(reverse("funding:request_info", args=[fr.pk]), {"info-reason": "Which audience?"})
    assert response.status_code == 302
    client.force_login(partner_member)
    response = client.post(reverse("funding:request_answer", args=[fr.pk]), {"answer": "CX leaders in DACH"})
    assert response.status_code == 302
    client.force_login(pam)
    response = client.post(reverse("funding:request_approve", args=[fr.pk]),
                           {"approved_amount": "25000", "reason": "too much"})
    assert response.status_code == 400
    assert "Approve at most the requested" in response.context["approve_form"].errors["approved_amount"][0]
    response = client.post(reverse("funding:request_approve", args=[fr.pk]), {"approved_amount": "4500", "reason": "Go"})
    assert response.status_code == 302
    html = client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    for text in ("Which audience?", "CX leaders in DACH", "Approve", "approved USD 4500.00", "Go"):
        assert text in html


def test_withdraw_from_the_page(client, partner, partner_member):
    fr = submit_poc(partner, partner_member)
    client.force_login(partner_member)
    assert client.post(reverse("funding:request_withdraw", args=[fr.pk]), {"reason": "Customer paused"}).status_code == 302
    fr.refresh_from_db()
    assert fr.status == Status.WITHDRAWN
    response = client.post(reverse("funding:request_withdraw", args=[fr.pk]), {})
    assert response.status_code == 400 and "cannot be withdrawn" in response.content.decode()


def test_claim_page_uploads_and_rejects_renamed_executables(client, partner, partner_member, pam, program_admin,
                                                            allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    client.force_login(partner_member)
    url = reverse("funding:request_claim", args=[fr.pk])
    response = client.post(url, {"actual_cost": "9000", "files": [SimpleUploadedFile("invoice.pdf", EXE)]})
    assert response.status_code == 400
    assert "not a PDF, PNG or JPEG" in response.context["form"].errors["files"][0]
    assert not Claim.objects.exists()
    response = client.post(url, {"actual_cost": "9000", "notes": "see invoice",
                                 "files": [SimpleUploadedFile("invoice.pdf", PDF), SimpleUploadedFile("a.pdf", PDF)]})
    assert response.status_code == 302
    assert Claim.objects.get().files.count() == 2
    client.force_login(pam)
    response = client.post(reverse("funding:claim_approve", args=[fr.pk]), {"claim-approved_amount": "4500",
                                                                           "claim-reason": "Proof fine"})
    assert response.status_code == 302
    client.force_login(program_admin)
    response = client.post(reverse("funding:claim_pay", args=[fr.pk]), {"payment_reference": "PAY-1"})
    assert response.status_code == 302
    fr.refresh_from_db()
    assert fr.status == Status.PAID


def test_claim_files_download_only_for_those_who_may_see_the_claim(client, partner, partner_member, pam, psa,
                                                                   other_pam, other_partner_admin, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    claim = services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("9000"), files=[pdf()])
    url = reverse("funding:claim_file", args=[claim.files.get().pk])
    for user in (partner_member, pam, psa):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="invoice.pdf"' in response["Content-Disposition"]
    for user in (other_pam, other_partner_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_allocation_pages(client, partner, program_admin, program_year):
    client.force_login(program_admin)
    response = client.post(reverse("funding:allocations"), {"tier": "silver", "amount": "15000"})
    assert response.status_code == 302
    html = client.get(reverse("funding:allocations")).content.decode()
    assert "Acme Consulting" in html and "USD 15,000.00" in html
    response = client.post(reverse("funding:allocation_set", args=[partner.pk]), {"amount": "-1"})
    assert response.status_code == 400
    response = client.post(reverse("funding:allocation_set", args=[partner.pk]), {"amount": "30000", "reason": "Plan"})
    assert response.status_code == 302
    html = client.get(reverse("funding:partner_funding", args=[partner.pk])).content.decode()
    assert 'data-figure="allocated">USD 30,000.00' in html and "Plan" in html


def _requests(n, today):
    """n partners with an MDF request each (queue and lists grow with partners and requests)."""
    for _ in range(n):
        p = PartnerFactory(tier="silver")
        u = UserFactory(partner=p, partner_role="admin")
        submit_mdf(p, u, today=today)


@pytest.mark.parametrize("name", ["funding:queue", "funding:requests"])
def test_staff_list_query_counts_do_not_grow(client, program_admin, today, name, django_assert_max_num_queries):
    client.force_login(program_admin)
    _requests(2, today)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse(name)).status_code == 200
    _requests(20, today)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.content.decode().count("MDF-") >= 22


def test_partner_overview_query_count_does_not_grow(client, partner, partner_member, today,
                                                    django_assert_max_num_queries):
    client.force_login(partner_member)
    submit_mdf(partner, partner_member)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("funding:overview"))
    for _ in range(8):
        submit_mdf(partner, partner_member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("funding:overview"))
