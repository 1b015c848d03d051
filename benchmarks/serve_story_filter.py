"""The stories list's text filter at scale: stories whose articles hold the words (the full-text
index) beside the label-only filter it replaced, on SQLite and, when STORYLINE_TEST_POSTGRES
names a server, on PostgreSQL.

    .venv/bin/python benchmarks/serve_story_filter.py --sqlite BIG.db [--runs 20]

``BIG.db``: a store such as benchmarks/serve_scale.py builds (100k synthetic articles in 22k
stories; it is copied, never written). For each query, the first page of the filtered list
through the service's Catalog, cold (the index read: what the first request after each ingest
batch pays; the match is cached per state version) and warm (cached), and the label-only
filter on the same cached list (the baseline, same run). Prints p50/p99 and how many stories
each keeps.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
QUERIES = ["report", "ba", "report 5000", "zzzz"]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def measure(target: str, runs: int) -> None:
    from storyline.service.browsing import Catalog, StoryFilter
    from storyline.settings import load_settings

    catalog = Catalog(load_settings({"store": target}))
    catalog.stories(StoryFilter())  # the whole list read once, as a server's start does
    for query in QUERIES:
        where = StoryFilter(text=query)
        cold, warm, label = [], [], []
        for _ in range(runs):
            catalog._matches.clear()
            t = time.perf_counter()
            page = catalog.stories(where)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            catalog.stories(where)
            warm.append(time.perf_counter() - t)
            every = catalog._all_stories()
            t = time.perf_counter()
            by_label = [s for s in every if where.keeps(s)]
            label.append(time.perf_counter() - t)
        print(f"  q={query!r:14} full text: {page['total']:6d} stories, cold p50 "
              f"{pct(cold, .5):6.1f} p99 {pct(cold, .99):6.1f} ms, cached p50 "
              f"{pct(warm, .5):5.1f} p99 {pct(warm, .99):5.1f} ms | label only: "
              f"{len(by_label):6d} stories, p50 {pct(label, .5):5.1f} p99 "
              f"{pct(label, .99):5.1f} ms")
    catalog.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres-store", default="",
                        help="a PostgreSQL store URL already holding the copy (kept), instead "
                        "of copying to STORYLINE_TEST_POSTGRES (to alternate code versions)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="story-filter-"))
    copy = folder / "big.db"
    shutil.copy(args.sqlite, copy)
    from storyline.store import open_store

    with open_store(str(copy)) as store:  # migrated to this version, if older
        counts = store._one("SELECT COUNT(*) FROM articles")[0], len(store.stories())
    print(f"SQLite, {counts[0]} articles, {counts[1]} stories, {args.runs} runs a query:")
    measure(str(copy), args.runs)
    url = os.environ.get("STORYLINE_TEST_POSTGRES", "")
    if args.postgres_store:
        print("PostgreSQL, the given store:")
        measure(args.postgres_store, args.runs)
    elif url:
        import psycopg
        from serve_search import copy_to_postgres  # a schema of its own, dropped after

        target = copy_to_postgres(str(copy), url)
        try:
            print("PostgreSQL, the same store copied:")
            measure(target, args.runs)
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{target.rsplit("%3D", 1)[1]}" CASCADE')
    shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
