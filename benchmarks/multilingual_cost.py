"""What the multilingual view costs refinement: the same English articles refined with and
without one non-English article among them (which makes refinement encode every article of
the scope once with the multilingual encoder), in the same run.

    python benchmarks/multilingual_cost.py [N]     # N ECB+ dev articles (default 300)
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from storyline.service import read_labelled
from storyline.stories.cluster import StoryEngine
from storyline.stories.evaluate import replay_order

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "stories" / "multilingual.jsonl"


def refine_seconds(articles: list) -> tuple[float, int, int]:
    """(seconds of one refinement after the online pass, stories, multilingual vectors)."""
    engine = StoryEngine()
    engine.add_many(articles)
    started = time.perf_counter()
    engine.refine({a.id: a for a in articles})
    return time.perf_counter() - started, len(engine.stories()), len(engine._multi)


def main(n: int) -> None:
    """Print both refinements' times."""
    english, _ = read_labelled(DATA / "ecbplus" / "dev.jsonl")
    english = replay_order(english)[:n]
    foreign = [a for a in read_labelled(FIXTURE)[0] if a.language == "de"]
    mixed = english + [replace(foreign[0], published=None)]
    refine_seconds(english[:20])  # load MiniLM outside the timed runs
    refine_seconds(mixed[-20:])  # and the multilingual encoder
    for name, articles in (("English only", english), ("with one German article", mixed)):
        seconds, stories, vectors = refine_seconds(articles)
        print(f"{name:<26} {len(articles):>5} articles  refine {seconds:6.1f} s "
              f"({len(articles) / seconds:5.1f} articles/s)  {stories} stories, "
              f"{vectors} multilingual vectors")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
