"""Writes on a second connection to the same database while this thread's transaction goes on.

PostgreSQL runs one transaction's statements one after another in one server process, on one core. Writes
that say what the transaction did (a recalculation's notifications) can run at the same time on a second
connection, on the other core. Their transaction commits just after the caller's, and rolls back if the
caller's does not. Only a crash between the two commits can leave the caller's writes without them.

    with alongside() as side, transaction.atomic():
        ...
        if side.available:
            written = side.start(reads=..., writes=...)
        ...
        written.result()  # before the caller's commit: a failure on the side fails the caller too

A second connection sees only committed rows. So ``side.available`` is False inside a caller's transaction
(the reads would miss its writes), and on databases other than PostgreSQL.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

from django.db import connection, transaction

logger = logging.getLogger(__name__)


class _CallerRolledBack(Exception):  # noqa: N818 - a signal between the threads, not an error
    """The caller's transaction did not commit: the side's transaction rolls back with it."""


class Alongside:
    def __init__(self, available: bool):
        self.available = available
        self._caller_committed: Future[bool] = Future()
        self._threads: list[threading.Thread] = []

    def start(self, *, reads: Callable[[], Any], writes: Callable[[Any], Any]) -> Future:
        """On a new connection in a thread of its own: ``reads()``, each statement committed as it ends, so
        none of its locks outlive it; then ``writes(what reads returned)`` in one transaction, with every
        constraint checked as each row is written, so that only the commit is left when it returns. That
        transaction waits for the caller's and commits or rolls back after it.

        Returns the future of what ``writes`` returns. The caller waits for it before it commits, and before
        it locks anything the side reads or writes (the side would wait for the caller's commit, which waits
        for the side)."""
        if not self.available:
            raise RuntimeError("no second connection inside a caller's transaction or off PostgreSQL")
        written: Future = Future()

        def run() -> None:
            try:
                value = reads()
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    written.set_result(writes(value))
                    if not self._caller_committed.result():
                        raise _CallerRolledBack
            except _CallerRolledBack:
                pass
            except BaseException as error:  # noqa: BLE001 - reported to the caller or, after it committed, logged
                if written.done():
                    logger.exception("The writes alongside a committed transaction failed at their own commit")
                else:
                    written.set_exception(error)
            finally:
                connection.close()  # this thread's own connection

        thread = threading.Thread(target=run, name="alongside", daemon=True)
        self._threads.append(thread)
        thread.start()
        return written

    def _finish(self, caller_committed: bool) -> None:
        self._caller_committed.set_result(caller_committed)
        for thread in self._threads:
            thread.join()


@contextlib.contextmanager
def alongside() -> Iterator[Alongside]:
    """Enter before the caller's transaction and leave after it: the side's writes commit only once it has."""
    side = Alongside(available=connection.vendor == "postgresql" and not connection.in_atomic_block)
    try:
        yield side
    except BaseException:
        side._finish(False)
        raise
    side._finish(True)
