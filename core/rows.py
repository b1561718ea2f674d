"""Large reads as the database driver returns them."""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def driver_rows(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset (not flat) as tuples, for reads of a row per partner.

    Django converts every value of an aggregate as it reads it (``int()`` of a count, ``Decimal()`` of a sum),
    values psycopg2 has already made ints and Decimals: at 100,000 partners that was a tenth of a recalculation's
    reads, 0.1-0.3 s. On PostgreSQL the queryset's own SQL runs on a plain cursor; elsewhere (SQLite gives
    a decimal sum as a float or text) the queryset is read as usual."""
    if connection.vendor != "postgresql":
        return [tuple(row) for row in qs]
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (``__in=[]``): Django asks the database nothing
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
