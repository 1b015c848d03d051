"""Whether a sentence embedder changes any finding: every comparison under two embedders, diffed.

Run: .venv/bin/python benchmarks/embedder_findings.py [--a minilm-fast] [--b minilm-fast-bf16]
Compares, under embedder A and under embedder B: each event of every gold file in
``tests/data/gold/`` (as ``storyline eval comparison`` reads them), the seed pair
(``../shared/seeds``), the demo corpus, and each pair and folder of ``tests/data/compare``.
Prints per event whether the whole comparison (``to_dict``: disputes, claims, sources,
wording, names, with every evidence span) is identical; if not, whether its findings are (the
same JSON once every number is allowed ``FLOAT_TOLERANCE``: confidences and cosines are
derived from the vectors and rounded to 3 places) with the largest number shift, else the
first differing path; then the per-sentence cosine between the two embedders' vectors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# A number (confidence, score, cosine) may move by this much and the finding count as the same;
# anything else (which claims, which disputes, their sides, outlets, order, evidence spans,
# every string) must be identical.
FLOAT_TOLERANCE = 0.01


def events() -> list[tuple[str, list]]:
    """(label, articles) of every event compared."""
    from storyline.evaluation import read_gold
    from storyline.nlp import accepted_languages
    from storyline.service.evaluating import _gold_article
    from storyline.service.options import analysis_options
    from storyline.service.reading import read_for_comparison
    from storyline.settings import load_settings

    s = load_settings()
    out: list[tuple[str, list]] = []
    for gold in sorted((ROOT / "tests" / "data" / "gold").glob("*.jsonl")):
        dumps: dict = {}
        for k, event in enumerate(read_gold(gold)):
            articles = [_gold_article(ref, gold, s, dumps) for ref in event.articles]
            out.append((f"{gold.stem}#{k}", accepted_languages(articles, analysis_options(s))))
    seeds = sorted((ROOT / ".." / "shared" / "seeds").glob("*.txt"))
    if seeds:
        out.append(("seeds", read_for_comparison(seeds, s)))
    demo = ROOT / "src" / "storyline" / "data" / "demo" / "corpus.jsonl"
    out.append(("demo", read_for_comparison([demo], s)))
    compare_dir = ROOT / "tests" / "data" / "compare"
    pairs: dict[str, list[Path]] = {}
    for path in sorted(compare_dir.glob("*_?.txt")):
        pairs.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    for name, paths in pairs.items():
        out.append((f"compare/{name}", read_for_comparison(paths, s)))
    for folder in sorted(p for p in compare_dir.iterdir() if p.is_dir()):
        out.append((f"compare/{folder.name}", read_for_comparison([folder], s)))
    return out


def first_difference(a, b, path: str = "") -> str:
    """The first path at which two JSON-like values differ beyond a number shift."""
    if number_shift(a, b) is not None and number_shift(a, b) <= FLOAT_TOLERANCE:
        return ""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{k}]")
            if found:
                return found
        return ""
    return f"{path}: {json.dumps(a)[:300]} vs {json.dumps(b)[:300]}"


def number_shift(a, b) -> float | None:
    """The largest difference between numbers at the same place, None if anything else differs."""
    if isinstance(a, bool) or isinstance(b, bool):
        return 0.0 if a == b else None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b)
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return None
        shifts = [number_shift(a[k], b[k]) for k in a]
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return None
        shifts = [number_shift(x, y) for x, y in zip(a, b, strict=True)]
    else:
        return 0.0 if a == b else None
    return None if None in shifts else max(shifts, default=0.0)


def verdict(a, b) -> tuple[str, float | None]:
    """How two comparisons of one event differ: "identical", "same findings" (numbers moved
    within FLOAT_TOLERANCE) or "changed", with the numbers' largest shift."""
    shift = number_shift(a, b)
    if a == b:
        return "identical", shift
    if shift is not None and shift <= FLOAT_TOLERANCE:
        return "same findings", shift
    return "changed", shift


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default="minilm-fast", help="reference embedder")
    parser.add_argument("--b", default="minilm-fast-bf16", help="embedder under test")
    args = parser.parse_args()

    from storyline.model import to_dict
    from storyline.service.analysis import analysed
    from storyline.service.comparing import compare
    from storyline.settings import load_settings

    base = load_settings()
    sa, sb = dict(base, embedder=args.a), dict(base, embedder=args.b)
    identical, changed, worst, cosines = 0, 0, 0.0, []
    todo = events()
    for label, articles in todo:
        ca, cb = to_dict(compare(articles, sa)), to_dict(compare(articles, sb))
        kind, shift = verdict(ca, cb)
        if kind == "identical":
            identical += 1
            said = "identical"
        elif kind == "same findings":
            worst = max(worst, shift)
            said = f"same findings, numbers moved by <= {shift:.3f}"
        else:
            changed += 1
            parts = [k for k in sorted(ca) if first_difference(ca.get(k), cb.get(k))]
            said = f"FINDINGS CHANGED in {', '.join(parts)}: {first_difference(ca, cb)}"
        for x, y in zip(analysed(articles, sa), analysed(articles, sb), strict=True):
            cosines.append((np.asarray(x.vectors) * np.asarray(y.vectors)).sum(axis=1))
        print(f"{label} ({len(articles)} articles): {said}", flush=True)
    cos = np.concatenate(cosines)
    print(f"{changed} of {len(todo)} comparisons changed findings, {identical} "
          f"identical, largest number shift {worst:.3f}; {args.b} vs {args.a} over {len(cos)} "
          f"sentences: cosine min {cos.min():.6f} mean {cos.mean():.6f}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
