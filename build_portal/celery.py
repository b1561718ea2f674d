import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "build_portal.settings.production")

app = Celery("build_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
