"""Funding that guides: the MDF form shows what remains of the allocation and says when a request exceeds it
(still submitted, marked for the PAM); share and date errors show together; "Submit a claim" appears only
once the activity has ended, with the deadline."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from activity.models import Notification
from funding import services
from funding.models import FundingRequest

from .conftest import approved_past_mdf, mdf_data

pytestmark = pytest.mark.django_db


def post_data(today, **overrides):
    data = mdf_data(today, **overrides)
    return {k: v.isoformat() if isinstance(v, datetime.date) else str(v) for k, v in data.items()}


def test_the_form_shows_the_remaining_allocation(client, partner_admin, allocation):
    client.force_login(partner_admin)
    assert "Your remaining MDF allocation: $20,000." in client.get(reverse("funding:mdf_new")).content.decode()


def test_share_and_date_errors_show_together_on_the_first_submit(client, partner_admin, allocation, today):
    client.force_login(partner_admin)
    data = post_data(today, requested_amount="9000", starts_on=today - datetime.timedelta(days=3),
                     ends_on=today - datetime.timedelta(days=5))
    form = client.post(reverse("funding:mdf_new"), data).context["form"]
    assert set(form.errors) == {"requested_amount", "starts_on", "ends_on"}
    assert "at most $5,000 for a total cost of $10,000" in form.errors["requested_amount"][0]
    assert not FundingRequest.objects.exists()


def test_a_request_above_the_remaining_allocation_is_submitted_marked_for_the_pam(client, partner_admin, pam,
                                                                                 allocation, today):
    client.force_login(partner_admin)
    data = post_data(today, total_cost="100000", requested_amount="50000")
    response = client.post(reverse("funding:mdf_new"), data, follow=True)
    assert "This request is for $50,000 but $20,000 remains of your MDF allocation" in response.content.decode()
    assert FundingRequest.objects.get().requested_amount == Decimal("50000")
    assert "Above the remaining allocation: $50,000 requested, $20,000 remains." in \
        Notification.objects.get(recipient=pam).body


def test_submit_a_claim_appears_only_after_the_activity(client, partner_admin, pam, allocation, today):
    future = services.request_approve(
        funding_request=services.mdf_request_submit(partner=partner_admin.partner, user=partner_admin, today=today,
                                                    **mdf_data(today)),
        reviewer=pam, approved_amount=Decimal("5000"), reason="ok")
    client.force_login(partner_admin)
    html = client.get(reverse("funding:request_detail", args=[future.pk])).content.decode()
    assert "Submit a claim" not in html
    assert f"You can claim from {future.ends_on.day} " in html
    response = client.get(reverse("funding:request_claim", args=[future.pk]), follow=True)
    assert "Claim after the activity" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("funding:request_detail", args=[future.pk])

    ended = approved_past_mdf(partner_admin.partner, partner_admin, pam, title="Past webinar")
    html = client.get(reverse("funding:request_detail", args=[ended.pk])).content.decode()
    assert "Submit a claim" in html and "by <strong>" in html
