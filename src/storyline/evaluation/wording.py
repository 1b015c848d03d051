"""Score loaded-wording detection against BABE-style sentences (``biased_words`` marked).

Two levels, micro-averaged over the file's sentences:
- sentence: a sentence is predicted biased when it holds at least one loaded word; P/R/F1 of
  the ``Biased`` label (rows labelled ``No agreement`` are left out and counted);
- word: per sentence, the set of lower-cased words predicted loaded against the set in
  ``biased_words``; true positives are words in both.
A detector is a plain function (text -> lower-case loaded words); the service passes them in,
so this module reads only plain data. Everything fitted on the file is fitted on k-1 folds and
scored on the held-out fold, so those figures are cross-validated.
"""

from __future__ import annotations

import ast
import csv
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from storyline.errors import FormatError, InputError

COLUMNS = ("text", "label_bias", "biased_words")
FOLDS = 5
SEED = 13
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


Detector = Callable[[str], set[str]]
Fitter = Callable[[Sequence[LabelledSentence]], Detector]


def cross_validated(
    sentences: Sequence[LabelledSentence], fit: Fitter, k: int = FOLDS
) -> list[set[str]]:
    """Each sentence's loaded words by a detector ``fit`` on the other folds."""
    fold = folds(len(sentences), k)
    predicted: list[set[str]] = [set() for _ in sentences]
    for f in range(k):
        detect = fit([s for s, g in zip(sentences, fold, strict=True) if g != f])
        for i, s in enumerate(sentences):
            if fold[i] == f:
                predicted[i] = detect(s.text)
    return predicted


def score_wording(
    sentences: Sequence[LabelledSentence],
    detectors: Sequence[tuple[str, Detector]],
    fitted: Sequence[tuple[str, Fitter]],
    *,
    path: str = "",
    left_out: int = 0,
) -> WordingReport:
    """Fixed detectors scored on the whole file, fitted ones under k-fold cross-validation."""
    k = FOLDS
    if len(sentences) < k:
        raise FormatError(f"needs at least {k} labelled sentences", path=path)
    texts = [s.text for s in sentences]
    scores = [score(name, sentences, [d(t) for t in texts]) for name, d in detectors]
    scores += [
        score(f"{name}, {k}-fold CV", sentences, cross_validated(sentences, fit, k))
        for name, fit in fitted
    ]
    return WordingReport(
        path=path,
        sentences=len(sentences),
        biased=sum(s.biased for s in sentences),
        gold_words=sum(len(s.words) for s in sentences),
        left_out=left_out,
        folds=k,
        scores=tuple(scores),
    )
