"""The one reader of every CSV import (sales-system opportunities and customer accounts, the partner roster),
and the row errors they all report. All or nothing: every problem of the file is found, each with its
line number (the physical line of the file, header = line 1; for an API list the item's position, first
= 1), and the import writes nothing unless there is none.

Line numbers are counted here, not taken from ``csv.reader.line_num``: on a value longer than the csv
module's field limit, that attribute names the line before the one being read.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Row = tuple[int, dict[str, Any]]


class RowError(NamedTuple):
    line: int  # 0 = the file (or the request) as a whole
    field: str  # '' = the row as a whole
    message: str

    def __str__(self) -> str:
        # The field is a column or API field name (a file format): shown as it is, not translated.
        if not self.line:
            return _("%(field)s: %(message)s") % {"field": self.field, "message": self.message} if self.field \
                else self.message
        if self.field:
            return _("Line %(line)s, %(field)s: %(message)s") % {"line": self.line, "field": self.field,
                                                                 "message": self.message}
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.line, "field": self.field, "message": self.message}


class ImportRejected(ValidationError):
    """Raised with every row error (``row_errors``, in line order); nothing has been written."""

    def __init__(self, row_errors: Iterable[RowError | tuple[int, str, str]]):
        self.row_errors = sorted((RowError(*e) for e in row_errors), key=lambda e: e.line)
        super().__init__([str(e) for e in self.row_errors])


class _CountedLines:
    """The text's lines, counting how many the csv reader has taken: the line it is reading is the last."""

    def __init__(self, text: str):
        self._lines = io.StringIO(text, newline="")
        self.count = 0

    def __iter__(self) -> "_CountedLines":
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def read_csv(content: bytes, *, columns: Sequence[str], required: Sequence[str], max_rows: int,
             max_bytes: int | None = None) -> list[Row]:
    """``(line, {column: text})`` pairs of an uploaded CSV, blank lines skipped; or ImportRejected.

    Header names are matched without surrounding spaces and case; a column with an empty name is ignored.
    A row with fewer values than columns lacks the last columns; one with more is an error.
    """
    if max_bytes is not None and len(content) > max_bytes:
        raise ImportRejected([(0, "file", _("The file is larger than %(n)s MB.") % {"n": max_bytes // (1024 * 1024)})])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([(0, "file", _("The file is not UTF-8 text; save it as CSV (UTF-8) and try again."))])
    if "\x00" in text:
        raise ImportRejected([(0, "file", _("The file is not a CSV text file."))])
    lines = _CountedLines(text)
    reader = csv.reader(lines)
    rows, errors = [], []
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ImportRejected([(1, "file", _("The file is empty; the first line must name the columns."))])
        names = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in names]
        unknown = [n for n in names if n and n not in columns]
        if missing:
            # Translators: English keeps "column(s)" in both forms; write each plural form as your language needs.
            errors.append((1, "header", ngettext("Missing column(s): %(missing)s. Expected: %(columns)s.",
                                                 "Missing column(s): %(missing)s. Expected: %(columns)s.", len(missing))
                           % {"missing": ", ".join(missing), "columns": ", ".join(columns)}))
        if unknown:
            errors.append((1, "header", ngettext("Unknown column(s): %(unknown)s.", "Unknown column(s): %(unknown)s.",
                                                 len(unknown)) % {"unknown": ", ".join(u[:30] for u in unknown)}))
        if errors:
            raise ImportRejected(errors)
        for values in reader:
            line = lines.count
            if not any(v.strip() for v in values):
                continue  # blank line
            if len(values) > len(names):
                errors.append((line, "", ngettext(
                    "This line has more values than the header has columns (%(values)d values for %(columns)d column).",
                    "This line has more values than the header has columns (%(values)d values for %(columns)d columns).",
                    len(names)) % {"values": len(values), "columns": len(names)}))
                continue
            rows.append((line, {name: value for name, value in zip(names, values, strict=False) if name}))
            if len(rows) > max_rows:
                raise ImportRejected([(0, "file", ngettext("More than %(n)s row; split the file.",
                                                           "More than %(n)s rows; split the file.", max_rows)
                                        % {"n": number_format(max_rows, force_grouping=True)})])
    except csv.Error as exc:
        if "field limit" in str(exc):
            limit = csv.field_size_limit()
            message = ngettext("A value is longer than %(n)s character.", "A value is longer than %(n)s characters.",
                               limit) % {"n": number_format(limit, force_grouping=True)}
        else:
            # The csv module's own words (English): what it found wrong.
            message = _("Not valid CSV: %(error)s.") % {"error": exc}
        raise ImportRejected([*errors, (lines.count, "", message)])
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([(0, "file", _("The file has a header but no rows."))])
    return rows


def check_shape(rows: Iterable[tuple[int, Any]], *, columns: Sequence[str],
                row_field: str = "") -> tuple[list[Row], list[RowError]]:
    """Rows whose items are objects with the import's columns only, and the errors of the others: an item
    that is not an object, an unknown field (reported on ``row_field``). Unknown fields are dropped from
    the row, so the import's rules still check the rest of it."""
    shaped, errors = [], []
    for line, item in rows:
        if not isinstance(item, Mapping):
            errors.append(RowError(line, row_field, _("Each row must be an object with the import's columns.")))
            continue
        unknown = sorted(set(item) - set(columns))
        if unknown:
            message = ngettext("Unknown field(s): %(unknown)s.", "Unknown field(s): %(unknown)s.", len(unknown))
            errors.append(RowError(line, row_field, message % {"unknown": ", ".join(unknown)[:100]}))
        shaped.append((line, {k: v for k, v in item.items() if k in columns}))
    return shaped, errors


def api_rows(items: Sequence[Any], *, columns: Sequence[str], row_field: str = "") -> tuple[list[Row], list[RowError]]:
    """The rows of an API body (a list of objects) numbered from 1 like CSV lines, checked by check_shape."""
    return check_shape(enumerate(items, start=1), columns=columns, row_field=row_field)
