"""Loaded wording the learned model finds in one outlet's sentence, set against the word the
aligned sentence of another outlet uses in the same place.

Two aligned sentences (one fact) hold the same words around one slot, and one outlet fills it
with a word the BABE-learned model (compare/loaded_model.py) marks as loaded at a strict
threshold while the other fills it with a word the model finds neutral: "The senator slammed
the harbour tax" / "The senator criticized the harbour tax". A finding needs all of:
- the loaded word at MODEL_MIN_PROBABILITY or above, used as loaded wording (not adjectival
  "alleged", not a descriptive compound: ``loaded.is_loaded_use``), and not a function word;
- the other outlet never uses a word of its stem anywhere in its article (a term both use is
  no difference);
- in the other sentence, a word below the model's own threshold in the same slot: the words
  right before and after it are those around the loaded one, MIN_SHARED_CONTEXT content words
  in all, and neither word occurs in the other sentence;
when several words of the other sentence qualify, the one with the longest shared context. A
loaded modifier one outlet adds before a word both use ("the senator's shameful vote" / "the
senator's vote") is set against that bare word.
(The words' contextual MiniLM vectors do not tell a same-role filler: in our test sentences
"blasted"/"criticized" are at cosine 0.37, "mob"/"town" at 0.39, so no cosine floor is used.)
The referent is the shared context ("The senator … the harbour tax"); both spans are cited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from storyline.compare.loaded import FUNCTION_WORDS, WORD, is_loaded_use, stem

# Word precision on BABE's held-out folds at this probability: 0.747 (955 words marked of 3,898
# annotated, recall 0.183); at the shipped 0.25: 0.529, at 0.8: 0.785, at 0.9: 0.843
# (benchmarks/loaded_precision.py, 5 folds, seed 13). A finding asks more than the word (a
# neutral word in the same slot of an aligned sentence); its own precision is unmeasured.
MODEL_MIN_PROBABILITY = 0.7
# Two aligned sentences are sent through MiniLM only when one holds a word, set against a slot
# of the other (``may_contrast``), whose stem annotators marked in at least this share of the
# BABE sentences holding it; the other sentence only when that word then reaches
# MODEL_MIN_PROBABILITY. Of the 956 held-out BABE words at MODEL_MIN_PROBABILITY, 794 pass
# (0.831; 813 at 0.05-0.2, 801 at 0.4: the rest are stems never marked in the fitting folds),
# and 0.5 sends fewer sentences through the model (benchmarks/loaded_precision.py).
PREFILTER_SHARE = 0.5
# Content words (no function words) right around the slot that both sentences share, either
# side: "The senator … the new harbour tax" has 4. The NewsWCL50 run anchored 'racketeering' /
# 'defendant' on "as a" alone (two function words), and "Trump …" alone names no one act.
MIN_SHARED_CONTEXT = 2
# The finding's confidence: the BABE precision of its threshold, times the link's score.
MODEL_PRECISION = 0.747

ScoredWord = tuple[str, int, int, float]  # lower-case word, start, end (in the text), p


class WordScorer(Protocol):
    """Scores the words of sentences: (word, start, end, probability) and their vectors."""

    def score(self, texts: Sequence[str]) -> list[tuple[list[ScoredWord], np.ndarray]]: ...

    def flagged(self, word_stem: str) -> bool: ...

    @property
    def neutral_below(self) -> float: ...


@dataclass(frozen=True)
class Contrast:
    """One outlet's loaded word against another's neutral word in the same slot."""

    loaded: ScoredWord
    neutral: ScoredWord
    context: str  # "The senator … the harbour tax"


class ModelScorer:
    """The shipped word model over MiniLM word vectors (loads MiniLM once per process)."""

    def __init__(self) -> None:
        from storyline.compare.loaded_model import load_model, word_vectors

        self.model = load_model()
        self.vectors = word_vectors()
        self._flagged = frozenset(
            k for k, n in self.model.priors.seen.items()
            if n and self.model.priors.marked.get(k, 0) / n >= PREFILTER_SHARE
        )

    @property
    def neutral_below(self) -> float:
        return self.model.threshold

    def flagged(self, word_stem: str) -> bool:
        """Whether the model may mark a word of this stem at the strict threshold."""
        return word_stem in self._flagged

    def score(self, texts: Sequence[str]) -> list[tuple[list[ScoredWord], np.ndarray]]:
        out = []
        for words, vecs in self.vectors.encode(texts):
            probs = self.model.probabilities(vecs, words) if words else np.zeros(0)
            out.append(([(w, s, e, float(p)) for (w, s, e), p in zip(words, probs, strict=True)],
                        vecs))
        return out


@cache
def model_scorer() -> ModelScorer:
    """One scorer per process."""
    return ModelScorer()


def _content(words: list[str]) -> int:
    """How many of the words are no function words."""
    return sum(w not in FUNCTION_WORDS for w in words)


def _shared_run(a: list[str], i: int, b: list[str], j: int, step: int) -> list[str]:
    """The words both lists hold next to positions i and j, walking by ``step``."""
    run = []
    x, y = i + step, j + step
    while 0 <= x < len(a) and 0 <= y < len(b) and a[x] == b[y]:
        run.append(a[x])
        x, y = x + step, y + step
    return run[::-1] if step < 0 else run


def contrasts(text_a: str, scored_a: tuple[list[ScoredWord], np.ndarray],
              text_b: str, scored_b: tuple[list[ScoredWord], np.ndarray],
              stems_b_article: frozenset[str], neutral_below: float) -> list[Contrast]:
    """The loaded words of sentence A with their neutral counterpart in aligned sentence B."""
    return _pairs(text_a, scored_a[0], scored_b[0], stems_b_article,
                  lambda word: word[3] >= MODEL_MIN_PROBABILITY,
                  lambda word: word[3] < neutral_below)


def plain_words(text: str) -> list[ScoredWord]:
    """The words of a text, unscored."""
    return [(m.group(0).lower(), m.start(), m.end(), 0.0) for m in WORD.finditer(text)]


def may_contrast(text_a: str, text_b: str, stems_b_article: frozenset[str],
                 flagged: Callable[[str], bool]) -> bool:
    """Whether sentence A holds a word with a ``flagged`` stem that a slot of sentence B could
    be set against, before any word is scored (so only such pairs go through MiniLM)."""
    return bool(_pairs(text_a, plain_words(text_a), plain_words(text_b), stems_b_article,
                       lambda word: flagged(stem(word[0])), lambda word: True))


def _pairs(text_a: str, words_a: list[ScoredWord], words_b: list[ScoredWord],
           stems_b_article: frozenset[str], loaded_ok: Callable[[ScoredWord], bool],
           neutral_ok: Callable[[ScoredWord], bool]) -> list[Contrast]:
    low_a = [w for w, _, _, _ in words_a]
    low_b = [w for w, _, _, _ in words_b]
    set_a, set_b = set(low_a), set(low_b)
    out = []
    for i, (w, s, e, p) in enumerate(words_a):
        if (not loaded_ok(words_a[i]) or w in FUNCTION_WORDS or w in set_b
                or stem(w) in stems_b_article or not is_loaded_use(text_a, s, e)):
            continue
        best = None
        for j, (v, _, _, _) in enumerate(words_b):
            if (not neutral_ok(words_b[j]) or v in set_a or v in FUNCTION_WORDS
                    or stem(v) == stem(w)):
                continue
            left = _shared_run(low_a, i, low_b, j, -1)
            right = _shared_run(low_a, i, low_b, j, 1)
            anchored = _content(left) + _content(right) >= MIN_SHARED_CONTEXT
            if anchored and (best is None or len(left) + len(right) > best[0]):
                best = (len(left) + len(right), j, left, right)
        if best is None:
            found = _inserted(text_a, words_a, i, low_a, low_b, neutral_ok, words_b)
            if found is not None:
                out.append(found)
            continue
        if best is not None:
            _, j, left, right = best
            first = words_a[i - len(left)][1] if left else s
            last = words_a[i + len(right)][2] if right else e
            context = f"{text_a[first:s]}…{text_a[e:last]}".strip()
            out.append(Contrast((w, s, e, p), words_b[j], context))
    return out


def _inserted(text_a: str, words_a: list[ScoredWord], i: int, low_a: list[str],
              low_b: list[str], neutral_ok: Callable[[ScoredWord], bool],
              words_b: list[ScoredWord]) -> Contrast | None:
    """"the senator's shameful vote" / "the senator's vote": a loaded modifier one outlet adds
    before a word both use; the terms are the modified phrase and the bare word."""
    if i + 1 >= len(low_a) or low_a[i + 1] in FUNCTION_WORDS:
        return None
    for j, v in enumerate(low_b):
        if v != low_a[i + 1] or not neutral_ok(words_b[j]):
            continue
        left = _shared_run(low_a, i, low_b, j, -1) if j > 0 else []
        if j > 0 and low_a[i - 1 : i] != low_b[j - 1 : j]:
            continue
        right = [v, *_shared_run(low_a, i + 1, low_b, j, 1)]
        if not left and not (i == 0 and j == 0):
            continue
        # The word both use is context too; the other shared words must add more.
        if _content(left) + _content(right) < MIN_SHARED_CONTEXT + 1:
            continue
        w, s, _, p = words_a[i]
        e = words_a[i + 1][2]
        first = words_a[i - len(left)][1] if left else s
        last = words_a[i + len(right)][2]
        context = f"{text_a[first:s]}…{text_a[words_a[i][2]:last]}".strip()
        return Contrast((text_a[s:e].lower(), s, e, p), words_b[j], context)
    return None


def article_stems(text: str) -> frozenset[str]:
    """The stems of every word of an article."""
    return frozenset(stem(m.group(0).lower()) for m in WORD.finditer(text))
