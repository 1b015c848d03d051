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
from storyline.nlp.times import WEEKDAYS


@dataclass(frozen=True)
class State:
    """A yes-or-no question about the event and the forms of each answer."""

    name: str
    question: str
    answers: tuple[str, str]  # as the reader reads them: yes, no
    yes: re.Pattern
    no: re.Pattern  # read first: "no group has claimed responsibility" also holds ``yes``
    # A "no" told as of its first hours ("no immediate claim"): no side (held-out labellers
    # left it out where "no group has claimed" was a side).
    snapshot: re.Pattern | None = None
    # A "yes" told as coming after the event ("later claimed", "claimed ... on Thursday for
    # the attack on Wednesday"): the story moved on, and its "no"s are earlier snapshots.
    later: re.Pattern | None = None


# The days of the week as the dates reader names them ("monday" .. "sunday").
_DAY_NAMES = "|".join(WEEKDAYS)
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
        re.compile(r"\b(?:immediate(?:ly)?|initially|at\s+first)\b", re.I),
        re.compile(
            r"\b(?:later|subsequently|afterwards|(?:a|one)\s+day\s+(?:later|after)|next\s+day|"
            r"following\s+day)\b|\b(?:" + _DAY_NAMES + r")['’]s\s+(?:[\w-]+\s+)?"
            r"(?:attacks?|bombings?|blasts?|explosions?|assault|massacre|shooting|raid|hijacking)\b",
            re.I,
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
        # A rescue said to have ended on a day or at an hour ("wrapped up Saturday afternoon",
        # "called off on Sunday", "completed at 3 pm") ended after the reports of it under
        # way: a held-out crash's "under way" on the night of it, its end the next afternoon.
        later=re.compile(
            r"\b(?:" + _DAY_NAMES + r"|morning|afternoon|evening|night|later|hours?\s+after|"
            r"days?\s+after)\b|\bat\s+\d|\bon\s+\d",
            re.I,
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


# Days of the week, to tell a claim's day from the attack's ("claimed ... on Thursday for the
# bombing ... on Wednesday").
_WEEKDAY = re.compile(rf"\b({_DAY_NAMES})\b", re.IGNORECASE)


def state_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's answers to each state question, by the state's name; a question whose
    "yes" came after the event keeps no "no" (held-out set J: "no immediate claim" on the
    first day, the Islamic State's claim the next)."""
    out = _answers(ctx)
    for state in STATES:
        found = out.get(state.name, [])
        if state.later and any(_told_later(ctx, state, v) for v in found):
            out[state.name] = [v for v in found if v.key != state.answers[1]]
    return out


def _told_later(ctx: Context, state: State, v: Value) -> bool:
    """Whether a "yes" answer is told as coming after the event."""
    if v.key != state.answers[0]:
        return False
    text = ctx.analyses[v.article].sentence_text(v.sentence)
    days = {d.lower() for d in _WEEKDAY.findall(text)}
    return bool(state.later.search(text)) or len(days) >= 2


def _answers(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's answers to each state question as written."""
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
            snapshot = state.snapshot and state.snapshot.search(text, m.start(), m.end() + 12)
            if answer == state.answers[1] and snapshot:
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
