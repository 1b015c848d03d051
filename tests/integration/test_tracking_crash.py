"""kill -9 in the middle of `storyline ingest`: the store opens, and the next run tracks every
article that was committed before the crash."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from storyline import service
from storyline.service.options import track_options
from storyline.settings import load_settings
from storyline.store import SQLiteStore

WORDS = ("harbour council strike flood budget rail court vote fire port minister union bridge "
         "storm school hospital election wage tariff drought").split()


def _corpus(path, n: int) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            topic = rng.sample(WORDS, 3)
            text = " ".join(rng.choice(WORDS + topic * 4) for _ in range(60)) + f" item {i}."
            fh.write(json.dumps({
                "id": str(i), "title": " ".join(topic).title(), "text": text,
                "url": f"https://news{i % 7}.example/{i}", "outlet": f"Outlet {i % 7}",
                "published": f"2026-03-{1 + i // 400:02d}T{(i // 20) % 24:02d}:00:00Z",
                "language": "en",
            }) + "\n")


def _stored(backend) -> int:
    try:
        return backend.query("news", "SELECT COUNT(*) FROM articles")[0][0]
    except Exception:  # noqa: BLE001 - no store yet, or SQLite busy: nothing committed to count
        return 0


@pytest.mark.slow
def test_kill_mid_ingest_then_catch_up(tmp_path, backend):
    corpus, db = tmp_path / "stream.jsonl", backend.target("news")
    _corpus(corpus, 4000)
    child = subprocess.Popen(
        [sys.executable, "-m", "storyline.interfaces.cli", "ingest", str(corpus),
         "--store", str(db)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    deadline = time.monotonic() + 120
    while _stored(backend) < 1000 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    committed = _stored(backend)
    assert committed >= 500, "the ingest did not get far enough to test a crash"

    settings = load_settings({"store": str(db)})
    with service.Tracker(track_options(settings)) as tracker:  # opening catches up
        if isinstance(tracker.store, SQLiteStore):
            assert tracker.store.integrity_check() in (True, "ok")
        articles = list(tracker.store.articles(all_revisions=True))
        assert len(articles) == committed
        for article in articles:
            assert tracker.store.story_of(article.id) is not None, article.id
    report = service.ingest([str(corpus)], settings)  # the rest goes in, nothing twice
    assert report.added == 4000 - committed and report.duplicates == committed
