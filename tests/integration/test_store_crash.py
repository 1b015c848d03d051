"""Crash safety: SIGKILL an ingesting process; every acknowledged article survives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import storyline
from storyline.store import SQLiteStore, open_store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

SRC = str(Path(storyline.__file__).resolve().parents[1])
ROUNDS = 3  # kill, reopen and keep ingesting: recovery must also survive a second crash
BATCH = 40
DEADLINE_S = 15.0  # the whole test stays under 20 s on the slow CI machine

CHILD = textwrap.dedent(
    """
    import hashlib, os, sys
    from datetime import datetime, timedelta, timezone
    from storyline.model import Article
    from storyline.store import open_store

    store_path, ack_path, round_no, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with open_store(store_path) as store, open(ack_path, "a", encoding="utf-8") as ack:
        for b in range(100_000):
            articles = []
            for i in range(batch):
                text = f"Round {round_no} batch {b} article {i}. " + "Filler sentence here. " * 40
                aid = hashlib.sha256(text.encode()).hexdigest()[:20]
                articles.append(Article(id=aid, text=text, url=f"https://x.org/{aid}",
                                        published=t0 + timedelta(minutes=b)))
            store.add_articles(articles)
            # acknowledged only once the commit returned, and durably written down
            ack.write("".join(a.id + "\\n" for a in articles))
            ack.flush()
            os.fsync(ack.fileno())
    """
)


def _acked(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    return [line for line in lines[:-1] if line]  # the last line may be cut by the kill


def test_sigkill_mid_ingest_loses_no_acknowledged_article(tmp_path, backend):
    started = time.monotonic()
    store_path, ack_path = backend.target("crash"), tmp_path / "acked.txt"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    rng = random.Random(42)
    for round_no in range(ROUNDS):
        before = len(_acked(ack_path))
        child = subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(store_path),
                str(ack_path),
                str(round_no),
                str(BATCH),
            ],
            env=env,
            stderr=subprocess.PIPE,
        )
        try:
            # wait for a few acknowledged batches, then kill at a random moment mid-batch
            while len(_acked(ack_path)) < before + 2 * BATCH:
                assert child.poll() is None, child.stderr.read().decode()
                assert time.monotonic() - started < DEADLINE_S, "child too slow"
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=5)
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL

        acked = _acked(ack_path)
        with open_store(store_path) as store:
            if isinstance(store, SQLiteStore):
                assert store.integrity_check() == "ok"
            stored = {a.id for a in store.articles()}
            missing = [i for i in acked if i not in stored]
            assert not missing, f"round {round_no}: {len(missing)} acknowledged articles lost"
            # a batch is one transaction: never a partial batch
            assert store.count_articles() % BATCH == 0
    assert time.monotonic() - started < 20
