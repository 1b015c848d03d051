"""The stores (SQLite and PostgreSQL, see tests/store_backends.py): idempotent ingest, revisions,
analyses, copies, stories, state, migrations."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.model import AnalyzedArticle, Article, Sentence, Story
from storyline.store import SQLiteStore, Store, canonical_url, open_store, sql
from storyline.store.migrations import LATEST_VERSION, MIGRATIONS, migrate

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def art(text: str, url: str = "", published: datetime | None = T0, **kw) -> Article:
    """An article whose id is the content hash of its text, as ingest makes it."""
    article_id = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=article_id, text=text, url=url, published=published, **kw)


@pytest.fixture
def store(backend):
    with backend.open() as s:
        yield s


# --------------------------------------------------------------------------- articles


def test_add_and_get_round_trip(store):
    a = art("Body one.", "https://x.org/a", outlet="X", title="T", extra=(("k", "v"),))
    result = store.add_article(a)
    assert (result.status, result.article_id, result.revision) == ("added", a.id, 1)
    assert store.get_article(a.id) == a
    assert store.count_articles() == 1


def test_same_article_twice_is_a_duplicate(store):
    a = art("Body one.", "https://x.org/a")
    store.add_article(a)
    again = store.add_article(a)
    assert again.status == "duplicate" and again.original_id == a.id
    assert store.count_articles(all_revisions=True) == 1


def test_same_text_other_url_or_id_is_a_duplicate(store):
    a = art("Body one.", "https://x.org/a")
    store.add_article(a)
    other = Article(id="different-id", text=a.text, url="https://mirror.org/b")
    result = store.add_article(other)
    assert result.status == "duplicate" and result.article_id == a.id
    with pytest.raises(NotFoundError):
        store.get_article("different-id")


def test_batch_is_idempotent_within_and_across_calls(store):
    batch = [art(f"Text {i}.", f"https://x.org/{i}") for i in range(5)]
    results = store.add_articles(batch + batch[:2])
    assert [r.status for r in results] == ["added"] * 5 + ["duplicate"] * 2
    assert [r.status for r in store.add_articles(batch)] == ["duplicate"] * 5
    assert store.count_articles() == 5


def test_batch_rolls_back_on_error(store):
    class Boom(Exception):
        pass

    def items():
        yield art("First.")
        raise Boom

    with pytest.raises(Boom):
        store.add_articles(items())
    assert store.count_articles() == 0


def test_same_url_new_text_is_a_revision(store):
    v1 = art("Early version.", "https://X.org/story/?utm_source=rss#top", published=T0)
    v2 = art("Updated version.", "https://x.org/story", published=T0 + timedelta(hours=1))
    assert store.add_article(v1).status == "added"
    r2 = store.add_article(v2)
    assert (r2.status, r2.revision, r2.previous_id) == ("revision", 2, v1.id)
    assert [a.id for a in store.articles()] == [v2.id]
    assert store.count_articles() == 1 and store.count_articles(all_revisions=True) == 2
    assert [a.id for a in store.revisions("http://ignored")] == []
    assert [a.id for a in store.revisions("https://x.org/story/")] == [v1.id, v2.id]
    assert store.find_by_url("https://x.org/story?fbclid=1").id == v2.id
    assert store.get_article(v1.id) == v1  # old revisions stay readable
    assert store.revision_of(v2.id) == 2
    # the first text again is neither a new revision nor an overwrite
    assert store.add_article(v1).status == "duplicate"
    assert store.find_by_url("https://x.org/story").id == v2.id
    r3 = store.add_article(art("Third version.", "https://x.org/story"))
    assert (r3.revision, r3.previous_id) == (3, v2.id)


def test_articles_order_since_limit(store, monkeypatch):
    # exercise the keyset paging
    monkeypatch.setattr(sql, "PAGE_SIZE", 3)  # both backends page with sql.py's articles()
    undated = [art(f"Undated {i}.", published=None) for i in range(2)]
    dated = [art(f"Dated {i}.", published=T0 + timedelta(hours=10 - i)) for i in range(6)]
    naive = art("Naive.", published=datetime(2024, 5, 1, 8, 30))  # taken as UTC
    store.add_articles(undated[:1] + dated[:3] + [naive] + undated[1:] + dated[3:])
    ids = [a.id for a in store.articles()]
    expected = [naive.id] + [a.id for a in reversed(dated)] + [a.id for a in undated]
    assert ids == expected
    assert [a.id for a in store.articles(limit=4)] == expected[:4]
    since = [a.id for a in store.articles(since=T0 + timedelta(hours=8))]
    assert since == [dated[2].id, dated[1].id, dated[0].id]
    assert list(store.articles(limit=0)) == []


def test_get_missing_article(store):
    with pytest.raises(NotFoundError, match="nope"):
        store.get_article("nope")
    assert store.find_by_url("https://x.org/none") is None
    assert store.find_by_url("") is None


# --------------------------------------------------------------------------- analyses


def test_analysis_round_trip_with_vectors_survives_reopen(backend):
    a = art("One. Two.")
    vectors = np.random.default_rng(1).standard_normal((2, 16)).astype(np.float32)
    analysis = AnalyzedArticle(
        article=a,
        sentences=(Sentence(0, 0, 4), Sentence(1, 5, 9)),
        vectors=vectors,
        layers=("sentences", "embeddings"),
    )
    with backend.open("a") as s:
        s.add_article(a)
        assert s.get_analysis(a.id) is None
        s.save_analysis(analysis)
    with backend.open("a") as s:
        back = s.get_analysis(a.id)
        assert back == analysis
        np.testing.assert_array_equal(back.vectors, vectors)
        assert back.vectors.dtype == np.float32
        s.save_analysis(AnalyzedArticle(article=a))  # replaced, no vectors
        assert s.get_analysis(a.id).vectors is None
        assert s.analysed_ids() == {a.id}


def test_analysis_of_unknown_article(store):
    with pytest.raises(NotFoundError):
        store.save_analysis(AnalyzedArticle(article=art("Not stored.")))


# --------------------------------------------------------------------------- copies


def test_copies_and_chains(store):
    a, b, c = (art(f"Wire {i}.") for i in range(3))
    store.add_articles([a, b, c])
    store.link_copy(b.id, a.id, 0.9)
    store.link_copy(c.id, b.id, 0.8)  # a copy of a copy points at the root
    assert store.original_of(c.id) == a.id
    assert store.copies_of(a.id) == [(b.id, 0.9), (c.id, 0.8)]
    assert store.original_of(a.id) is None and store.copies_of(b.id) == []
    with pytest.raises(StoreError):
        store.link_copy(a.id, c.id, 0.9)  # root would be itself
    with pytest.raises(NotFoundError):
        store.link_copy("ghost", a.id, 0.9)


def test_copies_move_when_original_becomes_a_copy(store):
    a, b, c = (art(f"Wire {i}.") for i in range(3))
    store.add_articles([a, b, c])
    store.link_copy(c.id, b.id, 0.7)
    store.link_copy(b.id, a.id, 0.9)
    assert store.original_of(c.id) == a.id
    assert [i for i, _ in store.copies_of(a.id)] == [b.id, c.id]


# --------------------------------------------------------------------------- stories


def test_stories_save_assign_list(store):
    a = art("A.", outlet="Alpha", published=T0)
    b = art("B.", outlet="Beta", published=T0 + timedelta(hours=5))
    c = art("C.", outlet="Gamma", published=T0 - timedelta(hours=1))
    store.add_articles([a, b, c])
    story = Story("s1", "Bridge vote", (a.id, b.id), ("Alpha", "Beta"), T0, T0 + timedelta(hours=5))
    store.save_story(story)
    assert store.get_story("s1") == story
    assert store.story_of(a.id) == story and store.story_of(c.id) is None

    store.assign_story(c.id, "s1", 0.75)
    got = store.get_story("s1")
    assert got.article_ids == (a.id, b.id, c.id)
    assert got.outlets == ("Alpha", "Beta", "Gamma")
    assert got.first_seen == c.published and got.last_seen == story.last_seen
    assert store.story_scores("s1")[c.id] == 0.75

    other = Story("s2", "Other", (), (), T0 + timedelta(days=3), T0 + timedelta(days=3))
    store.save_story(other)
    store.assign_story(b.id, "s2", 0.6)  # moves b
    assert store.story_of(b.id).id == "s2"
    assert store.get_story("s1").article_ids == (a.id, c.id)
    assert [s.id for s in store.stories()] == ["s1", "s2"]
    assert [s.id for s in store.stories(since=T0 + timedelta(days=1))] == ["s2"]

    store.save_story(Story("s1", "Renamed", (c.id,), ("Gamma",), c.published, c.published))
    assert store.get_story("s1").label == "Renamed"
    assert store.story_of(a.id) is None
    assert store.story_scores("s1") == {c.id: 0.75}  # kept for the article that stayed


def test_replace_stories_moves_deletes_and_saves_state_at_once(store):
    a, b, c = art("A.", outlet="Alpha"), art("B.", outlet="Beta"), art("C.", outlet="Gamma")
    store.add_articles([a, b, c])
    store.save_story(Story("s1", "one", (a.id, b.id), ("Alpha", "Beta"), T0, T0))
    store.save_story(Story("s2", "two", (c.id,), ("Gamma",), T0, T0))
    merged = Story("s1", "one", (a.id, b.id, c.id), ("Alpha", "Beta", "Gamma"), T0, T0)
    store.replace_stories([merged], ["s2"], {"engine": b"v2"})
    assert [s.id for s in store.stories()] == ["s1"]
    assert store.get_story("s1").article_ids == (a.id, b.id, c.id)
    assert store.get_state("engine") == b"v2"
    # a failing replacement (unknown article) changes nothing, state included
    with pytest.raises(NotFoundError):
        store.replace_stories(
            [Story("s3", "x", ("ghost",), (), None, None)], ["s1"], {"engine": b"v3"}
        )
    assert [s.id for s in store.stories()] == ["s1"] and store.get_state("engine") == b"v2"


def test_story_errors(store):
    with pytest.raises(NotFoundError):
        store.get_story("none")
    with pytest.raises(NotFoundError):
        store.save_story(Story("s", "x", ("ghost",), (), None, None))
    assert store.stories() == []  # the failed save left nothing behind
    a = art("A.")
    store.add_article(a)
    with pytest.raises(NotFoundError):
        store.assign_story(a.id, "none", 1.0)


# --------------------------------------------------------------------------- state, feeds, skips


def test_state_feeds_skips(store):
    assert store.get_state("cluster") is None
    store.set_state("cluster", b"\x00\x01snapshot")
    store.set_state("cluster", b"v2")
    assert store.get_state("cluster") == b"v2"

    store.save_feed("https://x.org/rss", '"etag1"', None, None)
    store.save_feed("https://a.org/rss", None, "Wed, 01 May 2024 08:00:00 GMT", T0)
    store.save_feed("https://x.org/rss", '"etag2"', None, T0)
    feeds = store.feeds()
    assert [f.url for f in feeds] == ["https://a.org/rss", "https://x.org/rss"]
    assert feeds[1].etag == '"etag2"' and feeds[1].last_polled == T0

    store.record_skip("a.html", "no main text")
    store.record_skip("b.pdf", "binary")
    assert [(s.source, s.reason) for s in store.skips()] == [
        ("a.html", "no main text"),
        ("b.pdf", "binary"),
    ]
    assert [s.source for s in store.skips(limit=1)] == ["b.pdf"]
    assert store.skips()[0].at.tzinfo is not None


# --------------------------------------------------------------------------- opening, migrations


def test_open_store_and_protocol(backend):
    with open_store(backend.target("p")) as s:
        assert isinstance(s, Store)
        assert type(s).__name__ == ("PostgresStore" if backend.postgres else "SQLiteStore")
    with open_store(f"sqlite:///{backend.tmp_path / 'u.db'}") as s:
        assert isinstance(s, SQLiteStore)


def test_reopen_keeps_data_and_version(backend):
    with backend.open("r") as s:
        s.add_article(art("Kept."))
        version = s.schema_version()
    with backend.open("r") as s:
        assert s.count_articles() == 1 and s.schema_version() == version
    with backend.open("r", read_only=True) as s:
        assert s.count_articles() == 1 and s.schema_version() == version


def test_sqlite_file_is_sound_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "r.db"
    with SQLiteStore(path) as s:
        s.add_article(art("Kept."))
        assert s.schema_version() == LATEST_VERSION
    with SQLiteStore(path) as s:
        assert s.integrity_check() == "ok"
        mode = s.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_schema_is_refused(backend):
    backend.open("n").close()
    backend.execute("n", "INSERT INTO schema_version VALUES (999, 'future')")
    with pytest.raises(StoreError, match="999") as info:
        backend.open("n")
    assert info.value.path and info.value.path in str(info.value)
    with pytest.raises(StoreError, match="999"):
        backend.open("n", read_only=True)


def test_pending_migrations_apply_in_order_and_failures_roll_back(tmp_path):
    path = str(tmp_path / "m.db")
    SQLiteStore(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    extra = MIGRATIONS + (
        (LATEST_VERSION + 1, "CREATE TABLE t2 (x INTEGER);"),
        (LATEST_VERSION + 2, "ALTER TABLE t2 ADD COLUMN y TEXT; INSERT INTO t2 VALUES (1, 'a');"),
    )
    assert migrate(conn, path, extra) == LATEST_VERSION + 2
    assert conn.execute("SELECT x, y FROM t2").fetchall() == [(1, "a")]
    broken = extra + ((LATEST_VERSION + 3, "CREATE TABLE t3 (x); CREATE TABLE t3 (x);"),)
    with pytest.raises(StoreError, match="migration"):
        migrate(conn, path, broken)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "t3" not in tables
    assert (
        conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == LATEST_VERSION + 2
    )
    conn.close()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all, just some text\n" * 50,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
)
def test_bad_file_is_store_error_naming_the_path(tmp_path, content):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        SQLiteStore(path)
    assert str(path) in str(info.value) and info.value.code == "E500"


def test_unopenable_paths(tmp_path):
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path)  # a directory
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path / "missing" / "deeper" / "s.db")
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path / "absent.db", read_only=True)


def test_closed_store(backend):
    s = backend.open("c")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()


# --------------------------------------------------------------------------- readers


def test_read_only_store_refuses_writes(store):
    store.add_article(art("Seen by readers."))
    with store.reader() as reader:
        assert reader.count_articles() == 1
        with pytest.raises(StoreError, match="read-only"):
            reader.add_article(art("Nope."))


def test_reader_connection_during_writes(backend):
    writer = backend.open("w")
    reader = writer.reader()
    errors: list[BaseException] = []
    counts: list[int] = []
    done = threading.Event()

    def write():
        try:
            for batch in range(20):
                writer.add_articles(art(f"Article {batch}-{i}.") for i in range(25))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    while not done.is_set():
        counts.append(reader.count_articles())
        list(reader.articles(limit=5))
    thread.join(timeout=30)
    counts.append(reader.count_articles())
    assert not errors
    assert counts == sorted(counts)  # readers see whole commits, never going back
    assert all(c % 25 == 0 for c in counts)  # and never half a batch
    assert counts[-1] == 500
    reader.close()
    writer.close()


# --------------------------------------------------------------------------- urls


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM/News/Item/", "https://example.com/News/Item"),
        ("https://example.com/a?utm_source=x&id=3&fbclid=y#frag", "https://example.com/a?id=3"),
        ("https://example.com/a?gclid=1&UTM_Medium=2", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a/", "https://example.com:8443/a"),
        ("https://example.com/", "https://example.com"),
        ("", ""),
        ("notes/local-file.txt", "notes/local-file.txt"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_split_statements_respects_strings_and_triggers():
    from storyline.store.migrations import split_statements

    sql = """
    CREATE TABLE a (x TEXT DEFAULT 'semi;colon'); INSERT INTO a VALUES ('1;2');
    CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM a WHERE x = 'z'; END;
    """
    parts = split_statements(sql)
    assert len(parts) == 3
    assert parts[1] == "INSERT INTO a VALUES ('1;2');"
    assert parts[2].endswith("END;")


# ------------------------------------------------------------------ story ids, state version


def test_story_ids_come_from_the_store_once_each(backend):
    with backend.open("ids") as one, backend.open("ids") as two:
        issued = [one.next_story_id(), two.next_story_id(), one.next_story_id()]
    assert issued == ["s000001", "s000002", "s000003"]
    with backend.open("ids") as again:
        assert again.next_story_id() == "s000004"


def test_migration_2_counts_on_from_the_stories_stored(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), MIGRATIONS[:1])  # a store made before the counters
    conn.execute("INSERT INTO stories (id, updated_at) VALUES ('s000041', 'x'), ('s000007', 'x')")
    conn.close()
    with SQLiteStore(path) as s:
        assert s.schema_version() == LATEST_VERSION and s.next_story_id() == "s000042"


def test_state_version_changes_with_every_snapshot_write(backend):
    with backend.open("v") as one, backend.open("v") as two:
        start = one.state_version()
        two.set_state("engine", b"x")
        assert one.state_version() != start
        seen = one.state_version()
        two.replace_stories([], [], {"engine": b"y", "dedupe": b"z"})
        assert one.state_version() != seen
        two.record_skip("feed", "why")  # not a snapshot: the version stays
        assert one.state_version() == two.state_version()


def test_writer_lease_is_refused_on_a_read_only_store(backend):
    backend.open("ro").close()
    with backend.open("ro", read_only=True) as s, pytest.raises(StoreError):
        with s.writer(timeout=0):
            pass
