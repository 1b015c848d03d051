"""A generated stream of up to a million articles through the store, the dedupe index and the
story engine (what `ingest` and the backfill's story phase do per 1,000-article batch, with
refinement every 4,000 articles): per-article cost near 10k, 100k, ... stored, peak RSS, and the
size of the engine snapshot written per batch.

The stream is benchmarks/story_scale.py's (1,000 articles a day, 150 events open at a time),
plus one wire copy in 20 (a re-run of an article published earlier, some older than the dedupe
window), so copies are found both in RAM and through the stored signatures. Refinement uses the
``hashing`` document embedder, as story_scale.py does: MiniLM's cost is a constant per article.

Run: .venv/bin/python benchmarks/stream_scale.py [total] [store] [--no-refine]
(default 100000 articles, a temporary store; --no-refine: the online pass alone)
Run it against another checkout's code (PYTHONPATH=OTHER/src) for a same-run baseline.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from story_scale import stream  # noqa: E402

from storyline.service.options import track_options  # noqa: E402
from storyline.settings import load_settings  # noqa: E402
from storyline.stories.tracker import IngestReport, Tracker  # noqa: E402

BATCH = 1000  # ingest's batch
MEASURE_BATCHES = 5  # batches timed at each checkpoint
COPY_EVERY = 20  # one article in 20 re-runs an earlier one
PROGRESS_EVERY = 50_000  # a progress line (CPU per article over the interval, peak RSS)


def copies(total: int, seed: int = 11):
    """The stream with wire re-runs: every COPY_EVERY-th article repeats an earlier text (from
    the last 50,000, so some originals are days older than the dedupe window) under another
    outlet."""
    rng = random.Random(seed)
    recent: list = []
    for n, article in enumerate(stream(total)):
        if n % COPY_EVERY == COPY_EVERY - 1 and recent:
            source = rng.choice(recent)
            article = replace(article, text=source.text + " Reporting by desk.",
                              title=source.title, outlet=f"wire{n % 3}")
        else:
            recent.append(article)
            if len(recent) > 50_000:
                recent = recent[-25_000:]
        yield replace(article, id=f"a{n}", url=f"https://{article.outlet}.example/{n}")


def _engine_state(store) -> dict[str, bytes]:
    """The story engine's stored state: its parts, or the whole snapshot (older code)."""
    if hasattr(store, "state_parts"):
        return store.state_parts("engine/")
    return {"story_engine": store.get_state("story_engine") or b""}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(total: int = 100_000, store: str | None = None, refine: bool = True) -> None:
    """Print per-article cost at each checkpoint, peak RSS and the snapshot size."""
    store = store or str(Path(tempfile.mkdtemp()) / "stream.db")
    settings = load_settings(
        {"store": store, "embedder": "hashing", "writer_timeout": 5, "story_refine": refine}
    )
    checkpoints = [c for c in (10_000, 100_000, 300_000, 1_000_000) if c <= total] or [total]
    if checkpoints[-1] != total:
        checkpoints.append(total)
    report = IngestReport()
    timings: dict[int, tuple[float, float]] = {}
    batch, times = [], []
    began, since = time.perf_counter(), time.process_time()
    with Tracker(track_options(settings)) as tracker:
        for n, article in enumerate(copies(total), 1):
            batch.append(article)
            if len(batch) < BATCH:
                continue
            measured = n in checkpoints
            before = _engine_state(tracker.store) if measured else {}
            started, cpu = time.perf_counter(), time.process_time()
            tracker.add_batch(batch, report)
            times.append((time.perf_counter() - started, time.process_time() - cpu))
            batch = []
            if n % PROGRESS_EVERY == 0:
                spent = time.process_time()
                print(f"{n:>9} stored: {(spent - since) / PROGRESS_EVERY * 1e3:.3f} ms process"
                      f" CPU per article over the last {PROGRESS_EVERY}, peak RSS"
                      f" {rss_mb():.0f} MB, wall {time.perf_counter() - began:.0f} s", flush=True)
                since = spent
            if not measured:
                continue
            after = _engine_state(tracker.store)
            written = sum(len(v) for k, v in after.items() if before.get(k) != v)
            timed = times[-MEASURE_BATCHES:]
            wall = sum(t for t, _ in timed) / (len(timed) * BATCH)
            cpu = sum(c for _, c in timed) / (len(timed) * BATCH)
            timings[n] = (wall, cpu)
            print(
                f"{n:>9} stored: {cpu * 1e3:.3f} ms CPU ({wall * 1e3:.3f} ms wall) per article"
                f" (last {len(timed)} batches), peak RSS {rss_mb():.0f} MB, engine state"
                f" {sum(len(v) for v in after.values()) / 1e6:.1f} MB of which the last batch"
                f" wrote {written / 1e6:.2f} MB, dedupe in RAM {len(tracker.dedupe)},"
                f" copies {report.copies}, wall {time.perf_counter() - began:.0f} s",
                flush=True,
            )
    first, last = checkpoints[0], checkpoints[-1]
    print(f"articles: {total}  refined: {report.refined}  copies: {report.copies}")
    (w0, c0), (w1, c1) = timings[first], timings[last]
    print(f"per-article CPU {first}: {c0 * 1e3:.3f} ms, {last}: {c1 * 1e3:.3f} ms, ratio"
          f" {c1 / c0:.2f} (wall {w0 * 1e3:.3f} -> {w1 * 1e3:.3f} ms, ratio {w1 / w0:.2f})")
    print(f"peak RSS: {rss_mb():.0f} MB; wall {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        sys.argv[2] if len(sys.argv) > 2 else None,
        refine="--no-refine" not in sys.argv,
    )
