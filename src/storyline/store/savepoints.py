"""A write inside an open batch (Store.batch()): a savepoint of the batch's transaction, as
both SQL backends spell it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from storyline.errors import StoreError


@contextmanager
def savepoint(conn: Any, path: str, errors: type[Exception]) -> Iterator[None]:
    """A write inside an open batch: its own savepoint, so a failed write is undone alone as
    its own transaction would be, and the batch goes on."""
    try:
        conn.execute("SAVEPOINT write")
    except errors as exc:
        raise StoreError(f"cannot write: {exc}", path=path) from None
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO SAVEPOINT write")
        conn.execute("RELEASE SAVEPOINT write")
        raise
    conn.execute("RELEASE SAVEPOINT write")
