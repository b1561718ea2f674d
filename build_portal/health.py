"""What /healthz and `manage.py healthcheck` report: PostgreSQL, Redis and a Celery worker on our queue.

Each check answers None when healthy or a short reason; nothing here raises.
"""

import redis
from django.conf import settings
from django.db import connection

from .celery import app


def postgresql():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - a health check reports, it does not fail
        return f"unreachable: {type(error).__name__}"
    return None


def redis_server():
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as error:  # noqa: BLE001
        return f"unreachable: {type(error).__name__}"
    return None


def celery_worker():
    """A worker answers on the broker and consumes this site's queue (other sites may share the Redis)."""
    try:
        replies = app.control.inspect(timeout=settings.HEALTH_CELERY_TIMEOUT).active_queues() or {}
    except Exception as error:  # noqa: BLE001
        return f"broker unreachable: {type(error).__name__}"
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    if not any(q.get("name") == queue for queues in replies.values() for q in queues or []):
        return f"no worker consumes the queue {queue!r}"
    return None


CHECKS = {"postgresql": postgresql, "redis": redis_server, "celery": celery_worker}


def report(names=None):
    """(healthy, {name: "ok" or the reason}) for the named checks, all by default."""
    names = [n for n in (names or CHECKS) if n in CHECKS] or list(CHECKS)
    results = {name: CHECKS[name]() or "ok" for name in names}
    return all(r == "ok" for r in results.values()), results
