"""The comparable value one sentence gives to a disputed question (shared by every check)."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.compare.context import Context


@dataclass(frozen=True)
class Value:
    """One sentence's answer to a question: its span, its comparable form and its bounds."""

    article: int
    sentence: int
    start: int
    end: int
    text: str  # as written
    normalized: str  # the comparable form shown to the reader
    slot: str  # the question it answers, within its kind
    low: float = 0.0  # numbers and clock minutes: the interval the text commits to
    high: float = 0.0
    key: str = ""  # names: the merged entity (or folded name) it refers to
    # quotes: their content words; denials: what is denied; amounts: their sentence's words
    words: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # amounts: the places their sentence names


def in_sentence(items, sentence: int) -> list:
    """The annotations of one sentence."""
    return [x for x in items if x.sentence == sentence]


def value(ctx: Context, i: int, si: int, start: int, end: int, norm: str, slot: str, **kw):
    """A value whose text is the span it rests on."""
    return Value(i, si, start, end, ctx.analyses[i].text[start:end], norm, slot, **kw)
