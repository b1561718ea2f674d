"""Writes of the activity app, the only code that writes its tables. Callers run these inside their own
transaction."""

import json
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from core.copy import CsvStream

from .actions import AuditAction
from .models import AuditEntry, Notification

if TYPE_CHECKING:  # the user model is partners' (AUTH_USER_MODEL), a layer above: for the type checker only
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

    from partners.models import User

    Actor = User | AnonymousUser | None

BATCH = 5000  # rows per INSERT where the database is not PostgreSQL
_json = json.JSONEncoder().encode  # json.dumps without its per-call keyword handling: ~75,000 entries per run
EMAIL_CHUNK = 500  # notification ids per email task


class AuditRow(NamedTuple):
    """One entry of audit_record_many: an object named by its model label and primary key."""

    action: AuditAction
    object_type: str  # e.g. Partner._meta.label_lower
    object_id: Any
    object_repr: str
    partner_id: int | None = None
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


class NotificationRow(NamedTuple):
    """One notification of notify_many, to a user."""

    recipient_id: int
    subject: str
    body: str
    url: str = ""


def audit_record(*, actor: "Actor", action: AuditAction, obj: "Model", before: dict | None = None, after: dict | None = None,
                 reason: str = "", partner_id: int | None = None) -> AuditEntry:
    """Record one state change of ``obj``. Call inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=_actor(actor),
        action=AuditAction(action),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        partner_id=partner_id,
        before=before or {},
        after=after or {},
        reason=reason or "",
    )


def audit_record_many(*, actor: "Actor", rows: Iterable[AuditRow]) -> int:
    """Record many state changes at one instant, set-based: one COPY on PostgreSQL (a tier recalculation
    writes ~75,000 entries at once), batched INSERTs elsewhere. Returns how many were written."""
    rows = list(rows)
    for action in {r.action for r in rows}:
        AuditAction(action)  # ValueError before anything is written
    actor_id = getattr(_actor(actor), "pk", None)
    now = timezone.now()
    if connection.vendor != "postgresql":
        entries = [AuditEntry(at=now, actor_id=actor_id, action=r.action, object_type=r.object_type,
                              object_id=str(r.object_id), object_repr=r.object_repr[:200], partner_id=r.partner_id,
                              before=r.before or {}, after=r.after or {}, reason=r.reason or "") for r in rows]
        AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
        return len(entries)
    # CSV mode: an unquoted empty field is NULL; FORCE_NOT_NULL reads it as '' for the text columns.
    stream = CsvStream(
        (now.isoformat(), actor_id, str(r.action), r.object_type, r.object_id, r.object_repr[:200],
         r.partner_id, _json(r.before or {}), _json(r.after or {}), r.reason or "")
        for r in rows
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {AuditEntry._meta.db_table} (at, actor_id, action, object_type, object_id, object_repr, partner_id, "
            "before, after, reason) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (object_type, object_id, object_repr, "
            "reason))", stream, 1 << 20,
        )
    return stream.rows_written


def _actor(actor: "Actor") -> "User | None":
    return actor if actor is not None and actor.is_authenticated else None


def notify(*, recipients: Iterable["User | None"], subject: str, body: str, url: str = "") -> list[Notification]:
    """Write notifications for ``recipients`` and send their email after the transaction commits.

    If the broker is down the rows stay unsent and the periodic sweep sends them later.
    """
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, subject=subject[:200], body=body, url=url) for user in set(recipients) if user]
    )
    _send_after_commit(rows)
    return rows


def notify_many(rows: Iterable[NotificationRow]) -> list[int]:
    """Write many notifications at one instant, set-based (one INSERT ... SELECT FROM unnest on PostgreSQL),
    and send their emails after the transaction commits, in tasks of EMAIL_CHUNK. Returns their ids, in the
    order of ``rows``."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor == "postgresql":
        table = Notification._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (recipient_id, to_email, created_at, subject, body, url, email_attempts) "  # noqa: S608 - name from _meta
                "SELECT r, '', %s, s, b, u, 0 FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
                "WITH ORDINALITY AS t(r, s, b, u, n) ORDER BY n RETURNING id",
                [timezone.now(), [r.recipient_id for r in rows], [r.subject[:200] for r in rows],
                 [r.body for r in rows], [r.url for r in rows]],
            )
            ids = sorted(pk for (pk,) in cursor.fetchall())
    else:
        created = Notification.objects.bulk_create(
            [Notification(recipient_id=r.recipient_id, subject=r.subject[:200], body=r.body, url=r.url) for r in rows],
            batch_size=BATCH,
        )
        ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _enqueue_email(ids))
    return ids


def notify_address(*, email: str, subject: str, body: str, url: str = "") -> Notification:
    """Like ``notify`` for someone who has no account yet (an invited colleague): email only, no in-app row."""
    row = Notification.objects.create(to_email=email, subject=subject[:200], body=body, url=url)
    _send_after_commit([row])
    return row


def _send_after_commit(rows: Iterable[Notification]) -> None:
    ids = [n.pk for n in rows]
    if ids:
        transaction.on_commit(lambda: _enqueue_email(ids))


def _enqueue_email(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    for i in range(0, len(ids), EMAIL_CHUNK):
        try:
            send_notification_emails.delay(ids[i:i + EMAIL_CHUNK])
        except Exception:  # noqa: BLE001 - a broker outage must not fail the request; the sweep sends later.
            import logging

            logging.getLogger(__name__).warning("Broker unavailable; %d notification(s) left for the sweep",
                                                len(ids) - i)
            return


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


def notifications_sweep(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Send what is still unsent (the broker was down, or a worker died)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return notifications_send_email(notification_ids=ids)


def notification_mark_read(*, user: "User", notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read. Returns how many changed.

    Marking is not a state change of the program, so it has no audit entry.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
