"""The rules phase of a recalculation spread over the machine's cores.

A recalculation's Python work (the rules for each partner, the assessment rows in CSV) is independent from
partner to partner once the metrics are read; one process runs on one core. ``ForkedChunks`` forks a
child per extra core after the reads, each computing the text of a share of the partners from the data it
inherits (no database connection of its own: it never touches the parent's either), and hands their text
to one COPY in the parent's transaction, interleaved with the parent's own share. The run stays one
transaction; only the CPU work is spread.
"""

import contextlib
import fcntl
import os
import pickle
import traceback
from multiprocessing.connection import Connection, wait
from typing import Any

# The parent drains the children's pipes between two chunks of its own; a pipe that holds a few chunks
# lets a child run ahead instead of waiting on every chunk (Linux: up to /proc/sys/fs/pipe-max-size).
PIPE_BYTES = 1 << 20
_DATA, _END, _ERROR = b"D", b"E", b"X"


def cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork():
    return hasattr(os, "fork")


class ChildFailed(RuntimeError):
    """A child process raised or died: the run fails as it would have in one process."""


class ForkedChunks:
    """A file-like object for COPY FROM: read() returns the next text chunk of any share.

    ``produce(share)`` is a generator of text chunks whose return value is a summary (e.g. counts); the
    first share is produced here, the others in forked children. After the last chunk, ``summaries`` holds
    every share's summary, in share order.
    """

    def __init__(self, produce, shares):
        self.summaries: list[Any] = [None] * len(shares)
        # psycopg2 turns an exception raised in read() into a cancelled COPY: the cause is kept here.
        self.failure = None
        self.rows_written = 0
        self._children = {}
        self._pids = []
        try:
            for index, share in enumerate(shares[1:], start=1):
                self._fork(produce, share, index)
        except BaseException:
            self.close()
            raise
        self._own = produce(shares[0])
        self._own_done = False

    def _fork(self, produce, share, index):
        read_fd, write_fd = os.pipe()
        with contextlib.suppress(AttributeError, OSError):
            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        pid = os.fork()
        if pid == 0:  # the child: compute, send, exit without running the parent's cleanup
            code = 1
            try:
                os.close(read_fd)
                for other in self._children:
                    other.close()
                code = self._produce_in_child(produce, share, Connection(write_fd, readable=False))
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pids.append(pid)
        self._children[Connection(read_fd, writable=False)] = index

    @staticmethod
    def _produce_in_child(produce, share, out):
        try:
            chunks = produce(share)
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration as done:
                    out.send_bytes(_END + pickle.dumps(done.value))
                    return 0
                out.send_bytes(_DATA + chunk.encode())
        except BaseException:
            with contextlib.suppress(BaseException):
                out.send_bytes(_ERROR + traceback.format_exc().encode())
            return 1

    def read(self, size=-1):
        while True:
            ready = [c for c in self._children if c.poll(0)]
            for conn in ready:
                chunk = self._receive(conn)
                if chunk:
                    return chunk
            if not self._own_done:
                try:
                    return next(self._own)
                except StopIteration as done:
                    self.summaries[0] = done.value
                    self._own_done = True
            if not self._children:
                self._reap()
                return ""
            wait(list(self._children))

    def _receive(self, conn):
        try:
            message = conn.recv_bytes()
        except EOFError:
            self.close()
            self.failure = ChildFailed("A recalculation process ended without finishing its share.")
            raise self.failure from None
        kind, body = message[:1], message[1:]
        if kind == _DATA:
            return body.decode()
        index = self._children.pop(conn)
        conn.close()
        if kind == _ERROR:
            self.close()
            self.failure = ChildFailed(f"A recalculation process failed:\n{body.decode()}")
            raise self.failure
        self.summaries[index] = pickle.loads(body)  # noqa: S301 - our own child's message
        return ""

    def _reap(self):
        for pid in self._pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._pids = []

    def close(self):
        """Stop the children (a failed COPY or a failed child ends the run)."""
        for conn in self._children:
            conn.close()
        self._children = {}
        for pid in self._pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
        self._reap()
