"""funding.services on PostgreSQL: every transition, its rules, its ledger entries, audit and notifications;
impossible transitions refused with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from activity.models import AuditEntry, Notification
from funding import rules, selectors, services
from funding.models import Claim, ClaimFile, FundingRequest, LedgerEntry, MdfAllocation, Status
from tests.factories import PartnerFactory

from .conftest import EXE, PNG, approved_past_mdf, invite, pdf, submit_mdf, submit_poc
from .test_rules import GUIDE_2022

pytestmark = pytest.mark.django_db
D = Decimal


def snapshot():
    """Row counts of everything a transition may write."""
    return (FundingRequest.objects.count(), AuditEntry.objects.count(), Notification.objects.count(),
            LedgerEntry.objects.count(), Claim.objects.count(), ClaimFile.objects.count(),
            list(FundingRequest.objects.order_by("id").values_list("status", "approved_amount")),
            list(MdfAllocation.objects.order_by("id").values_list("amount", "committed")))


def assert_committed_matches_ledger(partner, program_year):
    allocation = MdfAllocation.objects.get(partner=partner, program_year=program_year)
    figures = selectors.ledger_figures(partner=partner, program_year=program_year)
    assert figures.committed == allocation.committed
    assert figures.allocated == allocation.amount
    return figures


# ---------------------------------------------------------------- submission


def test_mdf_request_is_submitted_audited_and_the_pam_notified(partner, partner_member, pam, program_year):
    fr = submit_mdf(partner, partner_member)
    assert fr.status == Status.SUBMITTED
    assert fr.program_year == program_year and fr.cofunding_share == program_year.mdf_cofunding_share
    entry = AuditEntry.objects.get(action="funding.submit")
    assert entry.actor == partner_member and entry.partner_id == partner.pk
    assert Notification.objects.filter(recipient=pam, subject__contains=fr.reference).exists()


def test_request_without_a_pam_notifies_program_admins(partner_member, partner, program_admin):
    partner.pam = None
    partner.save()
    submit_mdf(partner, partner_member)
    assert Notification.objects.filter(recipient=program_admin).count() == 1


def test_mdf_requested_amount_is_at_most_the_cofunding_share(partner, partner_member):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        submit_mdf(partner, partner_member, total_cost=D("10000.00"), requested_amount=D("5000.01"))
    assert "50%" in error.value.message_dict["requested_amount"][0]
    assert snapshot() == before


def test_share_follows_the_program_year_setting(partner, partner_member, program_year):
    program_year.mdf_cofunding_share = D("0.75")
    program_year.save()
    fr = submit_mdf(partner, partner_member, total_cost=D("10000.00"), requested_amount=D("7500.00"))
    assert fr.cofunding_share == D("0.75")


@pytest.mark.parametrize(("field", "value"), [
    ("requested_amount", D("0")), ("requested_amount", D("-5")), ("total_cost", D("0")),
    ("requested_amount", D("1.001")), ("requested_amount", "abc"), ("activity_type", "billboards"),
    ("title", ""), ("title", "x" * 201), ("description", "  "),
])
def test_bad_mdf_input_is_refused_on_its_field(partner, partner_member, field, value):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        submit_mdf(partner, partner_member, **{field: value})
    assert field in error.value.message_dict
    assert snapshot() == before


def test_activity_dates_must_be_ordered_and_not_past(partner, partner_member, today):
    with pytest.raises(ValidationError) as error:
        submit_mdf(partner, partner_member, starts_on=today + datetime.timedelta(days=5), ends_on=today)
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        submit_mdf(partner, partner_member, starts_on=today - datetime.timedelta(days=1))
    assert "starts_on" in error.value.message_dict
    assert not FundingRequest.objects.exists()


def test_poc_nomination_is_capped_per_nomination(partner, partner_member, program_year):
    program_year.poc_max_amount = D("10000.00")
    program_year.save(update_fields=["poc_max_amount"])
    with pytest.raises(ValidationError) as error:
        submit_poc(partner, partner_member, requested_amount=D("10000.01"))
    assert "10,000" in error.value.message_dict["requested_amount"][0]
    fr = submit_poc(partner, partner_member, requested_amount=D("10000.00"))
    assert fr.products == ["flex", "platform"]


@pytest.mark.parametrize("products", [[], ["professional_services"], ["fax"]])
def test_poc_products_come_from_the_list(partner, partner_member, products):
    with pytest.raises(ValidationError) as error:
        submit_poc(partner, partner_member, products=products)
    assert "products" in error.value.message_dict


def test_another_partners_user_cannot_submit_for_the_partner(partner, other_partner_admin):
    with pytest.raises(PermissionDenied):
        submit_mdf(partner, other_partner_admin)
    assert not FundingRequest.objects.exists()


# ---------------------------------------------------------------- eligibility


@pytest.mark.parametrize("tier", ["registered", "bronze"])
def test_registered_and_uninvited_bronze_partners_may_not_submit(partner, partner_member, tier):
    partner.tier = tier
    partner.save()
    with pytest.raises(ValidationError) as error:
        submit_mdf(partner, partner_member)
    assert error.value.code == "not_eligible"
    assert "Silver" in error.value.messages[0]
    with pytest.raises(ValidationError):
        submit_poc(partner, partner_member)
    assert not FundingRequest.objects.exists()


def test_bronze_with_an_invitation_may_submit_that_program_only(partner, partner_member, program_year, pam):
    partner.tier = "bronze"
    partner.save()
    invite(partner, program_year, "mdf-cofunding", pam)
    assert submit_mdf(partner, partner_member).status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        submit_poc(partner, partner_member)


def test_bronze_invited_to_mdf_without_a_region_may_request_mdf(partner, partner_member, pam, program_year, today):
    """The guide says "select regions" of POC only: an MDF invitation need not name a region (POC's must)."""
    from benefits import services as benefit_services

    partner.tier = "bronze"
    partner.save()
    with pytest.raises(ValidationError) as error:
        benefit_services.invitation_create(actor=pam, partner=partner, benefit_code="poc-cofunding", reason="Pilot",
                                           as_of=today)
    assert "region" in error.value.message_dict
    invitation = benefit_services.invitation_create(actor=pam, partner=partner, benefit_code="mdf-cofunding",
                                                    reason="Campaign", as_of=today)
    assert invitation.region == ""
    assert submit_mdf(partner, partner_member).status == Status.SUBMITTED
    eligibility = rules.funding_eligibility(program="mdf", tier="bronze", cells=GUIDE_2022, invited=False)
    assert "region" not in eligibility.reason and all("region" not in h for h in eligibility.how_to_become_eligible)
    assert "select regions" in rules.funding_eligibility(program="poc", tier="bronze", cells=GUIDE_2022, invited=False).reason


def test_eligibility_is_checked_again_on_approval(partner, partner_member, pam, program_year, allocation):
    partner.tier = "bronze"
    partner.save()
    invitation = invite(partner, program_year, "mdf-cofunding", pam)
    fr = submit_mdf(partner, partner_member)
    invitation.withdrawn_at = invitation.invited_at
    invitation.save()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("100"), reason="ok")
    assert error.value.code == "not_eligible"
    assert snapshot() == before


# ---------------------------------------------------------------- decisions


def test_approval_may_be_lower_and_holds_the_allocation(partner, partner_member, pam, program_year, allocation):
    fr = submit_mdf(partner, partner_member)
    fr = services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("4000.00"), reason="Scale down")
    assert fr.status == Status.APPROVED and fr.approved_amount == D("4000.00")
    assert fr.claim_deadline == fr.ends_on + datetime.timedelta(days=program_year.claim_window_days)
    figures = assert_committed_matches_ledger(partner, program_year)
    assert (figures.allocated, figures.committed, figures.remaining) == (D("20000"), D("4000"), D("16000"))
    entry = AuditEntry.objects.get(action="funding.approve")
    assert entry.reason == "Scale down" and entry.actor == pam and entry.after["approved_amount"] == "4000.00"
    approved = Notification.objects.get(recipient=partner_member, subject__contains="approved")
    assert approved.subject.endswith("approved: $4,000")
    assert f"$4,000 of the {program_year.year} program year" in approved.body


def test_approval_above_the_requested_amount_is_refused(partner, partner_member, pam, allocation):
    fr = submit_mdf(partner, partner_member)
    with pytest.raises(ValidationError) as error:
        services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("5000.01"), reason="x")
    assert "approved_amount" in error.value.message_dict


def test_approval_never_exceeds_the_remaining_allocation(partner, partner_member, pam, program_year, allocation):
    first = submit_mdf(partner, partner_member, total_cost=D("30000"), requested_amount=D("15000"))
    second = submit_mdf(partner, partner_member, total_cost=D("30000"), requested_amount=D("15000"))
    services.request_approve(funding_request=first, reviewer=pam, approved_amount=D("15000"), reason="ok")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.request_approve(funding_request=second, reviewer=pam, approved_amount=D("5000.01"), reason="ok")
    assert "USD 5,000.00" in error.value.message_dict["approved_amount"][0]
    assert snapshot() == before
    services.request_approve(funding_request=second, reviewer=pam, approved_amount=D("5000.00"), reason="the rest")
    assert assert_committed_matches_ledger(partner, program_year).remaining == D("0")


def test_database_refuses_an_overspent_allocation(partner, program_year, allocation):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MdfAllocation.objects.filter(pk=allocation.pk).update(committed=D("20000.01"))


def test_first_approval_creates_the_allocation_from_the_tier_default(partner, partner_member, pam, program_year,
                                                                      program_admin):
    services.tier_default_set(program_year=program_year, tier="silver", amount=D("12000"), admin=program_admin)
    assert selectors.ledger_figures(partner=partner, program_year=program_year).allocated == D("12000")
    fr = submit_mdf(partner, partner_member)
    services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("5000"), reason="ok")
    allocation = MdfAllocation.objects.get(partner=partner, program_year=program_year)
    assert (allocation.amount, allocation.is_custom) == (D("12000"), False)
    assert assert_committed_matches_ledger(partner, program_year).remaining == D("7000")


def test_no_allocation_means_no_mdf_approval(partner, partner_member, pam):
    fr = submit_mdf(partner, partner_member)
    with pytest.raises(ValidationError) as error:
        services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("1"), reason="ok")
    assert "remains" in error.value.message_dict["approved_amount"][0]
    assert FundingRequest.objects.get().status == Status.SUBMITTED


def test_poc_does_not_draw_on_the_mdf_allocation(partner, partner_member, pam, program_year, allocation):
    fr = submit_poc(partner, partner_member, requested_amount=D("25000"))
    services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("25000"), reason="Strategic")
    assert assert_committed_matches_ledger(partner, program_year).remaining == D("20000")
    poc = selectors.ledger_figures(partner=partner, program_year=program_year, program="poc")
    assert poc.committed == D("25000")


def test_request_info_answer_and_resubmission(partner, partner_member, pam):
    fr = submit_mdf(partner, partner_member)
    services.request_info(funding_request=fr, reviewer=pam, reason="Which audience?")
    fr.refresh_from_db()
    assert fr.status == Status.INFO_REQUESTED
    assert Notification.objects.filter(recipient=partner_member, body="Which audience?").exists()
    services.request_answer(funding_request=fr, user=partner_member, answer="CX leaders", requested_amount=D("4000"))
    fr.refresh_from_db()
    assert (fr.status, fr.requested_amount) == (Status.SUBMITTED, D("4000"))
    actions = list(selectors.request_history(fr).values_list("action", "reason"))
    assert actions == [("funding.submit", ""), ("funding.request_info", "Which audience?"), ("funding.answer", "CX leaders")]


def test_answer_above_the_share_is_refused(partner, partner_member, pam):
    fr = submit_mdf(partner, partner_member)
    services.request_info(funding_request=fr, reviewer=pam, reason="More?")
    with pytest.raises(ValidationError):
        services.request_answer(funding_request=fr, user=partner_member, answer="ok", requested_amount=D("6000"))
    fr.refresh_from_db()
    assert (fr.status, fr.requested_amount) == (Status.INFO_REQUESTED, D("5000"))


def test_reject_and_withdraw(partner, partner_member, pam):
    rejected = submit_mdf(partner, partner_member)
    services.request_reject(funding_request=rejected, reviewer=pam, reason="Not a Twilio-based activity")
    withdrawn = submit_mdf(partner, partner_member)
    services.request_withdraw(funding_request=withdrawn, user=partner_member, reason="Cancelled")
    assert list(FundingRequest.objects.order_by("id").values_list("status", flat=True)) == ["rejected", "withdrawn"]


def test_reason_is_required_for_decisions(partner, partner_member, pam, allocation):
    fr = submit_mdf(partner, partner_member)
    for call in (services.request_reject, services.request_info):
        with pytest.raises(ValidationError) as error:
            call(funding_request=fr, reviewer=pam, reason="  ")
        assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("1"), reason="")
    assert FundingRequest.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize(("status", "call"), [
    ("approved", lambda fr, u, s, a: services.request_approve(funding_request=fr, reviewer=s, approved_amount=D("1"),
                                                              reason="x")),
    ("approved", lambda fr, u, s, a: services.request_reject(funding_request=fr, reviewer=s, reason="x")),
    ("approved", lambda fr, u, s, a: services.request_withdraw(funding_request=fr, user=u)),
    ("approved", lambda fr, u, s, a: services.request_answer(funding_request=fr, user=u, answer="x")),
    ("approved", lambda fr, u, s, a: services.claim_approve(funding_request=fr, reviewer=s, approved_amount=D("1"), reason="x")),
    ("approved", lambda fr, u, s, a: services.claim_mark_paid(funding_request=fr, admin=a, payment_reference="P1")),
    ("submitted", lambda fr, u, s, a: services.claim_submit(funding_request=fr, user=u, actual_cost=D("1"), files=[pdf()])),
    ("submitted", lambda fr, u, s, a: services.claim_reject(funding_request=fr, reviewer=s, reason="x")),
    ("submitted", lambda fr, u, s, a: services.request_expire(funding_request=fr, today=datetime.date(2100, 1, 1))),
])
def test_impossible_transitions_are_refused_and_write_nothing(partner, partner_member, pam, program_admin, allocation,
                                                              status, call):
    fr = approved_past_mdf(partner, partner_member, pam) if status == "approved" else submit_mdf(partner, partner_member)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call(fr, partner_member, pam, program_admin)
    assert "cannot be" in error.value.messages[0]
    assert snapshot() == before


# ---------------------------------------------------------------- claims


def test_claim_approve_pay_and_the_figures(partner, partner_member, pam, program_admin, program_year, allocation):
    fr = approved_past_mdf(partner, partner_member, pam, total_cost=D("10000"), requested_amount=D("5000"))
    claim = services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("8000"),
                                  files=[pdf(), SimpleUploadedFile("photo.png", PNG)], notes="Attendee list attached")
    files = list(claim.files.all())
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert all(default_storage.exists(f.file.name) for f in files)
    assert not files[0].file.name.endswith("invoice.pdf")  # stored under a random name
    with pytest.raises(ValidationError) as error:  # 50% of the actual 8,000 is 4,000
        services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("4000.01"), reason="ok")
    assert "4,000.00" in error.value.message_dict["approved_amount"][0]
    services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("4000"), reason="Proof fine")
    figures = assert_committed_matches_ledger(partner, program_year)
    assert (figures.claimed, figures.returned, figures.committed, figures.remaining) == (
        D("4000"), D("1000"), D("4000"), D("16000"))
    services.claim_mark_paid(funding_request=fr, admin=program_admin, payment_reference="PAY-2022-0042")
    fr.refresh_from_db()
    assert fr.status == Status.PAID and fr.claim.payment_reference == "PAY-2022-0042"
    figures = assert_committed_matches_ledger(partner, program_year)
    assert figures.paid == D("4000") and figures.remaining == D("16000")
    assert [e.action for e in selectors.request_history(fr)] == [
        "funding.submit", "funding.approve", "funding.claim_submit", "funding.claim_approve", "funding.pay"]


def test_claim_rejection_returns_the_approved_amount(partner, partner_member, pam, program_year, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    services.claim_reject(funding_request=fr, reviewer=pam, reason="The invoice is for another event")
    figures = assert_committed_matches_ledger(partner, program_year)
    assert (figures.returned, figures.remaining) == (D("5000"), D("20000"))


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("setup.pdf", EXE), "not a PDF, PNG or JPEG"),
    (SimpleUploadedFile("empty.pdf", b""), "empty"),
    (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * rules.PROOF_MAX_BYTES), "larger than 10 MB"),
])
def test_bad_proof_files_are_refused_and_nothing_is_stored(partner, partner_member, pam, allocation, upload, message):
    fr = approved_past_mdf(partner, partner_member, pam)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("100"), files=[pdf(), upload])
    assert message in error.value.message_dict["files"][0]
    assert snapshot() == before
    assert not default_storage.exists("funding")


def test_claim_needs_a_file_and_a_positive_cost(partner, partner_member, pam, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    with pytest.raises(ValidationError) as error:
        services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("100"), files=[])
    assert "files" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("-1"), files=[pdf()])
    assert "actual_cost" in error.value.message_dict
    assert not Claim.objects.exists()


def test_claim_before_the_activity_ends_is_refused(partner, partner_member, pam, allocation):
    fr = submit_mdf(partner, partner_member)
    services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("10"), reason="ok")
    with pytest.raises(ValidationError) as error:
        services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("100"), files=[pdf()])
    assert "after the activity" in error.value.messages[0]


def test_poc_claim_is_capped_by_the_actual_cost(partner, partner_member, pam, program_year):
    today = datetime.date.today()
    fr = submit_poc(partner, partner_member, today=today - datetime.timedelta(days=40),
                    starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=1))
    services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("8000"), reason="ok")
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("6000"), files=[pdf()])
    with pytest.raises(ValidationError):
        services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("6000.01"), reason="ok")
    services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=D("6000"), reason="ok")
    poc = selectors.ledger_figures(partner=partner, program_year=program_year, program="poc")
    assert (poc.claimed, poc.returned, poc.committed) == (D("6000"), D("2000"), D("6000"))


# ---------------------------------------------------------------- allocations


def test_allocation_cannot_go_below_what_is_approved(partner, partner_member, pam, program_year, program_admin,
                                                     allocation):
    approved_past_mdf(partner, partner_member, pam)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.allocation_set(partner=partner, program_year=program_year, amount=D("4999.99"), admin=program_admin)
    assert "amount" in error.value.message_dict
    assert snapshot() == before
    services.allocation_set(partner=partner, program_year=program_year, amount=D("5000"), admin=program_admin)
    figures = assert_committed_matches_ledger(partner, program_year)
    assert figures.remaining == D("0")
    # Every change is a signed ledger entry: 20,000 then -15,000.
    assert list(LedgerEntry.objects.filter(kind="allocation").values_list("amount", flat=True)) == [D("20000"), D("-15000")]


def test_tier_default_applies_to_partners_that_follow_it(program_year, program_admin, partner, partner_member, pam):
    follower = PartnerFactory(tier="silver")
    gold = PartnerFactory(tier="gold")
    services.tier_default_set(program_year=program_year, tier="silver", amount=D("10000"), admin=program_admin)
    fr = submit_mdf(partner, partner_member)
    services.request_approve(funding_request=fr, reviewer=pam, approved_amount=D("5000"), reason="ok")  # row created
    services.allocation_set(partner=follower, program_year=program_year, amount=D("3000"), admin=program_admin)
    services.tier_default_set(program_year=program_year, tier="silver", amount=D("15000"), admin=program_admin)
    assert selectors.ledger_figures(partner=partner, program_year=program_year).allocated == D("15000")
    assert selectors.ledger_figures(partner=follower, program_year=program_year).allocated == D("3000")  # custom
    assert selectors.ledger_figures(partner=gold, program_year=program_year).allocated == D("0")
    with pytest.raises(ValidationError) as error:
        services.tier_default_set(program_year=program_year, tier="silver", amount=D("4000"), admin=program_admin)
    assert partner.name in error.value.message_dict["amount"][0]
    assert selectors.tier_default(program_year=program_year, tier="silver") == D("15000")


def test_staff_notification_for_allocation_goes_to_partner_admins(partner, partner_admin, program_year, program_admin):
    services.allocation_set(partner=partner, program_year=program_year, amount=D("100"), admin=program_admin)
    assert Notification.objects.filter(recipient=partner_admin, subject__contains="MDF allocation").exists()
