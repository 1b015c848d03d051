"""The Store logic both SQL backends share: their queries in one SQL and the rows they turn into
model objects. A backend (sqlite.py, postgres.py) supplies its connection, its transactions and
its dialect: ``?`` parameters are its driver's, upserts are ``ON CONFLICT`` (SQLite 3.24+ and
PostgreSQL), and the methods below marked "dialect" hold what differs (locking, lists of ids,
several statements in one round trip)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

from storyline.errors import NotFoundError, StoreError
from storyline.model import AnalyzedArticle, Article, Correction, Story
from storyline.store import browse, codec, corrections
from storyline.store.base import AddResult, FeedState, Skip
from storyline.store.tracking import TrackingQueries
from storyline.store.urls import canonical_url

# Articles read per query by articles(): bounds memory on big stores without holding the lock
# (and so blocking writers in this process) for the whole iteration.
PAGE_SIZE = 500

SELECT_ARTICLE = "SELECT " + ", ".join(codec.ARTICLE_COLUMNS) + " FROM articles"

# articles()'s keyset order: undated last, then published, then ingest order (PostgreSQL's
# articles_order index is on these expressions).
_ARTICLE_ORDER = "(published_ts IS NULL), COALESCE(published_ts, 0), seq"

Row = Any  # a row that reads by column name (sqlite3.Row, psycopg's dict_row)


def upsert(table: str, columns: tuple[str, ...], key: str) -> str:
    """INSERT of every column that replaces the row with the same ``key`` (all its columns, as
    INSERT OR REPLACE does)."""
    values = ", ".join("?" * len(columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


_UPSERT_ANALYSIS = upsert(
    "analyses", ("article_id", "layers", "vectors", "vectors_shape", "saved_at"), "article_id"
)
_UPSERT_COPY = upsert("copies", ("article_id", "original_id", "similarity"), "article_id")
_UPSERT_STORY = upsert(
    "stories",
    (
        "id",
        "label",
        "outlets",
        "first_seen",
        "first_seen_ts",
        "last_seen",
        "last_seen_ts",
        "updated_at",
    ),
    "id",
)
_UPSERT_STATE = upsert("state", ("key", "value", "updated_at"), "key")
_UPSERT_FEED = upsert("feeds", ("url", "etag", "last_modified", "last_polled"), "url")


def widened(row: Row) -> tuple:
    """(outlets JSON, first_seen, first_seen_ts, last_seen, last_seen_ts) of a story that takes
    an article, from a row of both (the article's outlet and published, the story's outlets and
    span): the outlet added, the article's date widening the span."""
    outlets = json.loads(row["outlets"])
    if row["outlet"] and row["outlet"] not in outlets:
        outlets.append(row["outlet"])
    first, first_ts = row["first_seen"], row["first_seen_ts"]
    last, last_ts = row["last_seen"], row["last_seen_ts"]
    ts = row["published_ts"]
    if ts is not None:
        if first_ts is None or ts < first_ts:
            first, first_ts = row["published"], ts
        if last_ts is None or ts > last_ts:
            last, last_ts = row["published"], ts
    return json.dumps(outlets, ensure_ascii=False), first, first_ts, last, last_ts


class SQLStore(TrackingQueries):
    """The Store methods of both backends, over the backend's ``_tx``, ``_all`` and dialect."""

    path: str
    read_only: bool
    _lock: Any  # a threading.RLock
    _conn: Any  # the driver's connection, None once closed
    _lease: Any  # lease.py's or postgres_lease.py's
    # ' COLLATE "C"' where the database's collation may not be bytewise (PostgreSQL's follows
    # its locale); SQLite's default is bytewise.
    BYTEWISE = ""
    # how assign_story locks the story row it reads (PostgreSQL: FOR UPDATE OF s)
    FOR_UPDATE = ""

    # Read queries for the web app and the posted ingest, the same on both backends
    # (browse.py); each backend names its own word search and articles_matching.
    outlet_counts = browse.outlet_counts
    stories_changed = browse.stories_changed
    stored_ids = browse.stored_ids
    latest_by_url = browse.latest_by_url
    story_ids_of = browse.story_ids_of
    story_languages = browse.story_languages
    read_version = browse.read_version

    # ----------------------------------------------------------------------- dialect

    def _tx(self) -> AbstractContextManager[Any]:
        """One write transaction; yields a connection whose execute takes ``?`` parameters."""
        raise NotImplementedError

    def _all(self, sql: str, params: tuple = ()) -> list[Row]:
        """Every row of a read."""
        raise NotImplementedError

    def _find_same(self, conn: Any, article: Article, text_hash: str) -> tuple:
        """(the stored article an article duplicates, the latest revision under its URL, the
        URL's canonical form): rows of id and revision or None; the last two only matter (and
        may be left None) when there is no duplicate."""
        raise NotImplementedError

    def _existing(self, conn: Any, ids: tuple[str, ...]) -> set[str]:
        """Which of these article ids are stored."""
        raise NotImplementedError

    def _delete_in(self, conn: Any, table: str, column: str, ids: list[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is one of ``ids``."""
        raise NotImplementedError

    def _together(self, conn: Any, first: tuple[str, tuple], then: tuple[str, tuple]) -> None:
        """Two writing statements, in this order."""
        raise NotImplementedError

    def _stories(self, where: str, params: tuple) -> list[Story]:
        """The stories (alias ``s``) matching ``where``, oldest first, undated last."""
        raise NotImplementedError

    # ----------------------------------------------------------------------- reads, lease

    def _one(self, sql: str, params: tuple = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: tuple = ()) -> Any:
        row = self._one(sql, params)
        return row[next(iter(row.keys()))] if row else None

    def __enter__(self):  # noqa: ANN204 - the backend's own type
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @contextmanager
    def writer(
        self, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the store's writer lease (one process at a time, see ``lease.py``) for a unit of
        work of several transactions; waits up to ``timeout`` s, then StoreBusyError."""
        self._writable()
        with self._lease.hold(timeout, on_wait):
            yield

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store was opened read-only", path=self.path)

    @property
    def conn(self) -> Any:
        """The driver's connection; StoreError once closed."""
        if self._conn is None:
            raise StoreError("the store is closed", path=self.path)
        return self._conn

    def _no_article(self, article_id: str) -> NotFoundError:
        return NotFoundError(f"no article {article_id!r} in the store", path=self.path)

    # ----------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> AddResult:
        """Store one article idempotently (see AddResult)."""
        with self._tx() as conn:
            return self._add(conn, article)

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """add_article for many, in one transaction."""
        with self._tx() as conn:
            return [self._add(conn, article) for article in articles]

    def _add(self, conn: Any, article: Article) -> AddResult:
        row = codec.article_to_row(article)
        same, previous, canon = self._find_same(conn, article, row["text_hash"])
        if same is not None:
            return AddResult("duplicate", same["id"], same["revision"], original_id=same["id"])
        if previous is not None:  # same URL, same text: a thin page stored before its id took
            # its title in (``Article.identity``) is re-ingested as the duplicate it is
            kept = conn.execute("SELECT text FROM articles WHERE id = ?", (previous["id"],))
            if kept.fetchone()["text"] == article.text:
                return AddResult(
                    "duplicate", previous["id"], previous["revision"], original_id=previous["id"]
                )
        revision = previous["revision"] + 1 if previous else 1
        row.update(
            canonical_url=canon,
            revision=revision,
            previous_id=previous["id"] if previous else None,
            ingested_at=codec.utc_now(),
        )
        if previous is not None:
            conn.execute(
                "UPDATE articles SET latest = FALSE WHERE canonical_url = ? AND latest = TRUE",
                (canon,),
            )
        conn.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        if previous is not None:
            return AddResult("revision", article.id, revision, previous_id=previous["id"])
        return AddResult("added", article.id, 1)

    def get_article(self, article_id: str) -> Article:
        """The article with this id (any revision); NotFoundError if none."""
        row = self._one(f"{SELECT_ARTICLE} WHERE id = ?", (article_id,))
        if row is None:
            raise self._no_article(article_id)
        return codec.article_from_row(row)

    def articles(
        self,
        since: datetime | None = None,
        limit: int | None = None,
        all_revisions: bool = False,
    ) -> Iterator[Article]:
        """Latest revisions (every revision with all_revisions) in published order, ingest order
        among equals, undated last; ``since`` keeps dated articles published at or after it."""
        where = ["TRUE"] if all_revisions else ["latest = TRUE"]
        params: list = []
        if since is not None:
            where.append("published_ts >= ?")
            params.append(codec.dt_to_ts(since))
        # Keyset paging on (undated, published_ts, seq): stable while writers append.
        key: tuple = ()
        left = limit
        while left is None or left > 0:
            page = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
            after = f" AND ({_ARTICLE_ORDER}) > (?, ?, ?)" if key else ""
            rows = self._all(
                f"SELECT seq, published_ts IS NULL AS undated, "
                f"COALESCE(published_ts, 0) AS ts, {', '.join(codec.ARTICLE_COLUMNS)} "
                f"FROM articles WHERE {' AND '.join(where)}{after} "
                f"ORDER BY {_ARTICLE_ORDER} LIMIT ?",
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
        where = "" if all_revisions else " WHERE latest = TRUE"
        return self._scalar(f"SELECT COUNT(*) AS n FROM articles{where}")

    def find_by_url(self, url: str) -> Article | None:
        """The latest revision stored under this URL's canonical form."""
        canon = canonical_url(url)
        if not canon:
            return None
        row = self._one(
            f"{SELECT_ARTICLE} WHERE canonical_url = ? ORDER BY revision DESC LIMIT 1", (canon,)
        )
        return codec.article_from_row(row) if row else None

    def revisions(self, url: str) -> list[Article]:
        """Every revision stored under this URL's canonical form, oldest first."""
        canon = canonical_url(url)
        if not canon:
            return []
        rows = self._all(f"{SELECT_ARTICLE} WHERE canonical_url = ? ORDER BY revision", (canon,))
        return [codec.article_from_row(r) for r in rows]

    def revision_of(self, article_id: str) -> int:
        """The revision number of a stored article; NotFoundError if none."""
        revision = self._scalar("SELECT revision FROM articles WHERE id = ?", (article_id,))
        if revision is None:
            raise self._no_article(article_id)
        return revision

    def _require_articles(self, conn: Any, *ids: str) -> None:
        if not ids:
            return
        found = self._existing(conn, ids)
        for article_id in ids:
            if article_id not in found:
                raise self._no_article(article_id)

    # ----------------------------------------------------------------------- analyses

    def save_analysis(self, analysis: AnalyzedArticle) -> None:
        """Store (replace) every annotation layer and the sentence vectors of an article."""
        layers = codec.analysis_to_json(analysis)
        blob, shape = codec.vectors_to_blob(analysis.vectors)
        with self._tx() as conn:
            self._require_articles(conn, analysis.article.id)
            conn.execute(
                _UPSERT_ANALYSIS, (analysis.article.id, layers, blob, shape, codec.utc_now())
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
            self._link_copy(conn, article_id, original_id, similarity)

    def _link_copy(self, conn: Any, article_id: str, original_id: str, similarity: float) -> None:
        """``link_copy`` inside a transaction (a tracked batch links its copies in its own)."""
        self._require_articles(conn, article_id, original_id)
        root = conn.execute(
            "SELECT original_id FROM copies WHERE article_id = ?", (original_id,)
        ).fetchone()
        if root is not None:
            original_id = root["original_id"]
        if original_id == article_id:
            raise StoreError(f"article {article_id!r} cannot be a copy of itself")
        conn.execute(_UPSERT_COPY, (article_id, original_id, float(similarity)))
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
        return [(r["article_id"], r["similarity"]) for r in rows]

    def original_of(self, article_id: str) -> str | None:
        """The original an article copies, None when it is no copy."""
        return self._scalar("SELECT original_id FROM copies WHERE article_id = ?", (article_id,))

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

    def _replace(
        self,
        conn: Any,
        stories: list[Story],
        removed: list[str],
        state: dict[str, bytes] | None,
    ) -> None:
        for story in stories:
            self._write_story(conn, story)
        if removed:
            self._delete_in(conn, "story_articles", "story_id", list(removed))
            self._delete_in(conn, "stories", "id", list(removed))
        self._write_states(conn, state or {})

    def _write_story(self, conn: Any, story: Story) -> None:
        # Only members that are new or moved are checked and written: a story saved after each
        # batch would otherwise cost a query per member it already has (copies of one wire
        # story make stories of thousands).
        current = {
            r["article_id"]: r["position"]
            for r in conn.execute(
                "SELECT article_id, position FROM story_articles WHERE story_id = ?", (story.id,)
            ).fetchall()
        }
        wanted = {aid: pos for pos, aid in enumerate(story.article_ids)}
        changed = [(aid, pos) for aid, pos in wanted.items() if current.get(aid) != pos]
        self._require_articles(conn, *(aid for aid, _ in changed))
        conn.execute(
            _UPSERT_STORY,
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
        gone = [member for member in current if member not in wanted]
        if gone:
            self._delete_in(conn, "story_articles", "article_id", gone)
        if changed:
            conn.executemany(
                "INSERT INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                "position = excluded.position",
                [(aid, story.id, pos) for aid, pos in changed],
            )

    def assign_story(self, article_id: str, story_id: str, score: float) -> None:
        """Append an article to a saved story (moving it out of any other); widens the story's
        first/last_seen by the article's date and adds its outlet. save_story stays the
        authority: a moved article's old story is not recomputed."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT a.outlet, a.published, a.published_ts, s.outlets, s.first_seen, "
                "s.first_seen_ts, s.last_seen, s.last_seen_ts, (SELECT m.story_id FROM "
                "story_articles m WHERE m.article_id = a.id) AS current FROM articles a, "
                f"stories s WHERE a.id = ? AND s.id = ?{self.FOR_UPDATE}",
                (article_id, story_id),
            ).fetchone()
            if row is None:
                self._require_articles(conn, article_id)
                raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
            if row["current"] == story_id:
                conn.execute(
                    "UPDATE story_articles SET score = ? WHERE article_id = ?", (score, article_id)
                )
                return
            self._together(
                conn,
                (
                    "INSERT INTO story_articles (article_id, story_id, position, score) "
                    "VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM "
                    "story_articles WHERE story_id = ?), ?) ON CONFLICT (article_id) DO UPDATE "
                    "SET story_id = excluded.story_id, position = excluded.position, "
                    "score = excluded.score",
                    (article_id, story_id, story_id, score),
                ),
                (
                    "UPDATE stories SET outlets = ?, first_seen = ?, first_seen_ts = ?, "
                    "last_seen = ?, last_seen_ts = ?, updated_at = ? WHERE id = ?",
                    (*widened(row), codec.utc_now(), story_id),
                ),
            )

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Stories last seen at or after ``since`` (all when None), oldest first, undated last."""
        if since is None:
            return self._stories("TRUE", ())
        return self._stories("s.last_seen_ts >= ?", (codec.dt_to_ts(since),))

    def get_story(self, story_id: str) -> Story:
        """The story with this id; NotFoundError if none."""
        found = self._stories("s.id = ?", (story_id,))
        if not found:
            raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
        return found[0]

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to, None if unassigned."""
        story_id = self._scalar(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        )
        return self.get_story(story_id) if story_id else None

    def story_scores(self, story_id: str) -> dict[str, float | None]:
        """article id -> the score it was assigned with (None when set by save_story)."""
        rows = self._all(
            "SELECT article_id, score FROM story_articles WHERE story_id = ?", (story_id,)
        )
        return {r["article_id"]: r["score"] for r in rows}

    def next_story_id(self) -> str:
        """A story id never handed out before in this store ("s000001", ...)."""
        with self._tx() as conn:
            number = conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'story' RETURNING value"
            ).fetchone()["value"]
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
        return self._scalar("SELECT value FROM counters WHERE name = 'state'")

    def get_state(self, key: str) -> bytes | None:
        """A stored snapshot, None if absent."""
        value = self._scalar("SELECT value FROM state WHERE key = ?", (key,))
        return bytes(value) if value is not None else None

    def set_state(self, key: str, value: bytes) -> None:
        """Store (replace) a snapshot."""
        with self._tx() as conn:
            self._write_state(conn, key, value)

    @staticmethod
    def _write_state(conn: Any, key: str, value: bytes) -> None:
        conn.execute(_UPSERT_STATE, (key, bytes(value), codec.utc_now()))
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
            conn.execute(_UPSERT_FEED, (url, etag, last_modified, codec.dt_to_text(last_polled)))

    def remove_feed(self, url: str) -> bool:
        """Forget a feed and its polling state; False when it was not stored."""
        with self._tx() as conn:
            return conn.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def feeds(self) -> list[FeedState]:
        """Every known feed, by URL."""
        rows = self._all(
            f"SELECT url, etag, last_modified, last_polled FROM feeds ORDER BY url{self.BYTEWISE}"
        )
        return [
            FeedState(r["url"], r["etag"], r["last_modified"], codec.dt_from_text(r["last_polled"]))
            for r in rows
        ]

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
                "SELECT source, reason, at FROM (SELECT seq, source, reason, at FROM skips "
                "ORDER BY seq DESC LIMIT ?) AS last ORDER BY seq",
                (limit,),
            )
        return [Skip(r["source"], r["reason"], datetime.fromisoformat(r["at"])) for r in rows]

    # ----------------------------------------------------------------------- maintenance

    def schema_version(self) -> int:
        """The applied schema version."""
        return self._scalar("SELECT MAX(version) AS version FROM schema_version")
