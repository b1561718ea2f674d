"""Seeding large tables for the benchmarks with PostgreSQL's COPY (not the ORM): a million rows in seconds.

``copy_rows(Model, columns, rows)`` writes the given columns from Python tuples; every other column gets the
model field's default (a callable default is called per row, e.g. a unique token), NULL where the field
allows it, or now() for auto_now(_add) fields, so a column added by a later migration needs no change here.
"""

import datetime
import json
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from core.copy import CsvStream

COPY_CHUNK = 1 << 20


def _csv_value(value):
    if value is None:
        return None  # an unquoted empty field: NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _filler(field, now):
    """How a column that the caller does not give is filled: a constant, or a callable run per row."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False, now
    if field.has_default():
        if callable(field.default):
            return True, field.default
        return False, field.get_default()
    if field.null:
        return False, None
    if isinstance(field, (models.CharField, models.TextField)):
        return False, ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value: pass it in the columns")


def copy_rows(model, columns, rows):
    """COPY ``rows`` (tuples in the order of ``columns``, database column names) into ``model``'s table.
    Returns the number of rows written."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_column = {f.column: f for f in fields}
    unknown = set(columns) - set(by_column)
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {sorted(unknown)}")
    rest = [(f.column, *_filler(f, now)) for f in fields if f.column not in columns]
    all_columns = [*columns, *(c for c, _, _ in rest)]
    text = [c for c in all_columns if isinstance(by_column[c], (models.CharField, models.TextField))
            and not by_column[c].null]

    def full_rows():
        for row in rows:
            yield [*(_csv_value(v) for v in row),
                   *(_csv_value(value() if per_row else value) for _, per_row, value in rest)]

    stream = CsvStream(full_rows())
    # CSV mode reads an unquoted empty field as NULL; FORCE_NOT_NULL reads it as '' for the text columns.
    force = f", FORCE_NOT_NULL ({', '.join(text)})" if text else ""
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(all_columns)}) FROM STDIN WITH (FORMAT csv{force})",
            stream, COPY_CHUNK)
    return stream.rows_written
