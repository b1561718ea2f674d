"""Notices 60, 30 and 7 days before a certification expires: urgent when the lapse costs a tier at the next
annual recalculation, plain otherwise; each sent once, however often the daily job runs."""

from datetime import date, timedelta

import pytest

from activity.models import Notification
from build_portal.schedules import PERIODIC_TASKS
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
