"""The SQLite store: one file, one writer connection behind a lock, readers in parallel (WAL)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from storyline.errors import NotFoundError, StoreError
from storyline.model import AnalyzedArticle, Article, Correction, Story
from storyline.store import codec, corrections
from storyline.store.base import AddResult, FeedState, Skip
from storyline.store.lease import WriterLease
from storyline.store.migrations import LATEST_VERSION, check_version, migrate
from storyline.store.urls import canonical_url

# A writer in another process (or a WAL checkpoint) holds the lock for milliseconds; wait for it
# rather than fail. Long enough for a batch commit on a slow disk, short enough to report a
# store that is really stuck.
BUSY_TIMEOUT_MS = 5_000

# Articles read per query by articles(): bounds memory on big stores without holding the lock
# (and so blocking writers in this process) for the whole iteration.
PAGE_SIZE = 500

_SELECT_ARTICLE = "SELECT " + ", ".join(codec.ARTICLE_COLUMNS) + " FROM articles"


class SQLiteStore:
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
                version = check_version(conn, self.path)
                if version < LATEST_VERSION:
                    raise StoreError(
                        f"the store is at schema version {version}, this Storyline needs "
                        f"{LATEST_VERSION}",
                        hint="open it once for writing (any storyline command) to migrate it",
                        path=self.path,
                    )
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

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is closed", path=self.path)
        return self._conn

    def reader(self) -> SQLiteStore:
        """A new read-only store on the same file, for another thread or process."""
        return SQLiteStore(self.path, read_only=True)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writer(
        self, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the store's writer lease (one process at a time, see ``lease.py``) for a unit of
        work of several transactions; waits up to ``timeout`` s, then StoreBusyError."""
        if self.read_only:
            raise StoreError("the store was opened read-only", path=self.path)
        with self._lease.hold(timeout, on_wait):
            yield

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the writer lock; rolled back on any error."""
        if self.read_only:
            raise StoreError("the store was opened read-only", path=self.path)
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

    def _one(self, sql: str, params: tuple = ()) -> sqlite3.Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    # ----------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> AddResult:
        """Store one article idempotently (see AddResult)."""
        with self._tx() as conn:
            return self._add(conn, article)

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """add_article for many, in one transaction."""
        with self._tx() as conn:
            return [self._add(conn, article) for article in articles]

    def _add(self, conn: sqlite3.Connection, article: Article) -> AddResult:
        row = codec.article_to_row(article)
        same = conn.execute(
            "SELECT id, revision FROM articles WHERE id = ? "
            "UNION ALL SELECT id, revision FROM articles WHERE text_hash = ? LIMIT 1",
            (article.id, row["text_hash"]),
        ).fetchone()
        if same is not None:
            return AddResult("duplicate", same["id"], same["revision"], original_id=same["id"])
        canon = canonical_url(article.url)
        previous = None
        if canon:
            previous = conn.execute(
                "SELECT id, revision FROM articles WHERE canonical_url = ? AND canonical_url != '' "
                "ORDER BY revision DESC LIMIT 1",
                (canon,),
            ).fetchone()
        revision = previous["revision"] + 1 if previous else 1
        row.update(
            canonical_url=canon,
            revision=revision,
            previous_id=previous["id"] if previous else None,
            ingested_at=codec.utc_now(),
        )
        if previous is not None:
            conn.execute("UPDATE articles SET latest = 0 WHERE canonical_url = ?", (canon,))
        columns = ", ".join(row)
        conn.execute(
            f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        if previous is not None:
            return AddResult("revision", article.id, revision, previous_id=previous["id"])
        return AddResult("added", article.id, 1)

    def get_article(self, article_id: str) -> Article:
        """The article with this id (any revision); NotFoundError if none."""
        row = self._one(f"{_SELECT_ARTICLE} WHERE id = ?", (article_id,))
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
        where = ["1"] if all_revisions else ["latest = 1"]
        params: list = []
        if since is not None:
            where.append("published_ts >= ?")
            params.append(codec.dt_to_ts(since))
        # Keyset paging on (undated, published_ts, seq): stable while writers append.
        key = (-1, 0.0, -1)
        left = limit
        while left is None or left > 0:
            page = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
            rows = self._all(
                f"SELECT seq, published_ts IS NULL AS undated, "
                f"COALESCE(published_ts, 0) AS ts, {', '.join(codec.ARTICLE_COLUMNS)} "
                f"FROM articles WHERE {' AND '.join(where)} "
                f"AND (published_ts IS NULL, COALESCE(published_ts, 0), seq) > (?, ?, ?) "
                f"ORDER BY undated, ts, seq LIMIT ?",
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
        where = "" if all_revisions else " WHERE latest = 1"
        return self._one(f"SELECT COUNT(*) FROM articles{where}")[0]

    def find_by_url(self, url: str) -> Article | None:
        """The latest revision stored under this URL's canonical form."""
        canon = canonical_url(url)
        if not canon:
            return None
        row = self._one(
            f"{_SELECT_ARTICLE} WHERE canonical_url = ? ORDER BY revision DESC LIMIT 1", (canon,)
        )
        return codec.article_from_row(row) if row else None

    def revisions(self, url: str) -> list[Article]:
        """Every revision stored under this URL's canonical form, oldest first."""
        canon = canonical_url(url)
        if not canon:
            return []
        rows = self._all(f"{_SELECT_ARTICLE} WHERE canonical_url = ? ORDER BY revision", (canon,))
        return [codec.article_from_row(r) for r in rows]

    def revision_of(self, article_id: str) -> int:
        """The revision number of a stored article; NotFoundError if none."""
        row = self._one("SELECT revision FROM articles WHERE id = ?", (article_id,))
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)
        return row[0]

    def _require_articles(self, conn: sqlite3.Connection, *ids: str) -> None:
        for article_id in ids:
            found = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if found is None:
                raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)

    # ----------------------------------------------------------------------- analyses

    def save_analysis(self, analysis: AnalyzedArticle) -> None:
        """Store (replace) every annotation layer and the sentence vectors of an article."""
        layers = codec.analysis_to_json(analysis)
        blob, shape = codec.vectors_to_blob(analysis.vectors)
        with self._tx() as conn:
            self._require_articles(conn, analysis.article.id)
            conn.execute(
                "INSERT OR REPLACE INTO analyses (article_id, layers, vectors, vectors_shape, "
                "saved_at) VALUES (?, ?, ?, ?, ?)",
                (analysis.article.id, layers, blob, shape, codec.utc_now()),
            )

    def get_analysis(self, article_id: str) -> AnalyzedArticle | None:
        """The stored analysis, None when the article was not analysed yet."""
        row = self._one(
            "SELECT layers, vectors, vectors_shape FROM analyses WHERE article_id = ?",
            (article_id,),
        )
        if row is None:
            return None
        article = self.get_article(article_id)
        vectors = codec.vectors_from_blob(row["vectors"], row["vectors_shape"])
        return codec.analysis_from_json(row["layers"], article, vectors)

    def analysed_ids(self) -> set[str]:
        """Ids of every article with a stored analysis."""
        return {r[0] for r in self._all("SELECT article_id FROM analyses")}

    # ----------------------------------------------------------------------- copies

    def link_copy(self, article_id: str, original_id: str, similarity: float) -> None:
        """Record a syndicated copy. Chains are flattened: a copy of a copy points at the root
        original, and copies of an article that becomes a copy move to its original."""
        with self._tx() as conn:
            self._require_articles(conn, article_id, original_id)
            root = conn.execute(
                "SELECT original_id FROM copies WHERE article_id = ?", (original_id,)
            ).fetchone()
            if root is not None:
                original_id = root[0]
            if original_id == article_id:
                raise StoreError(f"article {article_id!r} cannot be a copy of itself")
            conn.execute(
                "INSERT OR REPLACE INTO copies (article_id, original_id, similarity) "
                "VALUES (?, ?, ?)",
                (article_id, original_id, float(similarity)),
            )
            conn.execute(
                "UPDATE copies SET original_id = ? WHERE original_id = ?", (original_id, article_id)
            )

    def copies_of(self, article_id: str) -> list[tuple[str, float]]:
        """(copy id, similarity) of an original's copies, in ingest order."""
        rows = self._all(
            "SELECT c.article_id, c.similarity FROM copies c JOIN articles a "
            "ON a.id = c.article_id WHERE c.original_id = ? ORDER BY a.seq",
            (article_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def original_of(self, article_id: str) -> str | None:
        """The original an article copies, None when it is no copy."""
        row = self._one("SELECT original_id FROM copies WHERE article_id = ?", (article_id,))
        return row[0] if row else None

    # ----------------------------------------------------------------------- stories

    def save_story(self, story: Story) -> None:
        """Store (replace) a story: its row and exactly its article_ids, in order (scores from
        assign_story are kept for articles that stay)."""
        with self._tx() as conn:
            self._write_story(conn, story)

    def replace_stories(
        self, stories: list[Story], removed: list[str], state: dict[str, bytes] | None = None
    ) -> None:
        """Save stories, delete emptied ones and replace snapshots, in one transaction (a
        refinement's result: a crash leaves the stories and the engine that made them in step)."""
        with self._tx() as conn:
            self._replace(conn, stories, removed, state)

    def _replace(self, conn: sqlite3.Connection, stories: list, removed: list, state) -> None:
        for story in stories:
            self._write_story(conn, story)
        for story_id in removed:
            conn.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        for key, value in (state or {}).items():
            self._write_state(conn, key, value)

    def _write_story(self, conn: sqlite3.Connection, story: Story) -> None:
        # Only members that are new or moved are checked and written: a story saved after each
        # batch would otherwise cost a query per member it already has (copies of one wire
        # story make stories of thousands).
        current = dict(
            conn.execute(
                "SELECT article_id, position FROM story_articles WHERE story_id = ?", (story.id,)
            ).fetchall()
        )
        wanted = {aid: pos for pos, aid in enumerate(story.article_ids)}
        changed = [(aid, pos) for aid, pos in wanted.items() if current.get(aid) != pos]
        self._require_articles(conn, *(aid for aid, _ in changed))
        conn.execute(
            "INSERT INTO stories (id, label, outlets, first_seen, first_seen_ts, last_seen, "
            "last_seen_ts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, outlets = "
            "excluded.outlets, first_seen = excluded.first_seen, first_seen_ts = "
            "excluded.first_seen_ts, last_seen = excluded.last_seen, last_seen_ts = "
            "excluded.last_seen_ts, updated_at = excluded.updated_at",
            (
                story.id,
                story.label,
                json.dumps(list(story.outlets), ensure_ascii=False),
                codec.dt_to_text(story.first_seen),
                codec.dt_to_ts(story.first_seen),
                codec.dt_to_text(story.last_seen),
                codec.dt_to_ts(story.last_seen),
                codec.utc_now(),
            ),
        )
        conn.executemany(
            "DELETE FROM story_articles WHERE article_id = ?",
            [(member,) for member in current if member not in wanted],
        )
        conn.executemany(
            "INSERT INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, "
            "position = excluded.position",
            [(aid, story.id, pos) for aid, pos in changed],
        )

    def assign_story(self, article_id: str, story_id: str, score: float) -> None:
        """Append an article to a saved story (moving it out of any other); widens the story's
        first/last_seen by the article's date and adds its outlet. save_story stays the
        authority: a moved article's old story is not recomputed."""
        with self._tx() as conn:
            article_row = conn.execute(
                "SELECT outlet, published, published_ts FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if article_row is None:
                raise NotFoundError(f"no article {article_id!r} in the store", path=self.path)
            story = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
            if story is None:
                raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
            current = conn.execute(
                "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
            ).fetchone()
            if current is not None and current[0] == story_id:
                conn.execute(
                    "UPDATE story_articles SET score = ? WHERE article_id = ?", (score, article_id)
                )
                return
            position = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM story_articles WHERE story_id = ?",
                (story_id,),
            ).fetchone()[0]
            conn.execute(
                "INSERT OR REPLACE INTO story_articles (article_id, story_id, position, score) "
                "VALUES (?, ?, ?, ?)",
                (article_id, story_id, position, score),
            )
            outlets = json.loads(story["outlets"])
            if article_row["outlet"] and article_row["outlet"] not in outlets:
                outlets.append(article_row["outlet"])
            first, first_ts = story["first_seen"], story["first_seen_ts"]
            last, last_ts = story["last_seen"], story["last_seen_ts"]
            ts = article_row["published_ts"]
            if ts is not None:
                if first_ts is None or ts < first_ts:
                    first, first_ts = article_row["published"], ts
                if last_ts is None or ts > last_ts:
                    last, last_ts = article_row["published"], ts
            conn.execute(
                "UPDATE stories SET outlets = ?, first_seen = ?, first_seen_ts = ?, "
                "last_seen = ?, last_seen_ts = ?, updated_at = ? WHERE id = ?",
                (
                    json.dumps(outlets, ensure_ascii=False),
                    first,
                    first_ts,
                    last,
                    last_ts,
                    codec.utc_now(),
                    story_id,
                ),
            )

    def _stories(self, where: str, params: tuple) -> list[Story]:
        with self._lock:
            rows = self._all(
                f"SELECT * FROM stories WHERE {where} "
                f"ORDER BY first_seen_ts IS NULL, first_seen_ts, id",
                params,
            )
            members: dict[str, list[str]] = {r["id"]: [] for r in rows}
            for story_id, article_id in self._all(
                f"SELECT m.story_id, m.article_id FROM story_articles m JOIN stories ON "
                f"stories.id = m.story_id WHERE {where} ORDER BY m.story_id, m.position",
                params,
            ):
                members[story_id].append(article_id)
        return [codec.story_from_parts(r, members[r["id"]]) for r in rows]

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Stories last seen at or after ``since`` (all when None), oldest first, undated last."""
        if since is None:
            return self._stories("1", ())
        return self._stories("last_seen_ts >= ?", (codec.dt_to_ts(since),))

    def get_story(self, story_id: str) -> Story:
        """The story with this id; NotFoundError if none."""
        found = self._stories("stories.id = ?", (story_id,))
        if not found:
            raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
        return found[0]

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to, None if unassigned."""
        row = self._one("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return self.get_story(row[0]) if row else None

    def story_scores(self, story_id: str) -> dict[str, float | None]:
        """article id -> the score it was assigned with (None when set by save_story)."""
        rows = self._all(
            "SELECT article_id, score FROM story_articles WHERE story_id = ?", (story_id,)
        )
        return {r[0]: r[1] for r in rows}

    def next_story_id(self) -> str:
        """A story id never handed out before in this store ("s000001", ...)."""
        with self._tx() as conn:
            (number,) = conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'story' RETURNING value"
            ).fetchone()
        return f"s{number:06d}"

    # ----------------------------------------------------------------------- corrections

    def apply_correction(
        self,
        correction: Correction,
        stories: list[Story],
        removed: list[str],
        state: dict[str, bytes] | None = None,
    ) -> Correction:
        """Record a user's correction and its effect in one transaction (see Store)."""
        with self._tx() as conn:
            self._replace(conn, stories, removed, state)
            number = corrections.record(conn, correction)
        return dataclasses.replace(correction, id=number)

    def corrections(self, story_id: str | None = None) -> list[Correction]:
        """The corrections made, oldest first; with ``story_id`` those that touched it."""
        sql, params = corrections.select(story_id)
        return [corrections.from_row(r) for r in self._all(sql, params)]

    # ----------------------------------------------------------------------- state, feeds, skips

    def state_version(self) -> int:
        """How many times snapshots were written to this store: it changes with every write,
        whichever process made it."""
        return self._one("SELECT value FROM counters WHERE name = 'state'")[0]

    def get_state(self, key: str) -> bytes | None:
        """A stored snapshot, None if absent."""
        row = self._one("SELECT value FROM state WHERE key = ?", (key,))
        return bytes(row[0]) if row else None

    def set_state(self, key: str, value: bytes) -> None:
        """Store (replace) a snapshot."""
        with self._tx() as conn:
            self._write_state(conn, key, value)

    @staticmethod
    def _write_state(conn: sqlite3.Connection, key: str, value: bytes) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO state (key, value, updated_at) VALUES (?, ?, ?)",
            (key, sqlite3.Binary(value), codec.utc_now()),
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
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, last_polled) "
                "VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, codec.dt_to_text(last_polled)),
            )

    def feeds(self) -> list[FeedState]:
        """Every known feed, by URL."""
        rows = self._all("SELECT url, etag, last_modified, last_polled FROM feeds ORDER BY url")
        return [FeedState(r[0], r[1], r[2], codec.dt_from_text(r[3])) for r in rows]

    def record_skip(self, source: str, reason: str) -> None:
        """Log an input that was not ingested."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO skips (source, reason, at) VALUES (?, ?, ?)",
                (source, reason, codec.utc_now()),
            )

    def skips(self, limit: int | None = None) -> list[Skip]:
        """The skip log, oldest first (the last ``limit`` entries when given)."""
        if limit is None:
            rows = self._all("SELECT source, reason, at FROM skips ORDER BY seq")
        else:
            rows = self._all(
                "SELECT * FROM (SELECT seq, source, reason, at FROM skips ORDER BY seq DESC "
                "LIMIT ?) ORDER BY seq",
                (limit,),
            )
            rows = [(r[1], r[2], r[3]) for r in rows]
        return [Skip(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    # ----------------------------------------------------------------------- maintenance

    def integrity_check(self) -> str:
        """SQLite's PRAGMA integrity_check: "ok" for a sound file."""
        return "; ".join(r[0] for r in self._all("PRAGMA integrity_check"))

    def schema_version(self) -> int:
        """The applied schema version."""
        return self._one("SELECT MAX(version) FROM schema_version")[0]
