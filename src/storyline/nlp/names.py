"""Name keys and the rules that say two spellings name the same entity.

Outlets spell the same name differently: transliterations ("Ayn al-Asad" / "Ein al-Assad" /
"Ain al-Asad"), British and American spelling ("Defence" / "Defense"), doubled letters
("Qasem" / "Qassem"), and short forms ("Soleimani" for "Qasem Soleimani"). Each rule below is a
key function; two names match under the first rule whose keys are equal. ``match_rule`` names
the rule so a user can see why two spellings were merged.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from storyline.model import Mention

# Entity labels that can name the same thing under different NER labels (a city tagged GPE in
# one article and LOC or FAC in another; a military base is often FAC or ORG).
LABEL_GROUPS = {
    "PERSON": "person",
    "ORG": "org",
    "NORP": "norp",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "LAW": "law",
}

# Fuzzy matching is the last resort: only long names, only at a high ratio, so "Iran" and
# "Iraq" (ratio 75) or "Mark Esper" and "Mark Esposito" never merge.
FUZZY_MIN_RATIO = 92.0
FUZZY_MIN_LENGTH = 8

# Arabic, Hebrew and Romance articles and particles that outlets keep or drop at will.
_PARTICLES = {
    "al",
    "el",
    "al-",
    "el-",
    "ad",
    "ar",
    "as",
    "at",
    "az",
    "ash",
    "an",
    "ud",
    "bin",
    "ibn",
    "bint",
    "abu",
    "the",
}

# British -> American spellings, word-level, for names of organisations ("Defence Commission").
_SPELLING = [
    (re.compile(r"(?<=\w)isation\b"), "ization"),
    (re.compile(r"(?<=\w)ise\b"), "ize"),
    (re.compile(r"\b(defen|offen|licen|preten)ce\b"), r"\1se"),
    (re.compile(r"(?<=\w)(lab|hon|col|fav|harb|neighb|behavi|rum|vig)our\b"), r"\1or"),
    (re.compile(r"(?<=\w)(cent|met|theat|lit|fib)re\b"), r"\1er"),
    (re.compile(r"\bprogramme\b"), "program"),
]

_VOWELS = set("aeiouy")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, strip diacritics and apostrophes, unify hyphens and spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("‘", "'").replace("ʿ", "").replace("ʾ", "")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[-\s]+", " ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@functools.lru_cache(maxsize=1 << 16)
def spelling_key(name: str) -> str:
    """The folded name with British spellings mapped to American ones."""
    key = fold(name)
    for pattern, repl in _SPELLING:
        key = pattern.sub(repl, key)
    return key


def _skeleton(word: str) -> str:
    """A transliteration skeleton: q=k, vowel runs as one '*', doubled consonants single."""
    word = word.replace("q", "k").replace("ph", "f").replace("dh", "d").replace("kh", "k")
    out: list[str] = []
    for i, ch in enumerate(word):
        # 'y' before a vowel at the start of a word is a consonant (Yusuf); elsewhere a vowel.
        is_vowel = ch in _VOWELS and not (ch == "y" and i == 0 and word[1:2] in _VOWELS)
        mark = "*" if is_vowel else ch
        if out and out[-1] == mark:
            continue
        out.append(mark)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def translit_key(name: str) -> str:
    """Key equal for transliteration variants: Ayn al-Asad, Ein al-Assad, Ain al-Asad."""
    words = [w for w in spelling_key(name).split() if w not in _PARTICLES]
    return " ".join(_skeleton(w) for w in words)


def _consonants(key: str) -> int:
    return sum(1 for c in key if c.isalpha())


@functools.lru_cache(maxsize=1 << 16)
def match_rule(a: str, b: str) -> str | None:
    """The rule under which two names are the same entity, or None."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return None
    if fa == fb:
        return "exact"
    if spelling_key(a) == spelling_key(b):
        return "spelling"
    ta, tb = translit_key(a), translit_key(b)
    # A skeleton needs enough consonants to be specific: "Ali" and "Ela" must not merge.
    if ta and ta == tb and _consonants(ta) >= 3:
        return "transliteration"
    if (
        min(len(fa), len(fb)) >= FUZZY_MIN_LENGTH
        and fuzz.ratio(spelling_key(a), spelling_key(b)) >= FUZZY_MIN_RATIO
    ):
        return "fuzzy"
    return None


def is_part_of(short: str, full: str) -> bool:
    """True when ``short`` is the trailing words of ``full`` ("Soleimani" of "Qasem Soleimani")."""
    sw = [w for w in translit_key(short).split()]
    fw = [w for w in translit_key(full).split()]
    return 0 < len(sw) < len(fw) and fw[-len(sw) :] == sw


def same_kind(label_a: str, label_b: str) -> bool:
    """Two NER labels that may name the same entity."""
    return LABEL_GROUPS.get(label_a, label_a) == LABEL_GROUPS.get(label_b, label_b)


class NamesComponent:
    """Give every mention its spelling-insensitive key (``Mention.key``)."""

    name = "names"
    requires = ("mentions",)
    assigns = ("mentions",)  # the same mentions, each with its key

    def process(self, batch: Sequence) -> None:
        for work in batch:
            mentions = tuple(
                Mention(m.start, m.end, m.text, m.label, m.sentence, translit_key(m.text))
                for m in work.analysis.mentions
            )
            work.assign("names", mentions=mentions)
