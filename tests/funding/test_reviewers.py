"""Funding decisions and deal registration decisions refuse the same people, with the same 403."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dealreg import services as dealreg_services
from dealreg.models import DealRegistration
from funding import services
from funding.models import FundingRequest, Status
from tests.dealreg.conftest import registration_data

from .conftest import submit_mdf

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
