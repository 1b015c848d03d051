"""Where the story's event ranks among others of its kind, read from every outlet at once.

"The third deadliest rail accident in India's history" and "the fourth deadliest in India
according to available records" rank one event two ways: a characterisation a reader can
check. Only ranks written as ordinals count ("second", "4th"); a bare superlative ("the
deadliest in decades", "one of the worst") ranks nothing exactly, and a superlative other than
"deadliest" ranks the event only before the event's noun ("the fourth largest flood", not "the
second-largest city"). A rank is compared only
with ranks by the same superlative ("deadliest" and "worst" measure different things) over
the same span of time: "the second deadliest since 1995" ranks among fewer events than "the
third deadliest ever". Ranks of another occasion ("the 1981 disaster, the worst ...") and in
quotes are left out.
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import (
    another_occasion,
    clause_of,
    quoted,
    story_dates,
)
from storyline.compare.values import Value, value

_ORDINALS = {w: n for n, w in enumerate(
    "_ _ second third fourth fifth sixth seventh eighth ninth tenth".split()) if n >= 2}
_RANK = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r"|(?:[2-9]|10)(?:nd|rd|th))[\s-]+"
    r"(deadliest|worst|largest|biggest|strongest|most\s+(?:deadly|powerful|destructive))\b",
    re.IGNORECASE,
)
# Ranks of other things ("the second-largest city") are no rank of the event: besides
# "deadliest", which only events are, a superlative ranks the event only before its noun.
_EVENT_NOUN = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:disaster|tragedy|accident|crash|attack|shooting|bombing|flood|"
    r"floods|flooding|earthquake|quake|storm|cyclone|hurricane|typhoon|fire|wildfire|explosion|"
    r"blast|collapse|derailment|sinking|shipwreck|stampede|massacre|incident|strike)\b",
    re.IGNORECASE,
)
# Words after a rank that bound the events it ranks among to a span of time.
_SPAN = re.compile(
    r"\s+(?:[\w'’-]+\s+){0,6}?(since\s+\d{4}|since\s+independence|in\s+(?:the\s+)?(?:past|last)"
    r"\s+\w+\s+\w+|in\s+(?:decades|years|a\s+decade|a\s+century)|this\s+(?:century|decade|year))",
    re.IGNORECASE,
)
# How far after a rank its span of time may be written.
SPAN_CHARS = 80


def rank_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's ordinal ranks of the story's event, by superlative and span of time."""
    out: dict[str, list[Value]] = {}
    dates = story_dates(ctx)
    for i, a in enumerate(ctx.analyses):
        for s in a.sentences:
            if not s.boilerplate:
                _ranks(ctx, i, s.index, dates, out)
    return out


def _ranks(ctx: Context, i: int, si: int, dates: set[str], out: dict[str, list[Value]]) -> None:
    a = ctx.analyses[i]
    s = a.sentences[si]
    text = a.sentence_text(si)
    for m in _RANK.finditer(text):
        # an ordinal superlative is no incident of several ("the third deadliest")
        if another_occasion(clause_of(text, m.start(), m.end()), dates, several=False):
            continue
        if m.group(2).lower() != "deadliest" and not _EVENT_NOUN.match(text, m.end()):
            continue
        word = m.group(1).lower()
        rank = _ORDINALS.get(word) or int(re.match(r"\d+", word).group(0))
        span = _SPAN.match(text[m.end() : m.end() + SPAN_CHARS])
        superlative = " ".join(m.group(2).lower().split())
        within = " ".join(span.group(1).lower().split()) if span else ""
        key = f"{superlative}|{within}"
        start = s.start + m.start()
        v = value(ctx, i, si, start, s.start + m.end(), f"{_ordinal(rank)} {superlative}",
                  key, key=str(rank), low=rank, high=rank)
        if not quoted(a, v):
            out.setdefault(key, []).append(v)


def _ordinal(n: int) -> str:
    return {2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def rank_question(key: str) -> str:
    """"how the event ranks (deadliest)", with its span: "... since 1995"."""
    superlative, span = key.split("|")
    return f"where it ranks among the {superlative}" + (f" {span}" if span else "")


def same_rank(x: Value, y: Value) -> bool:
    return x.key == y.key
