"""The PAM's queue and the request's page flag an MDF request awaiting a decision that asks more than remains
of the partner's allocation ("over the remaining allocation by $X"), from the allocation row or, before the
first approval, the tier default; on the page and in the API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding import rules, selectors, services
from funding.models import MdfTierDefault

from .conftest import submit_mdf, submit_poc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("requested", "remaining", "excess"), [
    ("5000", "20000", None), ("20000", "20000", None), ("20000.01", "20000", "0.01"), ("50000", "20000", "30000"),
    ("100", "-50", "100"),  # an overspent allocation counts as nothing left
    (None, "20000", None), ("5000", None, None),
])
def test_over_allocation_rule(requested, remaining, excess):
    def dec(v):
        return None if v is None else Decimal(v)

    assert rules.over_allocation(requested_amount=dec(requested), remaining=dec(remaining)) == dec(excess)


def test_queue_page_and_api_flag_the_excess(client, partner_admin, pam, allocation, today):
    over = submit_mdf(partner_admin.partner, partner_admin, total_cost=Decimal("100000"), requested_amount=Decimal("50000"),
                      title="Big summit")
    within = submit_mdf(partner_admin.partner, partner_admin, title="Small webinar")
    client.force_login(pam)
    html = client.get(reverse("funding:queue")).content.decode()
    assert html.count("data-over-allocation") == 1
    assert "Over the remaining allocation by $30,000" in html
    rows = {r["reference"]: r for r in client.get(reverse("api:funding-queue")).json()["results"]}
    assert rows[over.reference]["over_allocation_by"] == "30000.00"
    assert rows[over.reference]["remaining_allocation"] == "20000.00"
    assert rows[within.reference]["over_allocation_by"] is None


def test_request_page_and_api_say_it_to_the_pam_and_the_partner(client, partner_admin, pam, allocation):
    fr = submit_mdf(partner_admin.partner, partner_admin, total_cost=Decimal("100000"), requested_amount=Decimal("25000"))
    client.force_login(pam)
    html = client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    assert "Over the remaining allocation by $5,000: you can approve at most what remains." in html
    assert client.get(reverse("api:funding-request-detail", args=[fr.pk])).json()["over_allocation_by"] == "5000.00"
    client.force_login(partner_admin)
    html = client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    assert "Over the remaining allocation by $5,000: your PAM can approve at most what remains." in html


def test_the_flag_follows_what_others_committed_and_goes_once_decided(client, partner_admin, pam, allocation):
    first = submit_mdf(partner_admin.partner, partner_admin, total_cost=Decimal("30000"), requested_amount=Decimal("15000"))
    second = submit_mdf(partner_admin.partner, partner_admin, total_cost=Decimal("20000"), requested_amount=Decimal("10000"))
    client.force_login(pam)
    assert client.get(reverse("api:funding-request-detail", args=[second.pk])).json()["over_allocation_by"] is None
    services.request_approve(funding_request=first, reviewer=pam, approved_amount=Decimal("15000"), reason="ok")
    # 5,000 remains now: the second request is 5,000 over, and the approved one is flagged no more.
    rows = {r["reference"]: r for r in client.get(reverse("api:funding-queue"), {"status": "all"}).json()["results"]}
    assert rows[second.reference]["over_allocation_by"] == "5000.00"
    assert rows.get(first.reference, {}).get("over_allocation_by") is None
    html = client.get(reverse("funding:request_detail", args=[first.pk])).content.decode()
    assert "data-over-allocation" not in html


def test_without_an_allocation_row_the_tier_default_counts(partner_admin, program_year):
    default = MdfTierDefault.objects.update_or_create(program_year=program_year, tier=partner_admin.partner.tier,
                                                      defaults={"amount": Decimal("8000.00")})[0].amount
    fr = submit_mdf(partner_admin.partner, partner_admin, total_cost=(default + 2000) * 2,
                    requested_amount=default + 1000)
    poc = submit_poc(partner_admin.partner, partner_admin)
    rows = {r.pk: r for r in selectors.with_remaining_allocation(selectors.queue_rows(type(fr).objects.all()))}
    assert rows[fr.pk].allocation is None and rows[fr.pk].remaining_allocation == default
    assert rows[fr.pk].over_allocation_by == Decimal("1000")
    assert rows[poc.pk].over_allocation_by is None and rows[poc.pk].remaining_allocation is None
    assert selectors.request_over_allocation(fr) == Decimal("1000")
