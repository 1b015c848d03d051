"""Per-article assignment cost of the StoryEngine at 10k and 100k stored articles, and RSS;
and the cost of one refinement of the open stories at both points.

Generated stream: a synthetic vocabulary, many short-lived events (each with its own words
and names), 1,000 articles a day in time order, so stories open, grow and close as in a feed.
Refinement here uses the ``hashing`` document embedder: MiniLM's cost is a constant per newly
seen article (see benchmarks/ingest_refine.py), while the re-clustering cost depends on how
many articles the open stories hold, which is what this shows.
Run: .venv/bin/python benchmarks/story_scale.py [total]   (default 100000; a few minutes)
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import datetime, timedelta

from storyline.model import Article
from storyline.stories.cluster import StoryEngine
from storyline.stories.options import StoryOptions

SYLLABLES = [a + b for a in "bcdfgklmnprstvz" for b in "aeiou"]
PER_DAY = 1000  # articles a day
EVENT_DAYS = 2.0  # how long an event keeps being reported
EVENTS_OPEN = 150  # events running at any time
MEASURE = 1000  # articles timed around each checkpoint


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def stream(total: int, seed: int = 7):
    """Time-ordered synthetic articles from overlapping events."""
    rng = random.Random(seed)
    common = [_word(rng, 2) for _ in range(3000)]
    start = datetime(2024, 1, 1)
    events: list[tuple[float, list[str], list[str]]] = []
    for n in range(total):
        now = n / PER_DAY  # days
        events = [e for e in events if now - e[0] < EVENT_DAYS]
        while len(events) < EVENTS_OPEN:
            words = [_word(rng, 3) for _ in range(12)]
            names = [_word(rng, 3).capitalize() for _ in range(4)]
            events.append((now, words, names))
        _, words, names = rng.choice(events)
        title = " ".join(rng.sample(words, 4) + rng.sample(common, 3) + rng.sample(names, 2))
        body = " ".join(rng.sample(words, 8) + rng.sample(common, 40) + rng.sample(names, 3))
        yield Article(
            id=f"a{n}",
            title=title,
            text=body,
            published=start + timedelta(days=now),
            outlet=f"outlet{n % 40}",
        )


def main(total: int = 100_000) -> None:
    """Print per-article cost near 10k and near ``total`` stored articles, peak RSS, and the
    cost of refining the open stories at both points."""
    engine = StoryEngine(StoryOptions(embedder="hashing"))
    checkpoints = {min(10_000, total), total}
    timings: dict[int, float] = {}
    recent: dict[str, Article] = {}  # the articles refinement may ask for
    rss_before_refine = 0.0
    began = time.perf_counter()
    window_start = 0.0
    for n, article in enumerate(stream(total), 1):
        if any(n == c - MEASURE + 1 for c in checkpoints):
            window_start = time.perf_counter()
        engine.add(article)
        recent[article.id] = article
        if n in checkpoints:
            timings[n] = (time.perf_counter() - window_start) / MEASURE
            rss_before_refine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            result = engine.refine(recent)
            seconds = time.perf_counter() - started
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"refine at {n} stored: {result.articles} articles of open stories in"
                f" {seconds:.1f} s ({seconds / max(result.articles, 1) * 1e3:.2f} ms each),"
                f" {result.moved} moved; peak RSS {rss_before_refine:.0f} -> {rss:.0f} MB"
            )
            scope = set(engine.refine_scope())
            recent = {i: a for i, a in recent.items() if i in scope}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    small, large = timings[min(checkpoints)], timings[total]
    wall = time.perf_counter() - began
    print(f"articles: {total}  stories: {len(engine.stories())}  wall: {wall:.0f} s")
    print(f"per-article cost at {min(checkpoints)} stored: {small * 1e3:.3f} ms")
    print(f"per-article cost at {total} stored: {large * 1e3:.3f} ms")
    print(f"ratio: {large / small:.2f}")
    print(f"peak RSS at {total} (refinement included): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
