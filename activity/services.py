"""Writes of the activity app, the only code that writes its tables. Callers run these inside their own
transaction."""

import json
import logging
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.copy import CsvStream

from . import rendering
from .actions import AuditAction
from .models import AuditEntry, Notification

logger = logging.getLogger(__name__)

# How long a worker's claim on a notification holds before another may send it (a crashed worker's
# claim expires after this).
EMAIL_CLAIM_SECONDS = getattr(settings, "NOTIFICATION_EMAIL_CLAIM_SECONDS", 300)

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


# The language of the words stored with a notification (for search, the admin and the audit): the source one.
STORED_LANGUAGE = "en"
PLAIN = (str, int, float, bool, type(None))


class NotificationRow(NamedTuple):
    """One notification of notify_many, to a user: its kind and params as for notify."""

    recipient_id: int
    kind: str
    params: dict
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


def audit_record_select(*, actor: "Actor", action: AuditAction, select: str, params: list[Any]) -> int:
    """Record many state changes whose facts the database already holds, without bringing them to Python:
    one INSERT ... SELECT on the server. ``select`` yields one row per entry with the columns (object_type,
    object_id, object_repr, partner_id, before, after, reason), ``before``/``after`` as jsonb. PostgreSQL only
    (a tier recalculation's ~75,000 entries: sending them through Python cost as much as the tier update);
    other databases go through audit_record_many. Returns how many were written."""
    action = AuditAction(action)  # ValueError before anything is written
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, actor_id, action, object_type, object_id, object_repr, partner_id, before, "  # noqa: S608 - name from _meta, SELECT from code
            f"after, reason) SELECT %s, %s, %s, e.* FROM ({select}) e",
            [timezone.now(), getattr(_actor(actor), "pk", None), str(action), *params],
        )
        return cursor.rowcount


def _actor(actor: "Actor") -> "User | None":
    return actor if actor is not None and actor.is_authenticated else None


def notify(*, recipients: Iterable["User | None"], kind: str, params: dict | None = None,
           url: str = "") -> list[Notification]:
    """Write notifications of ``kind`` for ``recipients`` and send their email after the transaction commits.

    ``params`` are the facts the kind's templates (templates/notifications/<kind>/) name: plain values only
    (strings, numbers, booleans, lists), dates as ISO strings, so the words can be rendered later in each
    reader's language. If the broker is down the rows stay unsent and the periodic sweep sends them later.
    """
    params = _plain_params(params)
    subject, body = _stored_words(kind, params)
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, params=params, subject=subject, body=body, url=url)
         for user in set(recipients) if user]
    )
    _send_after_commit(rows)
    return rows


def notify_many(rows: Iterable[NotificationRow]) -> list[int]:
    """Write many notifications at one instant, set-based (one INSERT ... SELECT FROM unnest on PostgreSQL),
    and send their emails after the transaction commits, in tasks of EMAIL_CHUNK. Returns their ids, in the
    order of ``rows``.

    No English words are stored with these rows (subject and body stay empty): rendering them costs ~0.2-1 ms
    per distinct notice, and an annual tier recalculation writes one per moving partner (~75,000). They are
    rendered when read or sent, as every notification with a kind is."""
    rows = list(rows)
    if not rows:
        return []
    for kind in {r.kind for r in rows}:
        rendering.check_kind(kind)  # an unknown kind fails before anything is written
    params_json: dict[int, str] = {}
    written = []
    for r in rows:
        # One params dict per partner serves all its users: check and encode each once.
        key = id(r.params)
        if key not in params_json:
            params_json[key] = _json(_plain_params(r.params))
        written.append((r, params_json[key], "", ""))
    if connection.vendor == "postgresql":
        table = Notification._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (recipient_id, to_email, created_at, kind, params, language, subject, body, url, "  # noqa: S608 - name from _meta
                "email_attempts) "
                "SELECT r, '', %s, k, p::jsonb, '', s, b, u, 0 "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                "WITH ORDINALITY AS t(r, k, p, s, b, u, n) ORDER BY n RETURNING id",
                [timezone.now(), [r.recipient_id for r, *_ in written], [r.kind for r, *_ in written],
                 [p for _r, p, _s, _b in written], [s for _r, _p, s, _b in written],
                 [b for _r, _p, _s, b in written], [r.url for r, *_ in written]],
            )
            ids = sorted(pk for (pk,) in cursor.fetchall())
    else:
        created = Notification.objects.bulk_create(
            [Notification(recipient_id=r.recipient_id, kind=r.kind, params=r.params, subject=s, body=b, url=r.url)
             for r, _p, s, b in written],
            batch_size=BATCH,
        )
        ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _enqueue_email(ids))
    return ids


def notify_select(*, kind: str, select: str, params: list[Any]) -> list[int]:
    """``notify_many`` for notifications whose recipients and params the database already holds: one INSERT
    ... SELECT on the server. ``select`` yields (recipient_id, params jsonb, url) per notification; the params
    must be what the kind's templates name, as for ``notify``. Emails go out after commit as for notify_many.
    PostgreSQL only. Returns the ids, in ascending order."""
    rendering.check_kind(kind)  # an unknown kind fails before anything is written
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, to_email, created_at, kind, params, language, subject, body, url, "  # noqa: S608 - name from _meta, SELECT from code
            f"email_attempts) SELECT n.recipient_id, '', %s, %s, n.params, '', '', '', n.url, 0 "
            f"FROM ({select}) n(recipient_id, params, url) RETURNING id",
            [timezone.now(), kind, *params],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
    if ids:
        transaction.on_commit(lambda: _enqueue_email(ids))
    return ids


def notify_address(*, email: str, kind: str, params: dict | None = None, url: str = "") -> Notification:
    """Like ``notify`` for someone who has no account yet (an invited colleague): email only, no in-app row.
    There is no profile to ask for a language: the email is in the language active now (the page's)."""
    params = _plain_params(params)
    subject, body = _stored_words(kind, params)
    row = Notification.objects.create(to_email=email, kind=kind, params=params, subject=subject, body=body, url=url,
                                      language=translation.get_language() or "")
    _send_after_commit([row])
    return row


def _plain_params(params: dict | None) -> dict:
    """Refuse what JSON would store as something else or not at all (a date, a Decimal, a model)."""
    params = dict(params or {})

    def check(value: Any) -> None:
        if isinstance(value, list | tuple):
            for v in value:
                check(v)
        elif isinstance(value, dict):
            for v in value.values():
                check(v)
        elif not isinstance(value, PLAIN):
            raise TypeError(f"notification params are plain values; got {type(value).__name__}: {value!r}")

    check(params)
    return params


def _stored_words(kind: str, params: dict) -> tuple[str, str]:
    """The English subject and body stored with the row (an unknown kind fails here, before anything is written)."""
    return (rendering.render_subject(kind, params, STORED_LANGUAGE)[:200],
            rendering.render_text(kind, params, STORED_LANGUAGE))


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
            logger.warning("Broker unavailable; %d notification(s) left for the sweep", len(ids) - i)
            return


def notifications_send_email(*, notification_ids):
    """Email each still-unsent notification once, even when a worker dies or the database goes away.

    For each row: (1) claim it in its own committed step (a claim token, an expiry, one more attempt
    counted); (2) send it with a Message-ID derived from the notification, over one SMTP connection for
    the batch; (3) mark it sent the moment the mail server accepts, retrying that write through a lost
    database connection. Nobody else sends a claimed row; a claim left by a crashed worker expires and
    the sweep tries the row again. The one copy this cannot rule out is a worker killed in the instant
    between the server's acceptance and step 3 (SMTP has no two-phase commit, RFC 1047): the copy then
    has the same Message-ID, so the receiving system can recognise it.
    """
    sent = 0
    smtp = get_connection()
    opened = False
    try:
        for pk in notification_ids:
            claim = _claim_for_email(pk)
            if claim is None:
                continue
            row = Notification.objects.select_related("recipient").get(pk=pk)
            message = _email(row, smtp)
            try:
                if not opened:
                    # One connection for the batch: no goodbye to the server between a message and its mark.
                    opened = smtp.open() or True
                message.send()
            except Exception:
                _release_claim(pk, claim)  # not accepted: the next try need not wait for the claim to expire
                raise
            _mark_emailed(pk, claim)
            sent += 1
    finally:
        smtp.close()
    return sent


def _email(row: Notification, smtp) -> EmailMultiAlternatives:
    """The email of one notification, text and HTML, in the recipient's language (rendered now, at send time)."""
    language = rendering.language_of(row.recipient) if row.recipient_id else (row.language or settings.LANGUAGE_CODE)
    link = rendering.link_back(row.url) if row.url else ""
    if row.kind:
        subject, text, html = rendering.render(row.kind, row.params, row.url, language)
    else:  # written before kinds: its stored words, in the same layout
        with translation.override(language):
            subject, text = row.subject, row.body
            html = render_to_string(f"{rendering.TEMPLATE_DIR}/email.html",
                                    {"subject": subject, "stored_body": text, "link": link,
                                     "language": translation.get_language()})
    message = EmailMultiAlternatives(subject, text + (f"\n\n{link}" if link else ""), None, [row.email_address],
                                     headers={"Message-ID": row.message_id}, connection=smtp)
    message.attach_alternative(html, "text/html")
    return message


def _claimable(now):
    return Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now)


def _claim_for_email(pk):
    """Claim one unsent row (one UPDATE, committed at once); None when it is sent or claimed already."""
    now = timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        claimed = (
            Notification.objects.filter(_claimable(now), pk=pk, emailed_at__isnull=True)
            .update(email_claim=claim, email_claimed_until=now + timedelta(seconds=EMAIL_CLAIM_SECONDS),
                    email_attempts=F("email_attempts") + 1)
        )
    return claim if claimed else None


def _release_claim(pk, claim):
    with transaction.atomic():
        Notification.objects.filter(pk=pk, email_claim=claim).update(email_claim=None, email_claimed_until=None)


def _mark_emailed(pk, claim):
    """The mail server accepted: record it, through a lost database connection if need be, for as long
    as the claim holds (after that another worker may send it again, so there is no point)."""
    deadline = time.monotonic() + EMAIL_CLAIM_SECONDS
    pause = 0.05
    while True:
        try:
            with transaction.atomic():
                Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now(), email_claim=None, email_claimed_until=None)
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning("Database unavailable while recording notification %s as emailed; retrying", pk)
            connection.close()  # the next query opens a new connection
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def notifications_sweep(*, older_than=timedelta(seconds=30), limit=500):
    """Send what is still unsent (the broker was down, or a worker died): rows nobody holds a claim on."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(_claimable(now), emailed_at__isnull=True, created_at__lte=now - older_than)
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
