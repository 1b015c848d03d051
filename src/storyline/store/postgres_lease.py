"""The writer lease of a PostgreSQL store: lease.py's semantics on session advisory locks.

One process at a time holds the lease of a store (a database and schema) for a unit of work of
several transactions. The lock belongs to the holder's database session, so the server drops it
when the holder's connection ends, even on kill -9: a crash never leaves a stale lease. Waiters
queue on a second advisory lock first, as lease.py's ``-writer-next`` file does, so a holder
that releases and at once wants the lease again lets the waiter in. The holder names itself in
its session's ``application_name``, which the waiting message reads.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from storyline.errors import StoreBusyError
from storyline.store.lease import POLL_SECONDS
from storyline.store.postgres_migrations import LOCK_LEASE, LOCK_LEASE_QUEUE

# pg_locks shows the two int4 keys of an advisory lock as classid and objid (oids, unsigned)
# with objsubid 2.
_HOLDER = (
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
    "AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)

Query = Callable[[str, tuple], Any]


class AdvisoryLease:
    """An exclusive, re-entrant lease on one store's schema for the writer of this process."""

    def __init__(self, query: Query, key: int, where: str):
        self.query, self.key, self.where = query, key, where
        self._threads = threading.RLock()
        self._depth = 0

    @contextmanager
    def hold(self, timeout: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
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
                    self._unlock(LOCK_LEASE)
        finally:
            self._threads.release()

    @property
    def held(self) -> bool:
        """Whether this process holds the lease now."""
        return self._depth > 0

    def _acquire(self, timeout: float, on_wait: Callable[[str], None] | None) -> None:
        deadline = time.monotonic() + timeout
        told = False
        for lock in (LOCK_LEASE_QUEUE, LOCK_LEASE):
            while not self.query("SELECT pg_try_advisory_lock(?, ?)", (lock, self.key)):
                if time.monotonic() >= deadline:
                    if lock == LOCK_LEASE:
                        self._unlock(LOCK_LEASE_QUEUE)
                    raise StoreBusyError(
                        f"another process ({self._holder()}) kept the store's writer lease for "
                        f"more than {timeout:g} s",
                        path=self.where,
                    )
                if not told and on_wait is not None:
                    on_wait(
                        f"waiting for another process ({self._holder()}) writing to "
                        f"{self.where} (up to {timeout:g} s)"
                    )
                told = True
                time.sleep(POLL_SECONDS)
        self._unlock(LOCK_LEASE_QUEUE)
        note = f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%H:%M:%S}"
        self.query("SELECT set_config('application_name', ?, false)", (note,))

    def _unlock(self, lock: int) -> None:
        self.query("SELECT pg_advisory_unlock(?, ?)", (lock, self.key))

    def _holder(self) -> str:
        """Who holds the lease, as its holder named its session."""
        name = self.query(_HOLDER, (LOCK_LEASE, self.key & 0xFFFF_FFFF))
        return name or "unknown"
