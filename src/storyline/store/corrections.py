"""The corrections log in SQL: plain statements over a DB-API connection (``?`` parameters,
rows read by column name)."""

from __future__ import annotations

import json
import typing
from typing import Any

from storyline.model import Correction, CorrectionKind
from storyline.store import codec


def record(conn: Any, correction: Correction) -> int:
    """Log a correction inside the caller's transaction (under the writer lease, so ``MAX + 1``
    cannot race), with every story it names; clear the moved articles' scores. Its number."""
    conn.executemany(
        "UPDATE story_articles SET score = NULL WHERE article_id = ?",
        [(article_id,) for article_id in correction.article_ids],
    )
    next_row = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 AS number FROM corrections")
    number = next_row.fetchone()["number"]
    conn.execute(
        "INSERT INTO corrections (id, kind, story_id, from_ids, article_ids, removed, new_story, "
        "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            str(correction.kind),
            correction.story_id,
            json.dumps(list(correction.from_ids)),
            json.dumps(list(correction.article_ids)),
            json.dumps(list(correction.removed)),
            int(correction.new_story),
            codec.dt_to_text(correction.at),
        ),
    )
    named = dict.fromkeys((correction.story_id, *correction.from_ids, *correction.removed))
    conn.executemany(
        "INSERT INTO correction_stories (correction_id, story_id) VALUES (?, ?)",
        [(number, story_id) for story_id in named],
    )
    return number


def select(story_id: str | None) -> tuple[str, tuple]:
    """The query (and parameters) listing corrections oldest first, those of one story when
    ``story_id`` is given."""
    if story_id is None:
        return "SELECT * FROM corrections ORDER BY id", ()
    return (
        "SELECT c.* FROM corrections c JOIN correction_stories s ON s.correction_id = c.id "
        "WHERE s.story_id = ? ORDER BY c.id",
        (story_id,),
    )


def from_row(row: typing.Mapping[str, Any]) -> Correction:
    """A Correction from its row."""
    return Correction(
        kind=CorrectionKind(row["kind"]),
        story_id=row["story_id"],
        from_ids=tuple(json.loads(row["from_ids"])),
        article_ids=tuple(json.loads(row["article_ids"])),
        removed=tuple(json.loads(row["removed"])),
        new_story=bool(row["new_story"]),
        at=codec.dt_from_text(row["at"]),
        id=row["id"],
    )
