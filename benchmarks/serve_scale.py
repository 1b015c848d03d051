"""Read latency of `storyline serve` on a big store (issue #11's targets: p99 < 200 ms for the
stories list and a story at 100k articles, < 500 ms for a cached comparison).

    .venv/bin/python benchmarks/serve_scale.py [--articles 100000] [--requests 300]

Builds a SQLite store of ``--articles`` synthetic articles (generated words, 12 outlets, 1,000
a day) grouped into stories of 1-8 articles straight through the Store API (the story engine's
own cost is benchmarks/story_scale.py's business), plus the demo corpus for one real
comparison. Then, over HTTP on loopback, one client at a time: the first page of the stories
list (cold: the first request after the server starts, which waits for what is left of
the preload's whole read; warm: cached), a
filtered list, random stories' API views, the story page (HTML) and the cached comparison.
Prints p50/p99 per endpoint beside the same calls straight on the service's Catalog.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SYLLABLES = [a + b for a in "bcdfgklmnprstvz" for b in "aeiou"]
OUTLETS = [f"Outlet {n:02d}" for n in range(12)]
PER_DAY = 1000


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def build(path: Path, total: int) -> dict:
    """A store of ``total`` synthetic articles in stories, plus the demo corpus."""
    from tests.serve_fixture import demo_settings

    from storyline.ingest.normalize import make_article
    from storyline.model import Story
    from storyline.service.options import read_options
    from storyline.store import open_store

    settings = demo_settings(path, story_refine=False)
    reading = read_options(settings)
    rng = random.Random(0)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with open_store(str(path)) as store:
        made = 0
        while made < total:
            batch, stories = [], []
            while len(batch) < min(2000, total - made):
                size = rng.randint(1, 8)
                words = [rng.choice(SYLLABLES) + rng.choice(SYLLABLES) for _ in range(6)]
                members = []
                for k in range(min(size, min(2000, total - made) - len(batch))):
                    n = made + len(batch)
                    when = start + timedelta(days=n / PER_DAY, minutes=k * 37)
                    text = (f"{' '.join(words)} report {n}. " +
                            " ".join(rng.choice(SYLLABLES) for _ in range(60)) + ".")
                    a = make_article(text, reading, title=f"{' '.join(words[:4])} {n}",
                                     url=f"https://outlet{n % 12}.example/{n}",
                                     outlet=OUTLETS[(n + k) % 12], published=when)
                    batch.append(a)
                    members.append(a)
                stories.append(members)
            store.add_articles(batch)
            built = []
            for members in stories:
                built.append(Story(store.next_story_id(), members[0].title,
                                   tuple(a.id for a in members),
                                   tuple(dict.fromkeys(a.outlet for a in members)),
                                   members[0].published, members[-1].published))
            store.replace_stories(built, [])
            made += len(batch)
        print(f"store: {store.count_articles():,} articles, {len(store.stories()):,} stories")
    return settings


def timed(calls, n: int) -> list[float]:
    out = []
    for k in range(n):
        t = time.perf_counter()
        calls(k)
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    import httpx
    from tests.serve_fixture import running_server

    from storyline.service.browsing import Catalog, StoryFilter

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="serve-scale-"))
    started = time.perf_counter()
    settings = build(folder / "big.db", args.articles)
    print(f"built in {time.perf_counter() - started:.0f} s")
    n = args.requests
    rows: dict[str, list[float]] = {}
    with running_server(settings) as url, httpx.Client(timeout=300) as c:
        t = time.perf_counter()
        c.get(f"{url}/api/v1/stories")
        cold = time.perf_counter() - t
        ids = [r["id"] for r in c.get(f"{url}/api/v1/stories", params={"limit": 500}).json()[
            "items"]]
        demo = max(c.get(f"{url}/api/v1/stories", params={"q": "Bayt Amir"}).json()["items"],
                   key=lambda r: r["size"])["id"]
        c.get(f"{url}/api/v1/stories/{demo}/comparison")  # computed once, cached after
        rng = random.Random(1)
        rows["GET /api/v1/stories (warm)"] = timed(lambda k: c.get(f"{url}/api/v1/stories"), n)
        rows["GET /api/v1/stories?outlet&q"] = timed(lambda k: c.get(
            f"{url}/api/v1/stories", params={"outlet": "Outlet 03", "q": "ba"}), n)
        rows["GET / (HTML list)"] = timed(lambda k: c.get(f"{url}/"), n)
        rows["GET /api/v1/stories/ID"] = timed(
            lambda k: c.get(f"{url}/api/v1/stories/{rng.choice(ids)}"), n)
        rows["GET /stories/ID (HTML)"] = timed(lambda k: c.get(f"{url}/stories/{demo}"), n)
        words = ["report", "ba", "report 5000", "zzzz"]
        rows["GET /api/v1/articles?q (FTS5)"] = timed(lambda k: c.get(
            f"{url}/api/v1/articles", params={"q": words[k % 4]}), n)
        t = time.perf_counter()
        c.get(f"{url}/api/v1/outlets")
        rows["GET /api/v1/outlets (first)"] = [time.perf_counter() - t]
        rows["GET comparison (cached)"] = timed(
            lambda k: c.get(f"{url}/api/v1/stories/{demo}/comparison"), n)
    catalog = Catalog(settings)
    t = time.perf_counter()
    catalog.stories(StoryFilter())
    direct_cold = time.perf_counter() - t
    catch_up = []
    from dataclasses import replace

    from storyline.store import open_store

    with open_store(settings["store"]) as store:  # what an ingest batch writes: a few stories
        every = store.stories()
        for k in range(20):
            touched = [replace(s, label=s.label + " (updated)") for s in every[k * 50:k * 50 + 50]]
            store.replace_stories(touched, [], {"bench": bytes([k])})
            t = time.perf_counter()
            catalog.stories(StoryFilter())
            catch_up.append(time.perf_counter() - t)
    direct = {
        "Catalog.stories, 50 changed": catch_up,
        "Catalog.stories (warm)": timed(lambda k: catalog.stories(StoryFilter()), n),
        "Catalog.story": timed(lambda k: catalog.story(rng.choice(ids)), n),
    }
    catalog.close()
    print(f"stories list, first request (waits for the preload): {cold * 1000:.0f} ms over HTTP, "
          f"{direct_cold * 1000:.0f} ms on the Catalog")
    for name, values in {**rows, **direct}.items():
        print(f"{name:32s} n={len(values):4d} p50 {pct(values, .5):7.1f} ms "
              f"p99 {pct(values, .99):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
