"""Feeding PostgreSQL's COPY FROM from Python rows without building the whole text in memory."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any


class CsvStream:
    """A file-like object whose read() turns the next rows of an iterator into CSV text, for COPY FROM
    (psycopg2's ``cursor.copy_expert(sql, stream, size)``). ``rows_written`` counts the rows read so far."""

    def __init__(self, rows: Iterable[Iterable[Any]]):
        self.rows: Iterator[Iterable[Any]] = iter(rows)
        self.rows_written = 0
        self.buffer = io.StringIO()
        self.writerow = csv.writer(self.buffer).writerow

    def read(self, size: int = -1) -> str:
        buffer, writerow = self.buffer, self.writerow
        n = 0
        for row in self.rows:
            writerow(row)
            n += 1
            if size > 0 and buffer.tell() >= size:
                break
        self.rows_written += n
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data
