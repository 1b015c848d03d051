"""Which model the story's aircraft is, read from every outlet at once.

"A Boeing 737-800" in eleven outlets and "a Boeing 787-800" in one give one plane two models:
a characterisation a reader can check. A model is a maker's name and its model number
("Airbus A320", "Embraer 190", "ATR 72-500"); two agree when their numbers are equal or one
is the other without its variant ("737" / "737-800"). A model named in a quote, or in a clause
of another occasion ("the 737 MAX crashes of 2018 and 2019"), is left out, and an outlet that
names two models (a fleet, another crash) answers nothing (``disputes._article_answers``).
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import (
    another_occasion,
    clause_of,
    event_texts,
    quoted,
    story_dates,
)
from storyline.compare.values import Value, value

_MAKERS = (r"Boeing|Airbus|Embraer|Bombardier|ATR|Antonov|Tupolev|Ilyushin|Sukhoi|Cessna|"
           r"Beechcraft|Lockheed|McDonnell\s+Douglas|De\s+Havilland|Sikorsky|Mil")
_MODEL = re.compile(
    rf"\b({_MAKERS})\s+(A?\d{{2,3}})(?:[-‑–](\d{{1,3}}|[A-Z]{{1,3}}\d{{0,3}}))?"
    r"(?:\s+(MAX)(?:\s*(\d+))?)?\b"
)


def model_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's model of the story's aircraft, by maker."""
    out: dict[str, list[Value]] = {}
    dates = story_dates(ctx)
    for i, si, start, text in event_texts(ctx):
        for m in _MODEL.finditer(text):
            if another_occasion(clause_of(text, m.start(), m.end()), dates):
                continue
            maker = " ".join(m.group(1).split())
            variant = m.group(3) or (f"MAX {m.group(5) or ''}".strip() if m.group(4) else "")
            v = value(ctx, i, si, start + m.start(), start + m.end(), m.group(0), maker,
                      key=f"{m.group(2).upper()}|{variant.upper()}")
            if not quoted(ctx.analyses[i], v):
                out.setdefault(maker.lower(), []).append(v)
    return out


def same_model(x: Value, y: Value) -> bool:
    """One model, or one of them without its variant ("737" / "737-800")."""
    (nx, vx), (ny, vy) = x.key.split("|"), y.key.split("|")
    return nx == ny and (not vx or not vy or vx == vy)


def model_question(maker: str) -> str:
    return f"which {maker.title() if maker.islower() else maker} model the aircraft was"
