"""How fast `compare` is once the models are loaded: the seed pair, a 10-article ECB+ story
and our 12-outlet fixture (tests/data/compare/twelve).

Prints model load time, then warm timings (median of several runs) for the whole use case
(read -> analyse -> compare, the in-memory analysis cache emptied before each run), for the
comparison alone, and for a repeat with cached analyses; with the fast embedder and, as the
baseline in the same run, the fp32 reference embedder.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from storyline import service  # noqa: E402
from storyline.compare import compare_analyses  # noqa: E402
from storyline.ingest import read_path  # noqa: E402
from storyline.model import Article, Story  # noqa: E402
from storyline.service.options import read_options
from storyline.settings import load_settings  # noqa: E402
from storyline.store import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TWELVE = ROOT / "tests" / "data" / "compare" / "twelve"
RUNS = 5


def timed(fn, runs: int = RUNS, cold: bool = True) -> float:
    """Median seconds of ``fn``; ``cold`` empties the service's analysis cache before each run."""
    samples = []
    for _ in range(runs):
        if cold:
            service.analysis._ANALYSED.clear()
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def story_of_ten(settings: dict) -> list[Article]:
    """The first ECB+ event with at least ten articles (one real event, many outlets)."""
    events = defaultdict(list)
    for item in read_path(SHARED / "data" / "ecbplus" / "dev.jsonl", read_options(settings)):
        if isinstance(item, Article):
            events[item.get("story")].append(item)
    return next(v[:10] for _, v in sorted(events.items()) if len(v) >= 10)


def stored_story(ten: list[Article], settings: dict, directory: str) -> dict:
    """Settings for a store holding ``ten`` as one story whose analyses are already stored."""
    settings = {**settings, "store": str(Path(directory) / "bench.db")}
    story = Story("s1", ten[0].title, tuple(a.id for a in ten), (), None, None)
    with open_store(settings["store"]) as store:
        store.add_articles(ten)
        store.save_story(story)
        for a in ten:
            store.assign_story(a.id, story.id, 1.0)
    service.compare_story(story.id, settings)  # analyses once and stores them
    return settings


def main() -> None:
    if not SHARED.exists():
        sys.exit(f"{SHARED} not found")
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    rows = {}
    for embedder in ("minilm-fp32", "minilm-fast"):
        settings = load_settings({"embedder": embedder})
        t = time.perf_counter()
        service.compare(seeds, settings)  # loads spaCy and the embedder
        load = time.perf_counter() - t
        ten = story_of_ten(settings)
        analysed = service.analyse_many(ten, settings)
        rows[embedder] = {
            "first call incl. model load (s)": load,
            "seed pair, read+analyse+compare (s)": timed(
                lambda s=settings: service.compare(seeds, s)
            ),
            "10-article story, analyse+compare (s)": timed(
                lambda s=settings, t=ten: service.compare(t, s), runs=3
            ),
            "10-article story, compare only (s)": timed(lambda a=analysed: compare_analyses(a)),
            "seed pair again, analyses cached (s)": timed(
                lambda s=settings: service.compare(seeds, s), cold=False
            ),
        }
        twelve = service.read_for_comparison(sorted(TWELVE.glob("*.txt")), settings)
        analysed12 = service.analyse_many(twelve, settings)
        rows[embedder].update({
            "12-outlet story, analyse+compare (s)": timed(
                lambda s=settings, t=twelve: service.compare(t, s), runs=3
            ),
            "12-outlet story, compare only (s)": timed(lambda a=analysed12: compare_analyses(a)),
        })
        for name, articles in (("10-article story", ten), ("12-outlet story", twelve)):
            with tempfile.TemporaryDirectory() as tmp:
                stored = stored_story(articles, settings, tmp)
                # `storyline story ID --compare`: analyses read back from the store.
                rows[embedder][f"{name} from the store (s)"] = timed(
                    lambda s=stored: service.compare_story("s1", s)
                )
    print(json.dumps(rows, indent=2))
    base, fast = rows["minilm-fp32"], rows["minilm-fast"]
    for key in base:
        print(f"{key:45s} fp32 {base[key]:7.3f}  fast {fast[key]:7.3f}  "
              f"speed-up x{base[key] / fast[key]:.2f}")


if __name__ == "__main__":
    main()
