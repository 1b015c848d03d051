"""Share of sentences the comparison marks "only in", with the only-in gate figures beside it.

Run: PYTHONPATH=src .venv/bin/python benchmarks/only_in_share.py [GOLD.jsonl ...]
For each gold file (default: tests/data/gold/{twelve,quiet,newswcl50}.jsonl) and the fixture
pairs of tests/data/compare/, prints per event: sentences (page clutter left out), sentences
marked only-in as a whole, only-in clause findings, and the share; then the only-in recall and
precision estimate of storyline.evaluation on the gold files. Run it with PYTHONPATH pointing at
two checkouts to compare before and after.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = [REPO / "tests" / "data" / "gold" / f"{n}.jsonl" for n in ("twelve", "quiet", "newswcl50")]
PAIRS = ("transfer", "quake", "ruling", "clutter")


def share(analyses: list, comparison: dict) -> tuple[int, int, int]:
    """(sentences, whole sentences marked only-in, only-in clauses) of one comparison."""
    whole = clauses = 0
    for g in comparison["claims"]:
        if g["status"] != "only_in":
            continue
        ev = g["claims"][0]["evidence"]
        if (ev["start"], ev["end"]) == (ev["sentence_start"], ev["sentence_end"]):
            whole += 1
        else:
            clauses += 1
    sentences = sum(1 for a in analyses for x in a.sentences if not x.boilerplate)
    return sentences, whole, clauses


def main() -> int:
    from storyline.evaluation import read_gold, score_comparison
    from storyline.model import to_dict
    from storyline.nlp import accepted_languages
    from storyline.service import compare, read_articles
    from storyline.service.analysis import analysed
    from storyline.service.common import resolve
    from storyline.service.evaluating import _gold_article
    from storyline.service.options import analysis_options

    s = resolve(None)
    files = [Path(p) for p in sys.argv[1:]] or GOLD
    total = [0, 0, 0]

    def run(name: str, articles: list) -> dict:
        analyses = analysed(articles, s)
        data = to_dict(compare(analyses, s))
        n, whole, clauses = share(analyses, data)
        for k, v in enumerate((n, whole, clauses)):
            total[k] += v
        print(f"{name:28s} sentences {n:4d}  only-in {whole:4d} ({whole / max(n, 1):.0%})"
              f"  clauses {clauses:3d}")
        return data

    for path in files:
        if not path.exists():
            print(f"{path}: missing, skipped")
            continue
        results, dumps = [], {}
        for event in read_gold(path):
            articles = [_gold_article(ref, path, s, dumps) for ref in event.articles]
            kept = accepted_languages(articles, analysis_options(s))
            results.append((event, run(event.event, kept)))
        r = score_comparison(results, path=str(path), seconds=0.0).as_dict()["only_in"]
        print(f"  {path.name}: only-in recall {r['recall']}, precision estimate "
              f"{r['precision_estimate']} ({r['found']}/{r['gold']} gold, {r['reported']} "
              f"reported, {r['suspect']} suspect)")
    for pair in PAIRS:
        texts = [REPO / "tests" / "data" / "compare" / f"{pair}_{x}.txt" for x in "ab"]
        run(pair, read_articles(texts, s))
    n, whole, clauses = total
    print(f"{'all':28s} sentences {n:4d}  only-in {whole:4d} ({whole / max(n, 1):.0%})"
          f"  clauses {clauses:3d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
