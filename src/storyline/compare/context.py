"""What every comparison stage shares: the analysed articles, their labels, and evidence spans."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from storyline.model import AnalyzedArticle, Evidence
from storyline.nlp.attributions import KNOWN_MEDIA, MEDIA_WORDS
from storyline.nlp.names import fold

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

# A word is the story's own when this share of its articles use it, and at least this many
# (with two or three articles every shared word would be "common").
COMMON_SHARE = 0.5
COMMON_MIN_ARTICLES = 3


def content_words(text: str) -> set[str]:
    """Lower-cased content words with a crude plural/tense strip, for overlap measures."""
    words = set()
    for w in _WORD.findall(text.lower()):
        w = w.strip("'’-")
        if not w or w in STOPWORDS:
            continue
        for suffix in ("ments", "ment", "ing", "ed", "es", "s"):
            if len(w) > len(suffix) + 3 and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
        if len(w) > 4 and w.endswith("e"):
            w = w[:-1]  # "involvement", "involved", "involve": one stem, "involv"
        words.add(w)
    return words


# Words that name a government body or institution, not a medium, unless a medium's word
# says otherwise ("press service", "news agency"): "Federal Security Service", "the Office for
# the Coordination of Humanitarian Affairs", "the Interior Ministry".
BODY = re.compile(
    r"\b(?:(?<!news\s)(?<!press\s)(?<!wire\s)(?<!information\s)(?:service|agency)|office|"
    r"ministry|department|police|army|military|council|commission|committee|government|"
    r"authority|authorities|organi[sz]ation|united\s+nations|embassy|court|parliament)\b",
    re.IGNORECASE,
)
_BODY_TOO = frozenset({"service", "agency"})  # media words only after "news", "press", ...
_PRESS_BODY = re.compile(r"\b(?:news|press|wire|information)\s+(?:service|agency)\b")
# Named entity labels that are never media: "according to the US", "Iraqi officials".
_NOT_MEDIA = frozenset({"GPE", "NORP", "PERSON", "LOC"})
# Cues that credit a publication ("quoted by X", "X reported", "told X").
_MEDIA_CUES = frozenset({"quoted by", "reported", "report by", "told", "in an interview with"})
# Two texts sharing this share of their word 5-grams (of the shorter) are copies of one story:
# syndicated copies keep 80-100 % (outlets trim or add a line); independent reports of one
# event share well under 10 % (names and set phrases only).
COPY_OVERLAP = 0.5
SHINGLE_WORDS = 5


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    n = SHINGLE_WORDS
    return {hash(tuple(words[k : k + n])) for k in range(len(words) - n + 1)}


def _overlap(a: set[int], b: set[int]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass
class Context:
    """The articles of one comparison with unique outlet labels."""

    analyses: list[AnalyzedArticle]
    labels: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # per-comparison memo (pair scores, values)
    # (article, mention start) -> merged entity id, set once entities are merged
    of_mention: dict[tuple[int, int], str] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)  # copy id -> original id (store)
    entity_labels: dict[str, str] = field(default_factory=dict)  # merged entity id -> label

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

    def entity_of(self, i: int, start: int, end: int) -> str:
        """The merged entity a span of article ``i`` names ("" when it names none)."""
        for m in self.analyses[i].mentions:
            if m.start < end and start < m.end and (i, m.start) in self.of_mention:
                return self.of_mention[(i, m.start)]
        return ""

    @cached_property
    def outlet_keys(self) -> frozenset[str]:
        """Folded outlet names and host stems ("aljazeera.com" -> "aljazeera")."""
        return frozenset().union(*(self.own_keys(i) for i in range(len(self.analyses))))

    def own_keys(self, i: int) -> frozenset[str]:
        """Article ``i``'s own outlet, folded: its name and host stem."""
        keys = set()
        for name in (self.labels[i], self.analyses[i].article.outlet):
            if name:
                keys.add(fold(name))
                keys.add(fold(name.removeprefix("www.").split(".")[0]))
        return frozenset(k for k in keys if k)

    def is_own_outlet(self, i: int, name: str) -> bool:
        """Whether ``name`` is article ``i``'s own outlet, spaces aside ("USA TODAY" in
        usatoday.com)."""
        return fold(name).replace(" ", "") in {k.replace(" ", "") for k in self.own_keys(i)}

    def is_medium(self, i: int, name: str) -> bool:
        """Whether an attribution of article ``i`` credits a medium (agency, channel, site)
        rather than a government, institution or person ("according to the US")."""
        a = self.analyses[i]
        for r in a.attributions:
            if r.source != name:
                continue
            if name.lower().removeprefix("the ") in KNOWN_MEDIA or fold(name) in self.outlet_keys:
                return True
            if BODY.search(name) and name.lower().split()[0] not in KNOWN_MEDIA:
                return False  # "Russia's Federal Security Service", not "Anadolu Agency"
            phrase = _PRESS_BODY.sub("news", a.text[r.start : r.end].lower())
            if any(w in MEDIA_WORDS - _BODY_TOO for w in _WORD.findall(phrase)):
                return True
            if any(m.start <= r.source_start and r.source_end <= m.end and m.label in _NOT_MEDIA
                   for m in a.mentions):
                return False  # the whole name is a place, a people or a person
            if r.cue in _MEDIA_CUES:
                return True
        return False

    @cached_property
    def media_names(self) -> tuple[str, ...]:
        """Every upstream medium credited anywhere in the story."""
        names = {r.source for i, a in enumerate(self.analyses) for r in a.attributions
                 if self.is_medium(i, r.source)}
        return tuple(sorted(names))

    @cached_property
    def families(self) -> list[int]:
        """Per article, the index of its syndication family's first article: copies of one
        text (an agency story carried by several outlets) count as one independent report."""
        # Page clutter ("Share this article on Facebook") is shared by unrelated pages.
        shingles = [
            _shingles(" ".join(a.sentence_text(s.index) for s in a.sentences if not s.boilerplate))
            for a in self.analyses
        ]
        index = {a.article.id: k for k, a in enumerate(self.analyses)}
        family = list(range(len(self.analyses)))
        for j, a in enumerate(self.analyses):
            known = index.get(self.copies.get(a.article.id, ""))
            if known is not None:
                family[j] = family[known]
                continue
            for i in range(j):
                if family[i] == i and _overlap(shingles[i], shingles[j]) >= COPY_OVERLAP:
                    family[j] = i
                    break
        return family

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
    def common_words(self) -> frozenset[str]:
        """Content words that most of the story's articles use (the event's own words:
        "plane", "crash", the victim's name), at least COMMON_MIN_ARTICLES of them."""
        counts: Counter[str] = Counter()
        for words in self.sentence_words:
            counts.update(set().union(*words) if words else set())
        floor = max(COMMON_MIN_ARTICLES, math.ceil(COMMON_SHARE * len(self.analyses)))
        return frozenset(w for w, n in counts.items() if n >= floor)

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
