"""Storyline's StoryEngine vs the TF-IDF + time baseline, in the same run: BCubed F1 and speed.

Storyline's figures come in two stages: the online pass alone (what live ingest assigns at once)
and after refinement (document embeddings, batch re-clustering of the open stories), both from
`evaluate_clustering`, which ingests the file through ingest's own code path (a temporary store)
and scores every record of it.

Run: .venv/bin/python benchmarks/clustering.py
"""

from __future__ import annotations

import time
from pathlib import Path

from storyline.service import evaluate_clustering, read_labelled
from storyline.stories.baseline import cluster_baseline
from storyline.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = [
    "gva/dev.jsonl",
    "ecbplus/dev.jsonl",
    "uci_headlines/headlines.jsonl",
    "newswcl50/articles.jsonl",
]


def main() -> None:
    """Print one row per file: Storyline and baseline BCubed F1 and articles/s."""
    print(
        f"{'file':32} {'n':>6} {'gold':>5} {'online F1 (k)':>14} {'online a/s':>10}"
        f" {'refined P/R/F1 (k)':>25} {'refined a/s':>11} {'base P/R/F1 (k)':>25} {'base a/s':>9}"
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
        refined = (
            f"{ours.bcubed_precision:.3f}/{ours.bcubed_recall:.3f}/{ours.bcubed_f1:.3f}"
            f" ({ours.predicted_clusters})"
        )
        baseline = f"{base.precision:.3f}/{base.recall:.3f}/{base.f1:.3f} ({len(set(labels))})"
        online = f"{ours.online_bcubed_f1:.3f} ({ours.online_predicted_clusters})"
        print(
            f"{name:32} {ours.articles:6d} {ours.gold_clusters:5d} {online:>14}"
            f" {online_rate:10.0f} {refined:>25} {ours.articles_per_second:11.0f}"
            f" {baseline:>25} {len(articles) / seconds:9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
