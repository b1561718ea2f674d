"""Notices 60, 30 and 7 days before a certification expires: urgent when the lapse costs a tier at the next
annual recalculation, plain otherwise; each sent once, however often the daily job runs."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from activity import rendering
from activity.models import Notification
from build_portal.schedules import PERIODIC_TASKS
from core.formatting import day
from tests.i18n.catalog import TRANSLATED, english_left
from tiers import tasks
from tiers.models import ExpiryNotice

from .conftest import add_people, win

pytestmark = pytest.mark.django_db

TODAY = date(2022, 11, 1)


def silver_with_two_lapsing(partner):
    add_people(partner, certified=3, both=5, completed_on=date(2022, 1, 10))
    lapsing = add_people(partner, certified=2, completed_on=date(2022, 1, 10), expires_on=date(2022, 12, 31))
    win(partner, "250000", date(2022, 6, 1))
    return lapsing


def test_a_lapse_that_costs_a_tier_sends_the_urgent_notice_60_30_and_7_days_before(partner, partner_admin,
                                                                                    partner_member):
    lapsing = silver_with_two_lapsing(partner)
    expiry = date(2022, 12, 31)
    for days in (61, 60, 59, 30, 30, 12, 7, 3):
        tasks.certification_expiry_notices(today=(expiry - timedelta(days=days)).isoformat())
    notices = ExpiryNotice.objects.filter(partner=partner)
    assert sorted(notices.values_list("days_before", flat=True)) == [7, 7, 30, 30, 60, 60]
    assert all(n.costs_tier and n.tier_at_risk == "silver" for n in notices)
    mails = Notification.objects.filter(recipient=partner_admin).order_by("id")
    assert [m.subject for m in mails] == ["Renew 2 certifications to keep Silver"] * 3
    assert "or you will qualify for Bronze instead of Silver" in mails[0].body
    assert lapsing[0].name in mails[0].body and "31 Dec 2022" in mails[0].body
    assert not Notification.objects.filter(recipient=partner_member).exists()  # admins act on the roster


def test_an_expiry_that_costs_nothing_gets_the_plain_notice(partner, partner_admin):
    add_people(partner, certified=5, both=10, completed_on=date(2022, 1, 10))
    add_people(partner, certified=1, completed_on=date(2022, 1, 10), expires_on=TODAY + timedelta(days=30))
    win(partner, "250000", date(2022, 6, 1))
    assert tasks.certification_expiry_notices(today=TODAY.isoformat()) == 1
    notice = ExpiryNotice.objects.get()
    assert (notice.days_before, notice.costs_tier) == (30, False)
    assert Notification.objects.get(recipient=partner_admin).subject == "1 certification expiring soon"


def test_running_the_job_twice_a_day_sends_nothing_more(partner, partner_admin):
    silver_with_two_lapsing(partner)
    today = date(2022, 12, 24)
    assert tasks.certification_expiry_notices(today=today.isoformat()) == 2
    assert tasks.certification_expiry_notices(today=today.isoformat()) == 0
    assert Notification.objects.filter(recipient=partner_admin).count() == 1


def test_the_job_is_scheduled_daily():
    task, crontab = PERIODIC_TASKS["Certification expiry notices (daily)"]
    assert task == "tiers.tasks.certification_expiry_notices" and "day_of_month" not in crontab


def test_a_notice_carries_the_forecast_and_the_completions_as_data(partner, partner_admin):
    """No sentence is stored: tier levels, course codes and ISO dates, rendered in the reader's language."""
    lapsing = silver_with_two_lapsing(partner)
    tasks.certification_expiry_notices(today=TODAY.isoformat())  # 60 days before 31 December
    params = Notification.objects.get(recipient=partner_admin).params
    assert "risk" not in params
    forecast = params["forecast"]
    assert (forecast["recalculation_on"], forecast["tier_if_renewed"], forecast["tier_otherwise"]) == (
        "2023-01-01", "silver", "bronze")
    assert [(c["course"], c["lapsing"]) for c in forecast["courses"]] == [("platform", 2)]
    assert sorted(params["completions"], key=lambda c: c["person"]) == sorted(
        ({"person": p.name, "course": "platform", "expires_on": "2022-12-31"} for p in lapsing),
        key=lambda c: c["person"])


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_admin_reads_the_urgent_notice_in_their_language(partner, partner_admin, language):
    silver_with_two_lapsing(partner)
    tasks.certification_expiry_notices(today=TODAY.isoformat())
    notice = Notification.objects.get(recipient=partner_admin)
    english = rendering.render(notice.kind, notice.params, notice.url, "en")
    mail = rendering.render(notice.kind, notice.params, notice.url, language)
    assert "or you will qualify for Bronze instead of Silver" in english.text
    assert "Twilio platform course expires on 31 Dec 2022" in english.text
    assert mail.text != english.text
    with translation.override(language):
        assert translation.gettext("Twilio platform course") in mail.text
        assert day(date(2022, 12, 31)) in mail.text and day(date(2023, 1, 1)) in mail.text
    assert not english_left(mail.text, language), english_left(mail.text, language)


def test_the_plain_notice_names_the_course_in_the_readers_language(partner, partner_admin):
    add_people(partner, certified=5, both=10, completed_on=date(2022, 1, 10))
    add_people(partner, certified=1, completed_on=date(2022, 1, 10), expires_on=TODAY + timedelta(days=30))
    win(partner, "250000", date(2022, 6, 1))
    tasks.certification_expiry_notices(today=TODAY.isoformat())
    notice = Notification.objects.get(recipient=partner_admin)
    assert (notice.kind, [c["course"] for c in notice.params["completions"]]) == (
        "tiers_certifications_expiring", ["platform"])
    assert "Twilio platform course expires on 1 Dec 2022" in rendering.render_text(notice.kind, notice.params, "en")
    with translation.override("ja"):
        course = translation.gettext("Twilio platform course")
    assert course in rendering.render_text(notice.kind, notice.params, "ja")
