"""The ``sentences`` component: sentence spans from the parse, also cut at line breaks.

A headline or a dateline is its own line, so every newline ends a sentence: the parser would
otherwise merge a headline into the first body sentence. Sentences are trimmed of whitespace
and never empty. The parser's boundaries inside a quotation ("“A. B,” he said.") are dropped,
so a quote and its attribution stay one sentence.

Sentences of page clutter (comment forms, share prompts, copyright lines, bylines on lines of
their own: ``nlp.boilerplate``) stay in the list, so spans still index the text, but are marked
``boilerplate`` and take no part in the comparison.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence

from storyline.model import Sentence
from storyline.nlp.boilerplate import clutter_lines, is_clutter_sentence
from storyline.nlp.pipeline import Work

# A quotation longer than this is more likely an unbalanced mark than a real quote; the parser's
# boundaries inside it are kept.
MAX_QUOTE_CHARS = 600

_QUOTE_RE = re.compile(f'“[^“”\\n]{{1,{MAX_QUOTE_CHARS}}}”|"[^"\\n]{{1,{MAX_QUOTE_CHARS}}}"')
# Penn tags of finite verbs: a line with one is a sentence, not a video or link title.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})

_LINE_RE = re.compile(r"[^\n]+")
# No sentence ends at a dotted abbreviation when a lower-case word follows: "at 1:30 p.m.
# local time", "the U.S. military", "e.g. a ferry".
_DOTTED_BEFORE = re.compile(r"\b(?:[a-z]\.){2,}\s*$", re.IGNORECASE)
_LOWER_AFTER = re.compile(r"\s*[a-z]")
_WORDLIKE = re.compile(r"\w")


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Spans of quotations in matched marks (“…” or "…"), marks included, within one line."""
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def split_sentences(text: str, boundaries: Sequence[int]) -> list[tuple[int, int]]:
    """Trimmed, non-empty sentence spans from parser ``boundaries`` plus every line break."""
    inside = quote_regions(text)
    cuts = {
        b
        for b in boundaries
        if 0 < b < len(text) and not any(s < b < e - 1 for s, e in inside)
        and not (_DOTTED_BEFORE.search(text, max(0, b - 12), b) and _LOWER_AFTER.match(text, b))
    }
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        starts = [line.start()] + sorted(c for c in cuts if line.start() < c < line.end())
        ends = starts[1:] + [line.end()]
        for a, b in zip(starts, ends, strict=True):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if trail <= lead:
                continue
            start, end = a + lead, a + trail
            # A fragment without a word character (a stray "”" or ".") joins the sentence
            # before it on the same line.
            if spans and not _WORDLIKE.search(text[start:end]) and spans[-1][1] >= line.start():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


class SentencesComponent:
    """Assigns ``sentences``: trimmed sentence spans that never cross a line break."""

    name = "sentences"
    requires = ("doc",)
    assigns = ("sentences",)

    def process(self, batch: Sequence[Work]) -> None:
        for work in batch:
            boundaries = [s.start_char for s in work.doc.sents]
            spans = split_sentences(work.text, boundaries)
            flags = boilerplate_flags(
                work.text, spans, work.analysis.article.title or "", finite_verbs(work.doc)
            )
            work.assign(
                "sentences",
                sentences=tuple(
                    Sentence(i, a, b, flag)
                    for i, ((a, b), flag) in enumerate(zip(spans, flags, strict=True))
                ),
            )


def finite_verbs(doc) -> Callable[[int, int], bool] | None:
    """``(start, end) -> bool``: whether a finite verb (VBD, VBZ, VBP, MD) lies in the span;
    None for a parse that carries sentence boundaries but no tokens."""
    if not isinstance(doc, Iterable):
        return None
    offsets = [t.idx for t in doc if t.tag_ in FINITE_TAGS]

    def has(start: int, end: int) -> bool:
        i = bisect.bisect_left(offsets, start)
        return i < len(offsets) and offsets[i] < end

    return has


def boilerplate_flags(
    text: str,
    spans: Sequence[tuple[int, int]],
    title: str = "",
    finite_verb: Callable[[int, int], bool] | None = None,
) -> list[bool]:
    """For each sentence span: whether it is page clutter (its line is, or its own phrases)."""
    lines = clutter_lines(text, title, finite_verb)
    starts = [a for a, _ in lines]
    flags = []
    for a, b in spans:
        i = bisect.bisect_right(starts, a) - 1
        in_line = i >= 0 and lines[i][0] <= a and b <= lines[i][1]
        flags.append(in_line or is_clutter_sentence(text[a:b]))
    return flags


def locate(work: Work, start: int, end: int) -> int:
    """Index of the sentence that holds ``[start, end)`` entirely, or -1."""
    sentences = work.analysis.sentences
    starts = work.scratch.get("sentence_starts")
    if starts is None or len(starts) != len(sentences):
        starts = [s.start for s in sentences]
        work.scratch["sentence_starts"] = starts
    i = bisect.bisect_right(starts, start) - 1
    if i < 0:
        return -1
    s = sentences[i]
    return i if s.start <= start and end <= s.end else -1


def sentence_of(work: Work, offset: int) -> int:
    """Index of the sentence holding a character offset, or -1."""
    return locate(work, offset, offset + 1)
