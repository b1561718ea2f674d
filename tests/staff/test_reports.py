"""The reports' charts of review times against the service level and of tier movements per run: the figures,
and the SVG's own text (values printed, so the picture reads without colour)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from build_portal.staff import charts
from dealreg.models import DealRegistration
from funding.models import FundingRequest
from partners.models import Partner
from tests.factories import PartnerFactory
from tiers.models import Assessment, RecalculationRun


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _monday_before(today, weeks):
    day = today - datetime.timedelta(weeks=weeks)
    return day - datetime.timedelta(days=day.weekday())


def _registration(partner, user, *, waiting, decided):
    return DealRegistration.objects.create(
        partner=partner, submitted_by=user, customer_company="Acme", domain=f"c{DealRegistration.objects.count()}.example",
        country="US", contact_name="C", contact_email="c@c.example", products=["messaging"], use_case="u",
        estimated_arr_usd=1000, expected_close_date=decided.date(), status="rejected", waiting_since=waiting,
        decided_at=decided, decided_by=user)


@pytest.fixture
def decisions(db, partner, pam, other_partner):
    today = timezone.localdate()
    monday = _monday_before(today, 3)
    # Within the service level (2 business days): Monday to Wednesday; Friday to Tuesday (the weekend does not count).
    _registration(partner, pam, waiting=_at(monday), decided=_at(monday + datetime.timedelta(days=2)))
    _registration(partner, pam, waiting=_at(monday + datetime.timedelta(days=4)),
                  decided=_at(monday + datetime.timedelta(days=8)))
    # Three business days late-ish: Monday to Thursday; and eight: Monday to the Wednesday a week later.
    _registration(partner, pam, waiting=_at(monday), decided=_at(monday + datetime.timedelta(days=3)))
    _registration(partner, pam, waiting=_at(monday), decided=_at(monday + datetime.timedelta(days=9)))
    # Another book's registration, and one decided more than a year ago: not counted.
    _registration(other_partner, pam, waiting=_at(monday), decided=_at(monday + datetime.timedelta(days=30)))
    old = monday - datetime.timedelta(days=420)
    _registration(partner, pam, waiting=_at(old), decided=_at(old + datetime.timedelta(days=1)))
    return monday


def test_review_times_count_business_days_against_the_service_level(decisions, partner):
    data = charts.review_times(Partner.objects.filter(pk=partner.pk))
    assert data["columns"][1:] == ["Deal registrations", "Funding requests"]
    assert [row[0] for row in data["rows"]] == [
        "2 or fewer (within the service level)", "3 to 4", "5 to 10", "more than 10"]
    assert [row[1] for row in data["rows"]] == [2, 1, 1, 0]
    assert "Deal registrations: 2 of 4 decided within it." in data["note"]


def test_review_times_count_funding_requests_from_their_submission(decisions, partner, partner_admin, pam):
    from tests.funding.conftest import submit_mdf

    request = submit_mdf(partner, partner_admin)
    monday = decisions
    FundingRequest.objects.filter(pk=request.pk).update(
        status="rejected", submitted_at=_at(monday), decided_at=_at(monday + datetime.timedelta(days=14)), decided_by=pam)
    data = charts.review_times(Partner.objects.filter(pk=partner.pk))
    assert [row[2] for row in data["rows"]] == [0, 0, 1, 0]  # two weeks: 10 business days, "5 to 10"
    assert "Funding requests: 0 of 1 decided within it." in data["note"]


def test_review_times_svg_prints_the_counts_and_the_service_level(client, program_admin, decisions):
    client.force_login(program_admin)
    response = client.get(reverse("staff:chart", kwargs={"name": "review-times"}))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Review times against the service level" in svg and "2 or fewer (within the service level)" in svg
    assert "Deal registrations" in svg and "Funding requests" in svg
    assert 'class="value' in svg  # the counts are printed on the bars, not only told by colour


def _run(as_of, moves):
    run = RecalculationRun.objects.create(
        kind=RecalculationRun.Kind.MIDYEAR, as_of=as_of, program_year_id=_year().pk,
        revenue_from=as_of - datetime.timedelta(days=364), revenue_to=as_of, status=RecalculationRun.Status.APPLIED,
        applied_at=_at(as_of))
    Assessment.objects.bulk_create([
        Assessment(run=run, partner=p, certified_technical=0, sales_trained=0, revenue_usd=0, agreement_accepted=True,
                   designated=False, previous_tier="silver", computed_tier="silver", applied_tier="silver",
                   movement=movement)
        for p, movement in moves])
    return run


def _year():
    from program.selectors import current_program_year

    return current_program_year()


def test_tier_movements_count_up_down_and_same_per_applied_run(db, partner, other_partner):
    third = PartnerFactory(name="Third Co", domain="third.example")
    today = timezone.localdate()
    _run(today - datetime.timedelta(days=60), [(partner, "up"), (other_partner, "same"), (third, "down")])
    _run(today - datetime.timedelta(days=30), [(partner, "same"), (other_partner, "up"), (third, "up")])
    RecalculationRun.objects.create(  # a preview is not a movement
        kind=RecalculationRun.Kind.MIDYEAR, as_of=today, program_year_id=_year().pk, revenue_from=today, revenue_to=today)
    data = charts.tier_movements(Partner.objects.all())
    assert data["columns"] == ["Run", "Moved up", "Moved down", "Stayed"]
    assert [row[1:] for row in data["rows"]] == [(1, 1, 1), (2, 0, 1)]
    mine = charts.tier_movements(Partner.objects.filter(pk=partner.pk))
    assert [row[1:] for row in mine["rows"]] == [(1, 0, 0), (0, 0, 1)]


def test_tier_movements_svg_names_the_runs_and_the_movements(client, program_admin, partner):
    today = timezone.localdate()
    _run(today - datetime.timedelta(days=30), [(partner, "up")])
    client.force_login(program_admin)
    svg = client.get(reverse("staff:chart", kwargs={"name": "tier-movements"})).content.decode()
    assert "Tier movements per applied recalculation" in svg
    assert "Moved up" in svg and "Moved down" in svg and "Stayed" in svg
    assert f"{(today - datetime.timedelta(days=30)):%-d %b %Y}" in svg


def test_reports_page_shows_both_charts_with_their_tables(client, pam, decisions):
    client.force_login(pam)
    body = client.get(reverse("staff:reports")).content.decode()
    assert reverse("staff:chart", kwargs={"name": "review-times"}) in body
    assert reverse("staff:chart", kwargs={"name": "tier-movements"}) in body
    assert "Tier movements per applied recalculation" in body and "Service level: 2 business days" in body
