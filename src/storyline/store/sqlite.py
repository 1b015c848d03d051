"""The SQLite store: one file, one writer connection behind a lock, readers in parallel (WAL);
its queries are sql.py's."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from storyline.errors import StoreError
from storyline.model import Article, Story
from storyline.store import browse, codec
from storyline.store.lease import WriterLease
from storyline.store.migrations import LATEST_VERSION, check_version, migrate, refuse_older
from storyline.store.sql import SQLStore
from storyline.store.urls import canonical_url

# A writer in another process (or a WAL checkpoint) holds the lock for milliseconds; wait for it
# rather than fail. Long enough for a batch commit on a slow disk, short enough to report a
# store that is really stuck.
BUSY_TIMEOUT_MS = 5_000


class SQLiteStore(SQLStore):
    """A Store in one SQLite file (or ":memory:")."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._conn = self._connect()
        self._lease = WriterLease(None if self.path == ":memory:" else self.path)

    # ----------------------------------------------------------------------- connection

    def _connect(self) -> sqlite3.Connection:
        if self.read_only and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError("no store here", path=self.path)
        try:
            if self.read_only:
                uri = f"file:{quote(str(Path(self.path).resolve()))}?mode=ro"
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
            else:
                conn = sqlite3.connect(
                    self.path,
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store: {exc}", path=self.path) from None
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not self.read_only:
                # WAL: readers never block the writer nor the writer them, and a commit is one
                # sequential append. It is also what makes this a "not a database" check: it
                # reads the header.
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode syncs only at checkpoints: a commit survives any crash of
                # this process (the OS has the WAL pages); only a power cut or OS crash may lose
                # the last commits, never corrupt the file. FULL would fsync every commit, which
                # costs ingest several times its speed for a case re-ingest repairs.
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                refuse_older(check_version(conn, self.path), LATEST_VERSION, self.path)
            else:
                migrate(conn, self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"not a Storyline store or damaged: {exc}",
                hint="pass the path of a store Storyline created, or a new file name",
                path=self.path,
            ) from None
        except StoreError:
            conn.close()
            raise
        return conn

    def reader(self) -> SQLiteStore:
        """A new read-only store on the same file, for another thread or process."""
        return SQLiteStore(self.path, read_only=True)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the writer lock; rolled back on any error."""
        self._writable()
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot write: {exc}", path=self.path) from None
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(f"cannot commit: {exc}", path=self.path) from None

    def _all(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot read: {exc}", path=self.path) from None

    # Word search over FTS5 (browse.py); the other read queries are SQLStore's.
    search_articles = browse.search_articles
    articles_matching = browse.articles_matching

    # ----------------------------------------------------------------------- dialect

    def _find_same(self, conn: sqlite3.Connection, article: Article, text_hash: str) -> tuple:
        same = conn.execute(
            "SELECT id, revision FROM articles WHERE id = ? "
            "UNION ALL SELECT id, revision FROM articles WHERE text_hash = ? LIMIT 1",
            (article.id, text_hash),
        ).fetchone()
        if same is not None:
            return same, None, None
        # the URL is parsed only for a new article: re-ingest is mostly duplicates
        canon = canonical_url(article.url)
        if not canon:
            return None, None, canon
        previous = conn.execute(
            "SELECT id, revision FROM articles WHERE canonical_url = ? AND canonical_url != '' "
            "ORDER BY revision DESC LIMIT 1",
            (canon,),
        ).fetchone()
        return None, previous, canon

    def _existing(self, conn: sqlite3.Connection, ids: tuple[str, ...]) -> set[str]:
        # one indexed lookup each: SQLite runs them in-process, and a list of thousands of ids
        # would pass its limit of parameters
        return {
            article_id
            for article_id in ids
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        }

    def _delete_in(self, conn: sqlite3.Connection, table: str, column: str, ids: list) -> None:
        conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in ids])

    def _together(self, conn: sqlite3.Connection, first: tuple, then: tuple) -> None:
        conn.execute(*first)
        conn.execute(*then)

    def _stories(self, where: str, params: tuple) -> list[Story]:
        with self._lock:
            rows = self._all(
                f"SELECT * FROM stories s WHERE {where} "
                f"ORDER BY s.first_seen_ts IS NULL, s.first_seen_ts, s.id",
                params,
            )
            members: dict[str, list[str]] = {r["id"]: [] for r in rows}
            for story_id, article_id in self._all(
                f"SELECT m.story_id, m.article_id FROM story_articles m JOIN stories s ON "
                f"s.id = m.story_id WHERE {where} ORDER BY m.story_id, m.position",
                params,
            ):
                members[story_id].append(article_id)
        return [codec.story_from_parts(r, members[r["id"]]) for r in rows]

    # ----------------------------------------------------------------------- maintenance

    def integrity_check(self) -> str:
        """SQLite's PRAGMA integrity_check: "ok" for a sound file."""
        return "; ".join(r[0] for r in self._all("PRAGMA integrity_check"))

    def schema_version(self) -> int:
        """The applied schema version."""
        return self._one("SELECT MAX(version) FROM schema_version")[0]
