"""What the full-text index (FTS5, store migration 4) costs ingest, and what it buys search.

    .venv/bin/python benchmarks/fts_cost.py [--ingest]

Stores ../shared/data/ecbplus/dev.jsonl (772 full articles) and uci_headlines (6,366
headlines) with Store.add_articles in batches of 1,000, once with the index's triggers and once
with them dropped (the baseline: the store before migration 4), best of 3; then times a word
search on the indexed store against the scan the web app did before (every article read and
checked), both on the same store. --ingest also times a whole `service.ingest` of ECB+ dev
both ways (the store is a small part of it).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = [DATA / "ecbplus" / "dev.jsonl", DATA / "uci_headlines" / "headlines.jsonl"]


def articles(path: Path) -> list:
    from storyline.ingest.records import record_to_article
    from storyline.service.options import read_options
    from storyline.settings import load_settings

    options, out, seen = read_options(load_settings()), [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        item = record_to_article(json.loads(line), options, source="b", line=n, seen=seen)
        if not hasattr(item, "reason"):
            out.append(item)
    return out


def store_all(items: list, indexed: bool, folder: Path) -> float:
    from storyline.store import SQLiteStore

    path = folder / f"{indexed}-{time.perf_counter_ns()}.db"
    with SQLiteStore(path) as store:
        if not indexed:
            conn = sqlite3.connect(path, isolation_level=None)
            for trigger in ("insert", "delete", "update"):
                conn.execute(f"DROP TRIGGER articles_fts_{trigger}")
            conn.close()
        started = time.perf_counter()
        for i in range(0, len(items), 1000):
            store.add_articles(items[i : i + 1000])
        return time.perf_counter() - started


def ingest_seconds(path: Path, indexed: bool, folder: Path) -> float:
    """Seconds of a whole `service.ingest` (story engine, dedupe; refinement off)."""
    from storyline import service
    from storyline.settings import load_settings
    from storyline.store import SQLiteStore

    db = folder / f"ingest-{indexed}-{time.perf_counter_ns()}.db"
    SQLiteStore(db).close()
    if not indexed:
        conn = sqlite3.connect(db, isolation_level=None)
        for trigger in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER articles_fts_{trigger}")
        conn.close()
    settings = load_settings({"store": str(db), "story_refine": False})
    started = time.perf_counter()
    service.ingest([str(path)], settings)
    return time.perf_counter() - started


def main() -> int:
    from storyline.store import SQLiteStore

    if not all(f.exists() for f in FILES):
        print("skipped: ../shared/data not found")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="fts-"))
    for path in FILES:
        items = articles(path)
        chars = sum(len(a.text) for a in items)
        with_index = min(store_all(items, True, folder) for _ in range(3))
        without = min(store_all(items, False, folder) for _ in range(3))
        print(f"{path.name}: {len(items):,} articles, {chars / 1e6:.1f} M chars: "
              f"{len(items) / with_index:,.0f} articles/s with the index, "
              f"{len(items) / without:,.0f}/s without (baseline), "
              f"+{(with_index / without - 1) * 100:.0f}% time")
    if "--ingest" in sys.argv:
        ingest_seconds(FILES[0], True, folder)  # warm: imports, engines
        on, off = ingest_seconds(FILES[0], True, folder), ingest_seconds(FILES[0], False, folder)
        print(f"service.ingest {FILES[0].name} (refinement off): {on:.1f} s with the index, "
              f"{off:.1f} s without (baseline), +{(on / off - 1) * 100:.0f}% time")
    everything = [a for p in FILES for a in articles(p)]
    with SQLiteStore(folder / "search.db") as store:
        store.add_articles(everything)
        for query in ("earthquake", "police said"):
            started = time.perf_counter()
            total, _ = store.search_articles(query)
            indexed = time.perf_counter() - started
            started = time.perf_counter()
            words = query.split()
            scanned = sum(all(w in (a.title + a.text).casefold() for w in words)
                          for a in store.articles())
            scan = time.perf_counter() - started
            print(f"search {query!r} over {len(everything):,}: index {indexed * 1000:.1f} ms "
                  f"({total} hits), scan {scan * 1000:.0f} ms ({scanned} substring hits)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
