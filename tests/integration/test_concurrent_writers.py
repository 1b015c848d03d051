"""Two writers on one store: the writer lease serialises them, and no story membership is lost.

Two ingests at once used to both exit 0 with about a tenth of the articles in no story, one
engine's stories overwriting the other's and story ids handed out twice (issue #9).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time

import pytest

from storyline.errors import StoreBusyError
from storyline.service.options import story_options
from storyline.settings import load_settings
from storyline.store import open_store

WORDS = ("harbour council strike flood budget rail court vote fire port minister union bridge "
         "storm school hospital election wage tariff drought").split()


def write_corpus(path, n: int, seed: int, prefix: str) -> None:
    """N generated articles on 20 topic words; copies of earlier items now and then."""
    rng = random.Random(seed)
    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            topic = rng.sample(WORDS, 3)
            text = " ".join(rng.choice(WORDS + topic * 4) for _ in range(60)) + f" {prefix} {i}."
            if texts and i % 9 == 0:  # a syndicated copy under another byline
                text = f"By {prefix} staff {i}. " + rng.choice(texts)
            texts.append(text)
            fh.write(json.dumps({
                "id": f"{prefix}{i}", "title": " ".join(topic).title(), "text": text,
                "url": f"https://{prefix}{i % 5}.example/{i}", "outlet": f"{prefix} {i % 5}",
                "published": f"2026-03-{1 + i // 100:02d}T{(i // 5) % 24:02d}:{i % 60:02d}:00Z",
                "language": "en",
            }) + "\n")


def membership_problems(backend, name: str) -> dict[str, int]:
    """Articles in no story and not a copy, stories with no article, members of no story."""

    def count(sql: str) -> int:
        return backend.query(name, sql)[0][0]

    return {
        "articles": count("SELECT COUNT(*) FROM articles"),
        "outside": count(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles "
            "m WHERE m.article_id = a.id) AND NOT EXISTS (SELECT 1 FROM copies c WHERE "
            "c.article_id = a.id)"),
        "empty_stories": count(
            "SELECT COUNT(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_articles m "
            "WHERE m.story_id = s.id)"),
        "orphans": count(
            "SELECT COUNT(*) FROM story_articles m WHERE NOT EXISTS (SELECT 1 FROM stories s "
            "WHERE s.id = m.story_id)"),
    }


def _ingest(path: str, db: str, batch: int, queue) -> None:
    from storyline.service import ingesting

    ingesting.INGEST_BATCH = batch  # several batches each, so the two writers interleave
    settings = load_settings({"store": db, "story_refine": False})
    report = ingesting.ingest([path], settings)
    queue.put((report.added, report.copies))


@pytest.mark.slow
def test_two_ingests_at_once_keep_every_article_in_a_story(tmp_path, backend):
    db = backend.target("news")
    corpora = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    write_corpus(corpora[0], 400, seed=1, prefix="alpha")
    write_corpus(corpora[1], 400, seed=2, prefix="beta")
    open_store(db).close()  # migrate once, so neither child waits on the other's migration
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_ingest, args=(str(c), db, 60, queue)) for c in corpora]
    for child in children:
        child.start()
    results = [queue.get(timeout=240) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert sum(added for added, _ in results) == 800

    problems = membership_problems(backend, "news")
    assert problems == {"articles": 800, "outside": 0, "empty_stories": 0, "orphans": 0}
    # the last engine snapshot agrees with the stored membership of every article
    from storyline.settings import load_settings
    from storyline.stories.tracker import load_engine

    with open_store(db, read_only=True) as store:
        engine, _ = load_engine(store, story_options(load_settings()))
        assert engine.assigned == 800
        for article in store.articles():
            assert engine.assignment(article.id).story_id == store.story_of(article.id).id
        ids = [st.id for st in store.stories()]
    assert len(ids) == len(set(ids)) == len(engine.stories())


def test_a_second_writer_waits_then_refuses_with_a_coded_error(backend):
    first, second = backend.open("news"), backend.open("news")
    heard: list[str] = []
    try:
        with first.writer(timeout=0):
            with pytest.raises(StoreBusyError) as refused:
                with second.writer(timeout=0):
                    pass
            assert refused.value.code == "E501" and "writer_timeout" in refused.value.render()
            started = time.monotonic()
            with pytest.raises(StoreBusyError):
                with second.writer(timeout=0.3, on_wait=heard.append):
                    pass
            assert time.monotonic() - started >= 0.3
            assert len(heard) == 1 and f"pid {os.getpid()}" in heard[0]
            with first.writer(timeout=0):  # re-entrant for its holder
                pass

        held = threading.Event()

        def hold_briefly():
            with first.writer(timeout=0):
                held.set()
                time.sleep(0.4)

        holder = threading.Thread(target=hold_briefly)
        holder.start()
        held.wait(5)
        started = time.monotonic()
        with second.writer(timeout=10):  # waits for the holder, then gets the lease
            assert time.monotonic() - started >= 0.2
        holder.join()
    finally:
        first.close()
        second.close()


@pytest.mark.slow
def test_cli_ingest_refuses_while_another_process_writes(tmp_path, backend):
    db = backend.target("news")
    corpus = tmp_path / "a.jsonl"
    write_corpus(corpus, 20, seed=3, prefix="gamma")
    with open_store(db) as holder, holder.writer(timeout=0):
        result = subprocess.run(
            [sys.executable, "-m", "storyline.interfaces.cli", "ingest", str(corpus),
             "--store", str(db), "--no-refine"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "STORYLINE_WRITER_TIMEOUT": "1"},
        )
    assert result.returncode == 1, result.stderr
    assert "waiting for another process" in result.stderr and "[E501]" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_waiting_writer_gets_the_lease_between_the_holders_batches(backend):
    """A holder that re-takes the lease at once after each batch must let a waiter in."""
    first, second = backend.open("news"), backend.open("news")
    stop = threading.Event()

    def batches():
        while not stop.is_set():
            with first.writer(timeout=10):
                time.sleep(0.02)

    holder = threading.Thread(target=batches)
    holder.start()
    try:
        time.sleep(0.1)
        started = time.monotonic()
        with second.writer(timeout=3):
            waited = time.monotonic() - started
    finally:
        stop.set()
        holder.join()
        first.close()
        second.close()
    assert waited < 1.0
