"""A learned loaded-word tagger: MiniLM word vectors and the BABE lexicon share, scored by LR.

Each word (``loaded.WORD``) of a sentence gets the mean of the packaged all-MiniLM-L6-v2's last
hidden states over its word pieces (the word in its context, L2-normalised) and five lexical
features: the share of BABE sentences holding its stem in which annotators marked it, whether
the stem was seen, how often (capped), whether it is a function word or has no letter. A
logistic regression over these gives the probability that annotators would mark the word; a
sentence is biased when one of its words reaches the threshold. The weights, the threshold and
the stem counts are ``compare/lexicon/loaded_model.json``, written by
``benchmarks/fit_loaded_model.py`` on BABE (AGPL-3.0 data: the file holds weights and word
counts only, no sentence) with its nested cross-validated figures.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.compare.loaded import FUNCTION_WORDS, WORD, is_loaded_use, stem
from storyline.errors import ModelLoadError

DIM = 384  # all-MiniLM-L6-v2's hidden size
LEXICAL = 5  # lexical features after the vector (see lexical())
# The word count of a stem is capped here before scaling to [0, 1]: past 20 BABE sentences
# a stem's share is as reliable as it gets.
SEEN_CAP = 20
# The model's own limit (sentence_bert_config.json); BABE's longest sentence is far below it.
MAX_PIECES = 256
BATCH = 32

Word = tuple[str, int, int]  # lower-case word, start, end


@dataclass(frozen=True)
class Priors:
    """Per stem: BABE sentences in which it was marked, sentences holding it."""

    marked: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)


def lexical(word: str, priors: Priors, own: frozenset[str] | None = None) -> list[float]:
    """The five lexical features; ``own`` (the stems marked in this very sentence, when it is
    one the counts were taken from) takes the sentence out of the counts."""
    k = stem(word)
    seen = priors.seen.get(k, 0) - (own is not None)
    marked = priors.marked.get(k, 0) - (own is not None and k in own)
    share = marked / seen if seen > 0 else 0.0
    return [share, float(seen > 0), min(seen, SEEN_CAP) / SEEN_CAP,
            float(word in FUNCTION_WORDS), float(not any(c.isalpha() for c in word))]


def marked_stems(words: Sequence[Word], gold: frozenset[str]) -> frozenset[str]:
    """The stems of a sentence's words that annotators marked."""
    return frozenset(stem(w) for w, _, _ in words if w in gold and w not in FUNCTION_WORDS)


def count_priors(examples: Iterable[tuple[Sequence[Word], frozenset[str]]]) -> Priors:
    """Stem counts over (words of a sentence, words marked in it)."""
    marked: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for words, gold in examples:
        seen.update({stem(w) for w, _, _ in words})
        marked.update(marked_stems(words, gold))
    return Priors(dict(marked), dict(seen))


def feature_rows(vectors: np.ndarray, words: Sequence[Word], priors: Priors,
                 own: frozenset[str] | None = None) -> np.ndarray:
    """One row per word: its normalised vector, then its lexical features."""
    if not words:
        return np.zeros((0, DIM + LEXICAL), np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    lex = np.array([lexical(w, priors, own) for w, _, _ in words], np.float32)
    return np.hstack([vectors / np.maximum(norms, 1e-6), lex]).astype(np.float32)


@dataclass(frozen=True)
class WordModel:
    """The fitted logistic regression and the stem counts it reads."""

    weights: np.ndarray  # DIM + LEXICAL
    bias: float
    threshold: float
    priors: Priors

    def probabilities(self, vectors: np.ndarray, words: Sequence[Word]) -> np.ndarray:
        """The probability that each word is marked as loaded."""
        z = feature_rows(vectors, words, self.priors) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def loaded(self, text: str, vectors: np.ndarray, words: Sequence[Word],
               rules: bool = True) -> set[str]:
        """The words at or above the threshold; with ``rules``, not adjectival "alleged" or a
        descriptive compound ("riot helmets", see ``loaded.is_loaded_use``)."""
        return {w for (w, s, e), p in zip(words, self.probabilities(vectors, words), strict=True)
                if p >= self.threshold and (not rules or is_loaded_use(text, s, e))}


def fit_model(rows: Sequence[np.ndarray], labels: Sequence[Sequence[bool]], priors: Priors,
              threshold: float, c: float = 1.0) -> WordModel:
    """A logistic regression over per-sentence feature rows and word labels."""
    from sklearn.linear_model import LogisticRegression

    y = np.array([v for lab in labels for v in lab], dtype=bool)
    if len(set(y.tolist())) < 2:
        # Nothing (or everything) marked: no regression to fit; the constant answer.
        return WordModel(np.zeros(DIM + LEXICAL, np.float32), 30.0 if y.any() else -30.0,
                         threshold, priors)
    x = np.vstack([r for r in rows if len(r)])
    lr = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    return WordModel(lr.coef_[0].astype(np.float32), float(lr.intercept_[0]), threshold, priors)


def fit_sentences(examples: Sequence[tuple[Sequence[Word], np.ndarray, frozenset[str]]],
                  threshold: float, c: float = 1.0) -> WordModel:
    """The model fitted on (words, their vectors, words marked) per sentence; each sentence's
    own marks are left out of its lexical features, as they will be for unseen text."""
    priors = count_priors((words, gold) for words, _, gold in examples)
    rows = [feature_rows(v, words, priors, marked_stems(words, gold))
            for words, v, gold in examples]
    labels = [[w in gold for w, _, _ in words] for words, _, gold in examples]
    return fit_model(rows, labels, priors, threshold, c)


def to_data(model: WordModel) -> dict:
    """The model as plain data (weights named, so the file reads as a table)."""
    names = [f"minilm_{i}" for i in range(DIM)] + [
        "stem_share", "stem_seen", "stem_count", "function_word", "no_letter"]
    return {
        "threshold": model.threshold, "bias": round(model.bias, 5),
        "weights": {n: round(float(w), 5) for n, w in zip(names, model.weights, strict=True)},
        "stems": {k: [model.priors.marked.get(k, 0), n] for k, n in sorted(
            model.priors.seen.items())},
    }


def from_data(data: dict) -> WordModel:
    """The model a ``to_data`` dict describes."""
    w = data["weights"]
    names = [f"minilm_{i}" for i in range(DIM)] + [
        "stem_share", "stem_seen", "stem_count", "function_word", "no_letter"]
    stems = data["stems"]
    priors = Priors({k: m for k, (m, _) in stems.items() if m}, {k: n for k, (_, n) in
                                                                  stems.items()})
    return WordModel(np.array([w[n] for n in names], np.float32), float(data["bias"]),
                     float(data["threshold"]), priors)


@cache
def load_model() -> WordModel:
    """The shipped model (compare/lexicon/loaded_model.json)."""
    text = resources.files("storyline.compare").joinpath("lexicon/loaded_model.json")
    return from_data(json.loads(text.read_text("utf-8")))


class WordVectors:
    """MiniLM's last hidden states averaged over each word's pieces, per sentence."""

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        from storyline.nlp.embeddings import get_embedder, model_dir

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # The pipeline's own MiniLM (OpenVINO f32, the fp32 reference where that is missing):
        # the same last hidden states (cosine vs fp32 >= 0.9999999), loaded once per process,
        # and 1 thread instead of torch's pool fighting the other core: the compare step on
        # NewsWCL50's events took 0.25-0.9 s -> 0.5-3.5 s with a torch copy of the model.
        try:
            self.hidden = get_embedder("minilm-fast")._hidden  # type: ignore[attr-defined]
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load the sentence model: {exc}") from None
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_PIECES)

    def encode(self, texts: Sequence[str]) -> list[tuple[list[Word], np.ndarray]]:
        """Per text: its words and a [words, DIM] array of their vectors."""
        encodings = self.tokenizer.encode_batch(list(texts))
        hidden: list[Any] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for k in range(0, len(order), BATCH):
            rows = order[k : k + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for r, i in enumerate(rows):
                ids[r, : len(encodings[i].ids)] = encodings[i].ids
                mask[r, : len(encodings[i].ids)] = 1
            out = self.hidden(ids, mask)
            for r, i in enumerate(rows):
                hidden[i] = np.asarray(out[r, : len(encodings[i].ids)])
        result = []
        for text, enc, h in zip(texts, encodings, hidden, strict=True):
            words, vecs = [], []
            for m in WORD.finditer(text):
                pieces = [j for j, (a, b) in enumerate(enc.offsets)
                          if b > a and a < m.end() and m.start() < b]
                if pieces:
                    words.append((m.group(0).lower(), m.start(), m.end()))
                    vecs.append(h[pieces].mean(axis=0))
            result.append((words, np.array(vecs, np.float32).reshape(len(vecs), DIM)))
        return result


@cache
def word_vectors() -> WordVectors:
    """One loaded MiniLM per process."""
    return WordVectors()
