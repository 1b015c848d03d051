"""The stories of the PostgreSQL store: membership, assignment, story ids and the users'
corrections (sqlite.py's SQL in PostgreSQL's dialect), a part of PostgresStore kept in its own
module for size."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import psycopg
from psycopg.rows import tuple_row

from storyline.errors import NotFoundError
from storyline.model import Correction, Story
from storyline.store import codec, corrections


class PostgresStories:
    """Story methods of PostgresStore; they use its transactions and reads (``_tx``, ``_all``,
    ``_scalar``, ``_require_articles``, ``_write_state``)."""

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
        conn: psycopg.Connection,
        stories: list[Story],
        removed: list[str],
        state: dict[str, bytes] | None,
    ) -> None:
        for story in stories:
            self._write_story(conn, story)
        if removed:
            conn.execute("DELETE FROM story_articles WHERE story_id = ANY(%s)", (list(removed),))
            conn.execute("DELETE FROM stories WHERE id = ANY(%s)", (list(removed),))
        for key, value in (state or {}).items():
            self._write_state(conn, key, value)

    def _write_story(self, conn: psycopg.Connection, story: Story) -> None:
        # Only members that are new or moved are checked and written, as in sqlite.py.
        current = {
            r["article_id"]: r["position"]
            for r in conn.execute(
                "SELECT article_id, position FROM story_articles WHERE story_id = %s", (story.id,)
            ).fetchall()
        }
        wanted = {aid: pos for pos, aid in enumerate(story.article_ids)}
        changed = [(aid, pos) for aid, pos in wanted.items() if current.get(aid) != pos]
        self._require_articles(conn, *(aid for aid, _ in changed))
        conn.execute(
            "INSERT INTO stories (id, label, outlets, first_seen, first_seen_ts, last_seen, "
            "last_seen_ts, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET label = excluded.label, outlets = "
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
        gone = [member for member in current if member not in wanted]
        if gone:
            conn.execute("DELETE FROM story_articles WHERE article_id = ANY(%s)", (gone,))
        if changed:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO story_articles (article_id, story_id, position) "
                    "VALUES (%s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                    "story_id = excluded.story_id, position = excluded.position",
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
                "stories s WHERE a.id = %s AND s.id = %s FOR UPDATE OF s",
                (article_id, story_id),
            ).fetchone()
            if row is None:
                self._require_articles(conn, article_id)
                raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
            if row["current"] == story_id:
                conn.execute(
                    "UPDATE story_articles SET score = %s WHERE article_id = %s",
                    (score, article_id),
                )
                return
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
            # the membership and the story's row in one statement (one round trip)
            conn.execute(
                "WITH joined AS (INSERT INTO story_articles (article_id, story_id, position, "
                "score) VALUES (%s, %s, (SELECT COALESCE(MAX(position), -1) + 1 FROM "
                "story_articles WHERE story_id = %s), %s) ON CONFLICT (article_id) DO UPDATE SET "
                "story_id = excluded.story_id, position = excluded.position, "
                "score = excluded.score) "
                "UPDATE stories SET outlets = %s, first_seen = %s, first_seen_ts = %s, "
                "last_seen = %s, last_seen_ts = %s, updated_at = %s WHERE id = %s",
                (
                    article_id,
                    story_id,
                    story_id,
                    score,
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
        # one statement, so the stories and their members come from one snapshot
        rows = self._all(
            f"SELECT s.*, ARRAY(SELECT m.article_id FROM story_articles m "
            f"WHERE m.story_id = s.id ORDER BY m.position) AS members FROM stories s "
            f'WHERE {where} ORDER BY s.first_seen_ts IS NULL, s.first_seen_ts, s.id COLLATE "C"',
            params,
        )
        return [codec.story_from_parts(r, r["members"]) for r in rows]

    def stories(self, since: datetime | None = None) -> list[Story]:
        """Stories last seen at or after ``since`` (all when None), oldest first, undated last."""
        if since is None:
            return self._stories("TRUE", ())
        return self._stories("s.last_seen_ts >= %s", (codec.dt_to_ts(since),))

    def get_story(self, story_id: str) -> Story:
        """The story with this id; NotFoundError if none."""
        found = self._stories("s.id = %s", (story_id,))
        if not found:
            raise NotFoundError(f"no story {story_id!r} in the store", path=self.path)
        return found[0]

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to, None if unassigned."""
        story_id = self._scalar(
            "SELECT story_id FROM story_articles WHERE article_id = %s", (article_id,)
        )
        return self.get_story(story_id) if story_id else None

    def story_scores(self, story_id: str) -> dict[str, float | None]:
        """article id -> the score it was assigned with (None when set by save_story)."""
        rows = self._all(
            "SELECT article_id, score FROM story_articles WHERE story_id = %s", (story_id,)
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
            number = corrections.record(_QmarkConnection(conn), correction)
        return dataclasses.replace(correction, id=number)

    def corrections(self, story_id: str | None = None) -> list[Correction]:
        """The corrections made, oldest first; with ``story_id`` those that touched it."""
        sql, params = corrections.select(story_id)
        return [corrections.from_row(r) for r in self._all(sql.replace("?", "%s"), params)]


class _QmarkConnection:
    """A psycopg connection as store/corrections.py's DB-API SQL wants it: ``?`` placeholders
    and tuple rows (that module's SQL has no ``?`` but its placeholders)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()) -> psycopg.Cursor:
        cursor = self.conn.cursor(row_factory=tuple_row)
        return cursor.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)
