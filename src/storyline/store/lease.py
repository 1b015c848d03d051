"""The writer lease: one process at a time writes a store's stories and engine state.

SQLite serialises single transactions, but a tracker's unit of work (store a batch, link its
copies, assign stories, save the engines' snapshots) spans several, and two processes
interleaving them overwrote each other's stories (issue #9). The lease is an exclusive OS lock
(``flock``) on a file beside the store, ``STORE-writer``, held for one unit of work: the kernel
drops it when the holder exits, even on kill -9, so a crash never leaves a stale lease. The
file's content names the holder, for the waiting message only.

Waiters queue on a second lock, ``STORE-writer-next``: a process takes it before the lease and
drops it once it holds the lease, so a holder that releases and at once wants the lease again
(the next batch of a long ingest) must queue behind the process already waiting. Without it the
holder re-took the lease before the waiter's next poll, and a second ingest waited out the
first one's whole run.

Re-entrant within a process (a batch may refine inside its lease); threads of one process take
turns on a lock of their own. Without ``fcntl`` (Windows) the lease only serialises the threads of
one process.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from storyline.errors import StoreBusyError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

# How often a waiting writer tries the lease again: short beside a batch (about a second), long
# enough that polling costs nothing measurable.
POLL_SECONDS = 0.05


class ReentrantLease:
    """A lease that one process holds once however deep its blocks nest, and its threads take
    turns on; a backend supplies ``_acquire`` and ``_release`` (of the lock between processes)."""

    def __init__(self) -> None:
        self._threads = threading.RLock()
        self._depth = 0

    def _acquire(self, timeout: float, on_wait: Callable[[str], None] | None) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError

    @contextmanager
    def hold(
        self, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the lease for the block: wait up to ``timeout`` seconds for another process to
        release it (calling ``on_wait`` once with a message), then StoreBusyError."""
        if not self._threads.acquire(timeout=max(timeout, 0.0)):
            raise StoreBusyError("another thread of this process kept the store's writer lease")
        try:
            if self._depth == 0:
                self._acquire(timeout, on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()
        finally:
            self._threads.release()

    @property
    def held(self) -> bool:
        """Whether this process holds the lease now."""
        return self._depth > 0


def waiting_message(holder: str, store: str, timeout: float) -> str:
    """What a waiting writer tells its user, once."""
    return f"waiting for another process ({holder}) writing to {store} (up to {timeout:g} s)"


def busy_error(holder: str, store: str, timeout: float) -> StoreBusyError:
    """The error of a writer that waited out its timeout."""
    return StoreBusyError(
        f"another process ({holder}) kept the store's writer lease for more than {timeout:g} s",
        path=store,
    )


def holder_note() -> str:
    """How the holder names itself (its process, host and since when), for waiters' messages."""
    return f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%H:%M:%S}"


class WriterLease(ReentrantLease):
    """An exclusive, re-entrant lease on one store file for the writer of this process."""

    def __init__(self, store_path: str | None):
        super().__init__()
        self.path = f"{store_path}-writer" if store_path else None
        self._fd: int | None = None

    def _acquire(self, timeout: float, on_wait: Callable[[str], None] | None) -> None:
        if self.path is None or fcntl is None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        queue = os.open(f"{self.path}-next", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        waiting = _Waiting(fd, self.path.removesuffix("-writer"), timeout, on_wait)
        try:
            _lock(queue, deadline, waiting)
            try:
                _lock(fd, deadline, waiting)
            finally:
                fcntl.flock(queue, fcntl.LOCK_UN)
        except BaseException:
            os.close(fd)
            raise
        finally:
            os.close(queue)
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder_note().encode("utf-8"), 0)
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class _Waiting:
    """Says once that this process waits, and raises when the wait is over."""

    def __init__(
        self, fd: int, store: str, timeout: float, on_wait: Callable[[str], None] | None
    ):
        self.fd, self.store, self.timeout, self.on_wait = fd, store, timeout, on_wait
        self.told = False

    def tell(self) -> None:
        if not self.told and self.on_wait is not None:
            self.on_wait(waiting_message(_holder(self.fd), self.store, self.timeout))
        self.told = True

    def give_up(self) -> StoreBusyError:
        return busy_error(_holder(self.fd), self.store, self.timeout)


def _lock(fd: int, deadline: float, waiting: _Waiting) -> None:
    """An exclusive flock on fd, polled until the deadline."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise waiting.give_up() from None
            waiting.tell()
            time.sleep(POLL_SECONDS)


def _holder(fd: int) -> str:
    """Who holds the lease, as its holder wrote it."""
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
    except OSError:
        return "unknown"
