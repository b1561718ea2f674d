"""CSV exports streamed row by row: constant memory whatever the number of rows.

The rows come from a queryset's ``.iterator()`` (a server-side cursor on PostgreSQL: one query, fetched in
chunks), are written through the csv module into a one-line buffer, and leave as they are written."""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

CHUNK_SIZE = 2000
# A cell starting with one of these is a formula to a spreadsheet; it is prefixed so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write() hands back what it was given (csv.writer writes one row)."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def stream_csv(*, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> StreamingHttpResponse:
    """A streaming CSV download of ``header`` and the iterable ``rows`` (each a sequence of cells)."""
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)  # the BOM makes spreadsheet programs read UTF-8
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
