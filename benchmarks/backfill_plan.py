"""The plan for many machines, by simulation from costs measured in this run.

Measured here: (1) the analysis time of each of N real articles (ECB+ dev, in process, models
loaded first), (2) the writer's time to store an analysed article (SQLite; PostgreSQL too when
STORYLINE_TEST_POSTGRES names a server), (3) the story phase's time per article (dedupe, story
assignment, store; refinement amortised) over a generated stream (benchmarks/stream_scale.py's).

Simulated: a backfill on W workers as service/backfill.py runs it. Each 1,000-article batch is
cut into chunks of ANALYSIS_CHUNK articles whose times are drawn from the measured ones; the
chunks go to the next free worker; the one writer stores a batch once it is analysed, with
BATCHES_IN_FLIGHT batches ahead; then the story phase runs alone. Printed: articles/s for each
W, the share of time in the sequential parts, and the Amdahl ceiling they leave.

Run: .venv/bin/python benchmarks/backfill_plan.py [N articles] [stream articles]  (60, 6000)
"""

from __future__ import annotations

import heapq
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stream_scale import copies  # noqa: E402

from storyline import service  # noqa: E402
from storyline.ingest import read_path  # noqa: E402
from storyline.service.backfill import ANALYSIS_CHUNK, BATCHES_IN_FLIGHT  # noqa: E402
from storyline.service.options import read_options, track_options
from storyline.settings import load_settings  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.stories.tracker import IngestReport, Tracker  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BATCH = 1000
WORKERS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


def analysis_times(n: int) -> tuple[list[float], list]:
    """Seconds of analysis of each of the first ``n`` ECB+ dev articles, and the analyses."""
    work = Path(tempfile.mkdtemp())
    lines = (SHARED / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    (work / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings({"store": str(work / "s.db")})
    read = read_path(work / "d.jsonl", read_options(settings))
    articles = [a for a in read if hasattr(a, "text")]
    service.analyse_many(articles[:1], settings)  # load the models
    times, analyses = [], []
    for article in articles:
        started = time.process_time()
        analyses.extend(service.analyse_many([article], settings))
        times.append(time.process_time() - started)
    return times, analyses


def write_cost(analyses: list, target: str) -> float:
    """Seconds per analysed article stored through one writer."""
    with open_store(target) as store:
        started = time.perf_counter()
        with store.writer(10):
            store.add_articles([a.article for a in analyses])
            store.save_analyses(analyses)
        return (time.perf_counter() - started) / len(analyses)


def story_cost(total: int) -> float:
    """CPU seconds per article of the story phase over a generated stream (refinement on)."""
    db = str(Path(tempfile.mkdtemp()) / "stream.db")
    settings = load_settings({"store": db, "embedder": "hashing"})
    articles = list(copies(total))
    with Tracker(track_options(settings)) as tracker:
        started = time.process_time()
        for i in range(0, total, BATCH):
            tracker.add_batch(articles[i : i + BATCH], IngestReport())
        tracker.refine(IngestReport())
        return (time.process_time() - started) / total


def simulate(times: list[float], workers: int, write: float, story: float, total: int) -> float:
    """Articles per second of a simulated backfill of ``total`` articles on ``workers``."""
    rng = random.Random(workers)
    free = [0.0] * workers  # when each worker is next free
    writer = 0.0  # when the writer is next free
    written: list[float] = []  # when each batch was stored
    for batch in range(total // BATCH):
        # the reader submits a batch once the batch BATCHES_IN_FLIGHT before it is stored
        ready = written[batch - BATCHES_IN_FLIGHT] if batch >= BATCHES_IN_FLIGHT else 0.0
        done = ready
        for _ in range(BATCH // ANALYSIS_CHUNK):
            start = max(heapq.heappop(free), ready)
            end = start + sum(rng.choice(times) for _ in range(ANALYSIS_CHUNK))
            heapq.heappush(free, end)
            done = max(done, end)
        writer = max(writer, done) + write * BATCH
        written.append(writer)
    return total / (writer + story * total)


def main(n: int = 60, stream: int = 6000) -> None:
    times, analyses = analysis_times(n)
    a = float(np.mean(times))
    print(f"analysis: {a * 1e3:.0f} ms CPU per article (mean of {len(times)} ECB+ articles,"
          f" p90 {np.percentile(times, 90) * 1e3:.0f} ms) = {1 / a:.2f} articles/s per worker")
    writes = {"sqlite": write_cost(analyses, str(Path(tempfile.mkdtemp()) / "w.db"))}
    url = os.environ.get("STORYLINE_TEST_POSTGRES")
    if url:
        import psycopg

        schema = f"plan_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        writes["postgresql"] = write_cost(analyses, f"{url}?options=-csearch_path%3D{schema}")
    for name, w in writes.items():
        print(f"writer ({name}): {w * 1e3:.2f} ms per analysed article = {1 / w:.0f}/s")
    s = story_cost(stream)
    print(f"story phase: {s * 1e3:.2f} ms CPU per article ({stream} generated, refined)")
    for name, w in writes.items():
        serial = w + s
        print(f"\n{name}: sequential part {serial * 1e3:.2f} ms of {(a + serial) * 1e3:.0f} ms"
              f" per article ({serial / (a + serial):.2%}); Amdahl ceiling"
              f" x{(a + serial) / serial:.0f} = {1 / serial:.0f} articles/s")
        for workers in WORKERS:
            rate = simulate(times, workers, w, s, 20 * BATCH)
            print(f"  {workers:>4} workers: {rate:7.1f} articles/s"
                  f" (x{rate * (a + serial):.1f} one process)")


if __name__ == "__main__":
    main(*(int(x) for x in sys.argv[1:3]))
