"""Funding decisions and deal registration decisions refuse the same people, with the same 403 (or 404 for
those who may not even see the request); payment and allocations are program admins' in the services too."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from activity.models import AuditEntry, Notification
from dealreg import services as dealreg_services
from dealreg.models import DealRegistration
from funding import services
from funding.models import FundingRequest, LedgerEntry, MdfAllocation, MdfTierDefault, Status
from tests.authz import cases_dealreg, cases_funding
from tests.dealreg.conftest import registration_data

from .conftest import approved_past_mdf, pdf, submit_mdf

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def request_(partner, partner_member, allocation):
    return submit_mdf(partner, partner_member)


@pytest.mark.parametrize("decide", [
    lambda fr, who: services.request_approve(funding_request=fr, reviewer=who, approved_amount=D("100"), reason="x"),
    lambda fr, who: services.request_reject(funding_request=fr, reviewer=who, reason="x"),
    lambda fr, who: services.request_info(funding_request=fr, reviewer=who, reason="x"),
])
def test_funding_decisions_check_the_reviewer(request_, decide, other_pam, psa, partner_admin):
    for user in (other_pam, psa, partner_admin):
        with pytest.raises(PermissionDenied):
            decide(request_, user)
    assert FundingRequest.objects.get(pk=request_.pk).status == Status.SUBMITTED


def test_deal_and_funding_refuse_another_partners_pam_alike(request_, partner, partner_admin, other_pam):
    registration = dealreg_services.registration_submit(partner=partner, submitted_by=partner_admin,
                                                        **registration_data())
    with pytest.raises(PermissionDenied) as deal:
        dealreg_services.registration_approve(registration=registration, reviewer=other_pam, reason="x")
    with pytest.raises(PermissionDenied) as funding:
        services.request_approve(funding_request=request_, reviewer=other_pam, approved_amount=D("100"), reason="x")
    assert str(deal.value) == str(funding.value) == "Only the partner's PAM or a program admin may decide this."
    assert DealRegistration.objects.get(pk=registration.pk).status == "submitted"


def test_the_api_answers_403_to_a_psa_who_may_read_but_not_decide(client, request_, psa):
    client.force_login(psa)
    response = client.post(reverse("api:funding-request-approve", args=[request_.pk]),
                           {"approved_amount": "100", "reason": "x"}, content_type="application/json")
    assert response.status_code == 403


# ---------------------------------------------------------------- payment and allocations: program admins only


@pytest.fixture
def claim_approved(partner, partner_member, pam, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("5000"), reason="Proof fine")
    return fr


def _written():
    return (AuditEntry.objects.count(), Notification.objects.count(), LedgerEntry.objects.count(),
            list(FundingRequest.objects.order_by("id").values_list("status", flat=True)),
            list(MdfAllocation.objects.order_by("id").values_list("amount", flat=True)),
            list(MdfTierDefault.objects.order_by("id").values_list("amount", flat=True)))


def test_only_a_program_admin_marks_a_claim_paid_whoever_calls_the_service(claim_approved, pam, other_pam, psa,
                                                                           partner_admin, program_admin):
    before = _written()
    for user in (pam, other_pam, psa, partner_admin):
        with pytest.raises(PermissionDenied) as refused:
            services.claim_mark_paid(funding_request=claim_approved, admin=user, payment_reference="PAY-1")
        assert str(refused.value) == "Only a program admin may mark a claim paid."
    assert _written() == before
    services.claim_mark_paid(funding_request=claim_approved, admin=program_admin, payment_reference="PAY-1")
    assert FundingRequest.objects.get(pk=claim_approved.pk).status == Status.PAID


def test_only_a_program_admin_sets_allocations_whoever_calls_the_service(partner, program_year, allocation, pam, psa,
                                                                         partner_admin):
    before = _written()
    for user in (pam, psa, partner_admin):
        with pytest.raises(PermissionDenied):
            services.allocation_set(partner=partner, program_year=program_year, amount=D("1"), admin=user)
        with pytest.raises(PermissionDenied):
            services.tier_default_set(program_year=program_year, tier="silver", amount=D("1"), admin=user)
    assert _written() == before


def test_partner_actions_refuse_another_partners_user_with_403_like_deal_registrations(request_, other_partner_admin):
    with pytest.raises(PermissionDenied) as refused:
        services.request_withdraw(funding_request=request_, user=other_partner_admin)
    assert str(refused.value) == "Only the partner's users may do this."


# ---------------------------------------------------------------- through HTTP: pages and API (token)


def _token_client(user):
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {AuthToken.objects.create(user=user)[1]}"
    return client


def _page_client(user):
    client = Client()
    client.force_login(user)
    return client


DECISIONS = [  # (funding page, its form's body, funding API, its body, dealreg page body, dealreg API, its body)
    ("funding:request_approve", {"approved_amount": "100.00", "reason": "ok"},
     "api:funding-request-approve", {"approved_amount": "100.00", "reason": "ok"},
     {"decision": "approve", "reason": "ok"}, "api:dealreg-approve", {"reason": "ok"}),
    ("funding:request_reject", {"reject-reason": "Too small."}, "api:funding-request-reject", {"reason": "Too small."},
     {"decision": "reject", "reason_code": "not_a_fit", "reason": "Too small."}, "api:dealreg-reject",
     {"reason_code": "not_a_fit", "reason": "Too small."}),
    ("funding:request_info", {"info-reason": "Which team?"}, "api:funding-request-info", {"reason": "Which team?"},
     {"decision": "request_info", "reason": "Which team?"}, "api:dealreg-request-info", {"reason": "Which team?"}),
]


@pytest.mark.parametrize(("page", "page_body", "api", "api_body", "deal_page_body", "deal_api", "deal_api_body"),
                         DECISIONS, ids=[d[0] for d in DECISIONS])
def test_a_wrong_actor_gets_the_same_refusal_from_funding_and_deal_registration_never_a_form_error(
        request_, partner, partner_admin, other_pam, psa, pam, page, page_body, api, api_body, deal_page_body,
        deal_api, deal_api_body):
    """Valid bodies, so a 400 could only be the wrong answer. A PAM of other partners cannot see the partner's
    requests at all (404, as for any outsider: funding.access); the PSA and the partner's own users see them
    and are refused (403). Deal registrations answer exactly the same."""
    registration = dealreg_services.registration_submit(partner=partner, submitted_by=partner_admin,
                                                        **registration_data())
    before = _written()
    for user, expected in ((other_pam, 404), (psa, 403), (partner_admin, 403)):
        answers = {
            "funding page": _page_client(user).post(reverse(page, args=[request_.pk]), page_body).status_code,
            "funding API": _token_client(user).post(reverse(api, args=[request_.pk]), api_body,
                                                    content_type="application/json").status_code,
            "deal page": _page_client(user).post(reverse("dealreg:decide", args=[registration.pk]),
                                                 deal_page_body).status_code,
            "deal API": _token_client(user).post(reverse(deal_api, args=[registration.pk]), deal_api_body,
                                                 content_type="application/json").status_code,
        }
        assert answers == dict.fromkeys(answers, expected), user.email
    assert _written() == before
    assert DealRegistration.objects.get(pk=registration.pk).status == "submitted"
    # The partner's PAM may: the same bodies are accepted (the page redirects, the API answers the request).
    assert _page_client(pam).post(reverse(page, args=[request_.pk]), page_body).status_code == 302


def test_a_pam_gets_403_on_mark_paid_on_the_page_and_the_api(claim_approved, pam, program_admin):
    body = {"payment_reference": "PAY-1"}
    before = _written()
    page = _page_client(pam).post(reverse("funding:claim_pay", args=[claim_approved.pk]), body)
    api = _token_client(pam).post(reverse("api:funding-claim-pay", args=[claim_approved.pk]), body,
                                  content_type="application/json")
    assert (page.status_code, api.status_code) == (403, 403)
    assert _written() == before
    api = _token_client(program_admin).post(reverse("api:funding-claim-pay", args=[claim_approved.pk]), body,
                                            content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == Status.PAID


def test_the_matrix_expects_the_same_of_funding_and_deal_registration_decisions():
    assert cases_funding.REVIEW_DONE_PAGE == cases_dealreg.REVIEW_PAGE
    assert cases_funding.REVIEW_DONE_API == cases_dealreg.REVIEW_API
