"""What every comparison stage shares: the analysed articles, their labels, and evidence spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from storyline.model import AnalyzedArticle, Evidence

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")

# Function words that carry no claim content; used by lexical overlap measures.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into over after before as is are
    was were be been being has have had do does did will would could should may might must can
    this that these those it its they them their there here he she his her him we our you your
    i me my not no so than then also which who whom whose what when where while about against
    between during through under up down out off again further once only own same such too very
    s t just said says say told according earlier later however already still""".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased content words with a crude plural/tense strip, for overlap measures."""
    words = set()
    for w in _WORD.findall(text.lower()):
        w = w.strip("'’-")
        if not w or w in STOPWORDS:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(w) > len(suffix) + 3 and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
        words.add(w)
    return words


@dataclass
class Context:
    """The articles of one comparison with unique outlet labels."""

    analyses: list[AnalyzedArticle]
    labels: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # per-comparison memo (pair score matrices)

    def __post_init__(self) -> None:
        if not self.labels:
            seen: dict[str, int] = {}
            for a in self.analyses:
                base = a.article.label
                seen[base] = seen.get(base, 0) + 1
                self.labels.append(base if seen[base] == 1 else f"{base} ({seen[base]})")

    def evidence(self, i: int, start: int, end: int, sentence: int | None = None) -> Evidence:
        """Evidence for a span of article ``i``; the sentence is found when not given."""
        a = self.analyses[i]
        si = a.sentence_at(start) if sentence is None else sentence
        if si < 0:  # a span outside any sentence (whitespace): take the nearest sentence
            si = max(
                0, min(range(len(a.sentences)), key=lambda k: abs(a.sentences[k].start - start))
            )
        s = a.sentences[si]
        return Evidence(
            article_id=a.article.id,
            outlet=self.labels[i],
            sentence=si,
            start=start,
            end=end,
            text=a.text[start:end],
            sentence_start=s.start,
            sentence_end=s.end,
        )

    def sentence_evidence(self, i: int, si: int) -> Evidence:
        s = self.analyses[i].sentences[si]
        return self.evidence(i, s.start, s.end, si)

    @cached_property
    def vectors(self) -> list[np.ndarray]:
        """Per-article sentence vectors (L2-normalised rows)."""
        out = []
        for a in self.analyses:
            v = a.vectors
            if v is None or len(v) != len(a.sentences):
                raise ValueError(f"article {a.article.id} has no sentence vectors")
            out.append(np.asarray(v, dtype=np.float32))
        return out

    @cached_property
    def sentence_words(self) -> list[list[set[str]]]:
        return [
            [content_words(a.sentence_text(s.index)) for s in a.sentences] for a in self.analyses
        ]

    @cached_property
    def sentence_keys(self) -> list[list[set[str]]]:
        """Per sentence, the name keys of the entities mentioned in it."""
        out = []
        for a in self.analyses:
            keys: list[set[str]] = [set() for _ in a.sentences]
            for m in a.mentions:
                if 0 <= m.sentence < len(keys):
                    keys[m.sentence].add(m.key or m.text.lower())
            out.append(keys)
        return out

    @cached_property
    def sentence_numbers(self) -> list[list[set[tuple[float, str]]]]:
        out = []
        for a in self.analyses:
            nums: list[set[tuple[float, str]]] = [set() for _ in a.sentences]
            for q in a.quantities:
                if 0 <= q.sentence < len(nums):
                    nums[q.sentence].add((q.value, q.unit))
            out.append(nums)
        return out
