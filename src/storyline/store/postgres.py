"""The PostgreSQL store: a server shared by a newsroom, the same Store as sqlite.py.

One connection per store object (psycopg 3, autocommit, explicit transactions); readers see
whole commits (MVCC). Write transactions take a transaction advisory lock first, so they are
serialised as SQLite's BEGIN IMMEDIATE serialises them: the revision numbers and duplicate
checks of two processes' batches never race. The store lives in the schema that the URL's
search_path selects (``?options=-csearch_path%3Dname``; ``public`` by default), so one database
can hold several stores.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from storyline.errors import NotFoundError, StoreError
from storyline.model import AnalyzedArticle, Article
from storyline.store import codec
from storyline.store.base import AddResult, FeedState, Skip
from storyline.store.postgres_lease import AdvisoryLease
from storyline.store.postgres_migrations import (
    LATEST_VERSION,
    LOCK_WRITE,
    check_version,
    migrate,
    scalar,
)
from storyline.store.postgres_stories import PostgresStories
from storyline.store.urls import canonical_url

# As SQLite's BUSY_TIMEOUT_MS: a write transaction of another process holds the write lock for
# a batch (tens of ms); wait for it rather than fail, but report a store that is really stuck.
LOCK_TIMEOUT_MS = 5_000

# A server that does not answer within this is down or unreachable; say so instead of hanging.
CONNECT_TIMEOUT_S = 10

# Articles read per query by articles(), as sqlite.PAGE_SIZE.
PAGE_SIZE = 500

_SELECT_ARTICLE = "SELECT " + ", ".join(codec.ARTICLE_COLUMNS) + " FROM articles"

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def redact(url: str) -> str:
    """The URL with its password (if any) replaced by ***, for messages."""
    url = _PASSWORD.sub(r"\1***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


class PostgresStore(PostgresStories):
    """A Store in a PostgreSQL database (a postgresql:// URL)."""

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
                version = check_version(conn, self.path)
                if version < LATEST_VERSION:
                    raise StoreError(
                        f"the store is at schema version {version}, this Storyline needs "
                        f"{LATEST_VERSION}",
                        hint="open it once for writing (any storyline command) to migrate it",
                        path=self.path,
                    )
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
        if self._conn is None:
            raise StoreError("the store is closed", path=self.path)
        if self._conn.broken:
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

    def close(self) -> None:
        """Close the connection (idempotent); the server drops a lease it held."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writer(
        self, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the store's writer lease (one process at a time, see ``postgres_lease.py``) for
        a unit of work of several transactions; waits up to ``timeout`` s, then StoreBusyError."""
        if self.read_only:
            raise StoreError("the store was opened read-only", path=self.path)
        with self._lease.hold(timeout, on_wait):
            yield

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        """One write transaction, serialised with every other writer's; rolled back on any
        error."""
        if self.read_only:
            raise StoreError("the store was opened read-only", path=self.path)
        with self._lock:
            conn = self.conn
            try:
                # BEGIN and the lock in one round trip (the keys are this code's integers)
                conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_WRITE}, {self._key:d})")
                try:
                    yield conn
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
                    return self.conn.execute(sql, params).fetchall()
                except psycopg.OperationalError:
                    if not (self.conn_broken and not self._lease.held):
                        raise
                    return self.conn.execute(sql, params).fetchall()  # a read is safe to retry
            except psycopg.Error as exc:
                raise StoreError(f"cannot read: {_first_line(exc)}", path=self.path) from None

    @property
    def conn_broken(self) -> bool:
        """Whether the server dropped this store's session (the next use opens a new one)."""
        return self._conn is not None and self._conn.broken

    def _one(self, sql: str, params: tuple = ()) -> dict[str, Any] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: tuple = ()) -> Any:
        row = self._one(sql, params)
        return next(iter(row.values())) if row else None

    # ----------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> AddResult:
        """Store one article idempotently (see AddResult)."""
        with self._tx() as conn:
            return self._add(conn, article)

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """add_article for many, in one transaction."""
        with self._tx() as conn:
            return [self._add(conn, article) for article in articles]

    def _add(self, conn: psycopg.Connection, article: Article) -> AddResult:
        row = codec.article_to_row(article)
        canon = canonical_url(article.url)
        # one round trip: the stored article it duplicates (same id, else same text) and the
        # latest revision under its URL
        found = conn.execute(
            "(SELECT 1 AS rank, id, revision FROM articles WHERE id = %s) "
            "UNION ALL (SELECT 2, id, revision FROM articles WHERE text_hash = %s LIMIT 1) "
            "UNION ALL (SELECT 3, id, revision FROM articles WHERE canonical_url = %s "
            "AND canonical_url <> '' ORDER BY revision DESC LIMIT 1) ORDER BY rank",
            (article.id, row["text_hash"], canon),
        ).fetchall()
        same = next((r for r in found if r["rank"] < 3), None)
        if same is not None:
            return AddResult("duplicate", same["id"], same["revision"], original_id=same["id"])
        previous = found[0] if found else None
        revision = previous["revision"] + 1 if previous else 1
        row.update(
            canonical_url=canon,
            revision=revision,
            previous_id=previous["id"] if previous else None,
            ingested_at=codec.utc_now(),
        )
        if previous is not None:
            conn.execute(
                "UPDATE articles SET latest = FALSE WHERE canonical_url = %s AND latest", (canon,)
            )
        conn.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})",
            tuple(row.values()),
        )
        if previous is not None:
            return AddResult("revision", article.id, revision, previous_id=previous["id"])
        return AddResult("added", article.id, 1)

    def get_article(self, article_id: str) -> Article:
        """The article with this id (any revision); NotFoundError if none."""
        row = self._one(f"{_SELECT_ARTICLE} WHERE id = %s", (article_id,))
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)
        return codec.article_from_row(row)

    def articles(
        self,
        since: datetime | None = None,
        limit: int | None = None,
        all_revisions: bool = False,
    ) -> Iterator[Article]:
        """Latest revisions (every revision with all_revisions) in published order, ingest order
        among equals, undated last; ``since`` keeps dated articles published at or after it."""
        where = ["TRUE"] if all_revisions else ["latest"]
        params: list = []
        if since is not None:
            where.append("published_ts >= %s")
            params.append(codec.dt_to_ts(since))
        # Keyset paging on (undated, published_ts, seq): stable while writers append.
        order = "(published_ts IS NULL), COALESCE(published_ts, 0), seq"
        key: tuple = ()
        left = limit
        while left is None or left > 0:
            page = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
            after = f" AND ({order}) > (%s, %s, %s)" if key else ""
            rows = self._all(
                f"SELECT seq, published_ts IS NULL AS undated, "
                f"COALESCE(published_ts, 0) AS ts, {', '.join(codec.ARTICLE_COLUMNS)} "
                f"FROM articles WHERE {' AND '.join(where)}{after} ORDER BY {order} LIMIT %s",
                (*params, *key, page),
            )
            for row in rows:
                yield codec.article_from_row(row)
            if len(rows) < page:
                return
            last = rows[-1]
            key = (last["undated"], last["ts"], last["seq"])
            if left is not None:
                left -= len(rows)

    def count_articles(self, all_revisions: bool = False) -> int:
        """How many articles articles() lists."""
        where = "" if all_revisions else " WHERE latest"
        return self._scalar(f"SELECT COUNT(*) FROM articles{where}")

    def find_by_url(self, url: str) -> Article | None:
        """The latest revision stored under this URL's canonical form."""
        canon = canonical_url(url)
        if not canon:
            return None
        row = self._one(
            f"{_SELECT_ARTICLE} WHERE canonical_url = %s ORDER BY revision DESC LIMIT 1", (canon,)
        )
        return codec.article_from_row(row) if row else None

    def revisions(self, url: str) -> list[Article]:
        """Every revision stored under this URL's canonical form, oldest first."""
        canon = canonical_url(url)
        if not canon:
            return []
        rows = self._all(f"{_SELECT_ARTICLE} WHERE canonical_url = %s ORDER BY revision", (canon,))
        return [codec.article_from_row(r) for r in rows]

    def revision_of(self, article_id: str) -> int:
        """The revision number of a stored article; NotFoundError if none."""
        revision = self._scalar("SELECT revision FROM articles WHERE id = %s", (article_id,))
        if revision is None:
            raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)
        return revision

    def _require_articles(self, conn: psycopg.Connection, *ids: str) -> None:
        if not ids:
            return
        found = {
            r["id"]
            for r in conn.execute(
                "SELECT id FROM articles WHERE id = ANY(%s)", (list(ids),)
            ).fetchall()
        }
        for article_id in ids:
            if article_id not in found:
                raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)

    # ----------------------------------------------------------------------- analyses

    def save_analysis(self, analysis: AnalyzedArticle) -> None:
        """Store (replace) every annotation layer and the sentence vectors of an article."""
        layers = codec.analysis_to_json(analysis)
        blob, shape = codec.vectors_to_blob(analysis.vectors)
        with self._tx() as conn:
            self._require_articles(conn, analysis.article.id)
            conn.execute(
                "INSERT INTO analyses (article_id, layers, vectors, vectors_shape, saved_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                "layers = excluded.layers, vectors = excluded.vectors, "
                "vectors_shape = excluded.vectors_shape, saved_at = excluded.saved_at",
                (analysis.article.id, layers, blob, shape, codec.utc_now()),
            )

    def get_analysis(self, article_id: str) -> AnalyzedArticle | None:
        """The stored analysis, None when the article was not analysed yet."""
        row = self._one(
            "SELECT layers, vectors, vectors_shape FROM analyses WHERE article_id = %s",
            (article_id,),
        )
        if row is None:
            return None
        article = self.get_article(article_id)
        blob = bytes(row["vectors"]) if row["vectors"] is not None else None
        vectors = codec.vectors_from_blob(blob, row["vectors_shape"])
        return codec.analysis_from_json(row["layers"], article, vectors)

    def analysed_ids(self) -> set[str]:
        """Ids of every article with a stored analysis."""
        return {r["article_id"] for r in self._all("SELECT article_id FROM analyses")}

    # ----------------------------------------------------------------------- copies

    def link_copy(self, article_id: str, original_id: str, similarity: float) -> None:
        """Record a syndicated copy. Chains are flattened: a copy of a copy points at the root
        original, and copies of an article that becomes a copy move to its original."""
        with self._tx() as conn:
            self._require_articles(conn, article_id, original_id)
            root = conn.execute(
                "SELECT original_id FROM copies WHERE article_id = %s", (original_id,)
            ).fetchone()
            if root is not None:
                original_id = root["original_id"]
            if original_id == article_id:
                raise StoreError(f"article {article_id!r} cannot be a copy of itself")
            conn.execute(
                "INSERT INTO copies (article_id, original_id, similarity) VALUES (%s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, "
                "similarity = excluded.similarity",
                (article_id, original_id, float(similarity)),
            )
            conn.execute(
                "UPDATE copies SET original_id = %s WHERE original_id = %s",
                (original_id, article_id),
            )

    def copies_of(self, article_id: str) -> list[tuple[str, float]]:
        """(copy id, similarity) of an original's copies, in ingest order."""
        rows = self._all(
            "SELECT c.article_id, c.similarity FROM copies c JOIN articles a "
            "ON a.id = c.article_id WHERE c.original_id = %s ORDER BY a.seq",
            (article_id,),
        )
        return [(r["article_id"], r["similarity"]) for r in rows]

    def original_of(self, article_id: str) -> str | None:
        """The original an article copies, None when it is no copy."""
        return self._scalar("SELECT original_id FROM copies WHERE article_id = %s", (article_id,))

    # ----------------------------------------------------------------------- state, feeds, skips

    def state_version(self) -> int:
        """How many times snapshots were written to this store: it changes with every write,
        whichever process made it."""
        return self._scalar("SELECT value FROM counters WHERE name = 'state'")

    def get_state(self, key: str) -> bytes | None:
        """A stored snapshot, None if absent."""
        value = self._scalar("SELECT value FROM state WHERE key = %s", (key,))
        return bytes(value) if value is not None else None

    def set_state(self, key: str, value: bytes) -> None:
        """Store (replace) a snapshot."""
        with self._tx() as conn:
            self._write_state(conn, key, value)

    @staticmethod
    def _write_state(conn: psycopg.Connection, key: str, value: bytes) -> None:
        conn.execute(
            "INSERT INTO state (key, value, updated_at) VALUES (%s, %s, %s) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, bytes(value), codec.utc_now()),
        )
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'state'")

    def save_feed(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        last_polled: datetime | None,
    ) -> None:
        """Store (replace) a feed's polling state."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_polled) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, last_polled = excluded.last_polled",
                (url, etag, last_modified, codec.dt_to_text(last_polled)),
            )

    def remove_feed(self, url: str) -> bool:
        """Forget a feed and its polling state; False when it was not stored."""
        with self._tx() as conn:
            return conn.execute("DELETE FROM feeds WHERE url = %s", (url,)).rowcount > 0

    def feeds(self) -> list[FeedState]:
        """Every known feed, by URL."""
        rows = self._all(
            'SELECT url, etag, last_modified, last_polled FROM feeds ORDER BY url COLLATE "C"'
        )
        return [
            FeedState(r["url"], r["etag"], r["last_modified"], codec.dt_from_text(r["last_polled"]))
            for r in rows
        ]

    def record_skip(self, source: str, reason: str) -> None:
        """Log an input that was not ingested."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO skips (source, reason, at) VALUES (%s, %s, %s)",
                (source, reason, codec.utc_now()),
            )

    def skips(self, limit: int | None = None) -> list[Skip]:
        """The skip log, oldest first (the last ``limit`` entries when given)."""
        if limit is None:
            rows = self._all("SELECT source, reason, at FROM skips ORDER BY seq")
        else:
            rows = self._all(
                "SELECT source, reason, at FROM (SELECT seq, source, reason, at FROM skips "
                "ORDER BY seq DESC LIMIT %s) AS last ORDER BY seq",
                (limit,),
            )
        return [Skip(r["source"], r["reason"], datetime.fromisoformat(r["at"])) for r in rows]

    # ----------------------------------------------------------------------- maintenance

    def schema_version(self) -> int:
        """The applied schema version."""
        return self._scalar("SELECT MAX(version) FROM schema_version")


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
