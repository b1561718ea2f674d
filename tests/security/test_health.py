"""/healthz reports PostgreSQL, Redis and the Celery worker, and names what fails; logs are JSON with a
request id on every line, in the web process and in the worker."""

import json
import logging
import socket

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.management import call_command
from django.core.management.base import CommandError

from activity.tasks import sweep_notifications
from build_portal import request_id
from build_portal.celery import app
from tests.celery_helpers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def worker():
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield


def test_all_parts_healthy_with_a_worker(client, worker):
    answer = client.get("/healthz")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"status": "ok", "checks": {"postgresql": "ok", "redis": "ok", "celery": "ok"}}


def test_no_worker_is_a_503_naming_celery(client):
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["celery"]
    assert "no worker consumes" in answer.json()["checks"]["celery"]
    assert client.get("/healthz?check=postgresql&check=redis").status_code == 200


def test_redis_down_is_a_503_naming_redis(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    answer = client.get("/healthz?check=postgresql&check=redis")
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["redis"]


def test_the_command_compose_uses_exits_non_zero_naming_the_part(settings):
    call_command("healthcheck", "postgresql", "redis")
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    with pytest.raises(CommandError, match="failing: redis"):
        call_command("healthcheck", "postgresql", "redis")


def _console_formatter():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, logging.Formatter)
                   and type(h.formatter).__name__ == "JsonFormatter")
    return handler.formatter


def test_web_log_lines_are_json_with_the_request_id(client, caplog):
    caplog.handler.addFilter(request_id.RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-42")
    assert answer.status_code == 404 and answer["X-Request-ID"] == "req-42"
    record = next(r for r in caplog.records if r.name == "django.request")
    line = json.loads(_console_formatter().format(record))
    assert line["request_id"] == "req-42" and line["level"] == "WARNING" and "Not Found" in line["message"]
    # A request without one gets a fresh id, in the answer too.
    assert len(client.get("/healthz?check=postgresql")["X-Request-ID"]) == 32


def _is_the_sweeps_line(record):
    return record.name == "tests.worker" and sweep_notifications.name in record.getMessage()


def test_worker_log_lines_carry_the_request_id_that_queued_the_task(worker, caplog, finished_tasks):
    """A line logged in the worker while the task runs (here from its postrun signal, in the worker's
    thread) carries the id of the web request that queued the task."""
    caplog.handler.addFilter(request_id.RequestIdFilter())

    def log_in_the_worker(sender=None, **kwargs):
        logging.getLogger("tests.worker").warning("task %s done", sender.name)

    task_postrun.connect(log_in_the_worker, weak=False)
    try:
        with caplog.at_level(logging.WARNING, logger="tests.worker"):
            token = request_id.current.set("req-from-web")
            try:
                sweep_notifications.delay()
            finally:
                request_id.current.reset(token)
            assert wait_for(lambda: any(_is_the_sweeps_line(r) for r in caplog.records))
    finally:
        task_postrun.disconnect(log_in_the_worker)
    # The worker may also finish a task an earlier test queued (from another request): read the sweep's line.
    record = next(r for r in caplog.records if _is_the_sweeps_line(r))
    line = json.loads(_console_formatter().format(record))
    assert line["request_id"] == "req-from-web", line
    assert request_id.current.get() is None  # this thread (the web side) kept its own
