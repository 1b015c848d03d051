"""`backfill --engine ray` (a local Ray instance, N workers) against `--engine local` on the same
input: wall time of each, the speed ratio, and whether the two stores hold the same articles,
analyses and stories. Then the writer's side of the plan for many machines: how long storing
one analysed article takes on SQLite and, when STORYLINE_TEST_POSTGRES names a server, on
PostgreSQL (the one writer every worker's results go through).

Run: .venv/bin/python benchmarks/backfill_engines.py [N articles of ECB+ dev] [workers]
(defaults 300, 2; reads ../shared/data/ecbplus/dev.jsonl)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from storyline import service
from storyline.settings import load_settings
from storyline.store import codec, open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _summary(db: str) -> tuple:
    with open_store(db) as store:
        articles = sorted(a.id for a in store.articles(all_revisions=True))
        stories = sorted((s.id, s.article_ids) for s in store.stories())
        layers = {i: codec.analysis_to_json(store.get_analysis(i)) for i in articles}
        vectors = {i: store.get_analysis(i).vectors for i in articles}
    return articles, stories, layers, vectors


def engines(n: int, workers: int) -> dict[str, float]:
    """Backfill the same input with each engine; print times, ratio and equality."""
    work = Path(tempfile.mkdtemp())
    source = work / "dump.jsonl"
    lines = (SHARED / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seconds, summaries = {}, {}
    for engine in ("local", "ray"):
        db = str(work / f"{engine}.db")
        started = time.perf_counter()
        report = service.backfill(
            [str(source)], load_settings({"store": db}), engine=engine, workers=workers
        )
        seconds[engine] = time.perf_counter() - started
        summaries[engine] = _summary(db)
        print(
            f"{engine:>5} x{report.workers}: {report.analysed} analysed in"
            f" {report.analyse_seconds:.1f} s (models loaded included), stories"
            f" {report.story_seconds:.1f} s, total {seconds[engine]:.1f} s"
            f" = {report.analysed / seconds[engine]:.2f} articles/s",
            flush=True,
        )
    (a1, s1, l1, v1), (a2, s2, l2, v2) = summaries["local"], summaries["ray"]
    worst = max(
        (float(np.abs(v1[i] - v2[i]).max()) for i in a1 if v1[i] is not None and v1[i].size),
        default=0.0,
    )
    print(
        f"same articles: {a1 == a2} ({len(a1)}), same stories: {s1 == s2} ({len(s1)}), same"
        f" layers: {l1 == l2}, largest vector difference {worst:.1e}"
    )
    print(f"ray / local speed: {seconds['local'] / seconds['ray']:.2f}x")
    return seconds


def writer(n: int) -> None:
    """Per-article cost of storing an article with its analysis (one batch, one writer)."""
    work = Path(tempfile.mkdtemp())
    db = str(work / "one.db")
    lines = (SHARED / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    (work / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = load_settings({"store": db, "embedder": "hashing"})
    service.backfill([str(work / "d.jsonl")], s)
    with open_store(db) as store:
        analyses = [store.get_analysis(a.id) for a in store.articles()]
    size = np.mean([len(codec.analysis_to_json(a)) + a.vectors.nbytes for a in analyses])
    targets = [("sqlite", str(work / "w.db"))]
    url = os.environ.get("STORYLINE_TEST_POSTGRES")
    if url:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        targets.append(("postgresql", f"{url}?options=-csearch_path%3D{schema}"))
    for name, target in targets:
        with open_store(target) as store:
            started = time.perf_counter()
            with store.writer(10):
                store.add_articles([a.article for a in analyses])
                store.save_analyses(analyses)
            per = (time.perf_counter() - started) / len(analyses)
        print(
            f"{name}: storing an analysed article (~{size / 1e3:.0f} KB of layers and vectors)"
            f" {per * 1e3:.2f} ms = {1 / per:.0f} articles/s through one writer"
        )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    engines(count, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    writer(min(count, 300))
