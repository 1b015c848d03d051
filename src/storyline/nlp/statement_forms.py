"""Statements without a verb cue: "NAME: ..." lines (colon, headline) and signed quotations.

"Pat Caddell: Democrat Voters Worried..." (a headline), '"PENCE: And that's why...' (a
transcript line), '"...taxes." - Sanders.' (a quotation signed with a dash). The extractor in
``statements`` adds these after the cue-led statements; their confidence is their precision on
PolNeAR train.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from storyline.model import Statement
from storyline.nlp.attributions import is_media

VERBAL = {"VERB", "AUX"}
OPENING, CLOSING = "“\"‘'", "”\"’'"
# The longest "NAME:" before a colon statement, in tokens ("Sen. Bernie Sanders (I-VT)").
MAX_COLON_SOURCE = 6
# Confidence of the verbless forms, their precision as relations on PolNeAR train (the
# classifier does not judge them): 69 of 90 headlines, 18 of 33 body lines (with one-word
# speaker labels, speaker_label; without them 42 of 48 and 14 of 25), 7 of 9 signed quotations.
HEADLINE_CONFIDENCE = 0.767
COLON_CONFIDENCE = 0.545
SIGNED_CONFIDENCE = 0.778
# A dash and a capitalised name closing a quotation's line, up to a comma, bracket or the end.
_SIGNATURE = re.compile(
    r"[ \t\xa0]*(?:\n[ \t\xa0]*){0,2}(?P<dash>[―—–]|-{1,2})[ \t\xa0]*"
    r"(?P<name>[A-Z][\w.'’-]*(?:[ \xa0][A-Z][\w.'’-]*){0,4})[ \t\xa0.]*(?:[,(]|\n|$)"
)
# Who may stand before a colon: a place there is a dateline ("WASHINGTON: ..."), not a source.
_COLON_SOURCES = {"PERSON", "ORG", "NORP"}
_NOT_SPEAKERS = {"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "EVENT"}


def colon_statements(doc: Any, text: str, seen: set[tuple[int, int]]) -> list[Statement]:
    """"Pat Caddell: Democrat Voters Worried..." — a short name, a colon, what it says."""
    out = []
    offset = 0
    for n, line in enumerate(text.split("\n")):
        start, offset = offset, offset + len(line) + 1
        head, sep, rest = line.partition(": ")
        if not sep or not rest.strip() or not head.strip():
            continue
        span = doc.char_span(start, start + len(head), alignment_mode="contract")
        # A transcript line may open a quotation ('"WALLACE: ...'): the mark is no name.
        while span is not None and len(span) > 1 and span[0].text in OPENING:
            span = span[1:]
        if span is None or not 0 < len(span) <= MAX_COLON_SOURCE:
            continue
        if any(t.pos_ in VERBAL for t in span) or not all(
            t.text[:1].isupper() or t.is_punct or t.lower_ in {"of", "the", "and", "de"}
            for t in span
        ) or not (any(t.ent_type_ in _COLON_SOURCES for t in span)
                  or speaker_label(span, headline=n == 0)):
            continue
        s0, s1 = span.start_char, span.end_char
        if (s0, start + len(head)) in seen:
            continue
        c0 = start + len(head) + 2
        c1 = start + len(line.rstrip())
        role = "medium" if is_media(list(span), span.text) else "person"
        out.append(Statement(
            s0, c1, span.text, s0, s1, span.text, s0, s1, ":", start + len(head),
            start + len(head) + 1, c0, c1, "headline" if n == 0 else "colon", role, "", -1, -1,
            -1, HEADLINE_CONFIDENCE if n == 0 else COLON_CONFIDENCE,
        ))
    return out


def signed_quotes(doc: Any, text: str, regions: Sequence[tuple[int, int]],
                   used: set[tuple[int, int]]) -> list[Statement]:
    """'“...” ― Pamela Padilla', '..."\n\n- Sanders.': a quotation signed with a dash and a
    name on the rest of the line (a reader's quote, a tweet, a debate fact-check)."""
    out = []
    for region in regions:
        m = _SIGNATURE.match(text, region[1])
        if region in used or m is None:
            continue
        s0, s1 = m.span("name")
        s1 -= text[s0:s1].endswith(".")  # the full stop closing the line, not an initial
        span = doc.char_span(s0, s1, alignment_mode="contract")
        if span is None or not 0 < len(span) <= MAX_COLON_SOURCE or any(
                t.pos_ in VERBAL for t in span):
            continue
        name = text[s0:s1]
        d0, d1 = m.span("dash")
        out.append(Statement(
            region[0], s1, name, s0, s1, name, s0, s1, text[d0:d1], d0, d1, *region, "direct",
            "medium" if is_media(list(span), name) else "person", "", -1, -1, -1,
            SIGNED_CONFIDENCE,
        ))
    return out


def speaker_label(span: Any, headline: bool) -> bool:
    """A one-word label the tagger gave no entity: "PENCE:" opening a transcript line, or
    "Poll:" / "Politifact:" opening a headline; never a place or a date ("WASHINGTON:")."""
    if len(span) != 1 or span[0].ent_type_ in _NOT_SPEAKERS or not span[0].is_alpha:
        return False
    word = span[0].text
    return (word.isupper() and len(word) > 1) or (headline and word[:1].isupper())
