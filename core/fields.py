"""Model fields shared by the apps."""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class JSONTextField(models.JSONField):
    """A JSONField that PostgreSQL keeps as ``json``, the text as written, instead of ``jsonb``.

    For values written in bulk and read back whole, never searched inside: ``json`` only checks the text
    on the way in, where ``jsonb`` parses it into its binary form, which costs the server more than the
    rest of a row. The column has no equality operator (no DISTINCT, GROUP BY or UNION over it), and no
    lookups into it; a value cast with ``::jsonb`` is the same jsonb as before. Other databases: as
    JSONField.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        # psycopg2 parses json itself (only jsonb is left as text for Django).
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)
