"""The deal registration workflow of DESIGN.md §3 as one table (dealreg.rules.TRANSITIONS): who may do what in
each status. Services refuse what it refuses; the detail page and the API offer what it offers."""

import pytest
from django.urls import reverse

from dealreg import access, forms, rules, services
from dealreg.models import DealRegistration

PARTNER, REVIEWER, SCHEDULE = rules.PARTNER, rules.REVIEWER, rules.SCHEDULE
ENDS = ("rejected", "withdrawn", "won", "lost", "expired")


@pytest.mark.parametrize(("status", "side", "extension", "actions"), [
    # "submitted → approved | rejected | info_requested" by the PAM; "withdrawn by the partner before a decision".
    ("submitted", REVIEWER, "", ("approve", "reject", "request_info")),
    ("submitted", PARTNER, "", ("withdraw",)),
    ("submitted", SCHEDULE, "", ()),
    # "info_requested → submitted": the partner answers (or still withdraws); the PAM waits for the answer.
    ("info_requested", PARTNER, "", ("respond", "withdraw")),
    ("info_requested", REVIEWER, "", ()),
    # "approved → won | lost | expired": the PAM records the outcome, the daily job the expiry.
    ("approved", REVIEWER, "", ("win", "lose")),
    ("approved", SCHEDULE, "", ("expire",)),
    # "One extension request": the partner asks once, the PAM grants or declines it.
    ("approved", PARTNER, "", ("request_extension",)),
    ("approved", PARTNER, "requested", ()),
    ("approved", REVIEWER, "requested", ("win", "lose", "decide_extension")),
    ("approved", PARTNER, "granted", ()),
    ("approved", PARTNER, "declined", ()),
    ("approved", REVIEWER, "granted", ("win", "lose")),
    # Rejected, withdrawn, won, lost and expired are the ends: nobody does anything more.
    *[(status, side, "", ()) for status in ENDS for side in (PARTNER, REVIEWER, SCHEDULE)],
])
def test_who_may_do_what_in_each_status(status, side, extension, actions):
    assert rules.allowed_actions(status, side=side, extension=extension) == actions


def test_the_table_speaks_of_the_registrations_statuses_only():
    named = {s for t in rules.TRANSITIONS.values() for s in (*t.sources, t.target)}
    assert named == set(DealRegistration.Status.values)
    assert {t.side for t in rules.TRANSITIONS.values()} == {PARTNER, REVIEWER, SCHEDULE}


@pytest.mark.parametrize("status", DealRegistration.Status.values)
def test_open_statuses_lead_somewhere_and_the_ends_nowhere(status):
    offered = {a for side in (PARTNER, REVIEWER, SCHEDULE) for a in rules.allowed_actions(status, side=side)}
    assert bool(offered) is (status not in rules.FINAL_STATUSES)


@pytest.mark.parametrize("action", [a for a in rules.TRANSITIONS if a not in rules.EXTENSION_NEEDS])
@pytest.mark.parametrize("status", DealRegistration.Status.values)
def test_a_service_refuses_exactly_what_the_table_does_not_offer(action, status):
    offered = action in rules.allowed_actions(status, side=rules.TRANSITIONS[action].side)
    assert (rules.transition_error(action, status) is None) is offered


def test_every_action_a_person_takes_has_its_form_on_the_detail_page():
    by_people = {a for a, t in rules.TRANSITIONS.items() if t.side != SCHEDULE}
    assert set(forms.ACTION_FORMS) == by_people


@pytest.mark.django_db
def test_the_partner_and_the_pam_are_offered_their_own_actions(registration, partner_member, pam, psa):
    assert access.actions_for(partner_member, registration) == {"withdraw"}
    assert access.actions_for(pam, registration) == {"approve", "reject", "request_info"}
    assert access.actions_for(psa, registration) == frozenset()  # PSAs only read


@pytest.mark.django_db
def test_the_detail_page_shows_the_cards_of_the_offered_actions(client, registration, pam, partner_member):
    client.force_login(partner_member)
    html = client.get(reverse("dealreg:detail", args=[registration.pk])).content.decode()
    assert reverse("dealreg:withdraw", args=[registration.pk]) in html
    assert reverse("dealreg:respond", args=[registration.pk]) not in html
    assert reverse("dealreg:decide", args=[registration.pk]) not in html
    services.registration_request_info(registration=registration, reviewer=pam, question="Which region?")
    html = client.get(reverse("dealreg:detail", args=[registration.pk])).content.decode()
    assert reverse("dealreg:respond", args=[registration.pk]) in html
    client.force_login(pam)
    html = client.get(reverse("dealreg:detail", args=[registration.pk])).content.decode()
    assert reverse("dealreg:decide", args=[registration.pk]) not in html  # waiting for the partner's answer
    assert reverse("dealreg:withdraw", args=[registration.pk]) not in html


@pytest.mark.django_db
def test_the_api_lists_what_the_caller_may_do(client, registration, pam, partner_member):
    client.force_login(pam)
    url = reverse("api:dealreg-registration", args=[registration.pk])
    assert client.get(url).json()["actions"] == ["approve", "reject", "request_info"]
    client.force_login(partner_member)
    assert client.get(url).json()["actions"] == ["withdraw"]
