"""GVA dev split by time into two halves, each scored on its own beside the baseline (same run).

The split rule: an incident's date is the earliest published time of its articles (every GVA
dev article is dated); incidents first reported before ``SPLIT_DATE`` (the median first-report
date of GVA dev's 1,243 incidents) form half A, the rest half B, each with every article of its
incidents (follow-ups of an A incident stay in A however late they come). Error analysis and any
choice of rule or constant are made on half A; half B is the check, read without further tuning.
Each half is written to a temporary JSONL file (real data never enters the repository) and scored
by ``evaluate_clustering`` (ingest's code path) and by issue 10's TF-IDF + time baseline.

Run: .venv/bin/python benchmarks/gva_halves.py [--half A|B]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from storyline.service import evaluate_clustering, read_labelled
from storyline.stories.baseline import cluster_baseline
from storyline.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gva" / "dev.jsonl"
# The median first-report date of GVA dev's incidents: 621 incidents before it, 622 from it on.
SPLIT_DATE = "2015-03-18"


def halves(path: Path) -> dict[str, list[str]]:
    """The file's lines by half ("A": incidents first reported before SPLIT_DATE, "B": the rest),
    in file order."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    first: dict[str, str] = {}
    for line in lines:
        row = json.loads(line)
        when = row.get("published") or "9999"
        first[row["story"]] = min(first.get(row["story"], when), when)
    out: dict[str, list[str]] = {"A": [], "B": []}
    for line in lines:
        out["A" if first[json.loads(line)["story"]] < SPLIT_DATE else "B"].append(line)
    return out


def main() -> None:
    """Print, per half, Storyline's refined and online BCubed F1 and the baseline's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["A", "B"], action="append")
    args = parser.parse_args()
    print(f"{'half':5} {'n':>5} {'gold':>5} {'refined P/R/F1 (k)':>26} {'online':>7}"
          f" {'baseline P/R/F1 (k)':>26} {'margin':>7}")
    with tempfile.TemporaryDirectory(prefix="gva-halves-") as tmp:
        for half, lines in halves(DATA).items():
            if args.half and half not in args.half:
                continue
            path = Path(tmp) / f"{half}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            ours = evaluate_clustering(path)
            articles, _ = read_labelled(path)
            labels = cluster_baseline(articles)
            base = bcubed(labels, [a.get("story") for a in articles])
            print(
                f"{half:5} {ours.articles:5d} {ours.gold_clusters:5d}"
                f" {ours.bcubed_precision:.4f}/{ours.bcubed_recall:.4f}/{ours.bcubed_f1:.4f}"
                f" ({ours.predicted_clusters}) {ours.online_bcubed_f1:.4f}"
                f" {base.precision:.4f}/{base.recall:.4f}/{base.f1:.4f} ({len(set(labels))})"
                f" {ours.bcubed_f1 - base.f1:+.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
