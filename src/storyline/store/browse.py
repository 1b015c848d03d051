"""Read queries the web app needs from a SQL store: full-text search of the articles (the FTS5
index of SQLite's migration 4; PostgreSQL's is postgres_search.py), per-outlet counts, the
stories changed since a time and the store's read version (methods of both backends' stores)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from storyline.model import Story
from storyline.store import codec

# Words of a query: each becomes a quoted prefix term ("spillway"* also finds "spillways"),
# so no character a user types is read as FTS5 query syntax.
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16  # a pasted paragraph is not a query; its first words are
# Matches counted at most: counting all 100,000 matches of a word every article holds took
# 740 ms of a 100k-article store (benchmarks/serve_scale.py); "10,000 or more" is as useful.
COUNT_CAP = 10_000


def match_expression(text: str) -> str:
    """The FTS5 MATCH expression for what a user typed: every word, as a prefix ("" if none)."""
    words = _WORD.findall(text)[:MAX_TERMS]
    return " ".join(f'"{w}"*' for w in words)


def search_articles(store, text: str, outlet: str = "", offset: int = 0,
                    limit: int = 50) -> tuple[int, list]:
    """(how many latest revisions match, at most COUNT_CAP; one page of them newest first)
    for words in the title or text (every latest revision when there are none), optionally
    of one outlet (case-insensitive)."""
    expression = match_expression(text)
    where, params = ["a.latest = 1"], []
    if expression:  # a subquery: a join lets the planner probe the index once per article
        where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(expression)
    if outlet:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    joined = f"FROM articles a WHERE {' AND '.join(where)}"
    total = store._one(f"SELECT COUNT(*) FROM (SELECT 1 {joined} LIMIT ?)",
                       (*params, COUNT_CAP))[0]
    columns = ", ".join(f"a.{c}" for c in codec.ARTICLE_COLUMNS)
    # NULLs sort lowest in SQLite: undated articles come last, and the order can walk the
    # (latest, published_ts) index backwards instead of sorting every match.
    rows = store._all(
        f"SELECT {columns} {joined} ORDER BY a.published_ts DESC, a.seq DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return total, [codec.article_from_row(r) for r in rows]


def articles_matching(store, text: str) -> set[str]:
    """The ids of the latest revisions whose title or text holds every word of ``text``, as
    search_articles matches them (the caller maps them to its stories); none when ``text``
    has no word."""
    expression = match_expression(text)
    if not expression:
        return set()
    # Driven from the index (CROSS JOIN keeps that order: SQLite's planner otherwise walks the
    # latest articles and runs the MATCH once for each, minutes at 100k), the ids in one value
    # (content hashes: no space in them). At 100k articles, a word all of them hold, load ~6:
    # 118-142 ms; as their stories through story_articles 290-490 ms, as 100k rows 182-283 ms.
    ids = store._scalar(
        "SELECT group_concat(a.id, ' ') AS ids FROM articles_fts f CROSS JOIN articles a "
        "ON a.seq = f.rowid WHERE articles_fts MATCH ? AND a.latest = 1", (expression,))
    return set(ids.split(" ")) if ids else set()


def read_version(store) -> tuple[int, int]:
    """(the state version, the newest article's seq): it moves with every ingest batch and
    with articles stored outside one (the refining ingest, backfill), where the state version
    alone may not; one query, both read from an index."""
    row = store._one("SELECT (SELECT value FROM counters WHERE name = 'state') AS v, "
                     "(SELECT MAX(seq) FROM articles) AS s")
    return int(row["v"] or 0), int(row["s"] or 0)


def outlet_counts(store) -> list[tuple[str, int, float | None]]:
    """(outlet, latest revisions, last published as epoch seconds) per outlet, most first."""
    return [(r["outlet"], r["n"], r["last"]) for r in store._all(
        "SELECT outlet, COUNT(*) AS n, MAX(published_ts) AS last FROM articles "
        f"WHERE latest = TRUE GROUP BY outlet ORDER BY n DESC, outlet{store.BYTEWISE}")]


def stories_changed(store, since: str | None,
                    known: set[str] | None = None) -> tuple[list, set[str] | None, str | None]:
    """What a cached stories list needs to catch up without re-reading every story: (stories
    whose row was written at or after ``since``, the ids of every story or None when they are
    ``known`` plus the changed ones, the latest write time). ``since`` None reads them all."""
    if since is None:
        stories, latest = all_stories(store)
        return stories, None, latest
    with store._lock:  # one consistent read: the lock keeps this process's writers out
        latest = store._scalar("SELECT MAX(updated_at) AS t FROM stories")
        rows = store._all("SELECT * FROM stories WHERE updated_at >= ?", (since,))
        members: dict[str, list[str]] = {r["id"]: [] for r in rows}
        # IN over the changed ids walks the (story_id, position) index for those stories only;
        # the join _stories uses scans every membership row (100 ms at 100k articles).
        # (another process may write a story between the two reads: its row is re-read at the
        # next catch-up, being newer than ``latest``, so its members here are left out)
        for r in store._all(
            "SELECT story_id, article_id FROM story_articles WHERE story_id IN (SELECT id FROM "
            "stories WHERE updated_at >= ?) ORDER BY story_id, position", (since,)):
            if r["story_id"] in members:
                members[r["story_id"]].append(r["article_id"])
        count = store._scalar("SELECT COUNT(*) AS n FROM stories")
        ids = None
        if known is None or count != len(known | set(members)):  # some were deleted
            ids = {r["id"] for r in store._all("SELECT id FROM stories")}
    return [codec.story_from_parts(r, members[r["id"]]) for r in rows], ids, latest


@contextmanager
def _snapshot(store) -> Iterator[None]:
    """The reads inside see one committed state of the store (a read transaction)."""
    with store._lock:
        conn = store.conn
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if store.BYTEWISE
                     else "BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")


def all_stories(store) -> tuple[list[Story], str | None]:
    """(every story, in no particular order; the latest story write time), read from one
    snapshot in two plain scans: the members in index order, without the join to the stories
    that store.stories() makes for its filter, and each distinct outlets list and date decoded
    once (at 100k articles, 22k stories: 430-480 ms through store.stories(), idle)."""
    with _snapshot(store):
        latest = store._scalar("SELECT MAX(updated_at) AS t FROM stories")
        rows = store._all("SELECT id, label, outlets, first_seen, last_seen FROM stories")
        members: dict[str, list[str]] = {}
        for r in store._all("SELECT story_id, article_id FROM story_articles "
                            f"ORDER BY story_id{store.BYTEWISE}, position"):
            members.setdefault(r["story_id"], []).append(r["article_id"])
    outlets: dict[str, tuple[str, ...]] = {}
    dates: dict[str | None, datetime | None] = {None: None, "": None}
    stories = []
    for r in rows:
        o, first, last = r["outlets"] or "[]", r["first_seen"], r["last_seen"]
        if o not in outlets:
            outlets[o] = tuple(json.loads(o))
        for d in (first, last):
            if d not in dates:
                dates[d] = datetime.fromisoformat(d)
        stories.append(Story(r["id"], r["label"], tuple(members.get(r["id"], ())), outlets[o],
                             dates[first], dates[last]))
    return stories, latest


# Ids per IN list: well under SQLite's 32,766 host parameters, and one post's articles.
IN_CHUNK = 500


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _in(values: list[str]) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


def stored_ids(store, ids) -> set[str]:
    """Which of these article ids are stored (any revision), in one query per IN_CHUNK."""
    found: set[str] = set()
    for part in _chunks(sorted(set(ids))):
        found.update(r["id"] for r in store._all(
            f"SELECT id FROM articles WHERE id IN {_in(part)}", tuple(part)))
    return found


def latest_by_url(store, canons) -> dict[str, str]:
    """The id of the latest revision stored under each canonical URL that has one (what
    find_by_url answers, for many URLs at once)."""
    best: dict[str, tuple[int, str]] = {}
    for part in _chunks(sorted({c for c in canons if c})):
        for r in store._all("SELECT canonical_url, id, revision FROM articles WHERE "
                            f"canonical_url IN {_in(part)}", tuple(part)):
            if r["canonical_url"] not in best or r["revision"] > best[r["canonical_url"]][0]:
                best[r["canonical_url"]] = (r["revision"], r["id"])
    return {canon: article_id for canon, (_rev, article_id) in best.items()}


def story_languages(store) -> dict[str, tuple[str, ...]]:
    """The languages of each story's articles (ISO 639-1 codes, sorted; unknown ones left out),
    derived from the articles in one scan rather than stored with the story."""
    found: dict[str, list[str]] = {}
    for r in store._all(
        "SELECT DISTINCT sa.story_id, a.language FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id WHERE a.language <> ''"
    ):
        found.setdefault(r["story_id"], []).append(r["language"])
    return {sid: tuple(sorted(langs)) for sid, langs in found.items()}


def story_ids_of(store, ids) -> dict[str, str]:
    """The story of each of these articles that is in one (story_of's ids, at once)."""
    found: dict[str, str] = {}
    for part in _chunks(sorted(set(ids))):
        found.update((r["article_id"], r["story_id"]) for r in store._all(
            f"SELECT article_id, story_id FROM story_articles WHERE article_id IN {_in(part)}",
            tuple(part)))
    return found
