"""Which number to call, read from every outlet at once.

A disaster's hotline printed "900365112" by one outlet and "9006 5112" by another is one
number misprinted: a reader who dials the wrong one reaches nobody, and a fact-checker wants
to see it. A number is read where its sentence says what it is for (a hotline, a helpline, a
number to call) and for whom ("missing", "relatives", "donations"); two numbers for one
purpose dispute only when they are one digit apart (one left out, added or changed). Numbers
further apart are two lines, which a story may well give (the police's and the region's).
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import event_texts, quoted
from storyline.compare.values import Value, value

_LINE = re.compile(r"\b(?:hotlines?|helplines?|help\s+lines?|phone\s+lines?|call|phone|dial|"
                   r"ring|number|contact)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w+])(\+?\d[\d\s().-]{5,18}\d)(?![\w-])")
# What a line is for, by the first of these its sentence names.
_PURPOSES = {
    "missing": r"missing|unaccounted|whereabouts|loved\s+ones|relatives|families",
    "emergency": r"emergenc\w*",
    "donation": r"donat\w*",
}
_PURPOSE = [(k, re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for k, p in _PURPOSES.items()]
MIN_DIGITS = 6  # shorter figures are counts, years and times, not numbers to call


def phone_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's numbers to call, by what they are for."""
    out: dict[str, list[Value]] = {}
    for i, si, start, text in event_texts(ctx):
        if not _LINE.search(text):
            continue
        purpose = next((k for k, p in _PURPOSE if p.search(text)), "")
        if not purpose:
            continue
        for m in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            if len(digits) < MIN_DIGITS or _looks_like_figure(m.group(1)):
                continue
            v = value(ctx, i, si, start + m.start(1), start + m.end(1), m.group(1), purpose,
                      key=digits)
            if not quoted(ctx.analyses[i], v):
                out.setdefault(purpose, []).append(v)
    return out


def _looks_like_figure(written: str) -> bool:
    """"1,600" or "3.8" is a figure, not a number to call."""
    return bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+", written.strip()))


def same_line(x: Value, y: Value) -> bool:
    """One number, or two lines (more than one digit apart): only a misprint disputes."""
    return x.key == y.key or _edits(x.key, y.key) > 1


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two digit strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def phone_question(purpose: str) -> str:
    return {"missing": "which number to call about the missing",
            "emergency": "which emergency number to call",
            "donation": "which number takes donations"}[purpose]
