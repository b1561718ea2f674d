"""The bottom app: the audit trail and the notification outbox every other app writes to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class AuditEntry(models.Model):
    """One state change: who, when, what object, which transition, before/after, why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)  # e.g. "dealreg.approve"
    object_type = models.CharField(max_length=80)  # e.g. "dealreg.dealregistration"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    # Plain id (no foreign key): the bottom app knows nothing of partners, yet staff filter by partner.
    partner_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The filters of the audit trail page; exact matches only, so plain indexes (db_index=True on a
        # CharField adds a LIKE index too). A tier recalculation writes ~75,000 entries at once and pays for
        # each index, so object_type has none of its own: (object_type, object_id) serves it.
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["action"])]
        verbose_name = gettext_lazy("audit entry")
        verbose_name_plural = gettext_lazy("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Notification(models.Model):
    """In-app notification and email outbox row, written in the same transaction as the change."""

    # A user, or (for someone without an account yet, e.g. an invited colleague) only an email address.
    # No index of its own: (recipient, created_at) below serves the foreign key too.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        db_index=False,
    )
    to_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What happened and its facts (plain values), rendered in the reader's language when read (rendering.py).
    # A notification from before kinds has none: it shows its stored subject and body as they are.
    kind = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # The language of an email to an address with no account behind it (no profile to ask): the one the
    # notification was written in.
    language = models.CharField(max_length=10, blank=True)
    # The English words, written with the row: for search, the admin and the audit (and the only words of a
    # notification from before kinds).
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Every try to email it, committed before the mail server is called (so a crash still shows it).
    email_attempts = models.PositiveIntegerField(default=0)
    # The worker sending it holds a claim (committed before sending) until ``email_claimed_until``: nobody
    # else sends it meanwhile; a claim left by a crashed worker expires and the row is tried again.
    email_claim = models.UUIDField(null=True, blank=True)
    email_claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # A user's list reads newest first and stops after a page; the unread list, the unread count and "mark
        # all read" read only the unread ones, which a partial index keeps small whatever the user has read.
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recent"),
            models.Index(fields=["recipient", "-created_at", "-id"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread"),
            models.Index(fields=["emailed_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_email=""), name="notification_has_addressee"
            ),
        ]
        verbose_name = gettext_lazy("notification")
        verbose_name_plural = gettext_lazy("notifications")

    def __str__(self):
        return self.subject

    @property
    def display_subject(self):
        """The subject in the active language (the reader's): rendered from the kind; as stored before kinds."""
        from .rendering import notification_subject

        return notification_subject(self)

    @property
    def display_body(self):
        from .rendering import notification_body

        return notification_body(self)

    @property
    def email_address(self):
        return self.recipient.email if self.recipient_id else self.to_email

    @property
    def message_id(self):
        """The same Message-ID on every try, so a mail system can recognise a copy (RFC 5322 §3.6.4)."""
        return f"<notification-{self.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
