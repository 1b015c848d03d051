"""Store queries of the backfill and the tracker: analyses saved in batches, what is not yet in a
story, a batch's stories, scores and engine state in one transaction, and the dedupe signatures
kept on disk (so the in-memory index holds only a time window).

A mixin of ``sql.SQLStore``: it uses the backend's ``_tx`` and ``_all``, so both SQLite and
PostgreSQL have it; ``?`` lists are spelt out, at most ``ID_CHUNK`` ids a statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from storyline.model import AnalyzedArticle, Story
from storyline.store import codec

# Ids per IN (...) list: far below SQLite's parameter limit (32,766) and PostgreSQL's (65,535).
ID_CHUNK = 500

_UPSERT_ANALYSIS = (
    "INSERT INTO analyses (article_id, layers, vectors, vectors_shape, saved_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET layers = excluded.layers, "
    "vectors = excluded.vectors, vectors_shape = excluded.vectors_shape, "
    "saved_at = excluded.saved_at"
)


_UNTRACKED = "NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.article_id = a.id)"


def _chunks(items: Sequence, size: int = ID_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class TrackingQueries:
    """Batch writes and reads for the backfill, the tracker and the windowed dedupe index."""

    _tx: Any
    _all: Any
    _write_story: Any
    _write_state: Any
    _require_articles: Any

    # ------------------------------------------------------------------ analyses

    def save_analyses(self, analyses: Iterable[AnalyzedArticle]) -> int:
        """save_analysis for many, in one transaction; how many were saved."""
        rows = []
        for analysis in analyses:
            blob, shape = codec.vectors_to_blob(analysis.vectors)
            rows.append(
                (
                    analysis.article.id,
                    codec.analysis_to_json(analysis),
                    blob,
                    shape,
                    codec.utc_now(),
                )
            )
        if rows:
            with self._tx() as conn:
                self._require_articles(conn, *(r[0] for r in rows))
                for row in rows:
                    conn.execute(_UPSERT_ANALYSIS, row)
        return len(rows)

    def analysed_among(self, ids: Sequence[str]) -> set[str]:
        """Which of these article ids have a stored analysis."""
        found: set[str] = set()
        for part in _chunks(list(dict.fromkeys(ids))):
            rows = self._all(
                f"SELECT article_id FROM analyses WHERE article_id IN ({_marks(len(part))})",
                tuple(part),
            )
            found.update(r["article_id"] for r in rows)
        return found

    # ------------------------------------------------------------------ tracking

    def last_seq(self) -> int:
        """The ingest number of the last stored article (0 for none)."""
        return self._all("SELECT COALESCE(MAX(seq), 0) AS n FROM articles")[0]["n"]

    def count_untracked(self, after_seq: int = 0) -> int:
        """How many stored articles (any revision) after ``after_seq`` are in no story yet."""
        return self._all(
            f"SELECT COUNT(*) AS n FROM articles a WHERE a.seq > ? AND {_UNTRACKED}", (after_seq,)
        )[0]["n"]

    def untracked(self, limit: int, after_seq: int = 0) -> list[tuple[str, str | None]]:
        """Up to ``limit`` stored articles after ``after_seq`` in no story, as (id, previous
        revision's id), in published order (undated last, then ingest order) as ``articles()``
        lists them."""
        rows = self._all(
            f"SELECT id, previous_id FROM articles a WHERE a.seq > ? AND {_UNTRACKED} "
            "ORDER BY (published_ts IS NULL), COALESCE(published_ts, 0), seq LIMIT ?",
            (after_seq, limit),
        )
        return [(r["id"], r["previous_id"]) for r in rows]

    def save_tracked(
        self,
        stories: Sequence[Story],
        scores: Sequence[tuple[str, float]],
        state: dict[str, bytes | None],
        signatures: Sequence[tuple[str, str, np.ndarray, Sequence[int]]] = (),
        copies: Sequence[tuple[str, str, float]] = (),
    ) -> None:
        """One batch's tracking in one transaction: the syndicated copies it found as (copy,
        original, similarity), linked in order as ``link_copy`` links them, the stories it
        touched (exactly their members), each assigned article's score, the engine snapshots,
        and the dedupe signatures it kept as (article id, group, signature, band keys). A crash
        leaves all or none."""
        with self._tx() as conn:
            for article_id, original_id, similarity in copies:
                self._link_copy(conn, article_id, original_id, similarity)
            for story in stories:
                self._write_story(conn, story)
            conn.executemany(
                "UPDATE story_articles SET score = ? WHERE article_id = ?",
                [(score, article_id) for article_id, score in scores],
            )
            for article_id, group, signature, keys in signatures:
                conn.execute("DELETE FROM signatures WHERE article_id = ?", (article_id,))
                sid = conn.execute(
                    "INSERT INTO signatures (article_id, group_id, signature) VALUES (?, ?, ?) "
                    "RETURNING sid",
                    (article_id, group, np.asarray(signature, dtype="<u4").tobytes()),
                ).fetchone()["sid"]
                conn.executemany(
                    "INSERT INTO signature_bands (band_key, sid) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [(int(k), sid) for k in keys],
                )
            self._write_states(conn, state)

    def _write_states(self, conn: Any, state: dict[str, bytes | None]) -> None:
        """Replace (None: delete) snapshot rows, and count one snapshot write."""
        if not state:
            return
        now = codec.utc_now()
        conn.executemany(
            "INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [(k, bytes(v), now) for k, v in state.items() if v is not None],
        )
        gone = [(k,) for k, v in state.items() if v is None]
        if gone:
            conn.executemany("DELETE FROM state WHERE key = ?", gone)
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'state'")

    def state_parts(self, prefix: str) -> dict[str, bytes]:
        """Every snapshot row whose key starts with ``prefix``, by key."""
        rows = self._all(
            "SELECT key, value FROM state WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
        )
        return {r["key"]: bytes(r["value"]) for r in rows}

    # ------------------------------------------------------------------ signatures

    def has_signatures(self) -> bool:
        """Whether any dedupe signature is stored."""
        return bool(self._all("SELECT 1 AS one FROM signatures LIMIT 1"))

    def signatures_by_bands(self, keys: Sequence[int]) -> list[tuple[str, str, np.ndarray]]:
        """Stored signatures sharing at least one LSH band key: (article id, group, signature),
        in the order they were stored."""
        if not keys:
            return []
        rows = self._all(
            "SELECT s.sid, s.article_id, s.group_id, s.signature FROM signatures s WHERE s.sid "
            f"IN (SELECT b.sid FROM signature_bands b WHERE b.band_key IN ({_marks(len(keys))})) "
            "ORDER BY s.sid",
            tuple(int(k) for k in keys),
        )
        return [(r["article_id"], r["group_id"], _signature(r["signature"])) for r in rows]

    def recent_signatures(
        self, since_ts: float | None, limit: int
    ) -> list[tuple[str, str, np.ndarray, float | None]]:
        """The last ``limit`` signatures stored of articles published at or after ``since_ts``
        (or undated), oldest first: (article id, group, signature, published epoch)."""
        rows = self._all(
            "SELECT s.sid, s.article_id, s.group_id, s.signature, a.published_ts AS ts "
            "FROM signatures s JOIN articles a ON a.id = s.article_id "
            "WHERE a.published_ts IS NULL OR a.published_ts >= ? ORDER BY s.sid DESC LIMIT ?",
            (since_ts if since_ts is not None else float("-inf"), limit),
        )
        return [
            (r["article_id"], r["group_id"], _signature(r["signature"]), r["ts"])
            for r in reversed(rows)
        ]


def _signature(value: Any) -> np.ndarray:
    return np.frombuffer(bytes(value), dtype="<u4").astype(np.uint32)
