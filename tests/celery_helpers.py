"""Helpers for tests that run a real Celery worker against a real Redis broker."""

import time
from contextlib import contextmanager

import pytest
from celery.signals import task_postrun

from build_portal.celery import app


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@contextmanager
def broker_at(url):
    """Point the Celery app at another broker, dropping pooled connections to the old one."""
    old = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url = old
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def finished_tasks():
    """Names of the tasks the worker has finished, so tests know when the queue is drained."""
    done = []

    def record(sender=None, **kwargs):
        done.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)
