"""The PostgreSQL store: a server shared by a newsroom, the same Store as sqlite.py.

One connection per store object (psycopg 3, autocommit, explicit transactions); readers see
whole commits (MVCC). Write transactions take a transaction advisory lock first, so they are
serialised as SQLite's BEGIN IMMEDIATE serialises them: the revision numbers and duplicate
checks of two processes' batches never race. The store lives in the schema that the URL's
search_path selects (``?options=-csearch_path%3Dname``; ``public`` by default), so one database
can hold several stores.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from storyline.errors import StoreError
from storyline.model import Article, Story
from storyline.store import codec, postgres_search
from storyline.store.migrations import refuse_older
from storyline.store.postgres_lease import AdvisoryLease
from storyline.store.postgres_migrations import (
    LATEST_VERSION,
    LOCK_WRITE,
    check_version,
    migrate,
    scalar,
)
from storyline.store.sql import SQLStore
from storyline.store.urls import canonical_url

# As SQLite's BUSY_TIMEOUT_MS: a write transaction of another process holds the write lock for
# a batch (tens of ms); wait for it rather than fail, but report a store that is really stuck.
LOCK_TIMEOUT_MS = 5_000

# A server that does not answer within this is down or unreachable; say so instead of hanging.
CONNECT_TIMEOUT_S = 10

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def redact(url: str) -> str:
    """The URL with its password (if any) replaced by ***, for messages."""
    url = _PASSWORD.sub(r"\1***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


class PostgresStore(SQLStore):
    """A Store in a PostgreSQL database (a postgresql:// URL); its queries are sql.py's."""

    BYTEWISE = ' COLLATE "C"'
    FOR_UPDATE = " FOR UPDATE OF s"

    search_articles = postgres_search.search_articles
    articles_matching = postgres_search.articles_matching

    def __init__(self, url: str, read_only: bool = False):
        self.url = url
        self.path = redact(url)  # what messages name; never the password
        self.read_only = read_only
        self._lock = threading.RLock()
        self._conn: psycopg.Connection | None = None
        self._conn = self._connect()
        self._lease = AdvisoryLease(self._scalar, self._key, self.path)

    # ----------------------------------------------------------------------- connection

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=CONNECT_TIMEOUT_S,
                application_name=f"storyline pid {os.getpid()} on {socket.gethostname()}",
            )
        except (psycopg.Error, ValueError) as exc:
            raise StoreError(
                f"cannot connect to the store: {_first_line(exc)}",
                hint="check the postgresql:// URL (host, port, user, database) and that the "
                "server runs",
                path=self.path,
            ) from None
        try:
            conn.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            if self.read_only:
                conn.execute("SET default_transaction_read_only = on")
            if scalar(conn, "SELECT current_schema()") is None:
                raise StoreError(
                    "the URL's search_path names no existing schema",
                    hint="create the schema first (CREATE SCHEMA name) or drop the option",
                    path=self.path,
                )
            self._key = scalar(conn, "SELECT hashtext(current_schema())")
            if self.read_only:
                refuse_older(check_version(conn, self.path), LATEST_VERSION, self.path)
            else:
                migrate(conn, self.path, self._key)
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"cannot open the store: {_first_line(exc)}", path=self.path) from None
        except StoreError:
            conn.close()
            raise
        return conn

    @property
    def conn(self) -> psycopg.Connection:
        """The session; a new one when the server dropped it (see _reconnect)."""
        if SQLStore.conn.fget(self).broken:
            self._reconnect()
        return self._conn

    def _reconnect(self) -> None:
        """A new session after the server dropped this one (a restart, an idle timeout); refused
        while this process holds the writer lease, which ended with the old session."""
        if self._lease.held:
            raise self._lost_lease()
        self._conn.close()
        self._conn = self._connect()

    def reader(self) -> PostgresStore:
        """A new read-only store on the same database, for another thread or process."""
        return PostgresStore(self.url, read_only=True)

    @contextmanager
    def _tx(self) -> Iterator[_Qmark]:
        """One write transaction, serialised with every other writer's; rolled back on any
        error."""
        self._writable()
        with self._lock:
            conn = self.conn
            try:
                # BEGIN and the lock in one round trip (the keys are this code's integers)
                conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_WRITE}, {self._key:d})")
                try:
                    yield _Qmark(conn)
                except BaseException:
                    _rollback(conn)
                    raise
                conn.execute("COMMIT")
            except psycopg.Error as exc:
                _rollback(conn)
                if self.conn_broken and self._lease.held:
                    raise self._lost_lease() from None
                raise StoreError(f"cannot write: {_first_line(exc)}", path=self.path) from None

    def _lost_lease(self) -> StoreError:
        return StoreError(
            "lost the connection to the server while holding the writer lease",
            hint="run the command again: every batch committed before is kept",
            path=self.path,
        )

    def _all(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                try:
                    return self.conn.execute(pg_sql(sql), params).fetchall()
                except psycopg.OperationalError:
                    if not (self.conn_broken and not self._lease.held):
                        raise
                    return self.conn.execute(pg_sql(sql), params).fetchall()  # safe to retry
            except psycopg.Error as exc:
                raise StoreError(f"cannot read: {_first_line(exc)}", path=self.path) from None

    @property
    def conn_broken(self) -> bool:
        """Whether the server dropped this store's session (the next use opens a new one)."""
        return self._conn is not None and self._conn.broken

    # ----------------------------------------------------------------------- dialect

    def _find_same(self, conn: _Qmark, article: Article, text_hash: str) -> tuple:
        # one round trip: the stored article it duplicates (same id, else same text) and the
        # latest revision under its URL
        canon = canonical_url(article.url)
        found = conn.execute(
            "(SELECT 1 AS rank, id, revision FROM articles WHERE id = ?) "
            "UNION ALL (SELECT 2, id, revision FROM articles WHERE text_hash = ? LIMIT 1) "
            "UNION ALL (SELECT 3, id, revision FROM articles WHERE canonical_url = ? "
            "AND canonical_url <> '' ORDER BY revision DESC LIMIT 1) ORDER BY rank",
            (article.id, text_hash, canon),
        ).fetchall()
        same = next((r for r in found if r["rank"] < 3), None)
        return same, (found[0] if found and same is None else None), canon

    def _existing(self, conn: _Qmark, ids: tuple[str, ...]) -> set[str]:
        rows = conn.execute("SELECT id FROM articles WHERE id = ANY(?)", (list(ids),)).fetchall()
        return {r["id"] for r in rows}

    def _delete_in(self, conn: _Qmark, table: str, column: str, ids: list[str]) -> None:
        conn.execute(f"DELETE FROM {table} WHERE {column} = ANY(?)", (ids,))

    def _together(self, conn: _Qmark, first: tuple[str, tuple], then: tuple[str, tuple]) -> None:
        # one round trip: the first statement as a data-modifying WITH of the second
        conn.execute(f"WITH first AS ({first[0]}) {then[0]}", (*first[1], *then[1]))

    def _stories(self, where: str, params: tuple) -> list[Story]:
        # one statement, so the stories and their members come from one snapshot
        rows = self._all(
            f"SELECT s.*, ARRAY(SELECT m.article_id FROM story_articles m "
            f"WHERE m.story_id = s.id ORDER BY m.position) AS members FROM stories s "
            f'WHERE {where} ORDER BY s.first_seen_ts IS NULL, s.first_seen_ts, s.id COLLATE "C"',
            params,
        )
        return [codec.story_from_parts(r, r["members"]) for r in rows]


class _Qmark:
    """A psycopg connection with sql.py's ``?`` parameters (that SQL has no other ``?``)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()) -> psycopg.Cursor:
        return self.conn.execute(pg_sql(sql), params)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(pg_sql(sql), rows)


@functools.lru_cache(maxsize=256)
def pg_sql(sql: str) -> str:
    """psycopg's ``%s`` parameters for sql.py's ``?`` (its queries are a few dozen texts)."""
    return sql.replace("?", "%s")


def _rollback(conn: psycopg.Connection) -> None:
    """End the open transaction, if any (a broken connection has none to end)."""
    try:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.execute("ROLLBACK")
    except psycopg.Error:
        pass


def _first_line(exc: BaseException) -> str:
    """A driver error's first line (its detail lines repeat the query)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
