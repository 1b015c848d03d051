"""The documented term lexicons (compare/lexicon/*.json) and whole-word matching of them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class TermClass:
    name: str
    what: str  # the referent or slot the terms describe
    terms: tuple[str, ...]
    loaded: frozenset[str]  # the subset of terms that add a judgement (wording lexicon only)
    pattern: re.Pattern
    # Characterisations: terms of one sense say the same thing ("deal" / "agreement"), so only
    # terms of different senses disagree. Each term maps to its sense's first term.
    sense: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # Classes of how something happened ("shot down", "suicide bombers"): a plural term names
    # no other referent than a singular one, as it does for things ("the agreement" / "22
    # memorandums of understanding").
    number_blind: bool = False
    # Pairs of senses that do not exclude each other: one a kind of the other (an airstrike
    # and a drone strike) or stages one thing passes through (arrested, then charged).
    compatible: frozenset[frozenset[str]] = frozenset()

    def agree(self, a: str, b: str) -> bool:
        """Whether senses ``a`` and ``b`` (first terms) can both be true of one referent."""
        return a == b or frozenset((a, b)) in self.compatible


@dataclass(frozen=True)
class TermHit:
    cls: str
    term: str  # the lexicon term (lower case)
    start: int
    end: int


def _compile(terms: list[str]) -> re.Pattern:
    # Longest first so "non-binding motion" wins over "motion" at the same place.
    alts = sorted({t.lower() for t in terms}, key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"[\s-]+") for t in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@cache
def load(kind: str) -> tuple[TermClass, ...]:
    """Load the ``wording`` or ``characterisations`` lexicon."""
    data = json.loads(
        resources.files("storyline.compare")
        .joinpath(f"lexicon/{kind}.json")
        .read_text(encoding="utf-8")
    )
    classes = []
    for name, entry in data.items():
        if name.startswith("_"):
            continue
        sense: dict[str, str] = {}
        if "terms" in entry:
            terms, loaded = [], []
            for item in entry["terms"]:  # a term, or a list of terms of one sense
                group = [item] if isinstance(item, str) else item
                terms += group
                sense.update({t.lower(): group[0].lower() for t in group})
        else:
            terms, loaded = entry["neutral"] + entry["loaded"], entry["loaded"]
        classes.append(
            TermClass(
                name=name,
                what=entry.get("what") or entry.get("referent", name),
                terms=tuple(t.lower() for t in terms),
                loaded=frozenset(t.lower() for t in loaded),
                pattern=_compile(terms),
                sense=sense,
                number_blind=entry.get("number_blind", False),
                compatible=frozenset(frozenset(p) for p in entry.get("compatible", ())),
            )
        )
    return tuple(classes)


def term_class(name: str, what: str, neutral: list[str], loaded: list[str]) -> TermClass:
    """A wording class built in code (the BABE-learned pairs of compare/loaded.py)."""
    terms = neutral + loaded
    return TermClass(
        name=name,
        what=what,
        terms=tuple(t.lower() for t in terms),
        loaded=frozenset(t.lower() for t in loaded),
        pattern=_compile(terms),
    )


def find_terms(text: str, classes: tuple[TermClass, ...], offset: int = 0) -> list[TermHit]:
    """Every lexicon term in ``text`` (offsets shifted by ``offset``)."""
    hits = []
    for cls in classes:
        for m in cls.pattern.finditer(text):
            term = re.sub(r"[\s-]+", " ", m.group(0).lower())
            term = next((t for t in cls.terms if re.sub(r"[\s-]+", " ", t) == term), term)
            hits.append(TermHit(cls.name, term, offset + m.start(), offset + m.end()))
    return hits


def by_name(classes: tuple[TermClass, ...]) -> dict[str, TermClass]:
    return {c.name: c for c in classes}
