"""Faults: each notification is emailed exactly once through worker crashes and lost database connections.

Nothing is mocked. The mail server is a real SMTP server (aiosmtpd) on a free port that counts what it
accepts by Message-ID; the worker is a real `celery worker` process on the run's Redis broker, killed
with SIGKILL in the middle of a batch; the database connection is dropped with pg_terminate_backend
while a message is being accepted. The sink itself pulls the trigger at a chosen SMTP step, so each
fault lands exactly where it must.
"""

import collections
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import psycopg2
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from activity import services
from activity.models import Notification
from tests.celery_helpers import wait_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CLAIM_SECONDS = 3  # the worker's claim expiry, short for the test
WORKER_APP = "outbox-test-worker"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """aiosmtpd handler: records each accepted message's Message-ID; ``on`` maps (SMTP step, n) to a
    fault to inject when the n-th message of the round reaches that step (RCPT, DATA or QUIT)."""

    def __init__(self):
        self.accepted = []
        self.subjects = []
        self.lock = threading.Lock()
        self.on = {}
        self.seen = collections.Counter()
        self.fired = threading.Event()

    def _fire(self, step):
        self.seen[step] += 1
        fault = self.on.pop((step, self.seen[step]), None)
        if fault:
            fault()
            self.fired.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._fire("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append(message["Message-ID"])
            self.subjects.append(message["Subject"])
        self._fire("DATA")
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self._fire("QUIT")
        return "221 Bye"

    def counts(self):
        with self.lock:
            return collections.Counter(self.accepted)

    def round(self, **faults):
        """Faults for the next round, e.g. ``RCPT_3=worker.kill``: at the 3rd message's RCPT."""
        self.seen.clear()
        self.fired.clear()
        self.on = {(key.split("_")[0], int(key.split("_")[1])): fault for key, fault in faults.items()}


@pytest.fixture
def sink(settings):
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield handler
    controller.stop()


class Worker:
    """A `celery worker` process (solo pool) on this run's queue, database and mail sink."""

    def __init__(self, sink_port):
        db = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "build_portal.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
                            f"?application_name={WORKER_APP}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink_port),
            "NOTIFICATION_EMAIL_CLAIM_SECONDS": str(CLAIM_SECONDS),
        }
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery app with fixed arguments
            [sys.executable, "-m", "celery", "-A", "build_portal", "worker", "--pool=solo", "--concurrency=1",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=WARNING",
             "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.process.wait(timeout=10)


def _notify(user, n, label):
    """n committed notifications, queued to the worker after commit as the portal does it."""
    with transaction.atomic():
        rows = [services.notify(recipients=[user], kind="funding_info_requested",
                                 params={"reference": f"{label} {i}", "reason": "x"})[0] for i in range(n)]
    return [row.pk for row in rows]


def _sweep_all():
    """The periodic sweep, run here: every row past its grace period and not claimed by someone."""
    Notification.objects.filter(emailed_at__isnull=True).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5))
    return services.notifications_sweep()


def _message_id(pk):
    return f"<notification-{pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def _assert_each_once(sink, ids):
    # By subject too (unique per notification here): a copy shows even if its Message-ID differed.
    with sink.lock:
        by_subject = collections.Counter(sink.subjects)
    subjects = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "subject"))
    copies = {subjects[pk]: by_subject[subjects[pk]] for pk in ids if by_subject[subjects[pk]] > 1}
    assert not copies, f"delivered more than once: {copies}"
    counts = sink.counts()
    wrong = {pk: counts[_message_id(pk)] for pk in ids if counts[_message_id(pk)] != 1}
    assert not wrong, f"notification -> times delivered by its Message-ID (must be 1): {wrong}"
    assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists()


def test_worker_killed_mid_batch_repeatedly_each_notification_once(sink):
    user = UserFactory(email="reader@example.com")
    all_ids = []
    # Round by round the worker dies at another point: waiting for the mail server to accept a message
    # (RCPT), or as it says goodbye to the server (QUIT) -- after a message was accepted.
    for round_number, (step, n) in enumerate([("RCPT", 3), ("QUIT", 1), ("RCPT", 6)]):
        worker = Worker(sink_port=settings.EMAIL_PORT).start()
        try:
            sink.round(**{f"{step}_{n}": worker.kill})
            ids = _notify(user, 8, f"round {round_number}")
            all_ids += ids
            assert sink.fired.wait(timeout=40), "the worker never reached the fault"
            assert wait_for(lambda w=worker: w.process.poll() is not None, timeout=10)
        finally:
            worker.stop()
        claimed = list(Notification.objects.filter(pk__in=ids, emailed_at__isnull=True,
                                                   email_claimed_until__gt=timezone.now()).values_list("pk", flat=True))
        # The sweep sends what nobody holds, and skips the row the dead worker still holds a claim on.
        _sweep_all()
        assert list(Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).values_list("pk", flat=True)) \
            == claimed
        if claimed:
            time.sleep(CLAIM_SECONDS + 0.5)  # the dead worker's claim expires: the row is tried again
            _sweep_all()
            retried = Notification.objects.get(pk=claimed[0])
            assert retried.email_attempts == 2, "the crashed try and the retry, both recorded"
        _assert_each_once(sink, ids)
    assert len(all_ids) == 24
    _assert_each_once(sink, all_ids)


def test_database_connection_dropped_mid_send_repeatedly_each_notification_once(sink):
    user = UserFactory(email="reader@example.com")
    db = settings.DATABASES["default"]

    def drop_worker_connection():
        admin = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                                 port=db["PORT"])
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                           [WORKER_APP])
            assert cursor.fetchall(), "the worker had no database connection to drop"
        admin.close()

    worker = Worker(sink_port=settings.EMAIL_PORT).start()
    try:
        # While the mail server accepts messages 2, 5 and 9 of the batch, the worker loses its database.
        sink.round(DATA_2=drop_worker_connection, DATA_5=drop_worker_connection, DATA_9=drop_worker_connection)
        ids = _notify(user, 10, "outage")
        assert wait_for(lambda: not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists(),
                        timeout=40), "the worker did not record every accepted message"
        assert not sink.on, "every fault fired"
        # Nothing left for the sweep, nor for a second sweep after any claim could have expired.
        assert _sweep_all() == 0
    finally:
        worker.stop()
    _assert_each_once(sink, ids)
    assert set(Notification.objects.filter(pk__in=ids).values_list("email_attempts", flat=True)) == {1}
    connection.close()
