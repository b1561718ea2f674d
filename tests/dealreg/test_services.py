"""Deal registration transitions on PostgreSQL: the state machine, conflicts, approval attaching the
partner to the opportunity, won making revenue, and every transition's history, audit and notification."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import AuditEntry, Notification
from dealreg import services
from dealreg.models import CustomerAccount, DealRegistration, DealRegistrationEvent, Opportunity, OpportunityPartner
from tests.factories import PartnerUserFactory, UserFactory

from .conftest import registration_data

pytestmark = pytest.mark.django_db


def _writes():
    return (DealRegistrationEvent.objects.count(), AuditEntry.objects.count(), Notification.objects.count(),
            OpportunityPartner.objects.count(), Opportunity.objects.count())


# --- submission ---------------------------------------------------------------------------------------

def test_submission_normalises_the_domain_and_notifies_the_pam(registration, pam):
    assert registration.domain == "globex.example"
    assert registration.status == "submitted"
    assert registration.events.get().action == "submit"
    assert Notification.objects.filter(recipient=pam, url=f"/deals/{registration.pk}/").exists()
    assert AuditEntry.objects.filter(action="dealreg.submit", object_id=str(registration.pk)).exists()


def test_partner_without_pam_notifies_program_admins(partner_admin, partner, program_admin, submit):
    partner.pam = None
    partner.save()
    submit(partner_admin)
    assert Notification.objects.filter(recipient=program_admin).count() == 1


def test_same_partner_cannot_register_a_domain_twice_while_one_is_open(registration, partner_member, submit):
    with pytest.raises(ValidationError) as error:
        submit(partner_member, website="globex.example/contact")
    message = error.value.message_dict["website"][0]
    assert registration.reference in message and "globex.example" in message
    assert DealRegistration.objects.count() == 1


def test_same_partner_may_register_again_after_withdrawal(registration, partner_admin, submit):
    services.registration_withdraw(registration=registration, user=partner_admin)
    again = submit(partner_admin)
    assert again.pk != registration.pk


@pytest.mark.parametrize(("field", "value", "message"), [
    ("estimated_arr_usd", Decimal("0"), "more than 0"),
    ("estimated_arr_usd", Decimal("-5"), "more than 0"),
    ("expected_close_date", datetime.date(2020, 1, 1), "future"),
    ("website", "not a domain", "domain"),
    ("products", ["teleportation"], "from the list"),
    ("products", [], "at least one"),
    ("country", "XX", "not an ISO 3166-1 country code"),
    ("country", "UK", "use GB"),
])
def test_submission_rules(partner_admin, submit, field, value, message):
    with pytest.raises(ValidationError) as error:
        submit(partner_admin, **{field: value})
    assert message in error.value.message_dict[field][0]
    assert DealRegistration.objects.count() == 0


def test_country_is_stored_as_the_upper_case_code(partner_admin, submit):
    assert submit(partner_admin, country=" de ").country == "DE"


def test_every_rule_error_is_reported_at_once(partner_admin, submit):
    with pytest.raises(ValidationError) as error:
        submit(partner_admin, country="ZZ", estimated_arr_usd=Decimal("0"), website="nope")
    assert set(error.value.message_dict) == {"country", "estimated_arr_usd", "website"}
    assert DealRegistration.objects.count() == 0


def test_expected_close_date_today_is_not_in_the_future(partner_admin, submit, today):
    with pytest.raises(ValidationError):
        submit(partner_admin, expected_close_date=today)


def test_unregistered_partner_cannot_register_deals(partner_admin, partner, submit):
    partner.tier = ""
    partner.save()
    with pytest.raises(ValidationError):
        submit(partner_admin)


def test_conflicts_flag_other_partner_customer_account_and_opportunity(registration, other_partner_admin, submit):
    from dealreg.selectors import registration_conflicts

    assert not registration_conflicts(registration).any
    theirs = submit(other_partner_admin)
    assert registration_conflicts(theirs).other_partner
    assert registration_conflicts(registration).other_partner
    CustomerAccount.objects.create(external_id="A1", name="Globex", domain="globex.example")
    Opportunity.objects.create(external_id="O1", account_name="Globex", domain="globex.example", product_line="flex",
                               arr_usd=1)
    conflicts = registration_conflicts(theirs)
    assert conflicts.existing_customer and conflicts.opportunity
    audit = lambda r: AuditEntry.objects.get(action="dealreg.submit", object_id=str(r.pk))  # noqa: E731
    assert audit(registration).after["conflicts"] == []
    assert "another partner" in audit(theirs).after["conflicts"][0]
    assert theirs.events.get().reason == ""  # the partner's history does not reveal other partners
    assert Notification.objects.filter(body__contains="another partner has an open").count() == 1


def test_own_opportunity_of_an_approved_registration_is_not_a_conflict(registration, pam):
    from dealreg.selectors import registration_conflicts

    imported = Opportunity.objects.create(external_id="SF-9", account_name="Globex", domain="globex.example",
                                          product_line="flex", arr_usd=1)
    assert registration_conflicts(registration).opportunity  # before approval: the PAM must see it
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    assert approved.opportunity == imported
    assert not registration_conflicts(approved).any
    # Another opportunity for the same customer still is one.
    Opportunity.objects.create(external_id="SF-10", account_name="Globex", domain="globex.example",
                               product_line="segment", arr_usd=1, stage="closed_won", close_date=datetime.date(2021, 1, 1))
    assert registration_conflicts(approved).opportunity


def test_opportunity_made_by_the_approval_is_not_a_conflict(registration, pam):
    from dealreg.selectors import registration_conflicts

    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    assert approved.opportunity.external_id == approved.reference  # created from the registration
    assert not registration_conflicts(approved).opportunity


# --- decisions ----------------------------------------------------------------------------------------

def test_approval_creates_the_opportunity_attaches_the_partner_and_sets_expiry(
    registration, pam, partner_admin, program_year, today,
):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="Clean registration.")
    assert approved.status == "approved"
    assert approved.approved_on == today
    assert approved.expires_on == today + datetime.timedelta(days=program_year.deal_expiry_days)  # 60, not 90
    opportunity = approved.opportunity
    assert (opportunity.domain, opportunity.stage, opportunity.arr_usd) == ("globex.example", "open", Decimal("50000"))
    attachment = OpportunityPartner.objects.get(opportunity=opportunity, partner=registration.partner)
    assert attachment.attached_on == today
    assert attachment.source == "deal_registration"
    assert Notification.objects.filter(recipient=partner_admin, subject__contains="approved").exists()
    event = approved.events.last()
    assert (event.action, event.actor, event.from_status, event.to_status) == ("approve", pam, "submitted", "approved")


def test_approval_uses_the_open_opportunity_of_the_domain(registration, pam):
    closed = Opportunity.objects.create(external_id="OLD", account_name="Globex", domain="globex.example",
                                        product_line="flex", arr_usd=5, stage="closed_won",
                                        close_date=datetime.date(2021, 1, 1))
    current = Opportunity.objects.create(external_id="SF-1", account_name="Globex", domain="globex.example",
                                         product_line="segment", arr_usd=70000)
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    assert approved.opportunity == current
    assert Opportunity.objects.count() == 2
    assert not closed.attachments.exists()


def test_only_one_approved_registration_per_domain(registration, other_partner_admin, submit, pam, program_admin):
    theirs = submit(other_partner_admin)
    services.registration_approve(registration=registration, reviewer=pam, reason="first")
    before = _writes()
    with pytest.raises(ValidationError) as error:
        services.registration_approve(registration=theirs, reviewer=program_admin, reason="second")
    assert f"{registration.reference} by Acme Consulting is already approved" in error.value.messages[0]
    assert _writes() == before
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


@pytest.mark.parametrize(("setup", "action", "message"), [
    ("withdraw", "approve", "cannot approve a registration that is withdrawn"),
    ("reject", "win", "cannot mark as won a registration that is rejected"),
    ("reject", "approve", "cannot approve a registration that is rejected"),
    ("approve", "reject", "cannot reject a registration that is approved"),
    ("approve", "withdraw", "cannot withdraw a registration that is approved"),
    ("request_info", "approve", "cannot approve a registration that is waiting for information"),
])
def test_impossible_transitions_are_refused_and_write_nothing(registration, partner_admin, pam, setup, action, message):
    do = {
        "withdraw": lambda r: services.registration_withdraw(registration=r, user=partner_admin),
        "reject": lambda r: services.registration_reject(registration=r, reviewer=pam, reason_code="other", reason="x"),
        "approve": lambda r: services.registration_approve(registration=r, reviewer=pam, reason="ok"),
        "request_info": lambda r: services.registration_request_info(registration=r, reviewer=pam, question="?"),
        "win": lambda r: services.registration_win(registration=r, reviewer=pam, final_arr_usd=Decimal("1"),
                                                   closed_on=datetime.date(2022, 1, 1)),
    }
    do[setup](registration)
    registration.refresh_from_db()
    status, before = registration.status, _writes()
    with pytest.raises(ValidationError) as error:
        do[action](registration)
    assert message in error.value.messages[0]
    registration.refresh_from_db()
    assert registration.status == status
    assert _writes() == before


def test_a_stale_copy_cannot_bypass_the_state_machine(registration, partner_admin, pam):
    stale = DealRegistration.objects.get(pk=registration.pk)
    services.registration_withdraw(registration=registration, user=partner_admin)
    with pytest.raises(ValidationError):
        services.registration_approve(registration=stale, reviewer=pam, reason="ok")


def test_staff_never_decide_a_registration_they_submitted(partner, pam, program_admin):
    on_behalf = services.registration_submit(partner=partner, submitted_by=pam, **registration_data())
    with pytest.raises(PermissionDenied):
        services.registration_approve(registration=on_behalf, reviewer=pam, reason="mine")
    services.registration_approve(registration=on_behalf, reviewer=program_admin, reason="someone else decides")


def test_partner_users_and_psa_cannot_decide(registration, partner_admin, psa):
    for user in (partner_admin, psa):
        with pytest.raises(PermissionDenied):
            services.registration_approve(registration=registration, reviewer=user, reason="self-service")


def test_other_partner_users_cannot_act_for_the_partner(registration, other_partner_admin):
    with pytest.raises(PermissionDenied):
        services.registration_withdraw(registration=registration, user=other_partner_admin)


def test_rejection_carries_a_reason_code_and_text(registration, pam, partner_admin):
    with pytest.raises(ValidationError) as error:
        services.registration_reject(registration=registration, reviewer=pam, reason_code="because", reason="x")
    assert "reason_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.registration_reject(registration=registration, reviewer=pam, reason_code="duplicate", reason=" ")
    assert "reason" in error.value.message_dict
    rejected = services.registration_reject(registration=registration, reviewer=pam, reason_code="existing_customer",
                                            reason="Globex already buys direct.")
    assert (rejected.reject_reason, rejected.decision_note) == ("existing_customer", "Globex already buys direct.")
    note = Notification.objects.get(recipient=partner_admin, subject__contains="rejected")
    assert "Existing customer" in note.body and "Globex already buys direct." in note.body


def test_information_round_trip_restarts_the_wait(registration, pam, partner_member):
    services.registration_request_info(registration=registration, reviewer=pam, question="How many seats?")
    first_wait = registration.waiting_since
    answered = services.registration_respond(registration=registration, user=partner_member, answer="200 seats.")
    assert answered.status == "submitted"
    assert answered.waiting_since > first_wait
    assert [e.action for e in answered.events.all()] == ["submit", "request_info", "respond"]
    assert Notification.objects.filter(recipient=pam, body__contains="200 seats.").exists()


def test_won_closes_the_opportunity_with_the_final_arr(registration, pam, today):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    won = services.registration_win(registration=approved, reviewer=pam, final_arr_usd=Decimal("64000.50"),
                                    closed_on=today)
    opportunity = Opportunity.objects.get(pk=won.opportunity_id)
    assert (opportunity.stage, opportunity.arr_usd, opportunity.close_date) == ("closed_won", Decimal("64000.50"), today)
    # The attachment is dated on approval, on or before the close date: the revenue counts for the tier.
    assert OpportunityPartner.objects.get(opportunity=opportunity).attached_on <= opportunity.close_date


def test_win_needs_final_arr_and_a_past_close_date(registration, pam, today):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    with pytest.raises(ValidationError) as error:
        services.registration_win(registration=approved, reviewer=pam, final_arr_usd=Decimal("0"),
                                  closed_on=today + datetime.timedelta(days=1))
    assert set(error.value.message_dict) == {"final_arr_usd", "closed_on"}


def test_lost_ends_the_protection(registration, pam):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    lost = services.registration_lose(registration=approved, reviewer=pam, reason="Chose a competitor.")
    assert lost.status == "lost"
    assert not OpportunityPartner.objects.filter(partner=registration.partner).exists()
    assert Opportunity.objects.get(pk=lost.opportunity_id).stage == "closed_lost"


def test_lost_keeps_a_sales_team_attachment_and_sales_system_opportunity(registration, pam, partner):
    opportunity = Opportunity.objects.create(external_id="SF-9", account_name="Globex", domain="globex.example",
                                             product_line="flex", arr_usd=1)
    OpportunityPartner.objects.create(opportunity=opportunity, partner=partner, attached_on=datetime.date(2022, 1, 1))
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    services.registration_lose(registration=approved, reviewer=pam, reason="lost")
    attachment = OpportunityPartner.objects.get(opportunity=opportunity, partner=partner)
    assert (attachment.source, attachment.attached_on) == ("sales_team", datetime.date(2022, 1, 1))
    opportunity.refresh_from_db()
    assert opportunity.stage == "open"


def test_one_extension_request_then_the_pam_grants_it(registration, pam, partner_admin, program_year):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    expires = approved.expires_on
    services.registration_request_extension(registration=approved, user=partner_admin, reason="Procurement.")
    with pytest.raises(ValidationError) as error:
        services.registration_request_extension(registration=approved, user=partner_admin, reason="Again.")
    assert "only one" in error.value.messages[0]
    granted = services.registration_decide_extension(registration=approved, reviewer=pam, grant=True, reason="Fine.")
    assert granted.extension == "granted"
    assert granted.expires_on == expires + datetime.timedelta(days=program_year.deal_expiry_days)
    with pytest.raises(ValidationError):
        services.registration_decide_extension(registration=approved, reviewer=pam, grant=False, reason="No.")


def test_extension_only_before_expiry(registration, pam, partner_admin, today):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    with pytest.raises(ValidationError) as error:
        services.registration_request_extension(registration=approved, user=partner_admin, reason="Late.",
                                                today=approved.expires_on + datetime.timedelta(days=1))
    assert "expired" in error.value.messages[0]


def test_every_transition_leaves_history_audit_and_a_notification(registration, pam, partner_admin, today):
    services.registration_request_info(registration=registration, reviewer=pam, question="Who is the sponsor?")
    services.registration_respond(registration=registration, user=partner_admin, answer="The COO.")
    services.registration_approve(registration=registration, reviewer=pam, reason="Sponsor confirmed.")
    services.registration_win(registration=registration, reviewer=pam, final_arr_usd=Decimal("1000"), closed_on=today)
    events = list(registration.events.values_list("action", "actor__email", "reason"))
    assert [e[0] for e in events] == ["submit", "request_info", "respond", "approve", "win"]
    assert events[1][1:] == (pam.email, "Who is the sponsor?")
    audits = AuditEntry.objects.filter(object_type="dealreg.dealregistration", object_id=str(registration.pk))
    assert audits.count() == 5
    assert Notification.objects.count() == 5


def test_a_failure_after_the_change_rolls_everything_back(registration, pam, monkeypatch):
    """The notification is written in the transaction of the change: if it cannot be written, nothing is."""
    import dealreg.services as module

    def broken_notify(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(module, "notify", broken_notify)
    before = _writes()
    with pytest.raises(RuntimeError):
        services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert _writes() == before


def test_staff_partner_user_conflict_rule_for_inactive_submitter(partner, pam):
    """A partner user who left still has their registration decided; notifications go to the admins."""
    leaver = PartnerUserFactory(partner=partner, is_active=False)
    admin = UserFactory(partner=partner, partner_role="admin")
    registration = services.registration_submit(partner=partner, submitted_by=leaver, **registration_data())
    services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    assert Notification.objects.filter(recipient=admin, subject__contains="approved").exists()
    assert not Notification.objects.filter(recipient=leaver).exists()
