"""Reads of the activity app."""

import datetime

from django.db.models import Q
from django.utils import timezone


def filter_audit_entries(entries, *, partner_id=None, action="", object_type="", actor="", date_from=None,
                         date_to=None):
    """Narrow an audit queryset by the audit trail page's filters (all optional).

    ``actor`` matches the actor's email or name; dates are whole days in the site's time zone.
    """
    if partner_id:
        entries = entries.filter(partner_id=partner_id)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if actor:
        entries = entries.filter(Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor))
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        entries = entries.filter(at__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1),
                                                                  datetime.time.min, tzinfo=tz))
    return entries.select_related("actor")


def audit_actions(entries):
    return list(entries.order_by("action").values_list("action", flat=True).distinct())


def audit_object_types(entries):
    return list(entries.order_by("object_type").values_list("object_type", flat=True).distinct())


def unread_count(user):
    if not user.is_authenticated:
        return 0
    return user.notifications.filter(read_at__isnull=True).count()
