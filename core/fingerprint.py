"""A fingerprint of the rows a page reads, to keep what it computed from them until one of them changes.

Each row is named by its id and PostgreSQL's ``xmin``, the transaction that wrote the row's current version:
every INSERT and UPDATE gives the row a new one and a DELETE removes it. So every write changes the digest,
whatever made it (a service, an import's COPY, a recalculation's bulk UPDATE, the Django admin, a data
migration), and no write path can forget to invalidate what is kept. A version that each service bumped would
have to be repeated in every write of every app behind the page, and kept up in every new one.

One query, of index scans on the partner's rows: about a millisecond, against the dozen queries it saves.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

# (model, which of its rows): a WHERE clause in which ``%(p)s`` is the partner id and ``{ModelName}`` the table
# of a model of the same list (for rows reached through another table).
Rows = Sequence[tuple[type[Model], str]]


def _sql(rows: Rows) -> str:
    tables = {model.__name__: connection.ops.quote_name(model._meta.db_table) for model, _where in rows}
    # Table names come from the models; the partner id is a query parameter.
    parts = [
        "(SELECT string_agg(t.id::text || '.' || t.xmin::text, ',' ORDER BY t.id) FROM "  # noqa: S608
        f"{tables[model.__name__]} t WHERE {where.format(**tables)})"
        for model, where in rows
    ]
    return f"SELECT md5(concat_ws('|', {', '.join(parts)}))"


def digest(rows: Rows, *, partner_id: int) -> str | None:
    """The digest of ``rows`` for a partner, or None when it cannot be trusted: inside a transaction (a reader
    there could keep what the transaction may still roll back, and two writes of one transaction leave the
    same xmin; tests, which each run in one, so always read afresh) and on a database without xmin (SQLite
    under ``make run``). Read it before the rows it stands for: a write committed in between then only makes
    the kept entry newer than its digest, never older."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    params: dict[str, Any] = {"p": partner_id}
    with connection.cursor() as cursor:
        cursor.execute(_sql(rows), params)
        return cursor.fetchone()[0]
