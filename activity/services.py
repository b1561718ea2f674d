"""Writes of the activity app. Callers run these inside their own transaction."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, Notification


def audit_record(*, actor, action, obj, before=None, after=None, reason="", partner_id=None):
    """Record one state change of ``obj``. Call inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        partner_id=partner_id,
        before=before or {},
        after=after or {},
        reason=reason or "",
    )


def notify(*, recipients, subject, body, url=""):
    """Write notifications for ``recipients`` and send their email after the transaction commits.

    If the broker is down the rows stay unsent and the periodic sweep sends them later.
    """
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, subject=subject[:200], body=body, url=url) for user in set(recipients) if user]
    )
    _send_after_commit(rows)
    return rows


def notify_address(*, email, subject, body, url=""):
    """Like ``notify`` for someone who has no account yet (an invited colleague): email only, no in-app row."""
    row = Notification.objects.create(to_email=email, subject=subject[:200], body=body, url=url)
    _send_after_commit([row])
    return row


def _send_after_commit(rows):
    ids = [n.pk for n in rows]
    if ids:
        transaction.on_commit(lambda: _enqueue_email(ids))


def _enqueue_email(ids):
    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request; the sweep sends later.
        import logging

        logging.getLogger(__name__).warning("Broker unavailable; %d notification(s) left for the sweep", len(ids))


def notifications_send_email(*, notification_ids):
    """Send each still-unsent notification once. Row locks make two workers never send one twice."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            row.email_attempts += 1
            link = f"\n\n{settings.SITE_URL}{row.url}" if row.url else ""
            send_mail(row.subject, row.body + link, None, [row.email_address])
            row.emailed_at = timezone.now()
            row.save(update_fields=["email_attempts", "emailed_at"])
            sent += 1
    return sent


def notifications_sweep(*, older_than=timedelta(seconds=30), limit=500):
    """Send what is still unsent (the broker was down, or a worker died)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return notifications_send_email(notification_ids=ids)


def notification_mark_read(*, user, notification_id=None):
    """Mark one of the user's notifications (or all of them) read. Returns how many changed.

    Marking is not a state change of the program, so it has no audit entry.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
