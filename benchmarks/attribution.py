"""Attribution quality and analysis speed on PolNeAR, this tree against a baseline revision.

Run: PYTHONPATH=src .venv/bin/python benchmarks/attribution.py [--split dev] [--baseline REV]
     [--sample N] [--rounds N]
Each side (the baseline revision's src/, extracted with ``git archive``, and this tree's src/)
runs in its own process: it builds the analysis pipeline, analyses the split's texts (the
first N when --sample is given) after a two-text warm-up, and reports wall-clock and CPU
articles/s. Both sides' analyses are then scored here with this tree's scorer
(storyline.evaluation.attribution: a baseline without the ``statements`` layer is scored on its
quotes). CPU articles/s is the steadier figure on a shared machine. Never point it at a test
split.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT / ".." / "shared" / "data" / "polnear"
BASELINE = "37d1ed3"  # main before this round of issue 13 (832492b: before all of it)

_SIDE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from storyline.service.options import analysis_options
from storyline.model import Article, to_dict
from storyline.nlp import build_pipeline
from storyline.settings import load_settings
texts = json.loads(open(sys.argv[2], encoding="utf-8").read())
pipeline = build_pipeline(analysis_options(load_settings()))
pipeline.run([Article(f"w{i}", t) for i, t in enumerate(texts[:2])])
articles = [Article(f"a{i}", t) for i, t in enumerate(texts)]
wall, cpu = time.perf_counter(), time.process_time()
analyses = pipeline.run(articles)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
with open(sys.argv[3], "w", encoding="utf-8") as out:
    json.dump({"wall": wall, "cpu": cpu, "analyses": [to_dict(a) for a in analyses]}, out)
"""


def run_side(src: Path, texts_path: Path, out: Path) -> dict:
    subprocess.run([sys.executable, "-c", _SIDE, str(src), str(texts_path), str(out)],
                   check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _median_run(runs: list[dict]) -> dict:
    """The run with the median CPU time (its analyses are those scored)."""
    return sorted(runs, key=lambda x: x["cpu"])[len(runs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--sample", type=int, default=None, help="first N texts only")
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs per side, alternated (b t t b ...): the median is shown")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from storyline.evaluation.attribution import (
        add_scores,
        read_gold_dir,
        relations_from_analysis,
        score_document,
    )

    docs = read_gold_dir(POLNEAR / args.split)[: args.sample]
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        texts = tmp / "texts.json"
        texts.write_text(json.dumps([d.text for d in docs]), encoding="utf-8")
        base_src = tmp / "baseline"
        base_src.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
        srcs = {f"baseline {args.baseline}": base_src / "src", "this tree": ROOT / "src"}
        runs: dict[str, list[dict]] = {name: [] for name in srcs}
        for r in range(args.rounds):
            # Alternated so that neither side always runs first on a shared, drifting machine.
            for name in (list(srcs) if r % 2 == 0 else list(srcs)[::-1]):
                runs[name].append(run_side(srcs[name], texts, tmp / "side.json"))
        sides = {name: _median_run(rs) for name, rs in runs.items()}
        for name, rs in runs.items():
            print(f"{name}: CPU articles/s per run "
                  + ", ".join(f"{len(docs) / x['cpu']:.2f}" for x in rs))
    print(f"PolNeAR {args.split}: {len(docs)} texts, "
          f"{sum(len(d.relations) for d in docs)} gold relations")
    measures = ("source_exact", "source_overlap", "cue_overlap", "content_overlap", "relation")
    print(f"{'':22}" + "".join(f"{m:>17}" for m in measures) + f"{'art/s wall':>12}{'cpu':>7}")
    for name, side in sides.items():
        total: dict = {}
        for doc, data in zip(docs, side["analyses"], strict=True):
            total = add_scores(total, score_document(doc.text, doc.relations,
                                                     relations_from_analysis(data)))
        cells = "".join(
            f" {total[m].precision:5.3f}/{total[m].recall:5.3f}/{total[m].f1:5.3f}"
            for m in measures
        )
        print(f"{name:22}{cells}{len(docs) / side['wall']:12.2f}{len(docs) / side['cpu']:7.2f}")
    print("(each cell: P/R/F1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
