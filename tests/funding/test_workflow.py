"""The POC nomination / MDF request workflow and its claim (DESIGN.md §3) as two tables (funding.rules): who may
do what in each status. Services refuse what they refuse; the request page and the API offer what they offer."""

import pytest
from django.urls import reverse

from funding import access, forms, rules, services
from funding.models import Status

from .conftest import approved_past_mdf, pdf, submit_mdf

PARTNER, REVIEWER, PROGRAM_ADMIN, SCHEDULE = rules.PARTNER, rules.REVIEWER, rules.PROGRAM_ADMIN, rules.SCHEDULE
SIDES = (PARTNER, REVIEWER, PROGRAM_ADMIN, SCHEDULE)
ENDS = ("rejected", "withdrawn", "claim_rejected", "paid", "expired")


@pytest.mark.parametrize(("status", "side", "actions"), [
    # "submitted → approved (with an approved amount) | rejected | info_requested", decided by the PAM;
    # the partner may withdraw before a decision.
    ("submitted", REVIEWER, ("approve", "request_info", "reject")),
    ("submitted", PARTNER, ("withdraw",)),
    ("submitted", PROGRAM_ADMIN, ()),
    # "info_requested → submitted": the partner answers (or withdraws); the PAM waits for the answer.
    ("info_requested", PARTNER, ("answer", "withdraw")),
    ("info_requested", REVIEWER, ()),
    # "approved → claim_submitted": the partner claims; unclaimed by the deadline, the daily job expires it.
    ("approved", PARTNER, ("claim",)),
    ("approved", SCHEDULE, ("expire",)),
    ("approved", REVIEWER, ()),
    # "claim_submitted → claim_approved | claim_rejected", by the PAM.
    ("claim_submitted", REVIEWER, ("approve_claim", "reject_claim")),
    ("claim_submitted", PARTNER, ()),
    # "→ paid": program admins alone mark an approved claim paid.
    ("claim_approved", PROGRAM_ADMIN, ("pay",)),
    ("claim_approved", REVIEWER, ()),
    ("claim_approved", PARTNER, ()),
    # The ends: nobody does anything more.
    *[(status, side, ()) for status in ENDS for side in SIDES],
])
def test_who_may_do_what_in_each_status(status, side, actions):
    assert rules.allowed_actions(status, side=side) == actions


def test_the_tables_speak_of_the_requests_statuses_only():
    named = {s for t in rules.TRANSITIONS.values() for s in (*t.sources, t.target)}
    assert named == set(Status.values)
    assert set(rules.TRANSITIONS) == set(rules.REQUEST_TRANSITIONS) | set(rules.CLAIM_TRANSITIONS)


@pytest.mark.parametrize("action", list(rules.TRANSITIONS))
@pytest.mark.parametrize("status", Status.values)
def test_a_service_refuses_exactly_what_the_table_does_not_offer(action, status):
    offered = action in rules.allowed_actions(status, side=rules.TRANSITIONS[action].side)
    error = rules.transition_error(action, status, reference="MDF-00001", status_words=status)
    assert (error is None) is offered
    if error:
        assert error.startswith(f"MDF-00001 is {status}; it cannot be")


def test_every_action_on_the_request_page_has_its_form():
    # The claim has its own page; the daily job needs no form.
    on_the_page = {a for a, t in rules.TRANSITIONS.items() if t.side != SCHEDULE} - {"claim"}
    assert set(forms.ACTION_FORMS) == on_the_page


@pytest.mark.django_db
def test_each_person_is_offered_their_sides_actions(partner, partner_member, pam, psa, program_admin, allocation):
    fr = submit_mdf(partner, partner_member)
    assert access.actions_for(partner_member, fr) == {"withdraw"}
    assert access.actions_for(pam, fr) == {"approve", "request_info", "reject"}
    assert access.actions_for(program_admin, fr) == {"approve", "request_info", "reject"}
    assert access.actions_for(psa, fr) == frozenset()  # PSAs only read


@pytest.mark.django_db
def test_only_a_program_admin_is_offered_to_pay(client, partner, partner_member, pam, program_admin, allocation):
    fr = approved_past_mdf(partner, partner_member, pam)
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost="10000", files=[pdf()])
    services.claim_approve(funding_request=fr, reviewer=pam, approved_amount=fr.approved_amount, reason="Proof fine")
    fr.refresh_from_db()
    pay_url = reverse("funding:claim_pay", args=[fr.pk])
    client.force_login(pam)
    assert pay_url not in client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    client.force_login(program_admin)
    assert pay_url in client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    assert client.get(reverse("api:funding-request-detail", args=[fr.pk])).json()["actions"] == ["pay"]


@pytest.mark.django_db
def test_the_request_page_shows_the_cards_of_the_offered_actions(client, partner, partner_member, pam, allocation):
    fr = submit_mdf(partner, partner_member)
    client.force_login(pam)
    html = client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    for name in ("request_approve", "request_info", "request_reject"):
        assert reverse(f"funding:{name}", args=[fr.pk]) in html
    assert reverse("funding:request_withdraw", args=[fr.pk]) not in html
    client.force_login(partner_member)
    html = client.get(reverse("funding:request_detail", args=[fr.pk])).content.decode()
    assert reverse("funding:request_withdraw", args=[fr.pk]) in html
    assert reverse("funding:request_approve", args=[fr.pk]) not in html
    assert client.get(reverse("api:funding-request-detail", args=[fr.pk])).json()["actions"] == ["withdraw"]
