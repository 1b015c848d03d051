"""States of the event that outlets answer one way or the other, read from every outlet at once.

"Al-Shabaab claimed responsibility" and "No group has claimed responsibility" answer one
question, whether anyone claimed the attack, in sentences that rarely align and that a word
lexicon reads alike (both say "claimed responsibility"). So each state is a question with the
written forms of its two answers; every outlet's sentences of the story's own event
(not page clutter; the clause of the answer not of another occasion) are read for them, and
outlets on both sides make a characterisation dispute. A form is only an answer when it is
said of this event as a fact: a habit ("which often claims such attacks") or a possibility
("may have been behind") is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.compare.context import Context
from storyline.compare.tolls import another_occasion, clause_of, story_dates
from storyline.compare.values import Value, value


@dataclass(frozen=True)
class State:
    """A yes-or-no question about the event and the forms of each answer."""

    name: str
    question: str
    answers: tuple[str, str]  # as the reader reads them: yes, no
    yes: re.Pattern
    no: re.Pattern  # read first: "no group has claimed responsibility" also holds ``yes``


_RESCUE = (
    r"\b(?:rescue|search(?:\s+and\s+rescue)?|recovery)(?:\s+(?:operations?|efforts?|work|ops|mission))"
)
STATES = (
    State(
        "claimed",
        "whether anyone claimed responsibility for it",
        ("claimed", "not claimed"),
        re.compile(
            r"\b(?:claimed|claims|claiming|took|has\s+taken|have\s+taken|accepted|accepts)\s+"
            r"(?:full\s+|sole\s+)?responsibility\b|"
            r"\bresponsibility\s+(?:for\s+(?:[\w-]+\s+){1,4})?(?:was|has\s+been|had\s+been)\s+"
            r"claimed\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:no|nobody|no\s+one|none)\b(?:\s+[\w-]+){0,4}?\s+(?:has\s+|had\s+|have\s+)?"
            r"(?:yet\s+|so\s+far\s+|immediately\s+)?(?:claimed|taken|accepted)\s+responsibility|"
            r"\bno\s+(?:immediate\s+|official\s+)?claim\s+of\s+responsibility|"
            r"\bresponsibility\s+(?:has|had)\s+not\s+(?:yet\s+)?been\s+claimed|"
            r"\b(?:has|have|had|did)\s+not\s+(?:yet\s+|immediately\s+)?(?:claimed|claim)\s+"
            r"responsibility",
            re.IGNORECASE,
        ),
    ),
    State(
        "rescue over",
        "whether the rescue operation is over",
        ("over", "under way"),
        re.compile(
            _RESCUE + r"?\s+(?:was|were|has\s+been|have\s+been|had\s+been|is|are|now)\s+"
            r"(?:now\s+)?(?:completed|complete|called\s+off|wrapped\s+up|concluded|ended|over)\b|"
            + _RESCUE + r"\s+(?:\w+\s+){0,6}?(?:(?:was|were|has\s+been|have\s+been)\s+)?"
            r"(?:wrapped\s+up|called\s+off)",
            re.IGNORECASE,
        ),
        re.compile(
            _RESCUE + r"\s+(?:is\s+|are\s+|were\s+|was\s+|has\s+been\s+|have\s+been\s+)?"
            r"(?:still\s+)?(?:under\s?way|ongoing|continuing|going\s+on|in\s+progress)\b",
            re.IGNORECASE,
        ),
    ),
)
# A state said of a habit, a possibility or a condition, not of this event as a fact: "which
# often claims such attacks", "may have been behind", "if the rescue ends".
_NOT_A_FACT = re.compile(
    r"\b(?:often|frequently|regularly|usually|typically|previously|in\s+the\s+past|"
    r"would|could|may|might|if|unless|expected\s+to|likely\s+to|before\s+(?:it|they)\s+)\b",
    re.IGNORECASE,
)
# How far before a form its sentence may hedge it.
HEDGE_CHARS = 60


def state_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's answers to each state question, by the state's name."""
    out: dict[str, list[Value]] = {}
    dates = story_dates(ctx)
    for i, si in _sentences(ctx):
        a = ctx.analyses[i]
        s = a.sentences[si]
        text = a.sentence_text(si)
        for state in STATES:
            answer, m = state.answers[1], state.no.search(text)
            if m is None:
                answer, m = state.answers[0], state.yes.search(text)
            if m is None or _NOT_A_FACT.search(text[max(0, m.start() - HEDGE_CHARS) : m.end()]):
                continue
            if another_occasion(clause_of(text, m.start(), m.end()), dates):
                continue
            start = s.start + m.start()
            out.setdefault(state.name, []).append(
                value(ctx, i, si, start, start + len(m.group(0)), answer, state.name, key=answer)
            )
    return out


def _sentences(ctx: Context):
    """(article, sentence) of every sentence that is not page clutter."""
    for i, a in enumerate(ctx.analyses):
        for si, s in enumerate(a.sentences):
            if not s.boilerplate:
                yield i, si




def same_state(x: Value, y: Value) -> bool:
    """Two answers to a state question agree when they are the same answer."""
    return x.key == y.key
