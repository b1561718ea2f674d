import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "build_portal.settings.production")

app = Celery("build_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id of the web request that queued a task, on the worker's log lines for it.
from . import request_id  # noqa: E402, F401
