"""Storyline's StoryEngine vs the TF-IDF + agglomerative baseline: BCubed F1 and speed.

Storyline's figures come in two stages: the online pass alone (what live ingest assigns at once)
and after refinement (document embeddings, batch re-clustering of the open stories).

Run: .venv/bin/python benchmarks/clustering.py
"""

from __future__ import annotations

import time
from pathlib import Path

from storyline.service import evaluate_clustering, read_labelled
from storyline.stories.baseline import cluster_baseline
from storyline.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = ["ecbplus/dev.jsonl", "uci_headlines/headlines.jsonl", "newswcl50/articles.jsonl"]


def main() -> None:
    """Print one row per file: Storyline and baseline BCubed F1 and articles/s."""
    print(
        f"{'file':32} {'n':>6} {'online F1':>9} {'online a/s':>10} {'refined F1':>10}"
        f" {'refined a/s':>11} {'base F1':>8} {'base a/s':>9}"
    )
    for name in FILES:
        path = DATA / name
        if not path.exists():
            print(f"{name:32} missing")
            continue
        ours = evaluate_clustering(path)
        articles, _ = read_labelled(path)
        started = time.perf_counter()
        labels = cluster_baseline(articles)
        seconds = time.perf_counter() - started
        base = bcubed(labels, [a.get("story") for a in articles])
        online_rate = ours.articles / ours.online_seconds if ours.online_seconds else 0.0
        print(
            f"{name:32} {ours.articles:6d} {ours.online_bcubed_f1:9.3f} {online_rate:10.0f}"
            f" {ours.bcubed_f1:10.3f} {ours.articles_per_second:11.0f}"
            f" {base.f1:8.3f} {len(articles) / seconds:9.0f}"
        )


if __name__ == "__main__":
    main()
