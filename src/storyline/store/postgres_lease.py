"""The writer lease of a PostgreSQL store: lease.py's semantics on session advisory locks.

One process at a time holds the lease of a store (a database and schema) for a unit of work of
several transactions. The lock belongs to the holder's database session, so the server drops it
when the holder's connection ends, even on kill -9: a crash never leaves a stale lease. Waiters
queue on a second advisory lock first, as lease.py's ``-writer-next`` file does, so a holder
that releases and at once wants the lease again lets the waiter in. The holder names itself in
its session's ``application_name``, which the waiting message reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from storyline.store.lease import (
    POLL_SECONDS,
    ReentrantLease,
    busy_error,
    holder_note,
    waiting_message,
)
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


class AdvisoryLease(ReentrantLease):
    """An exclusive, re-entrant lease on one store's schema for the writer of this process."""

    def __init__(self, query: Query, key: int, where: str):
        super().__init__()
        self.query, self.key, self.where = query, key, where

    def _acquire(self, timeout: float, on_wait: Callable[[str], None] | None) -> None:
        deadline = time.monotonic() + timeout
        told = False
        for lock in (LOCK_LEASE_QUEUE, LOCK_LEASE):
            while not self.query("SELECT pg_try_advisory_lock(?, ?)", (lock, self.key)):
                if time.monotonic() >= deadline:
                    if lock == LOCK_LEASE:
                        self._unlock(LOCK_LEASE_QUEUE)
                    raise busy_error(self._holder(), self.where, timeout)
                if not told and on_wait is not None:
                    on_wait(waiting_message(self._holder(), self.where, timeout))
                told = True
                time.sleep(POLL_SECONDS)
        self._unlock(LOCK_LEASE_QUEUE)
        self.query("SELECT set_config('application_name', ?, false)", (holder_note(),))

    def _release(self) -> None:
        self._unlock(LOCK_LEASE)

    def _unlock(self, lock: int) -> None:
        self.query("SELECT pg_advisory_unlock(?, ?)", (lock, self.key))

    def _holder(self) -> str:
        """Who holds the lease, as its holder named its session."""
        name = self.query(_HOLDER, (LOCK_LEASE, self.key & 0xFFFF_FFFF))
        return name or "unknown"
