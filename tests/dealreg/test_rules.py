"""dealreg/rules.py: the state machine and the service-level arithmetic as tables, no database."""

import datetime

import pytest

from dealreg import rules

MON = datetime.date(2022, 3, 7)  # a Monday


@pytest.mark.parametrize(("action", "status", "allowed"), [
    ("approve", "submitted", True),
    ("approve", "withdrawn", False),
    ("approve", "info_requested", False),
    ("approve", "approved", False),
    ("reject", "submitted", True),
    ("reject", "approved", False),
    ("request_info", "submitted", True),
    ("respond", "info_requested", True),
    ("respond", "submitted", False),
    ("withdraw", "submitted", True),
    ("withdraw", "info_requested", True),
    ("withdraw", "approved", False),
    ("win", "approved", True),
    ("win", "rejected", False),
    ("lose", "approved", True),
    ("lose", "submitted", False),
    ("expire", "approved", True),
    ("expire", "won", False),
])
def test_state_machine(action, status, allowed):
    assert (rules.transition_error(action, status) is None) is allowed


def test_refused_transition_says_what_and_why():
    assert rules.transition_error("approve", "withdrawn") == "You cannot approve a registration that is withdrawn."
    assert rules.transition_error("win", "rejected") == "You cannot mark as won a registration that is rejected."


@pytest.mark.parametrize(("start", "end", "days"), [
    (MON, MON, 0),
    (MON, MON + datetime.timedelta(days=1), 1),   # Tue
    (MON, MON + datetime.timedelta(days=4), 4),   # Fri
    (MON, MON + datetime.timedelta(days=6), 4),   # Sun: the weekend does not count
    (MON, MON + datetime.timedelta(days=7), 5),   # next Mon
    (MON, MON + datetime.timedelta(days=14), 10),
    (MON + datetime.timedelta(days=4), MON + datetime.timedelta(days=7), 1),  # Fri -> Mon
    (MON + datetime.timedelta(days=5), MON + datetime.timedelta(days=7), 1),  # Sat -> Mon
    (MON, MON - datetime.timedelta(days=3), 0),
])
def test_business_days_between(start, end, days):
    assert rules.business_days_between(start, end) == days


def test_friday_submission_is_overdue_only_after_two_business_days():
    friday = MON + datetime.timedelta(days=4)
    tuesday = friday + datetime.timedelta(days=4)
    wednesday = tuesday + datetime.timedelta(days=1)
    assert not rules.is_review_overdue(waiting_since=friday, today=tuesday, allowed_business_days=2)
    assert rules.is_review_overdue(waiting_since=friday, today=wednesday, allowed_business_days=2)


@pytest.mark.parametrize("allowed", [0, 1, 2, 3, 5, 10])
@pytest.mark.parametrize("offset", range(7))
def test_overdue_cutoff_agrees_with_is_review_overdue(allowed, offset):
    today = MON + datetime.timedelta(days=offset)
    cutoff = rules.overdue_cutoff(today=today, allowed_business_days=allowed)
    for back in range(0, 30):
        day = today - datetime.timedelta(days=back)
        assert (day <= cutoff) == rules.is_review_overdue(waiting_since=day, today=today, allowed_business_days=allowed)


def test_expiry_and_reminder_window():
    expires = rules.expiry_date(approved_on=MON, expiry_days=90)
    assert expires == MON + datetime.timedelta(days=90)
    assert not rules.reminder_due(expires_on=expires, today=expires - datetime.timedelta(days=15), reminder_days=14)
    assert rules.reminder_due(expires_on=expires, today=expires - datetime.timedelta(days=14), reminder_days=14)
    assert rules.reminder_due(expires_on=expires, today=expires, reminder_days=14)
    assert not rules.reminder_due(expires_on=expires, today=expires + datetime.timedelta(days=1), reminder_days=14)


@pytest.mark.parametrize(("status", "extension", "expires_delta", "ok"), [
    ("approved", "", 5, True),
    ("approved", "", 0, True),
    ("approved", "", -1, False),
    ("approved", "requested", 5, False),
    ("approved", "declined", 5, False),
    ("submitted", "", None, False),
    ("won", "", 5, False),
])
def test_one_extension_before_expiry(status, extension, expires_delta, ok):
    expires_on = None if expires_delta is None else MON + datetime.timedelta(days=expires_delta)
    error = rules.extension_error(status=status, extension=extension, expires_on=expires_on, today=MON)
    assert (error is None) is ok


def test_conflict_words():
    assert rules.Conflicts().words() == []
    assert not rules.Conflicts().any
    words = rules.Conflicts(other_partner=True, existing_customer=True, opportunity=True).words()
    assert len(words) == 3


@pytest.mark.parametrize(("value", "message"), [
    ("US", None),
    ("de", None),
    (" gb ", None),
    ("AX", None),  # Åland Islands: assigned, if rare
    ("UK", "UK is not an ISO 3166-1 country code; use GB."),
    ("EL", "EL is not an ISO 3166-1 country code; use GR."),
    ("XX", "XX is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB."),
    ("EU", "EU is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB."),
    ("", "An empty value is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB."),
    (None, "An empty value is not an ISO 3166-1 country code. Enter the two-letter code, for example US, DE or GB."),
])
def test_country_must_be_an_iso_3166_alpha2_code(value, message):
    assert rules.country_error(value) == message


def test_country_codes_are_the_249_assigned_ones():
    from dealreg.countries import ISO_3166_ALPHA2

    assert len(ISO_3166_ALPHA2) == 249
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in ISO_3166_ALPHA2)
    assert {"US", "DE", "GB", "SS", "BQ", "CW", "SX"} <= ISO_3166_ALPHA2  # incl. the 2010-2011 additions
    assert not {"UK", "EU", "XK", "AN", "YU", "CS"} & ISO_3166_ALPHA2  # reserved, user-assigned or withdrawn


@pytest.mark.parametrize("waiting, allowed, due", [
    (datetime.date(2026, 11, 30), 2, datetime.date(2026, 12, 2)),  # Monday + 2 business days
    (datetime.date(2026, 12, 3), 2, datetime.date(2026, 12, 7)),  # Thursday: over the weekend
    (datetime.date(2026, 12, 5), 2, datetime.date(2026, 12, 8)),  # Saturday: Monday and Tuesday count
])
def test_review_due_date_is_the_last_day_within_the_service_level(waiting, allowed, due):
    assert rules.review_due_date(waiting_since=waiting, allowed_business_days=allowed) == due
    assert not rules.is_review_overdue(waiting_since=waiting, today=due, allowed_business_days=allowed)
    assert rules.is_review_overdue(waiting_since=waiting, today=due + datetime.timedelta(days=1),
                                   allowed_business_days=allowed) or due.weekday() == 4
