from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids):
    return services.notifications_send_email(notification_ids=notification_ids)


@shared_task
def sweep_notifications():
    return services.notifications_sweep()
