"""What only the PostgreSQL store has: a server to reach, URLs, schemas, its migrations, and a
lease held by a database session."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tests.store_backends import POSTGRES_ENV, postgres_url

from storyline.errors import StoreBusyError, StoreError
from storyline.model import Article
from storyline.store import open_store

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_ci_has_a_postgres_server():
    """CI must run the PostgreSQL cases: without a server there, this fails instead of letting
    every PostgreSQL case skip."""
    url = postgres_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {POSTGRES_ENV} is not: .ci/run must start PostgreSQL")
        pytest.skip(f"no {POSTGRES_ENV} here (only CI requires it)")
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_redact_hides_passwords():
    from storyline.store.postgres import redact

    assert redact("postgresql://ann:s3cret@db.example:5432/news") == (
        "postgresql://ann:***@db.example:5432/news"
    )
    assert redact("postgresql://db/news?password=s3cret&sslmode=require") == (
        "postgresql://db/news?password=***&sslmode=require"
    )
    assert redact("postgresql://ann@db/news") == "postgresql://ann@db/news"


def test_unreachable_server_is_a_coded_error_without_the_password():
    # port 9 on loopback: nothing listens there
    with pytest.raises(StoreError) as info:
        open_store("postgresql://ann:s3cret@127.0.0.1:9/news?connect_timeout=5")
    text = str(info.value)
    assert info.value.code == "E500" and "cannot connect" in text
    assert "s3cret" not in text and "postgresql://ann:***@127.0.0.1:9/news" in text


def test_missing_schema_and_missing_store_are_coded_errors(pg):
    base = postgres_url()
    with pytest.raises(StoreError, match="search_path names no existing schema"):
        open_store(f"{base}?options=-csearch_path%3Dno_such_schema_here")
    with pytest.raises(StoreError, match="version 0") as info:
        pg.open("empty", read_only=True)  # a fresh schema is no store yet
    assert "open it once for writing" in str(info.value)


def test_text_postgresql_cannot_hold_is_a_coded_error_and_the_batch_rolls_back(pg):
    with pg.open() as store:
        good = Article(id="ok1", text="Fine text.")
        bad = Article(id="nul1", text="A NUL \x00 inside.")
        with pytest.raises(StoreError, match="cannot write"):
            store.add_articles([good, bad])
        assert store.count_articles() == 0
        assert store.add_article(good).status == "added"  # the connection is usable again


def test_schemas_are_separate_stores_with_separate_leases(pg):
    with pg.open("one") as one, pg.open("two") as two:
        one.add_article(Article(id="a1", text="Only in one."))
        assert two.count_articles() == 0
        with one.writer(timeout=0), two.writer(timeout=0):
            pass  # a lease on one store does not block another store's writer


def test_two_processes_opening_a_new_store_migrate_it_once(pg):
    target = pg.target("race")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it():
        try:
            start.wait(5)
            open_store(target).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    from storyline.store.postgres_migrations import LATEST_VERSION

    rows = pg.query("race", "SELECT version FROM schema_version ORDER BY version")
    assert rows == [(v,) for v in range(1, LATEST_VERSION + 1)]


def test_pending_migrations_apply_in_order_and_failures_roll_back(pg):
    import psycopg

    from storyline.store.postgres_migrations import LATEST_VERSION, MIGRATIONS, migrate

    pg.open("m").close()
    with psycopg.connect(pg.target("m"), autocommit=True) as conn:
        key = conn.execute("SELECT hashtext(current_schema())").fetchone()[0]
        extra = MIGRATIONS + (
            (LATEST_VERSION + 1, "CREATE TABLE t2 (x INTEGER);"),
            (
                LATEST_VERSION + 2,
                "ALTER TABLE t2 ADD COLUMN y TEXT; INSERT INTO t2 VALUES (1, 'a');",
            ),
        )
        assert migrate(conn, "m", key, extra) == LATEST_VERSION + 2
        assert conn.execute("SELECT x, y FROM t2").fetchall() == [(1, "a")]
        broken = extra + (
            (LATEST_VERSION + 3, "CREATE TABLE t3 (x int); CREATE TABLE t3 (x int);"),
        )
        with pytest.raises(StoreError, match="migration"):
            migrate(conn, "m", key, broken)
        assert conn.execute("SELECT to_regclass('t3')").fetchone() == (None,)
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (
            LATEST_VERSION + 2,
        )


HOLDER = """
import sys, time
from storyline.store import open_store
store = open_store(sys.argv[1])
with store.writer(timeout=0):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_killed_holder_leaves_no_stale_lease(pg):
    """kill -9 of the process holding the lease: the server ends its session and the lease."""
    target = pg.target("crash")
    open_store(target).close()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, target],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    try:
        assert child.stdout.readline().strip() == "held"
        with open_store(target) as store:
            with pytest.raises(StoreBusyError, match=f"pid {child.pid}"):
                with store.writer(timeout=0):
                    pass
            child.kill()
            child.wait(10)
            started = time.monotonic()
            with store.writer(timeout=10):
                assert time.monotonic() - started < 10
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)


def test_remove_feed(pg):
    """Store.remove_feed (the serve branch adds it to SQLite with the same contract)."""
    with pg.open() as store:
        store.save_feed("https://x.org/rss", '"e"', None, None)
        store.save_feed("https://y.org/rss", None, None, None)
        assert store.remove_feed("https://x.org/rss") is True
        assert store.remove_feed("https://x.org/rss") is False
        assert [f.url for f in store.feeds()] == ["https://y.org/rss"]


@pytest.mark.slow
def test_the_demo_corpus_makes_the_same_stories_on_both_backends(pg, tmp_path):
    """Ingest with refinement (models load) gives the same stories on SQLite and PostgreSQL."""
    from storyline import service
    from storyline.settings import load_settings

    corpus = Path(__file__).resolve().parents[2] / "src/storyline/data/demo/corpus.jsonl"
    made = []
    for target in (str(tmp_path / "news.db"), pg.target("news")):
        settings = load_settings({"store": target})
        report = service.ingest([str(corpus)], settings)
        stories = service.list_stories(settings=settings)
        made.append(
            (
                (report.added, report.revisions, report.copies, report.duplicates),
                sorted((s.label, s.article_ids, s.outlets, s.first_seen) for s in stories),
            )
        )
    assert made[0] == made[1] and made[0][1]


def _drop_session(store) -> None:
    """End the store's database session from outside, as a server restart does."""
    import psycopg

    pid = store.conn.info.backend_pid
    with psycopg.connect(postgres_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_dropped_session_reconnects_but_never_under_the_lease(pg):
    with pg.open() as store:
        store.add_article(Article(id="a1", text="Before the restart."))
        _drop_session(store)
        assert store.count_articles() == 1  # a read retries on a new session
        assert store.add_article(Article(id="a2", text="After it.")).status == "added"
        with store.writer(timeout=0):
            _drop_session(store)
            with pytest.raises(StoreError, match="holding the writer lease"):
                store.add_article(Article(id="a3", text="Under a lost lease."))
        assert store.count_articles() == 2  # the write under the lost lease never happened
        with store.writer(timeout=0):  # and the lease can be taken again
            store.add_article(Article(id="a3", text="Under a new lease."))
        assert store.count_articles() == 3


def test_the_cli_reports_an_unreachable_server_without_a_traceback(tmp_path):
    corpus = tmp_path / "a.jsonl"
    corpus.write_text('{"id": "1", "title": "T", "text": "Some text here."}\n', encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline.interfaces.cli",
            "ingest",
            str(corpus),
            "--store",
            "postgresql://ann:s3cret@127.0.0.1:9/news",
            "--no-refine",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert result.returncode == 1
    assert "[E500]" in result.stderr and "cannot connect" in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr + result.stdout
