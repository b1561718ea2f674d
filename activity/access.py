"""Who may see what in the activity app.

Notifications are private to their recipient; outsiders get 404 (they cannot tell someone else's
notification from a missing one). The audit trail is for program admins only. This app sits at the
bottom (DESIGN.md §4), so it reads roles from the user object rather than importing partners.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import AuditEntry, Notification


def notifications_visible_to(user):
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_for_user(user, notification_id):
    notification = notifications_visible_to(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("No such notification."))
    return notification


def may_read_audit_trail(user):
    return user.is_authenticated and getattr(user, "is_program_admin", False)


def audit_entries_visible_to(user):
    if not may_read_audit_trail(user):
        raise PermissionDenied(_("Only a program admin may read the audit trail."))
    return AuditEntry.objects.all()
