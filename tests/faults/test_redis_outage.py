"""Faults: Redis (the Celery broker) stops while a PAM approves a deal registration and an MDF request.

Both approvals succeed; their notifications wait in the outbox and are emailed once Redis is back, none
lost and none twice. The Redis here is a real server process of this test, stopped and started again on
the same port — the shared Redis of other test runs is never touched.
"""

import datetime
import shutil
import socket
import subprocess
import tempfile
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from activity.models import Notification
from activity.tasks import sweep_notifications
from build_portal.celery import app
from dealreg import services as dealreg_services
from funding import services as funding_services
from program.selectors import program_year_for
from tests.celery_helpers import broker_at, wait_for
from tests.funding.conftest import submit_mdf

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server we can stop and start like an outage."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-outage-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the outage test"
        self.process = subprocess.Popen(  # noqa: S603 - a fixed local binary and arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)








def test_approvals_during_a_redis_outage_succeed_and_notify_once_redis_is_back(
    redis_server, finished_tasks, partner, partner_admin, pam, program_admin
):
    today = timezone.localdate()
    registration = dealreg_services.registration_submit(
        partner=partner, submitted_by=partner_admin, customer_company="Outage Retail", website="outage-retail.example",
        country="US", contact_name="Casey", contact_email="casey@outage-retail.example", products=["flex"],
        use_case="Contact centre", estimated_arr_usd=Decimal("50000"),
        expected_close_date=today + datetime.timedelta(days=60),
    )
    funding_services.allocation_set(partner=partner, program_year=program_year_for(today),
                                    amount=Decimal("20000.00"), admin=program_admin, reason="Plan")
    mdf_request = submit_mdf(partner, partner_admin)

    with broker_at(redis_server.url):
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            # Drain what the submissions above queued, so only the approvals' emails are in question.
            sweep_notifications.delay()
            assert wait_for(lambda: "activity.tasks.sweep_notifications" in finished_tasks)
        Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
        mail.outbox.clear()

        redis_server.stop()  # the outage
        registration = dealreg_services.registration_approve(registration=registration, reviewer=pam,
                                                             reason="Net new logo")
        mdf_request = funding_services.request_approve(funding_request=mdf_request, reviewer=pam,
                                                       approved_amount=Decimal("4000.00"), reason="Good plan")
        # Both decisions committed; their notifications wait unsent.
        registration.refresh_from_db()
        mdf_request.refresh_from_db()
        assert registration.status == "approved"
        assert mdf_request.status == "approved" and mdf_request.approved_amount == Decimal("4000.00")
        waiting = list(Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True))
        assert waiting, "the approvals notify the partner"
        assert mail.outbox == []

        redis_server.start()  # Redis is back, on the same address
        app._pool = None
        app.amqp._producer_pool = None
        # The sweep sends rows older than its grace period: age them as if the outage lasted minutes.
        Notification.objects.filter(pk__in=waiting).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            for _ in range(3):  # the periodic sweep firing again must not send anything twice
                sweep_notifications.delay()
            assert wait_for(lambda: finished_tasks.count("activity.tasks.sweep_notifications") >= 4)

    assert not Notification.objects.filter(pk__in=waiting, emailed_at__isnull=True).exists()
    assert sorted(Notification.objects.filter(pk__in=waiting).values_list("email_attempts", flat=True)) == [1] * len(
        waiting
    )
    assert len(mail.outbox) == len(waiting)
    subjects = " ".join(m.subject for m in mail.outbox).lower()
    assert "approved" in subjects
