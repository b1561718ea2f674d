"""POC and MDF eligibility come from the year's benefits table, the same cells the benefits page shows:
editing a year's table changes both alike."""

import pytest
from django.urls import reverse

from benefits.models import TierBenefit
from funding import selectors

pytestmark = pytest.mark.django_db


def _statuses(client):
    return {b["code"]: b["status"] for b in client.get(reverse("api:benefits")).json()["benefits"]}


def test_editing_the_year_table_changes_the_benefits_page_and_eligibility_alike(client, partner, partner_admin,
                                                                                program_year):
    partner.tier = "bronze"
    partner.save()
    client.force_login(partner_admin)
    assert _statuses(client)["poc-cofunding"] == "invite_only"
    assert not selectors.eligibility(partner=partner, program="poc", program_year=program_year).eligible
    assert client.get(reverse("funding:poc_new")).content.decode().count("only by invitation") >= 1

    # The program admin's table for this year now includes POC co-funding at Bronze.
    TierBenefit.objects.filter(benefit__program_year=program_year, benefit__code="poc-cofunding",
                               tier="bronze").update(availability="included")
    assert _statuses(client)["poc-cofunding"] == "included"
    verdict = selectors.eligibility(partner=partner, program="poc", program_year=program_year)
    assert verdict.eligible and verdict.reason == "Bronze partners are eligible for POC co-funding."
    assert 'name="title"' in client.get(reverse("funding:poc_new")).content.decode()  # the form, not the refusal

    # And MDF taken away from Silver and above: a Silver partner is refused, on both.
    partner.tier = "silver"
    partner.save()
    TierBenefit.objects.filter(benefit__program_year=program_year, benefit__code="mdf-cofunding").exclude(
        tier="gold").delete()
    assert _statuses(client)["mdf-cofunding"] == "from_tier"
    verdict = selectors.eligibility(partner=partner, program="mdf", program_year=program_year)
    assert not verdict.eligible and "starts at the Gold tier" in verdict.reason
