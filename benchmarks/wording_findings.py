"""The learned model's wording findings in comparisons, and what they cost the compare step.

Run: PYTHONPATH=src .venv/bin/python benchmarks/wording_findings.py [--runs N]
Analyses the NewsWCL50 events (../shared/data/newswcl50/articles.jsonl, 9 events x 5 outlets)
and the 12-outlet fixture (tests/data/compare/twelve) once, then per event times
``compare_analyses`` without the word scorer (the baseline, as before this change) and with it
(``loaded_contrast.model_scorer()``, loaded once before timing; median of N runs each,
alternated), counts the wording findings by source, and prints every model finding (outlet,
loaded term, the other outlet's term, the shared context) for reading by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TWELVE = ROOT / "tests" / "data" / "compare" / "twelve"


def events(settings: dict) -> dict[str, list]:
    """Event name -> its articles."""
    from storyline.ingest import read_path
    from storyline.model import Article
    from storyline.service import read_for_comparison
    from storyline.service.options import read_options

    out: dict[str, list] = defaultdict(list)
    for item in read_path(SHARED / "data" / "newswcl50" / "articles.jsonl", read_options(settings)):
        if isinstance(item, Article):
            out[f"newswcl50 {item.get('story')}"].append(item)
    out["twelve"] = read_for_comparison(sorted(TWELVE.glob("*.txt")), settings)
    return dict(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from storyline import service
    from storyline.compare import compare_analyses
    from storyline.compare.loaded_contrast import model_scorer
    from storyline.settings import load_settings

    settings = load_settings()
    analysed = {name: service.analyse_many(arts, settings)
                for name, arts in events(settings).items()}
    t = time.perf_counter()
    scorer = model_scorer()
    print(f"word model load: {time.perf_counter() - t:.2f} s")
    totals = {"without": 0.0, "with": 0.0}
    counts: dict[str, int] = defaultdict(int)
    for name, analyses in analysed.items():
        times: dict[str, list[float]] = {"without": [], "with": []}
        result = None
        for _ in range(args.runs):
            for side, ws in (("without", None), ("with", scorer)):
                t = time.perf_counter()
                c = compare_analyses(analyses, word_scorer=ws)
                times[side].append(time.perf_counter() - t)
                result = c if ws is not None else result
        med = {k: statistics.median(v) for k, v in times.items()}
        for k in totals:
            totals[k] += med[k]
        by_source: dict[str, int] = defaultdict(int)
        for w in result.wording:
            by_source[w.source] += 1
            counts[w.source] += 1
        print(f"{name:24s} {len(analyses):2d} articles  compare {med['without']:.3f} s -> "
              f"{med['with']:.3f} s  wording {dict(by_source)}")
        texts = {a.article.id: a.article.text for a in analyses}

        def sentence(ev, texts=texts) -> str:
            return texts[ev.article_id][ev.sentence_start : ev.sentence_end][:160]

        for w in result.wording:
            if w.source == "model":
                a, b = w.terms
                print(f"    {a.outlet}: {a.term!r} / {b.outlet}: {b.term!r}  in {w.referent}")
                print(f"      A: {sentence(a.evidence)!r}")
                print(f"      B: {sentence(b.evidence)!r}")
    print(f"all events: compare {totals['without']:.3f} s without the word model (baseline), "
          f"{totals['with']:.3f} s with it; findings by source {dict(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
