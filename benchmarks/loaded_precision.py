"""Word precision of the loaded-word model at stricter thresholds, on BABE's held-out folds.

Run: PYTHONPATH=src .venv/bin/python benchmarks/loaded_precision.py
The comparison reports a word the model marks as loaded wording only above a threshold chosen
for precision (compare/loaded_contrast.py, MODEL_MIN_PROBABILITY): a wrong finding costs more
than a missing one. With the folds of storyline.evaluation.wording (5 folds, seed 13) and the
word vectors of benchmarks/fit_loaded_model.py (cached under /tmp), each fold's words are scored
by the model fitted on the other four folds, with the use rules (loaded.is_loaded_use); the
table gives, per threshold, the words marked, the share of them annotators marked too
(precision), recall and F1, pooled over the five folds. The shipped threshold's row is the
baseline of the same run. Last, the share of the words at MODEL_MIN_PROBABILITY whose stem passes
the compare step's prefilter (PREFILTER_SHARE, counted on the fitting folds).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


def main() -> int:
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(REPO / "benchmarks"))
    from fit_loaded_model import BABE, C, vectors

    from storyline.compare.loaded import is_loaded_use, stem
    from storyline.compare.loaded_contrast import MODEL_MIN_PROBABILITY, PREFILTER_SHARE
    from storyline.compare.loaded_model import fit_sentences, load_model
    from storyline.evaluation.wording import FOLDS, folds, read_babe

    sentences, _ = read_babe(BABE)
    vecs = vectors(sentences)
    fold = folds(len(sentences), FOLDS)
    probs: list[dict[str, float]] = [{} for _ in sentences]  # word -> its highest probability
    shares: list[float] = []  # the stem share of each word at MODEL_MIN_PROBABILITY
    for f in range(FOLDS):
        train = [i for i in range(len(sentences)) if fold[i] != f]
        model = fit_sentences([(vecs[i][0], vecs[i][1], sentences[i].words) for i in train],
                              0.5, C)
        for i in (i for i in range(len(sentences)) if fold[i] == f):
            words, v = vecs[i]
            for (w, s, e), p in zip(words, model.probabilities(v, words), strict=True):
                if is_loaded_use(sentences[i].text, s, e):
                    probs[i][w] = max(probs[i].get(w, 0.0), float(p))
                    if p >= MODEL_MIN_PROBABILITY:
                        k = stem(w)
                        seen = model.priors.seen.get(k, 0)
                        shares.append(model.priors.marked.get(k, 0) / seen if seen else 0.0)
    gold = sum(len(s.words) for s in sentences)
    shipped = load_model().threshold
    print(f"BABE: {len(sentences)} sentences, {gold} marked words, {FOLDS} folds; "
          f"shipped threshold {shipped}")
    for t in sorted({*THRESHOLDS, shipped}):
        marked = [{w for w, p in ps.items() if p >= t} for ps in probs]
        tp = sum(len(m & s.words) for m, s in zip(marked, sentences, strict=True))
        n = sum(len(m) for m in marked)
        p = tp / n if n else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        tag = "  (shipped threshold, baseline)" if t == shipped else ""
        print(f"threshold {t:.2f}: marked {n:5d}  precision {p:.3f}  recall {r:.3f}  "
              f"F1 {f1:.3f}{tag}")
    for least in sorted({0.05, 0.1, 0.2, 0.3, 0.4, 0.5, PREFILTER_SHARE}):
        kept = sum(x >= least for x in shares)
        tag = "  (PREFILTER_SHARE)" if least == PREFILTER_SHARE else ""
        print(f"prefilter: stem share >= {least}: keeps {kept} of the {len(shares)} words at "
              f"{MODEL_MIN_PROBABILITY} ({kept / max(len(shares), 1):.3f}){tag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
