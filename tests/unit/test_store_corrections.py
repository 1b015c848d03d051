"""The store's corrections log: one transaction with the stories and the engine state, numbered,
found from every story it names, and added to old stores by migration."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

import pytest

from storyline.errors import NotFoundError
from storyline.model import Article, Correction, CorrectionKind, Story
from storyline.store import SQLiteStore, Store
from storyline.store.migrations import LATEST_VERSION, MIGRATIONS, migrate

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def art(text: str) -> Article:
    return Article(id=hashlib.sha256(text.encode()).hexdigest()[:16], text=text, published=T0)


@pytest.fixture
def store(backend):
    with backend.open() as s:
        yield s


@pytest.fixture
def three(store):
    """Stories s1 = (a, b) and s2 = (c), assigned with scores."""
    a, b, c = (art(t) for t in ("Alpha body.", "Beta body.", "Gamma body."))
    store.add_articles([a, b, c])
    store.save_story(Story("s1", "one", (a.id, b.id), (), T0, T0))
    store.save_story(Story("s2", "two", (c.id,), (), T0, T0))
    for article, story_id in ((a, "s1"), (b, "s1"), (c, "s2")):
        store.assign_story(article.id, story_id, 0.9)
    return a, b, c


def _correction(kind, story_id, from_ids, article_ids, removed=(), new=False) -> Correction:
    return Correction(kind, story_id, from_ids, article_ids, removed, new, T0)


def test_each_store_still_implements_the_protocol(store):
    assert isinstance(store, Store)


def test_a_merge_moves_deletes_saves_state_and_is_numbered(store, three):
    a, b, c = three
    version = store.state_version()
    merged = Story("s1", "one", (a.id, b.id, c.id), (), T0, T0)
    stored = store.apply_correction(
        _correction(CorrectionKind.MERGE, "s1", ("s2",), (c.id,), ("s2",)),
        [merged],
        ["s2"],
        {"engine": b"after"},
    )
    assert stored.id == 1 and stored.kind is CorrectionKind.MERGE
    assert store.get_story("s1").article_ids == (a.id, b.id, c.id)
    with pytest.raises(NotFoundError):
        store.get_story("s2")
    assert store.get_state("engine") == b"after" and store.state_version() > version
    # the moved article was placed by the user: no engine score; the others keep theirs
    assert store.story_scores("s1") == {a.id: 0.9, b.id: 0.9, c.id: None}
    # the history of the deleted story is kept, and read back as it was written
    assert store.corrections("s2") == store.corrections("s1") == [stored]
    assert stored.at == T0 and stored.removed == ("s2",) and not stored.new_story


def test_corrections_are_numbered_in_order_and_filtered_by_story(store, three):
    a, b, c = three
    first = store.apply_correction(
        _correction(CorrectionKind.SPLIT, "s3", ("s1",), (b.id,), new=True),
        [Story("s1", "one", (a.id,), (), T0, T0), Story("s3", "three", (b.id,), (), T0, T0)],
        [],
    )
    second = store.apply_correction(
        _correction(CorrectionKind.MOVE, "s2", ("s3",), (b.id,), ("s3",)),
        [Story("s2", "two", (c.id, b.id), (), T0, T0)],
        ["s3"],
    )
    assert (first.id, second.id) == (1, 2)
    assert [x.id for x in store.corrections()] == [1, 2]
    assert [x.id for x in store.corrections("s1")] == [1]
    assert [x.id for x in store.corrections("s3")] == [1, 2]
    assert [x.id for x in store.corrections("s2")] == [2]
    assert store.corrections("s9") == []
    assert store.story_of(b.id).id == "s2"


def test_a_failing_correction_leaves_nothing_behind(store, three):
    a, _, _ = three
    with pytest.raises(NotFoundError):
        store.apply_correction(
            _correction(CorrectionKind.MOVE, "s2", ("s1",), ("missing",)),
            [Story("s2", "two", ("missing",), (), T0, T0)],
            [],
            {"engine": b"never"},
        )
    assert store.corrections() == [] and store.get_state("engine") is None
    assert store.get_story("s1").article_ids[0] == a.id


def test_migration_adds_the_log_to_a_store_made_before_it(tmp_path):
    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path, isolation_level=None)
    before = tuple(m for m in MIGRATIONS if m[0] < 3)
    migrate(conn, path, before)
    conn.close()
    with SQLiteStore(path) as store:
        assert store.schema_version() == LATEST_VERSION >= 3
        assert store.corrections() == []


def test_postgres_migration_adds_the_log_to_a_store_made_before_it(tmp_path):
    import psycopg
    from tests.store_backends import Backend

    from storyline.store import postgres_migrations

    pg = Backend("postgres", tmp_path)
    try:
        with psycopg.connect(pg.target("old"), autocommit=True) as conn:
            key = conn.execute("SELECT hashtext(current_schema())").fetchone()[0]
            before = tuple(m for m in postgres_migrations.MIGRATIONS if m[0] < 2)
            postgres_migrations.migrate(conn, "old", key, before)
        with pg.open("old") as store:
            assert store.schema_version() == postgres_migrations.LATEST_VERSION >= 2
            assert store.corrections() == []
    finally:
        pg.close()
