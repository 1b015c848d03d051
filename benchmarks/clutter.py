"""Precision and recall of the page-clutter rules on hand-labelled GVA dev pages.

Run: .venv/bin/python benchmarks/clutter.py
Reads ../shared/data/gva/dev.jsonl and the labels in benchmarks/clutter_gva_labels.json (two
samples of 40 articles: one the rules were revised on, one held out), marks lines as the
``sentences`` component does (spaCy's parse tells the finite verbs) and prints, per sample,
precision and recall over all labelled lines and over lines with letters (separators such as
"_____" are easy and numerous on some pages), then the rules' speed on every dev page.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.nlp.boilerplate import clutter_lines  # noqa: E402
from storyline.nlp.models import load_nlp  # noqa: E402
from storyline.nlp.sentences import finite_verbs  # noqa: E402

GVA = ROOT / ".." / "shared" / "data" / "gva" / "dev.jsonl"
LABELS = Path(__file__).with_name("clutter_gva_labels.json")
_LINE = re.compile(r"[^\n]+")
_LETTER = re.compile(r"[^\W\d_]")


def score(sample: list[dict], rows: dict[str, dict], nlp) -> dict[str, float]:
    """Counts and ratios of marked vs labelled lines (ambiguous lines left out)."""
    tp = fp = fn = tp_l = fp_l = fn_l = 0
    for item in sample:
        row = rows[item["id"]]
        text = row["text"]
        marks = set(clutter_lines(text, row.get("title") or "", finite_verbs(nlp(text))))
        lines = [m for m in _LINE.finditer(text) if m.group().strip()]
        gold, skip = set(item["clutter"]), set(item["ambiguous"])
        for n, m in enumerate(lines):
            if n in skip:
                continue
            marked, is_gold = (m.start(), m.end()) in marks, n in gold
            letters = bool(_LETTER.search(m.group()))
            tp += marked and is_gold
            fp += marked and not is_gold
            fn += is_gold and not marked
            tp_l += letters and marked and is_gold
            fp_l += letters and marked and not is_gold
            fn_l += letters and is_gold and not marked
    return {
        "precision": tp / max(1, tp + fp),
        "recall": tp / max(1, tp + fn),
        "gold": tp + fn,
        "marked": tp + fp,
        "precision_letters": tp_l / max(1, tp_l + fp_l),
        "recall_letters": tp_l / max(1, tp_l + fn_l),
        "gold_letters": tp_l + fn_l,
    }


def main() -> None:
    rows = {r["id"]: r for r in map(json.loads, GVA.read_text(encoding="utf-8").splitlines())}
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    nlp = load_nlp()
    for name, sample in labels["samples"].items():
        s = score(sample, rows, nlp)
        print(
            f"{name:9s} {len(sample)} articles: {s['gold']} clutter lines, {s['marked']} marked; "
            f"precision {s['precision']:.3f} recall {s['recall']:.3f}; lines with letters "
            f"({s['gold_letters']}): precision {s['precision_letters']:.3f} "
            f"recall {s['recall_letters']:.3f}"
        )
    started = time.perf_counter()
    for row in rows.values():
        clutter_lines(row["text"], row.get("title") or "")
    seconds = time.perf_counter() - started
    print(f"rules alone on {len(rows)} dev pages: {len(rows) / seconds:.0f} pages/s")


if __name__ == "__main__":
    main()
