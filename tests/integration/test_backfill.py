"""`storyline backfill`: on a local Ray instance (loopback, 2 CPUs) it stores the same articles,
analyses and stories as the single-process engine and as `ingest`; killed with SIGKILL at a
random moment and started again, it loses nothing committed and redoes nothing stored."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from tests.conftest import shared_path, time_bound

from storyline import service
from storyline.settings import load_settings
from storyline.store import open_store


def _input(tmp_path, headlines: int, articles: int):
    """A JSONL of real uci headlines and ECB+ articles (read from ../shared, not copied)."""
    path = tmp_path / "dump.jsonl"
    lines = shared_path("data", "uci_headlines", "headlines.jsonl").read_text().splitlines()
    lines = lines[:headlines]
    lines += shared_path("data", "ecbplus", "dev.jsonl").read_text().splitlines()[:articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stories(db: str) -> list:
    with open_store(db) as store:
        return sorted(
            (s.id, s.label, s.article_ids, tuple(sorted(store.story_scores(s.id).items())))
            for s in store.stories()
        )


def _in_order(stories: list) -> list:
    """Stories (sorted by id, so in the order they were opened) with their ids as ranks."""
    return [(rank, *rest) for rank, (_, *rest) in enumerate(stories)]


def _articles(db: str) -> dict:
    with open_store(db) as store:
        return {
            a.id: (a.text, a.title, a.published, store.original_of(a.id))
            for a in store.articles(all_revisions=True)
        }


def _analyses(db: str) -> dict:
    from storyline.store import codec

    with open_store(db) as store:
        return {i: store.get_analysis(i) for i in store.analysed_ids()} | {
            "_layers": {
                i: codec.analysis_to_json(store.get_analysis(i)) for i in store.analysed_ids()
            }
        }


@pytest.mark.slow
def test_ray_backfill_equals_local_and_ingest(tmp_path):
    source = str(_input(tmp_path, 260, 40))
    runs = {}
    with time_bound(900):
        for name, engine in (("ray", "ray"), ("local", "local"), ("ingest", None)):
            db = str(tmp_path / f"{name}.db")
            # a stuck worker (a native deadlock) is replaced after 240 s: the run still ends
            s = load_settings({"store": db, "backfill_chunk_timeout": 240})
            if engine is None:
                service.ingest([source], s)
            else:
                report = service.backfill([source], s, engine=engine, workers=2)
                assert report.read == 300 and report.skipped == 0
                assert report.analysed == report.stored  # each distinct article once
            runs[name] = db
    assert _articles(runs["ray"]) == _articles(runs["local"]) == _articles(runs["ingest"])
    assert len(_articles(runs["ray"])) > 250
    assert _stories(runs["ray"]) == _stories(runs["local"]) == _stories(runs["ingest"])
    ray, local = _analyses(runs["ray"]), _analyses(runs["local"])
    assert ray.pop("_layers") == local.pop("_layers")  # every layer, every span, identical
    assert ray.keys() == local.keys() == _articles(runs["ray"]).keys()
    for article_id, analysis in ray.items():
        other = local[article_id].vectors
        # the same chunks in both engines; only float summation order differs between threads
        assert analysis.vectors.shape == other.shape
        assert np.allclose(analysis.vectors, other, atol=1e-5)


def _committed(db: str) -> tuple[dict, set]:
    """(article id -> its analysis's saved_at, ids in a story) as committed now."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    except sqlite3.OperationalError:
        return {}, set()
    try:
        saved = dict(conn.execute("SELECT article_id, saved_at FROM analyses").fetchall())
        tracked = {r[0] for r in conn.execute("SELECT article_id FROM story_articles")}
        return saved, tracked
    except sqlite3.OperationalError:  # killed before the schema was made
        return {}, set()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["any", "story phase"])
def test_backfill_killed_at_a_random_moment_resumes(tmp_path, moment):
    source = str(_input(tmp_path, 500, 20))
    db = str(tmp_path / "killed.db")
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "STORYLINE_EMBEDDER": "hashing"}
    child = subprocess.Popen(
        [sys.executable, "-m", "storyline.interfaces.cli", "backfill", source, "--store", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    with time_bound(600):
        if moment == "story phase":  # once every analysis is stored, at a random point after
            while len(_committed(db)[0]) < 500 and child.poll() is None:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 1.5))
        else:
            time.sleep(rng.uniform(1.0, 20.0))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        before, tracked = _committed(db)
        s = load_settings({"store": db, "embedder": "hashing"})
        report = service.backfill([source], s, engine="local")
        fresh = str(tmp_path / "fresh.db")
        service.ingest([source], load_settings({"store": fresh, "embedder": "hashing"}))
    after, tracked_after = _committed(db)
    total = len(_articles(fresh))  # distinct articles: the dump repeats a few headlines
    context = f"seed {seed}: {len(before)} analyses, {len(tracked)} in a story at the kill"
    assert all(after[i] == at for i, at in before.items()), context  # nothing stored redone
    assert report.analysed == total - len(before), context
    assert report.tracked == total - len(tracked), context
    assert len(after) == total and len(tracked_after) == total, context
    # the stories of an uninterrupted ingest, made in the same order; their numbers may start
    # later: a story number handed out before the kill is never handed out again
    # (Store.next_story_id commits it at once), even when its story was not yet stored
    assert _in_order(_stories(db)) == _in_order(_stories(fresh)), context
    assert _articles(db) == _articles(fresh), context


@pytest.mark.slow
def test_stuck_ray_workers_are_replaced_then_a_coded_error(tmp_path):
    """Workers that never answer in time (here: still loading their models when a 0.01 s
    chunk timeout expires) are killed and replaced twice, then the run stops with [E320]; the
    batch whose analysis never came back is not stored half-done."""
    from storyline.errors import WorkerError

    db = tmp_path / "stuck.db"
    s = load_settings({"store": str(db), "backfill_chunk_timeout": 0.01})
    with time_bound(300), pytest.raises(WorkerError) as info:
        service.backfill([str(_input(tmp_path, 30, 0))], s, engine="ray", workers=1)
    assert info.value.code == "E320" and "3 times" in info.value.render()
    with open_store(str(db)) as store:
        assert list(store.articles()) == [] and store.analysed_ids() == set()


def test_backfill_refuses_an_unknown_engine(tmp_path):
    from storyline.errors import SettingError

    with pytest.raises(SettingError):
        service.backfill(["x"], load_settings({"store": str(tmp_path / "s.db")}), engine="spark")


def test_backfill_records_skips_and_reports(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps({"title": "Flood closes harbour", "text": "The harbour closed after a flood "
                    "on Monday, the port authority said.", "url": "https://a.example/1",
                    "outlet": "A", "published": "2026-03-01T10:00:00Z", "language": "en"})
        + "\n{not json\n",
        encoding="utf-8",
    )
    s = load_settings({"store": str(tmp_path / "s.db"), "embedder": "hashing"})
    report = service.backfill([str(dump), str(tmp_path / "missing.txt")], s)
    assert report.read == 1 and report.stored == 1 and report.analysed == 1
    assert report.skipped == 2 and report.tracked == 1
    again = service.backfill([str(dump)], s)  # a second run redoes nothing
    assert again.stored == 0 and again.duplicates == 1 and again.analysed == 0
    assert again.resumed == 1 and again.tracked == 0
