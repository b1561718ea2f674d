"""Reads of the activity app."""

import datetime
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import AuditEntry, Notification

# The navigation shows "99+" beyond this: nobody reads a hundred notifications from a badge.
UNREAD_CAP = 99
# The API's count: exact up to here, then "more than this" (counting 100,000 unread took 9 ms a request).
UNREAD_API_CAP = 10_000


class CappedCount(int):
    """A count that stopped at a cap: compares as the cap, shows as "cap+" once more rows were there."""

    capped = False

    def __new__(cls, counted, cap):
        value = super().__new__(cls, min(counted, cap))
        value.capped = counted > cap
        return value

    def __str__(self):
        return f"{int(self)}+" if self.capped else str(int(self))


def capped_count(queryset, cap):
    """Count at most ``cap`` + 1 rows (one query, ``SELECT COUNT(*) FROM (... LIMIT cap + 1)``): the time of a
    count of everything grows with the data, a bounded one does not. Ids only and no order: which rows are
    counted does not matter, and sorting every match before the limit is what made the count grow."""
    return CappedCount(queryset.order_by().values("pk")[: cap + 1].count(), cap)


class CappedPaginator(Paginator):
    """Pages over at most ``cap`` rows: the newest ``cap`` are reachable, the count says "cap+" beyond them.
    A list reading a page of a million rows then costs what it costs at a thousand."""

    CAP = 10_000

    def __init__(self, object_list, per_page, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or self.CAP

    @cached_property
    def count(self):
        return capped_count(self.object_list, self.cap)


class AuditPaginator(CappedPaginator):
    """The audit trail counts up to 1,000 matching entries (20 pages): beyond, the dates and the other filters
    narrow it. Counting 10,000 entries of the partners whose name has a common word took half a second among
    a million entries."""

    CAP = 1_000


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


# Columns that lead an index of the audit trail: Meta.indexes (action) and (object_type, object_id).
_JUMPABLE = ("action", "object_type")


def _distinct_leading(entries, column):
    """The distinct values of an indexed column of the whole trail, found by jumping through its index (one
    probe per value, a "loose index scan") rather than reading every entry: a few dozen actions among a
    million entries cost what they cost among a thousand."""
    if entries.query.where or connection.vendor != "postgresql":
        return list(entries.order_by(column).values_list(column, flat=True).distinct())
    if column not in _JUMPABLE:
        raise ValueError(f"no index leads with {column!r}")
    table = AuditEntry._meta.db_table
    # column is one of the constants above (never user input): safe to place in the statement.
    sql = (f"WITH RECURSIVE found(v) AS ((SELECT {column} FROM {table} ORDER BY {column} LIMIT 1) UNION ALL "  # noqa: S608
           f"SELECT (SELECT {column} FROM {table} WHERE {column} > found.v ORDER BY {column} LIMIT 1) "
           f"FROM found WHERE found.v IS NOT NULL) SELECT v FROM found WHERE v IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def audit_actions(entries):
    return _distinct_leading(entries, "action")


def audit_object_types(entries):
    # (object_type, object_id) leads with object_type: the jumps use it.
    return _distinct_leading(entries, "object_type")


def unread_count(user, cap=UNREAD_CAP):
    """The navigation's unread count, capped (shown as "99+"; the API counts up to UNREAD_API_CAP); the partial
    index on unread notifications serves it. The statement capped_count would build, written out: every
    signed-in page reads it, and the ORM's building of the subquery cost a millisecond of CPU, ten times the
    statement itself."""
    if not user.is_authenticated:
        return 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE recipient_id = %s AND read_at IS NULL "  # noqa: S608
            "LIMIT %s) capped", [user.pk, cap + 1])
        counted = cursor.fetchone()[0]
    return CappedCount(counted, cap)
