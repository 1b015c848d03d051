"""Fit the loaded-word model (compare/loaded_model.py) on BABE, nested CV beside the lexicon.

Run: PYTHONPATH=src .venv/bin/python benchmarks/fit_loaded_model.py [--write] [--sample N]
Computes every BABE sentence's MiniLM word vectors once (cached under /tmp), then, with the
folds of storyline.evaluation.wording (5 folds, seed 13):
- baseline, same run: the learned lexicon (loaded.fit_loaded, its shipped thresholds) fitted
  on the other folds;
- the model under nested CV: per outer fold, the stem counts and the regression are fitted on
  75 % of the other folds, the threshold picked on the remaining 25 % (grid THRESHOLDS, for
  word F1), then both refitted on all the other folds and scored on the outer fold; with and
  without the rules of loaded.is_loaded_use (adjectival speech verbs, descriptive compounds).
With --write it fits on all of BABE with the median picked threshold and writes
src/storyline/compare/lexicon/loaded_model.json (weights and stem counts, no sentence).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BABE = REPO / ".." / "shared" / "data" / "babe" / "final_labels_SG2.csv"
OUT = REPO / "src" / "storyline" / "compare" / "lexicon" / "loaded_model.json"
CACHE = Path("/tmp/storyline-babe-word-vectors.pkl")
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)
C = 1.0  # the regression's inverse regularisation (sklearn's default), not tuned


def vectors(sentences) -> list:
    """(words, vectors) per sentence, computed once and cached."""
    from storyline.compare.loaded_model import word_vectors

    key = hashlib.sha1("\n".join(s.text for s in sentences).encode()).hexdigest()
    if CACHE.exists():
        cached = pickle.loads(CACHE.read_bytes())
        if cached[0] == key:
            return cached[1]
    start = time.process_time()
    out = word_vectors().encode([s.text for s in sentences])
    print(f"word vectors: {len(sentences)} sentences, "
          f"{time.process_time() - start:.0f} CPU s")
    CACHE.write_bytes(pickle.dumps((key, out)))
    return out


def fit_on(idx, sentences, vecs, threshold: float):
    from storyline.compare.loaded_model import fit_sentences

    return fit_sentences([(vecs[i][0], vecs[i][1], sentences[i].words) for i in idx],
                         threshold, C)


def predict(model, idx, sentences, vecs, rules: bool, threshold: float | None = None):
    from dataclasses import replace

    m = model if threshold is None else replace(model, threshold=threshold)
    return {i: m.loaded(sentences[i].text, vecs[i][1], vecs[i][0], rules) for i in idx}


def nested(sentences, vecs):
    """Outer-fold predictions (rules off, rules on) and the picked thresholds."""
    from storyline.evaluation.wording import FOLDS, folds, score

    outer = folds(len(sentences), FOLDS)
    plain: list[set[str]] = [set() for _ in sentences]
    ruled: list[set[str]] = [set() for _ in sentences]
    picks = []
    for f in range(FOLDS):
        train = [i for i in range(len(sentences)) if outer[i] != f]
        test = [i for i in range(len(sentences)) if outer[i] == f]
        cut = len(train) * 3 // 4
        inner = fit_on(train[:cut], sentences, vecs, 0.5)
        held = train[cut:]

        def word_f1(th: float, inner=inner, held=held) -> float:
            got = predict(inner, held, sentences, vecs, True, th)
            return score("", [sentences[i] for i in held], [got[i] for i in held]).word.f1

        best = max(THRESHOLDS, key=word_f1)
        picks.append(best)
        model = fit_on(train, sentences, vecs, best)
        for i, p in predict(model, test, sentences, vecs, False).items():
            plain[i] = p
        for i, p in predict(model, test, sentences, vecs, True).items():
            ruled[i] = p
        print(f"outer fold {f}: threshold {best}", flush=True)
    return plain, ruled, picks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write loaded_model.json")
    parser.add_argument("--sample", type=int, default=None, help="first N sentences only")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from storyline.compare import loaded
    from storyline.compare.loaded_model import to_data
    from storyline.evaluation.wording import FOLDS, cross_validated, read_babe, score

    sentences, left_out = read_babe(BABE)
    sentences = sentences[: args.sample]
    print(f"BABE: {len(sentences)} sentences ({left_out} without agreement left out), "
          f"{sum(s.biased for s in sentences)} biased, "
          f"{sum(len(s.words) for s in sentences)} marked words")
    vecs = vectors(sentences)
    lexicon = cross_validated(sentences, lambda train: loaded.detector(
        loaded.fit_loaded((s.text, s.words) for s in train)))
    plain, ruled, picks = nested(sentences, vecs)
    rows = [score("learned lexicon, CV (baseline)", sentences, lexicon),
            score("word model, nested CV", sentences, plain),
            score("word model + use rules, nested CV", sentences, ruled)]
    print(f"picked thresholds: {picks}")
    for r in rows:
        print(f"{r.detector:36s} sentence P {r.sentence.precision:.3f} R {r.sentence.recall:.3f}"
              f" F1 {r.sentence.f1:.3f} | word P {r.word.precision:.3f} R {r.word.recall:.3f}"
              f" F1 {r.word.f1:.3f}")
    if args.write and args.sample is None:
        threshold = statistics.median(picks)
        model = fit_on(list(range(len(sentences))), sentences, vecs, threshold)
        best = rows[2]
        data = {
            "_about": (
                "Loaded-word model learned from BABE (Spinde et al. 2021, final_labels_SG2.csv, "
                "AGPL-3.0): a logistic regression over each word's all-MiniLM-L6-v2 vector "
                "(mean of its pieces' last hidden states, L2-normalised: minilm_0..383) and "
                "five lexical features (storyline.compare.loaded_model.lexical); a word is "
                "loaded at probability >= threshold. 'stems' maps a stem to [BABE sentences "
                "in which it was marked, BABE sentences holding it]. Written by "
                "benchmarks/fit_loaded_model.py; no sentence of BABE is included."
            ),
            "_fit": {
                "source": "BABE final_labels_SG2.csv", "sentences": len(sentences), "C": C,
                "picked_thresholds": picks,
                "nested_cv": {"folds": FOLDS, "rules": True,
                              "sentence_f1": best.sentence.f1,
                              "word_precision": best.word.precision,
                              "word_recall": best.word.recall, "word_f1": best.word.f1},
                "baseline_lexicon_cv": {"sentence_f1": rows[0].sentence.f1,
                                        "word_f1": rows[0].word.f1},
            },
            **to_data(model),
        }
        OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), indent=0)
                       + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
