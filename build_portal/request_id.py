"""A request id on every log line: the web request's (the client's X-Request-ID if it is sane, else a new
one, echoed in the answer), carried to the Celery tasks the request queues and set while they run."""

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver

current = contextvars.ContextVar("request_id", default=None)
SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "X-Request-ID"


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if SANE.match(given) else uuid.uuid4().hex
        # Kept until the response is finished (not reset on the way out): Django logs a 4xx/5xx answer
        # after the middleware has returned, and that line belongs to this request too.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, weak=False)
def _clear_request_id(**kwargs):
    current.set(None)


@before_task_publish.connect(weak=False)
def _carry_request_id(headers=None, **kwargs):
    if headers is not None and current.get():
        headers["request_id"] = current.get()


@task_prerun.connect(weak=False)
def _set_task_request_id(task=None, task_id=None, **kwargs):
    # A task queued by a web request logs under that request's id; a periodic one under its own id. Set
    # anew for each task (not cleared after it: Celery logs the task's outcome after it has finished).
    request_id = getattr(task.request, "request_id", None) if task else None
    current.set(request_id or task_id)
