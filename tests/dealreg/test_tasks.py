"""The daily job: expire approvals past their expiry date, remind before expiry; running it twice sends
nothing twice. Runs the real Celery task (in-process with apply())."""

import datetime

import pytest

from activity.models import Notification
from dealreg import services
from dealreg.models import DealRegistration, OpportunityPartner
from dealreg.tasks import expire_and_remind_registrations

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(registration, pam, program_year):
    return services.registration_approve(registration=registration, reviewer=pam, reason="ok")


def _run(day):
    return services.registrations_expire_and_remind(today=day)


def test_reminder_is_sent_once_inside_the_reminder_window(approved, partner_admin, program_year):
    before_window = approved.expires_on - datetime.timedelta(days=program_year.deal_reminder_days + 1)
    assert _run(before_window) == {"expired": 0, "reminded": 0}
    first_day = approved.expires_on - datetime.timedelta(days=program_year.deal_reminder_days)
    assert _run(first_day) == {"expired": 0, "reminded": 1}
    assert _run(first_day) == {"expired": 0, "reminded": 0}
    assert _run(first_day + datetime.timedelta(days=1)) == {"expired": 0, "reminded": 0}
    reminders = Notification.objects.filter(recipient=partner_admin, subject__contains="expires in")
    assert reminders.count() == 1
    assert "10 days" in reminders.get().subject  # a real plural (ngettext) where it was "day(s)"


def test_expiry_after_the_last_protected_day_once(approved, partner_admin, pam):
    assert _run(approved.expires_on)["expired"] == 0
    day_after = approved.expires_on + datetime.timedelta(days=1)
    assert _run(day_after) == {"expired": 1, "reminded": 0}
    assert _run(day_after) == {"expired": 0, "reminded": 0}
    approved.refresh_from_db()
    assert approved.status == "expired"
    assert not OpportunityPartner.objects.filter(partner=approved.partner).exists()
    assert Notification.objects.filter(subject__contains="expired").count() == 2  # partner admin and PAM
    assert approved.events.last().actor is None


def test_granted_extension_gets_a_new_reminder(approved, partner_admin, pam, program_year):
    first_day = approved.expires_on - datetime.timedelta(days=program_year.deal_reminder_days)
    _run(first_day)
    services.registration_request_extension(registration=approved, user=partner_admin, reason="Slow legal.")
    services.registration_decide_extension(registration=approved, reviewer=pam, grant=True, reason="ok")
    approved.refresh_from_db()
    assert _run(first_day)["expired"] == 0
    new_first_day = approved.expires_on - datetime.timedelta(days=program_year.deal_reminder_days)
    assert _run(new_first_day)["reminded"] == 1
    assert Notification.objects.filter(recipient=partner_admin, subject__contains="expires in").count() == 2


def test_the_celery_task_runs_the_job_and_is_safe_twice(registration, pam, today):
    approved = services.registration_approve(registration=registration, reviewer=pam, reason="ok")
    DealRegistration.objects.filter(pk=approved.pk).update(expires_on=today - datetime.timedelta(days=1))
    assert expire_and_remind_registrations.apply().get() == {"expired": 1, "reminded": 0}
    assert expire_and_remind_registrations.apply().get() == {"expired": 0, "reminded": 0}
    approved.refresh_from_db()
    assert approved.status == "expired"


def test_the_job_is_in_the_beat_schedule():
    from build_portal.schedules import PERIODIC_TASKS

    assert any(task == "dealreg.tasks.expire_and_remind_registrations" for task, _ in PERIODIC_TASKS.values())
