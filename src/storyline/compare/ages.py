"""How old one person or thing of the story is, read from every outlet at once.

"The 34-year-old attacker", "Panya Kamrab, 35," and "the gunman, aged 34" answer one question
in sentences that rarely align, and the amount reader does not take "34-year-old" for a count.
So every outlet's ages of a named person (the merged entity) or of the one attacker, bridge or
plane of the story are collected and compared as one question, as casualty tolls are
(``compare.tolls``). A role several of the story's people hold ("the suspects", "two
attackers") names nobody in particular and is left out, and so are ages in a quote and of
another occasion.
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import event_texts, quoted
from storyline.compare.values import Value, in_sentence, value
from storyline.nlp.names import fold

_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if n >= 2}
_NUMBER = r"(\d{1,3}|(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(
    w for w in _WORDS if _WORDS[w]) + r"))?|" + "|".join(_WORDS) + r")"
# "34-year-old", "34 year old", "century-old"
# ... and "nine-month-old", "11 months old": a baby's age in months
_YEAR_OLD = re.compile(r"\b(?:" + _NUMBER + r"[- ](years?|months?)[- ]old|(century)-old)\b",
                       re.IGNORECASE)
# "Panya Kamrab, 34," / "Panya Kamrab (34)" / "aged 34"
_AFTER_NAME = re.compile(
    r"\s*(?:,\s*|\(\s*|\s+(?:was|is)\s+)(?:aged\s+)?(\d{1,3})\s*(?:[,:]|\)|\s+years?\s+old)"
    # "Perez was 27." closing its sentence (a held-out attack's victim, "Perez, 28" elsewhere)
    r"|\s+(?:was|is)\s+(?:aged\s+)?(\d{1,3})(?=\.(?:\s|$))")
# Roles and things a story usually has one of: their age is one question.
_ROLES = frozenset(
    "attacker gunman assailant shooter bomber killer perpetrator driver pilot captain child baby "
    "bridge building dam tower ship ferry plane aircraft jet train vessel stadium".split()
)
_ROLE_AFTER = re.compile(r"(?:\s+[a-z][\w-]*){1,4}")  # "century-old suspension bridge"
_ROLE_BEFORE = re.compile(r"\b([a-z]+)\s*,\s+(?:an?\s+|the\s+)?$")  # "the gunman, a 35-year-old"
_PLURALS = {"gunman": "gunmen", "child": "children", "baby": "babies"}
# A child is one role however it is written ("a 9-year-old child", "a nine-year-old boy"), and
# the words for the youngest give an age themselves ("the dead included one toddler").
_CHILD_WORDS = {"child": "child", "boy": "child", "girl": "child", "infant": "baby",
                "newborn": "baby"}
_YOUNGEST = re.compile(r"\b(?:an?|one|the)\s+(toddler|baby|infant|newborn)\b", re.IGNORECASE)
_YOUNGEST_YEARS = {"toddler": (1.0, 3.0), "baby": (0.0, 1.0), "infant": (0.0, 1.0),
                   "newborn": (0.0, 0.1)}
_YOUNGEST_PLURALS = re.compile(r"\b(?:children|toddlers|babies|infants|newborns)\b")


def age_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's ages by whom or what they are of: a merged entity, else a role noun."""
    out: dict[str, list[Value]] = {}
    shared = _shared_roles(ctx)
    for i, si, first, text in event_texts(ctx):
        a = ctx.analyses[i]
        for m in _YEAR_OLD.finditer(text):
            start, end = first + m.start(), first + m.end()
            before, after = _ROLE_BEFORE.search(a.text[first : start]), _ROLE_AFTER.match(
                a.text, end)
            roles = ([before.group(1)] if before else []) + (after.group(0).split() if after
                                                              else [])
            roles = [_CHILD_WORDS.get(r, r) for r in roles]
            who = _named(ctx, i, si, end) or next(
                (r for r in roles if r in _ROLES - shared), "")
            years = _hedged(_years(m), a.text[max(first, start - HEDGE_CHARS) : start])
            if who and years is not None:
                out.setdefault(who, []).append(_value(ctx, i, si, start, end, years))
        if "child" not in shared:
            for m in _YOUNGEST.finditer(text):
                start, end = first + m.start(1), first + m.end(1)
                years = _YOUNGEST_YEARS[m.group(1).lower()]
                out.setdefault("child", []).append(_value(ctx, i, si, start, end, years))
        for mention in in_sentence(a.mentions, si):
            after = _AFTER_NAME.match(a.text, mention.end)
            if mention.label == "PERSON" and after:
                g = 1 if after.group(1) else 2
                start, end = after.start(g), after.end(g)
                who = ctx.entity_of(i, mention.start, mention.end) or fold(mention.text)
                out.setdefault(who, []).append(_value(ctx, i, si, start, end, (int(after[g]),) * 2))
    return {k: [v for v in vs if not quoted(ctx.analyses[v.article], v)] for k, vs in out.items()}


def _value(ctx: Context, i: int, si: int, start: int, end: int, years: tuple) -> Value:
    low, high = years
    if high < 2:  # a baby's age, in the months it was told in
        months = f"{low * 12:.0f}" if low == high else f"{low * 12:.0f}-{high * 12:.0f}"
        shown = f"{months} months"
    else:
        shown = f"{low:g} years" if low == high else f"{low:.0f}-{high:.0f} years"
    return value(ctx, i, si, start, end, shown, "age", low=low, high=high)


def _years(m: re.Match) -> tuple[float, float] | None:
    if m.group(3):
        return 100.0, 199.0  # "century-old": a hundred years or more, not two hundred
    word = m.group(1).lower()
    per_year = 12.0 if m.group(2).lower().startswith("month") else 1.0
    if word.isdigit():
        return (float(word) / per_year,) * 2
    tens, _, unit = word.partition("-")
    n = _TENS.get(tens, _WORDS.get(tens))
    return None if n is None else ((n + _WORDS.get(unit, 0)) / per_year,) * 2


# Words before an age that make it a range: "a nearly century-old bridge" is 90 to 100 years.
HEDGE_CHARS = 16
_HEDGES = (
    (re.compile(r"\b(?:nearly|almost)\s+$", re.I), 0.9, 1.0),
    (re.compile(r"\b(?:about|around|some|roughly)\s+$", re.I), 0.9, 1.1),
    (re.compile(r"\b(?:over|more\s+than)\s+(?:a\s+)?$", re.I), 1.0, 1.5),
)


def _hedged(years: tuple[float, float] | None, before: str) -> tuple[float, float] | None:
    for pattern, low, high in _HEDGES:
        if years and pattern.search(before):
            return years[0] * low, years[0] * high
    return years


def _named(ctx: Context, i: int, si: int, end: int) -> str:
    """The merged entity of a person named right after an age ("34-year-old Panya Kamrab")."""
    for m in in_sentence(ctx.analyses[i].mentions, si):
        if m.label == "PERSON" and end < m.start <= end + 2:
            return ctx.entity_of(i, m.start, m.end) or fold(m.text)
    return ""


def _shared_roles(ctx: Context) -> frozenset[str]:
    """Roles the story's outlets write in the plural ("the attackers", "two gunmen")."""
    text = " ".join(a.text.lower() for a in ctx.analyses)
    shared = {r for r in _ROLES if re.search(rf"\b{_PLURALS.get(r, r + 's')}\b", text)}
    if _YOUNGEST_PLURALS.search(text):
        shared.add("child")  # several children: which one's age?
    return frozenset(shared)


def age_question(ctx: Context, who: str) -> str:
    """"how old the attacker was", "how old Panya Kamrab is"."""
    if who in _ROLES:
        return f"how old the {who} was"
    names = [m.text for (i, start), eid in ctx.of_mention.items() if eid == who
             for m in ctx.analyses[i].mentions if m.start == start]
    return f"how old {max(names, key=len) if names else who} is"


def same_age(x: Value, y: Value) -> bool:
    """Two ages agree when their years overlap ("century-old" and "150-year-old")."""
    return x.low <= y.high and y.low <= x.high
