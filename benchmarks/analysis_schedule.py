"""The pipeline's chunk schedule on idle cores, simulated from measured per-article CPU costs.

Run: .venv/bin/python benchmarks/analysis_schedule.py [--cores 2]
The shared machine never has its cores idle, so how long a batch takes when the parse of one
chunk overlaps the embedding of earlier ones cannot be timed here. This replays the scheduler of
``nlp.pipeline.Pipeline.run`` (the calling thread runs the foreground components chunk by chunk
and waits while ``BACKGROUND_WORKERS`` chunks are in the background; each background chunk runs
in one worker thread with one inference thread) on ``--cores`` cores shared equally by the
runnable threads, with the CPU seconds per article that ``analysis_profile.py`` measured (parse
+ rules, then the embedder), and prints each batch's seconds per chunk size beside the ideal
(all cores busy from start to end) and the one-thread run.
"""

from __future__ import annotations

import argparse
import sys

# (articles, foreground CPU s per article, background CPU s per article): analysis_profile.py
# on main's code, 2026-12-01 (NewsWCL50: parse 4.60 s + rules 0.72 s, embeddings 7.10 s for 45
# articles; ECB+ dev sample: 3.54 + 0.59, 5.96 s for 100); the story is 12 NewsWCL50-sized
# articles, as ``compare`` analyses a stored story's missing ones.
BATCHES = {
    "newswcl50": (45, 0.118, 0.158),
    "ecbplus-dev": (100, 0.041, 0.060),
    "story of 12": (12, 0.118, 0.158),
}
CHUNKS = (4, 8, 16)
WORKERS = 2  # nlp.pipeline.BACKGROUND_WORKERS
STEP = 0.001  # simulated seconds per step


def simulate(n: int, front: float, back: float, chunk: int, cores: int) -> float:
    """Seconds until the last chunk's background work ends."""
    if n <= chunk:  # a small batch runs every component in the calling thread
        return n * (front + back)
    sizes = [min(chunk, n - k) for k in range(0, n, chunk)]
    t, done, current, running = 0.0, 0, None, []
    while True:
        if current is None and done < len(sizes) and len(running) < WORKERS:
            current = sizes[done] * front
        active = (current is not None) + len(running)
        if not active:
            return t
        share = min(1.0, cores / active) * STEP
        if current is not None:
            current -= share
            if current <= 0:
                running.append(sizes[done] * back)
                done, current = done + 1, None
        running = [r - share for r in running if r - share > 0]
        t += STEP


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    for name, (n, front, back) in BATCHES.items():
        ideal = n * (front + back) / args.cores
        runs = "  ".join(
            f"chunks of {c}: {simulate(n, front, back, c, args.cores):5.2f} s" for c in CHUNKS
        )
        print(f"{name} ({n} articles): one thread {n * (front + back):5.2f} s, ideal "
              f"{ideal:5.2f} s; {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
