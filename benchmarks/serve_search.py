"""Word search of `storyline serve` (GET /api/v1/articles?q) on both store backends at scale.

    STORYLINE_TEST_POSTGRES=postgresql://... .venv/bin/python benchmarks/serve_search.py \\
        [--articles 100000] [--requests 100] [--sqlite PATH]

Builds a SQLite store of ``--articles`` synthetic articles (benchmarks/serve_scale.py's
generator; or reuses ``--sqlite PATH`` if it exists), copies it into a fresh schema on the
PostgreSQL server, then times the service's search (Catalog.search: the count, capped at
10,000, and the first page of 50, newest first) for four queries on each backend: PostgreSQL's
GIN-indexed tsvector beside SQLite's FTS5, and beside the scan that PostgreSQL stores answered
with before they had an index (Catalog._scan, a few runs only: seconds each). Also the whole
read of every story (a server's first stories list): browse.all_stories beside store.stories().
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
QUERIES = ["report", "ba", "report 5000", "zzzz"]
SCAN_RUNS = 2  # per query: a scan of 100k articles takes seconds
WHOLE_RUNS = 5  # whole reads of every story (the stories list's first read)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def copy_to_postgres(sqlite_path: str, url: str) -> str:
    """A new schema holding the SQLite store's articles and stories; its store URL."""
    import psycopg

    from storyline.store import open_store

    schema = f"bench_search_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    target = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    with open_store(sqlite_path, read_only=True) as source, open_store(target) as dest:
        batch = []
        for article in source.articles(all_revisions=True):
            batch.append(article)
            if len(batch) == 2000:
                dest.add_articles(batch)
                batch = []
        dest.add_articles(batch)
        dest.replace_stories(source.stories(), [])
    return target


def timed(call, n: int) -> list[float]:
    out = []
    for k in range(n):
        t = time.perf_counter()
        call(k)
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    from serve_scale import build

    from storyline.service.browsing import Catalog
    from storyline.settings import load_settings
    from storyline.store import browse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--sqlite", type=Path, default=None)
    args = parser.parse_args()
    url = os.environ.get("STORYLINE_TEST_POSTGRES")
    if not url:
        print("skipped: set STORYLINE_TEST_POSTGRES (.ci/postgres start DIR prints one)")
        return 0
    path = args.sqlite or Path(tempfile.mkdtemp(prefix="serve-search-")) / "big.db"
    if not path.exists():
        build(path, args.articles)
    started = time.perf_counter()
    target = copy_to_postgres(str(path), url)
    print(f"copied into PostgreSQL in {time.perf_counter() - started:.0f} s")
    try:
        for name, store in (("SQLite FTS5", str(path)), ("PostgreSQL tsvector", target)):
            catalog = Catalog(load_settings({"store": store}))
            totals = {q: catalog.search(q)["total"] for q in QUERIES}
            values = timed(lambda k, c=catalog: c.search(QUERIES[k % len(QUERIES)]),
                           args.requests)
            print(f"{name:22s} n={len(values):4d} p50 {pct(values, .5):7.1f} ms "
                  f"p99 {pct(values, .99):7.1f} ms; totals {totals}")
            if store == target:
                scans = timed(lambda k, c=catalog: c._scan(QUERIES[k % len(QUERIES)], "", 0, 50),
                              SCAN_RUNS * len(QUERIES))
                print(f"{'PostgreSQL scan':22s} n={len(scans):4d} p50 {pct(scans, .5):7.1f} ms "
                      f"p99 {pct(scans, .99):7.1f} ms (before migration 3)")
            whole = timed(lambda k, c=catalog: c.store.stories(), WHOLE_RUNS)
            fast = timed(lambda k, c=catalog: browse.all_stories(c.store), WHOLE_RUNS)
            print(f"{'':22s} every story read whole: all_stories p50 {pct(fast, .5):.0f} ms "
                  f"beside store.stories() p50 {pct(whole, .5):.0f} ms (n={WHOLE_RUNS} each)")
            catalog.close()
    finally:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{target.rsplit("%3D", 1)[1]}" CASCADE')
    return 0


if __name__ == "__main__":
    sys.exit(main())
