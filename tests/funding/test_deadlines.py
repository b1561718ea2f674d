"""Claim deadline: the daily task reminds 15, 5 and 1 days before and expires unclaimed approvals,
returning the amount to the allocation; running it twice does nothing twice."""

import datetime
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker

from activity.models import Notification
from build_portal.celery import app
from build_portal.schedules import PERIODIC_TASKS
from funding import selectors, services, tasks
from funding.models import ClaimReminder, FundingRequest, LedgerEntry, Status

from .conftest import approved_past_mdf, submit_mdf

D = Decimal


def approved_with_deadline_in(days, partner, user, reviewer, program_year):
    """An approved request whose claim deadline is ``days`` from today (negative: passed)."""
    ended_days_ago = program_year.claim_window_days - days
    return approved_past_mdf(partner, user, reviewer, ended_days_ago=ended_days_ago)


def reminders(fr):
    return Notification.objects.filter(subject__startswith=f"Claim {fr.reference} by")


@pytest.mark.django_db
def test_reminders_15_5_and_1_days_before_each_once(partner, partner_member, pam, program_year, allocation, today):
    fr = approved_with_deadline_in(15, partner, partner_member, pam, program_year)
    assert services.claim_deadlines_run(today=today) == {"expired": 0, "reminded": 1}
    assert services.claim_deadlines_run(today=today) == {"expired": 0, "reminded": 0}
    assert reminders(fr).filter(recipient=partner_member).count() == 1
    deadline = fr.claim_deadline
    for days_left, expected in [(14, 0), (5, 1), (4, 0), (1, 1), (0, 0)]:
        result = services.claim_deadlines_run(today=deadline - datetime.timedelta(days=days_left))
        assert result["reminded"] == expected, days_left
    assert sorted(ClaimReminder.objects.filter(request=fr).values_list("days_before", flat=True)) == [1, 5, 15]
    assert "3 days" not in "".join(reminders(fr).values_list("subject", flat=True))


@pytest.mark.django_db
def test_a_claimed_request_gets_no_reminder(partner, partner_member, pam, program_year, allocation, today):
    from .conftest import pdf

    fr = approved_with_deadline_in(5, partner, partner_member, pam, program_year)
    services.claim_submit(funding_request=fr, user=partner_member, actual_cost=D("10000"), files=[pdf()])
    assert services.claim_deadlines_run(today=today) == {"expired": 0, "reminded": 0}


@pytest.mark.django_db
def test_unclaimed_approval_expires_once_and_returns_the_amount(partner, partner_member, pam, program_year,
                                                                 allocation, today):
    overdue = approved_with_deadline_in(-1, partner, partner_member, pam, program_year)
    on_time = approved_with_deadline_in(0, partner, partner_member, pam, program_year)
    pending = submit_mdf(partner, partner_member)
    assert selectors.ledger_figures(partner=partner, program_year=program_year).remaining == D("10000")
    assert services.claim_deadlines_run(today=today)["expired"] == 1
    counts = (LedgerEntry.objects.count(), Notification.objects.count())
    assert services.claim_deadlines_run(today=today) == {"expired": 0, "reminded": 0}
    assert (LedgerEntry.objects.count(), Notification.objects.count()) == counts
    statuses = dict(FundingRequest.objects.values_list("pk", "status"))
    assert statuses == {overdue.pk: Status.EXPIRED, on_time.pk: Status.APPROVED, pending.pk: Status.SUBMITTED}
    figures = selectors.ledger_figures(partner=partner, program_year=program_year)
    assert (figures.returned, figures.remaining) == (D("5000"), D("15000"))
    assert Notification.objects.filter(recipient=pam, subject__contains="expired").exists()
    history = [e.action for e in selectors.request_history(overdue)]
    assert history[-1] == "funding.expire"


@pytest.mark.django_db
def test_the_task_is_scheduled_daily():
    task, cron = PERIODIC_TASKS["Funding claims: remind before the deadline, expire unclaimed approvals (daily)"]
    assert task == "funding.tasks.claim_deadlines" and "day_of_month" not in cron
    assert task in app.tasks


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_runs_on_a_real_worker(partner, partner_member, pam, program_year, program_admin):
    services.allocation_set(partner=partner, program_year=program_year, amount=D("20000"), admin=program_admin)
    overdue = approved_with_deadline_in(-3, partner, partner_member, pam, program_year)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.claim_deadlines.delay()
        tasks.claim_deadlines.delay()  # delivered twice: still one expiry
        for _ in range(100):
            overdue.refresh_from_db()
            if overdue.status == Status.EXPIRED:
                break
            time.sleep(0.1)
        time.sleep(0.5)
    assert overdue.status == Status.EXPIRED
    assert LedgerEntry.objects.filter(request=overdue, kind="returned").count() == 1
