"""Score loaded-wording detection against BABE-style sentences (``biased_words`` marked).

Two levels, micro-averaged over the file's sentences:
- sentence: a sentence is predicted biased when it holds at least one loaded word; P/R/F1 of
  the ``Biased`` label (rows labelled ``No agreement`` are left out and counted);
- word: per sentence, the set of lower-cased words predicted loaded against the set in
  ``biased_words``; true positives are words in both.
Everything fitted on the file is fitted on k-1 folds and scored on the held-out fold, so the
figures are cross-validated. Today's hand lexicon (compare/lexicon/wording.json) and the
shipped BABE-learned resource (compare/lexicon/loaded.json) are scored on the whole file as
they are; the shipped one was fitted on BABE, so on BABE itself its row is in-sample.
"""

from __future__ import annotations

import ast
import csv
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from storyline.compare import lexicon
from storyline.compare.loaded import find_loaded, load_entries, stem, words
from storyline.errors import FormatError, InputError

COLUMNS = ("text", "label_bias", "biased_words")
FOLDS = 5
SEED = 13
# A word enters the learned lexicon when annotators marked it in at least MIN_MARKED
# sentences and in at least MIN_SHARE of the sentences holding it. Chosen by nested 5-fold CV
# on BABE (benchmarks/fit_loaded_wording.py): the inner folds pick from a grid of
# {1, 2, 3} x {0.2, 0.3, 0.4, 0.5}; four of the five outer folds picked these values.
MIN_MARKED = 1
MIN_SHARE = 0.3
# Words marked only as part of a phrase ("the", "of" in "the radical left") carry no loading.
FUNCTION_WORDS = frozenset(
    """a an the and or but of to in on at by for with from into as is are was were be been has
    have had it its they them their he she his her we our you your this that these those who
    which what not no so up out down over off about""".split()
)


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    biased: bool
    words: frozenset[str]  # BABE's biased_words, lower case


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class WordingScore:
    detector: str
    sentence: PRF
    word: PRF


@dataclass(frozen=True)
class WordingReport:
    path: str
    sentences: int
    biased: int
    gold_words: int
    left_out: int  # rows without an agreed label
    folds: int
    scores: tuple[WordingScore, ...]

    def as_dict(self) -> dict:
        """Plain data for JSON or a table."""
        return asdict(self)


def read_babe(path: str | Path) -> tuple[list[LabelledSentence], int]:
    """The labelled sentences of a BABE-style CSV (``;`` or ``,``), and how many were left out."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            head = fh.readline()
            fh.seek(0)
            delimiter = ";" if head.count(";") > head.count(",") else ","
            rows = list(csv.DictReader(fh, delimiter=delimiter))
    except UnicodeDecodeError:
        raise FormatError("not UTF-8 text", path=str(path)) from None
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise FormatError(f"needs the columns {', '.join(COLUMNS)}", path=str(path))
    out, left_out = [], 0
    for n, row in enumerate(rows):
        label = (row["label_bias"] or "").strip()
        if label not in ("Biased", "Non-biased"):
            left_out += 1
            continue
        try:
            marked = ast.literal_eval(row["biased_words"] or "[]")
        except (ValueError, SyntaxError):
            raise FormatError(f"row {n + 2}: biased_words is not a list", path=str(path)) from None
        if not isinstance(marked, list):
            raise FormatError(f"row {n + 2}: biased_words is not a list", path=str(path))
        gold = frozenset(str(w).strip("\"“”'‘’ ").lower() for w in marked) - {""}
        out.append(LabelledSentence(row["text"] or "", label == "Biased", gold))
    return out, left_out


def word_types(text: str) -> set[str]:
    """The lower-cased words of a sentence."""
    return {m.group(0).lower() for m in words(text)}


def fit_loaded(
    sentences: Sequence[LabelledSentence],
    min_marked: int = MIN_MARKED,
    min_share: float = MIN_SHARE,
) -> dict[str, tuple[int, int]]:
    """Loaded word stems learned from labelled sentences: stem -> (sentences marked, seen)."""
    marked: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for s in sentences:
        present = word_types(s.text)
        seen.update({stem(w) for w in present})
        marked.update({stem(w) for w in present & s.words if w not in FUNCTION_WORDS})
    return {
        w: (marked[w], seen[w])
        for w in marked
        if any(c.isalpha() for c in w)
        and marked[w] >= min_marked
        and marked[w] / seen[w] >= min_share
    }


def folds(n: int, k: int = FOLDS, seed: int = SEED) -> list[int]:
    """A fold number for each of ``n`` items, shuffled with a fixed seed."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for rank, i in enumerate(order):
        fold[i] = rank % k
    return fold


def _prf(tp: int, fp: int, fn: int) -> PRF:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(tp, fp, fn, round(p, 4), round(r, 4), round(f, 4))


def score(
    detector: str, sentences: Sequence[LabelledSentence], predicted: Sequence[set[str]]
) -> WordingScore:
    """Sentence- and word-level P/R/F1 of predicted loaded words per sentence."""
    stp = sfp = sfn = wtp = wfp = wfn = 0
    for s, p in zip(sentences, predicted, strict=True):
        stp += s.biased and bool(p)
        sfp += (not s.biased) and bool(p)
        sfn += s.biased and not p
        wtp += len(p & s.words)
        wfp += len(p - s.words)
        wfn += len(s.words - p)
    return WordingScore(detector, _prf(stp, sfp, sfn), _prf(wtp, wfp, wfn))


def predict_with(stems: frozenset[str]) -> Callable[[str], set[str]]:
    """A detector that marks the loaded uses of words with a stem in ``stems``."""
    return lambda text: {h.term for h in find_loaded(text, stems)}


def hand_lexicon(text: str) -> set[str]:
    """Today's hand lexicon: the words of every loaded term it finds."""
    found = set()
    for cls in lexicon.load("wording"):
        for h in lexicon.find_terms(text, (cls,)):
            if h.term in cls.loaded:
                found |= word_types(text[h.start : h.end])
    return found


def cross_validated(
    sentences: Sequence[LabelledSentence],
    k: int = FOLDS,
    min_marked: int = MIN_MARKED,
    min_share: float = MIN_SHARE,
) -> list[set[str]]:
    """Each sentence's loaded words by a lexicon fitted on the other folds."""
    fold = folds(len(sentences), k)
    predicted: list[set[str]] = [set() for _ in sentences]
    for f in range(k):
        train = [s for s, g in zip(sentences, fold, strict=True) if g != f]
        detect = predict_with(frozenset(fit_loaded(train, min_marked, min_share)))
        for i, s in enumerate(sentences):
            if fold[i] == f:
                predicted[i] = detect(s.text)
    return predicted


def score_wording(
    sentences: Sequence[LabelledSentence], *, path: str = "", left_out: int = 0
) -> WordingReport:
    """Today's hand lexicon, the shipped learned lexicon, and one fitted under k-fold CV."""
    k = FOLDS
    if len(sentences) < k:
        raise FormatError(f"needs at least {k} labelled sentences", path=path)
    shipped = predict_with(frozenset(e.stem for e in load_entries()))
    texts = [s.text for s in sentences]
    scores = (
        score("hand lexicon (wording.json)", sentences, [hand_lexicon(t) for t in texts]),
        score(
            "shipped BABE lexicon (loaded.json, in-sample on BABE)",
            sentences,
            [shipped(t) for t in texts],
        ),
        score(f"lexicon fitted on this file, {k}-fold CV", sentences, cross_validated(sentences)),
    )
    return WordingReport(
        path=path,
        sentences=len(sentences),
        biased=sum(s.biased for s in sentences),
        gold_words=sum(len(s.words) for s in sentences),
        left_out=left_out,
        folds=k,
        scores=scores,
    )
