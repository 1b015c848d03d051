"""Fit the loaded-word lexicon on BABE and write src/storyline/compare/lexicon/loaded.json.

Run: PYTHONPATH=src .venv/bin/python benchmarks/fit_loaded_wording.py [--write] [--tagger]
Prints, all cross-validated with the folds of storyline.evaluation.wording (5 folds, seed 13):
- the hand lexicon (today's wording.json) as the baseline, on the same sentences;
- nested CV of the learned lexicon: the inner folds pick (min_marked, min_share) from a grid,
  the outer fold scores the pick;
- with --tagger, a logistic-regression word tagger (word, lemma, POS, dependency, neighbours)
  fitted per fold, to see whether a model beats the lexicon.
With --write it fits on all of BABE and writes the resource: each word with its class (a hand
class of wording.json, else from the word's majority part of speech where it was marked), a
neutral counterpart where one exists (NEUTRAL below, editorial), and its BABE counts. Only
words and counts are written: no BABE sentence is copied.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from storyline.compare import lexicon
from storyline.compare.loaded import (
    MIN_MARKED,
    MIN_SHARE,
    detector,
    fit_loaded,
    hand_lexicon_words,
    stem,
)
from storyline.evaluation.wording import FOLDS, cross_validated, folds, read_babe, score

REPO = Path(__file__).resolve().parents[1]
BABE = REPO / ".." / "shared" / "data" / "babe" / "final_labels_SG2.csv"
OUT = REPO / "src" / "storyline" / "compare" / "lexicon" / "loaded.json"
GRID = [(m, s) for m in (1, 2, 3) for s in (0.2, 0.3, 0.4, 0.5)]

# Neutral counterparts for the same referent, written by hand (AP Stylebook usage where it has
# an entry: "illegal immigrant" -> "living in the country illegally"/"undocumented"; "regime",
# "riot", "terrorist" entries). Only words with an unjudging equivalent are listed.
NEUTRAL = {
    "aliens": ["immigrants", "migrants"], "alien": ["immigrant", "migrant"],
    "illegals": ["immigrants", "migrants"], "illegal": ["undocumented"],
    "slammed": ["criticized", "criticised"], "blasted": ["criticized", "criticised"],
    "slams": ["criticizes", "criticises"], "blasts": ["criticizes", "criticises"],
    "ripped": ["criticized", "criticised"], "lashed": ["criticized", "criticised"],
    "claimed": ["said"], "claims": ["says", "statements"], "claiming": ["saying"],
    "claim": ["say", "statement"], "boasted": ["said"], "bragged": ["said"],
    "bragging": ["saying"], "touted": ["promoted"], "insisted": ["said"],
    "mob": ["crowd"], "mobs": ["crowds"], "rioters": ["protesters", "demonstrators"],
    "thugs": ["protesters", "attackers"], "regime": ["government", "administration"],
    "terrorists": ["militants", "attackers"], "draconian": ["strict"],
    "slashed": ["cut", "reduced"], "slashing": ["cutting", "reducing"],
    "skyrocketed": ["rose", "increased"], "skyrocketing": ["rising"],
    "soared": ["rose", "increased"], "plummeted": ["fell", "dropped"],
    "massacre": ["killing", "killings"], "slaughter": ["killing", "killings"],
    "propaganda": ["messaging", "statements"], "pro-abortion": ["abortion-rights"],
    "anti-vaxxers": ["vaccine opponents"], "leftists": ["liberals", "progressives"],
    "leftist": ["liberal", "progressive"], "hard-left": ["progressive", "liberal"],
    "far-left": ["progressive", "liberal"], "crackdown": ["enforcement", "operation"],
    "scheme": ["plan"], "lies": ["false statements"], "ranted": ["said"],
    "hysteria": ["concern"], "splurge": ["spending"], "handouts": ["payments", "aid"],
}
POS_CLASS = {
    "NOUN": "label", "PROPN": "label", "ADJ": "evaluative", "ADV": "intensifier",
    "VERB": "action",
}
SPEECH = {"claim", "slam", "blast", "boast", "brag", "tout", "insist", "admit", "concede",
          "allege", "confess", "rip", "lash", "rant", "decry", "bash", "gloat", "scold"}


def fitter(params: tuple[int, float]):
    """Fit the lexicon with (min_marked, min_share) on labelled sentences: a detector."""
    return lambda train: detector(fit_loaded(((s.text, s.words) for s in train), *params))


def nested(sentences) -> tuple[list[set[str]], list[tuple[int, float]]]:
    """Outer-fold predictions with (min_marked, min_share) picked on the inner folds."""
    outer = folds(len(sentences), FOLDS)
    predicted: list[set[str]] = [set() for _ in sentences]
    picks = []
    for f in range(FOLDS):
        train = [s for s, g in zip(sentences, outer, strict=True) if g != f]
        best = max(GRID, key=lambda p: score("", train, cross_validated(train, fitter(p))).word.f1)
        picks.append(best)
        detect = fitter(best)(train)
        for i, s in enumerate(sentences):
            if outer[i] == f:
                predicted[i] = detect(s.text)
    return predicted, picks


def tagger(sentences) -> list[set[str]]:
    """Word-level logistic regression per fold: spaCy features and the lexicon share."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from storyline.compare.loaded import WORD
    from storyline.nlp.models import lemma, load_nlp

    nlp = load_nlp()
    feats = []
    for doc in nlp.pipe([s.text for s in sentences], batch_size=64):
        rows = []
        for t in doc:
            if not WORD.fullmatch(t.text):
                continue
            f = {f"w={t.lower_}": 1, f"l={lemma(t)}": 1, f"p={t.pos_}": 1, f"t={t.tag_}": 1,
                 f"d={t.dep_}": 1, f"s3={t.lower_[-3:]}": 1, f"hp={t.head.pos_}": 1,
                 f"hl={t.head.lower_}": 1}
            for d in (-2, -1, 1, 2):
                if 0 <= t.i + d < len(doc):
                    f[f"{d}w={doc[t.i + d].lower_}"] = 1
                    f[f"{d}p={doc[t.i + d].pos_}"] = 1
            rows.append((t.lower_, f))
        feats.append(rows)
    fold = folds(len(sentences), FOLDS)
    predicted: list[set[str]] = [set() for _ in sentences]
    for k in range(FOLDS):
        train = [i for i in range(len(sentences)) if fold[i] != k]
        marked: Counter = Counter()
        seen: Counter = Counter()
        own = {}
        for i in train:
            stems = {stem(w) for w, _ in feats[i]}
            hits = {stem(w) for w, _ in feats[i] if w in sentences[i].words}
            seen.update(stems)
            marked.update(hits)
            own[i] = hits
        x, y = [], []
        for i in train:
            for w, f in feats[i]:
                # The lexicon share as a feature, leaving the sentence's own mark out.
                key = stem(w)
                x.append(_with_prior(f, marked[key] - (key in own[i]), seen[key] - 1))
                y.append(w in sentences[i].words)
        dv = DictVectorizer()
        model = LogisticRegression(max_iter=3000).fit(dv.fit_transform(x), y)
        for i in range(len(sentences)):
            if fold[i] == k and feats[i]:
                rows = [_with_prior(f, marked[stem(w)], seen[stem(w)]) for w, f in feats[i]]
                p = model.predict_proba(dv.transform(rows))[:, 1]
                # 0.25: the probability cut with the best word F1 in an exploratory run (not
                # nested, so this row is slightly optimistic).
                predicted[i] = {w for (w, _), q in zip(feats[i], p, strict=True) if q >= 0.25}
    return predicted


def _with_prior(features: dict, marked: int, seen: int) -> dict:
    """Token features plus the stem's marked share in the training folds (bucketed)."""
    out = dict(features)
    share = marked / seen if seen > 0 else 0.0
    out["prior"] = share
    out["prior_bucket"] = f"{min(10, int(share * 10))}" if seen > 0 else "unseen"
    out[f"seen={min(seen, 5)}"] = 1
    return out


def entries_of(sentences, fitted: dict[str, tuple[int, int]]) -> list[dict]:
    """One entry per learned stem: forms, class, neutral counterparts and BABE counts."""
    from storyline.compare.loaded import WORD
    from storyline.nlp.models import lemma, load_nlp

    hand = {t: c.name for c in lexicon.load("wording") for t in c.loaded if " " not in t}
    forms: dict[str, Counter] = {k: Counter() for k in fitted}
    pos: dict[str, Counter] = {k: Counter() for k in fitted}
    speech: Counter = Counter()
    for s, doc in zip(sentences, load_nlp().pipe([s.text for s in sentences], batch_size=64),
                      strict=True):
        for t in doc:
            key = stem(t.lower_)
            if key in pos and t.lower_ in s.words and WORD.fullmatch(t.text):
                forms[key][t.lower_] += 1
                pos[key][t.pos_] += 1
                speech[key] += t.pos_ == "VERB" and lemma(t) in SPEECH
    out = []
    for key, (marked, seen) in sorted(fitted.items(), key=lambda x: (-x[1][0], x[0])):
        marked_forms = [f for f, _ in forms[key].most_common()] or [key]
        top = pos[key].most_common(1)[0][0] if pos[key] else "X"
        cls = next((hand[f] for f in marked_forms if f in hand), None)
        if cls is None:
            cls = "speech" if speech[key] * 2 > sum(pos[key].values()) else POS_CLASS.get(
                top, "other")
        neutral = [n for f in marked_forms for n in NEUTRAL.get(f, ())]
        out.append({"stem": key, "term": marked_forms[0], "forms": sorted(marked_forms),
                    "class": cls, "neutral": list(dict.fromkeys(neutral)) or None,
                    "marked": marked, "seen": seen})
    return out


def _dump(data: dict) -> str:
    """The resource as JSON with one entry a line, so a diff shows which words changed."""
    head = {k: v for k, v in data.items() if k != "entries"}
    body = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    lines = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in data["entries"])
    return f'{body},\n "entries": [\n  {lines}\n ]\n}}\n'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write loaded.json")
    parser.add_argument("--tagger", action="store_true", help="also fit the LR word tagger")
    args = parser.parse_args()
    sentences, left_out = read_babe(BABE)
    print(f"BABE: {len(sentences)} sentences ({left_out} without agreement left out), "
          f"{sum(s.biased for s in sentences)} biased, {sum(len(s.words) for s in sentences)} "
          "marked words")
    hand = [hand_lexicon_words(s.text) for s in sentences]
    rows = [score("hand lexicon (baseline)", sentences, hand)]
    predicted, picks = nested(sentences)
    rows.append(score("learned lexicon, nested CV", sentences, predicted))
    if args.tagger:
        rows.append(score("LR word tagger, CV", sentences, tagger(sentences)))
    print(f"inner-fold picks (min_marked, min_share): {picks}")
    for r in rows:
        print(f"{r.detector:34s} sentence P {r.sentence.precision:.3f} R {r.sentence.recall:.3f}"
              f" F1 {r.sentence.f1:.3f} | word P {r.word.precision:.3f} R {r.word.recall:.3f}"
              f" F1 {r.word.f1:.3f}")
    if args.write:
        entries = entries_of(sentences, fit_loaded((s.text, s.words) for s in sentences))
        learned = rows[1]
        data = {
            "_about": (
                "Loaded words learned from BABE (Spinde et al. 2021, 'Neural Media Bias "
                "Detection Using Distant Supervision With BABE', final_labels_SG2.csv, "
                "AGPL-3.0): a word stem (storyline.compare.loaded.stem) is listed when "
                "annotators marked a form of it as biased in >= min_marked sentences and in "
                ">= min_share of the BABE sentences holding it. 'forms' are the forms marked; "
                "'marked'/'seen' are those sentence counts. 'class' is a hand class of "
                "wording.json, 'speech', or from the word's majority part of speech where it "
                "was marked (label = noun, evaluative = adjective, intensifier = adverb, "
                "action = verb). 'neutral' is an editorial counterpart for the same referent, "
                "null where none exists. Written by benchmarks/fit_loaded_wording.py; no "
                "sentence of BABE is included."
            ),
            "_fit": {
                "source": "BABE final_labels_SG2.csv",
                "sentences": len(sentences),
                "min_marked": MIN_MARKED,
                "min_share": MIN_SHARE,
                "inner_fold_picks": picks,
                "nested_cv": {
                    "folds": FOLDS,
                    "sentence_f1": learned.sentence.f1,
                    "word_precision": learned.word.precision,
                    "word_recall": learned.word.recall,
                    "word_f1": learned.word.f1,
                },
            },
            "entries": entries,
        }
        OUT.write_text(_dump(data), encoding="utf-8")
        print(f"wrote {len(entries)} entries to {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
