"""Loaded words learned from BABE (compare/lexicon/loaded.json) and where a text uses them.

The resource lists single words that BABE's annotators marked as biased in a large share of the
sentences holding them (benchmarks/fit_loaded_wording.py writes it; its header gives the
provenance and the cross-validated figures). Two readings are never loaded speech or loaded
naming, whatever the word: a speech verb used as an adjective ("the alleged attacker",
"claimed victory") and a loaded noun used as the modifier of a descriptive compound ("police
officers in riot helmets", "the Terrorism Act").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storyline.compare import lexicon

# A word as BABE's annotators mark it: letters and digits, inner hyphens and apostrophes.
WORD = re.compile(r"\w[\w'’-]*")

# Speech verbs whose judgement lies in the verb ("claimed", "alleged", "admitted"): as a
# participle after a determiner or possessive they are adjectives ("the alleged attacker").
SPEECH_VERBS = frozenset(
    """alleged claimed claiming claims claim admitted conceded boasted boasting insisted
    insisting confessed bragged bragging touted touting slammed blasted""".split()
)
_DETERMINERS = frozenset(
    """the a an his her its their our your my this that these those any some of 's""".split()
)
# After a speech verb these words (directly or after a determiner) begin no reported content:
# "claimed responsibility", "claimed the attack", "claimed the lives of" - the verb names an
# act, not a statement.
_NOT_SPEECH_NEXT = frozenset(
    """responsibility credit victory lives life ownership title seat seats abuse misconduct
    fraud crimes crime victims victim attacker attackers perpetrator perpetrators plot role
    links ties affair scheme attack attacks bombing bombings killing killings""".split()
)
# "alleged"/"admitted" directly before a lower-case word other than these is an adjective
# ("into alleged collusion", "an admitted killer"); as a verb it takes a clause or an object.
_PARTICIPLE_ADJECTIVES = frozenset({"alleged", "admitted"})
_VERB_FOLLOWERS = frozenset(
    """that the a an he she they it we i his her their its this these those to in on at
    before after without as from by there""".split()
)
# Fixed phrases in which a loaded word is literal or technical: "invasion of privacy", "the
# inspection regime", "sanctions regime" (AP Stylebook: regime = a system of rules as well).
FIXED_PHRASES = re.compile(
    r"\binvasion of privacy\b|\bprivacy invasions?\b|"
    r"\b(?:inspection|inspections|sanctions|tax|visa|trade|verification|safeguards|monitoring|"
    r"regulatory|legal|treatment|training|exchange|"
    r"nonproliferation|non-proliferation) regimes?\b",
    re.IGNORECASE,
)
# Nouns that make the word before them a descriptive modifier: "riot helmets", "riot police",
# "terror attack" is still loaded, but "riot gear" names equipment (AP Stylebook: riot gear).
DESCRIPTIVE_HEADS = frozenset(
    """gear helmet helmets shield shields police squad squads unit units control act acts law
    laws gun guns van vans equipment uniform uniforms""".split()
)


# Inflections folded together so a word marked as "slammed" also finds "slams" and "slamming".
# Measured on BABE under 5-fold CV (benchmarks/fit_loaded_wording.py): word F1 0.401 keyed by
# the word, 0.425 keyed by this stem.
_SUFFIXES = ("ically", "ally", "ly", "ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude stem of a lower-case word: the first listed suffix stripped from a long word."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class LoadedEntry:
    stem: str  # the key words are matched by (see stem())
    term: str  # the form annotators marked most often
    forms: tuple[str, ...]  # every form marked in BABE
    cls: str  # what kind of loaded word: a hand class ("crowd") or "label", "evaluative"...
    neutral: tuple[str, ...]  # neutral counterparts for the same referent, if any
    marked: int  # sentences of BABE in which annotators marked the word as biased
    seen: int  # sentences of BABE that hold the word


@dataclass(frozen=True)
class LoadedHit:
    term: str
    start: int
    end: int


@cache
def load_entries() -> tuple[LoadedEntry, ...]:
    """The BABE-learned loaded words shipped with the package."""
    data = json.loads(
        resources.files("storyline.compare").joinpath("lexicon/loaded.json").read_text("utf-8")
    )
    return tuple(
        LoadedEntry(
            e["stem"],
            e["term"],
            tuple(e["forms"]),
            e["class"],
            tuple(e.get("neutral") or ()),
            e["marked"],
            e["seen"],
        )
        for e in data["entries"]
    )


def words(text: str) -> Iterator[re.Match]:
    """The words of ``text`` in BABE's sense."""
    return WORD.finditer(text)


def is_loaded_use(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` is used as loaded wording, not as a modifier.

    Rules written for the issue #13 classes (adjectival speech verbs, descriptive compounds);
    the test sentences are invented, not taken from BABE.
    """
    word = text[start:end].lower()
    before = text[:start].rstrip()
    prev = before.split()[-1].lower().strip("\"“”'‘’(") if before.split() else ""
    nxt_match = WORD.search(text, end)
    gap = text[end : nxt_match.start()] if nxt_match else ""
    nxt = nxt_match.group(0).lower() if nxt_match and not gap.strip() else ""
    for m in FIXED_PHRASES.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if m.start() <= start and end <= m.end():
            return False
    if word in SPEECH_VERBS:
        # Only the participle is an adjective after a determiner: "the claims" stays a noun.
        possessive = before.endswith(("'s", "’s"))
        if word.endswith("ed") and (prev in _DETERMINERS or possessive):
            return False
        following = [w.group(0).lower() for w in WORD.finditer(text[end : end + 60])][:4]
        objects = following[1:] if following[:1] and following[0] in _DETERMINERS else following
        if objects[:3] and set(objects[:3]) & _NOT_SPEECH_NEXT:
            return False
        if (word in _PARTICIPLE_ADJECTIVES and nxt and nxt[0].islower()
                and nxt not in _VERB_FOLLOWERS):
            return False
    return nxt not in DESCRIPTIVE_HEADS


def find_loaded(
    text: str, stems: Iterable[str] | frozenset[str], offset: int = 0
) -> list[LoadedHit]:
    """Every loaded use of a word whose stem is in ``stems`` (offsets shifted by ``offset``)."""
    wanted = stems if isinstance(stems, frozenset) else frozenset(stems)
    return [
        LoadedHit(m.group(0).lower(), offset + m.start(), offset + m.end())
        for m in WORD.finditer(text)
        if stem(m.group(0).lower()) in wanted and is_loaded_use(text, m.start(), m.end())
    ]


# ----------------------------------------------------------------- learning and detectors

# A word enters the learned lexicon when annotators marked it in at least MIN_MARKED
# sentences and in at least MIN_SHARE of the sentences holding it. Chosen by nested 5-fold CV
# on BABE (benchmarks/fit_loaded_wording.py): the inner folds pick from a grid of
# {1, 2, 3} x {0.2, 0.3, 0.4, 0.5}; every outer fold picked these values.
MIN_MARKED = 1
MIN_SHARE = 0.3
# Words marked only as part of a phrase ("the", "of" in "the radical left") carry no loading.
FUNCTION_WORDS = frozenset(
    """a an the and or but of to in on at by for with from into as is are was were be been has
    have had it its they them their he she his her we our you your this that these those who
    which what not no so up out down over off about""".split()
)


def word_types(text: str) -> set[str]:
    """The lower-cased words of a sentence."""
    return {m.group(0).lower() for m in WORD.finditer(text)}


def fit_loaded(
    examples: Iterable[tuple[str, frozenset[str]]],
    min_marked: int = MIN_MARKED,
    min_share: float = MIN_SHARE,
) -> dict[str, tuple[int, int]]:
    """Loaded stems learned from (sentence, marked words): stem -> (sentences marked, seen)."""
    marked: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text, gold in examples:
        present = word_types(text)
        seen.update({stem(w) for w in present})
        marked.update({stem(w) for w in present & gold if w not in FUNCTION_WORDS})
    return {
        w: (marked[w], seen[w])
        for w in marked
        if any(c.isalpha() for c in w)
        and marked[w] >= min_marked
        and marked[w] / seen[w] >= min_share
    }


def detector(stems: Iterable[str]) -> Callable[[str], set[str]]:
    """A function marking the loaded uses of words with a stem in ``stems``."""
    wanted = frozenset(stems)
    return lambda text: {h.term for h in find_loaded(text, wanted)}


def hand_lexicon_words(text: str) -> set[str]:
    """The words of every loaded term of the hand lexicon (wording.json) in ``text``."""
    found: set[str] = set()
    for cls in lexicon.load("wording"):
        for h in lexicon.find_terms(text, (cls,)):
            if h.term in cls.loaded:
                found |= word_types(text[h.start : h.end])
    return found
