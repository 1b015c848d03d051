"""Ingest of near-duplicates vs distinct articles: the cost per syndicated copy must not grow with
the number of copies already stored. Prints both figures side by side, from one run; not a
timed test.

A generated JSONL feed of N items, ``--no-refine`` (store + copies + online stories):
- distinct: N different texts (each its own story);
- copies: one wire story re-run N times, each under another outlet, URL, byline and closing
  line (every item is a near-duplicate of every other, none an exact duplicate);
- edited: the same, with 3% of the words of each copy replaced (estimated Jaccard with the
  wire ~0.7-0.9), so the copies are not all covered by one signature.

    .venv/bin/python benchmarks/near_duplicates.py [--sizes 1000 2000 4000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from storyline import service
from storyline.settings import load_settings

WORDS = (
    "harbour council strike flood budget rail court vote fire port minister union bridge storm "
    "school hospital election wage tariff drought police river mayor village talks protest "
    "company shares factory workers ferry airport senator treaty border ceasefire"
).split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def _edited(rng: random.Random, text: str, share: float) -> str:
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = f"w{rng.randrange(10**6)}"
    return " ".join(words)


def write_feed(path: Path, n: int, kind: str, seed: int = 3) -> None:
    """N generated items of a kind: distinct, copies or edited (see the module docstring)."""
    rng = random.Random(seed)
    wire = _text(rng, 250)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if kind == "distinct":
                text = _text(rng, 250) + f" Item {i}."
            else:
                body = wire if kind == "copies" else _edited(rng, wire, 0.03)
                text = f"By staff reporter {i} for Outlet {i}. {body} Filed at {i % 60} past."
            record = {
                "id": str(i),
                "title": f"Report {i}" if kind == "distinct" else "Harbour council strike",
                "text": text,
                "url": f"https://outlet{i}.example/news/{i}",
                "outlet": f"Outlet {i}",
                "published": f"2026-03-01T{(i // 60) % 24:02d}:{i % 60:02d}:00Z",
                "language": "en",
            }
            fh.write(json.dumps(record) + "\n")


def run(n: int, kind: str) -> service.IngestReport:
    """Ingest a fresh feed of N items of a kind into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        write_feed(feed, n, kind)
        settings = load_settings({"store": str(Path(tmp) / "bench.db"), "story_refine": False})
        return service.ingest([str(feed)], settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:  # load the static vectors outside the timing
        service.ingest([], load_settings({"store": str(Path(tmp) / "warm.db")}))
    print(f"{'items':>6} {'distinct s':>11} {'copies s':>9} {'ratio':>6} {'edited s':>9} "
          f"{'ratio':>6}  copies linked (copies, edited)")
    for n in args.sizes:
        distinct = run(n, "distinct")
        near = run(n, "copies")
        edited = run(n, "edited")
        print(
            f"{n:6d} {distinct.seconds:11.1f} {near.seconds:9.1f} "
            f"{near.seconds / distinct.seconds:6.2f} {edited.seconds:9.1f} "
            f"{edited.seconds / distinct.seconds:6.2f}  {near.copies}, {edited.copies} of {n - 1}"
        )

if __name__ == "__main__":
    main()
