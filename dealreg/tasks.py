from celery import shared_task

from . import services


@shared_task
def expire_and_remind_registrations():
    """Daily (build_portal/schedules.py). Safe to run twice: see services.registrations_expire_and_remind."""
    return services.registrations_expire_and_remind()
