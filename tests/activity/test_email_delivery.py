"""Notification email through a real Celery worker on the real Redis broker, after commit, never twice.

DESIGN.md §3: a notification is written in the same transaction as the change it reports and sent after
commit, so a broker outage delays it but never loses it. Nothing here is mocked: the broker is the test
run's Redis, the worker runs in this process (solo pool), the database is PostgreSQL with real commits,
and Django's locmem backend (its own email backend for tests) records what was sent.
"""

import datetime
import socket
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from activity import services
from activity.models import Notification
from activity.tasks import sweep_notifications
from build_portal.celery import app
from partners.services import invitation_create
from tests.celery_helpers import broker_at, wait_for
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)




@pytest.fixture
def worker():
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield




def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]




@pytest.fixture
def user(db):
    return UserFactory(email="reader@example.com")


def test_email_is_sent_after_commit(worker, user):
    with transaction.atomic():
        services.notify(recipients=[user], kind="funding_info_requested",
                        params={"reference": "MDF-1", "reason": "Which venue?"}, url="/funding/1/")
        # The worker is running: if the task were queued now it would find no committed row.
        time.sleep(0.5)
        assert mail.outbox == []
    # The worker sends, then commits the row as sent: wait for both.
    assert wait_for(lambda: Notification.objects.filter(emailed_at__isnull=False).exists())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.com"] and message.subject == "Information requested on MDF-1"
    assert message.body.startswith("Which venue?") and message.body.endswith("/funding/1/")
    [(html, mimetype)] = message.alternatives  # the same words in the portal's email layout, with the link back
    assert mimetype == "text/html" and "Which venue?" in html and "/funding/1/" in html
    row = Notification.objects.get()
    assert row.emailed_at is not None and row.email_attempts == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(worker, user, finished_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[user], kind="funding_rejected", params={"reference": "Never", "reason": "Rolled back."})
        raise RuntimeError("the change failed")
    sweep_notifications.delay()
    assert wait_for(lambda: "activity.tasks.sweep_notifications" in finished_tasks)
    assert mail.outbox == [] and not Notification.objects.exists()


def test_broker_outage_delays_but_never_loses_nor_doubles(user, finished_tasks):
    partner = PartnerFactory()
    admin = UserFactory(partner=partner, partner_role="admin")
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        invitation, _token = invitation_create(partner=partner, email=f"colleague@{partner.domain}", role="member",
                                               invited_by=admin)
    # The change committed; its notification row waits, unsent.
    row = Notification.objects.get(to_email=f"colleague@{partner.domain}")
    assert row.emailed_at is None and row.email_attempts == 0
    assert invitation.pk and mail.outbox == []
    # The broker is back. The sweep sends rows older than its grace period (30 s): age the row.
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        sweep_notifications.delay()
        assert wait_for(lambda: len(mail.outbox) == 1)
        sweep_notifications.delay()
        sweep_notifications.delay()
        assert wait_for(lambda: finished_tasks.count("activity.tasks.sweep_notifications") == 3)
    assert [m.to for m in mail.outbox] == [[f"colleague@{partner.domain}"]]
    assert "/invitations/" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.emailed_at is not None and row.email_attempts == 1


def test_two_sweeps_at_the_same_moment_send_each_email_once(user):
    for i in range(20):
        services.notify(recipients=[user], kind="funding_rejected", params={"reference": f"N{i}", "reason": "x"})
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(services.notifications_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 20 and len(mail.outbox) == 20
    assert len({m.subject for m in mail.outbox}) == 20
    assert services.notifications_sweep() == 0
