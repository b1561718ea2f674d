from celery import shared_task

from . import services


@shared_task
def claim_deadlines():
    """Daily (build_portal/schedules.py): claim reminders 15, 5 and 1 days before the deadline and expiry
    of unclaimed approvals. Safe to run twice: reminders are recorded once, expiry checks the state."""
    return services.claim_deadlines_run()
