"""The magnitude of the story's earthquake, read from every outlet at once.

"A magnitude 7.6 earthquake" in ten outlets and "the 7.5-magnitude quake" in one answer one
question in sentences that rarely align, so each outlet's magnitudes are read wherever they
stand ("magnitude 7.6", "magnitude of 7.6", "7.6-magnitude", "M7.6"). An outlet's largest is
its main shock's: aftershocks ("a 4.9 magnitude tremor the next day") are smaller; a
figure told as revised ("7.4, later upgraded to 7.6") stands for its sentence.
Magnitudes in quotes are left out.
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import event_texts, quoted
from storyline.compare.values import Value, value

_MAGNITUDE = re.compile(
    r"\bmagnitude(?:\s+of)?[-\s]+(?:about\s+|around\s+)?(?P<after>\d(?:\.\d)?)(?![\d.])"
    r"|\b(?P<before>\d(?:\.\d)?)[-\s]magnitude\b|\bM(?P<m>\d\.\d)\b",
    re.IGNORECASE,
)
# A figure told as revised stands for its sentence: "7.4, later upgraded to 7.6".
_REVISED = re.compile(
    r"\b(?:upgraded|revised|raised|lowered|downgraded|updated)\s+(?:it\s+)?to\s+"
    r"(?:(?:a\s+)?magnitude\s+(?:of\s+)?)?(?P<rev>\d\.\d)\b", re.IGNORECASE)
# Two magnitudes this close are one figure rounded ("7.6" / "7.62").
MAGNITUDE_TOLERANCE = 0.05


def magnitude_values(ctx: Context) -> list[Value]:
    """Each outlet's largest magnitude of the story's quake."""
    best: dict[int, Value] = {}
    for i, si, start, text in event_texts(ctx):
        revised = _REVISED.search(text)
        for m in [revised] if revised and _MAGNITUDE.search(text) else _MAGNITUDE.finditer(text):
            figure = float(next(g for g in m.groups() if g))
            v = value(ctx, i, si, start + m.start(), start + m.end(), f"magnitude {figure:g}",
                      "magnitude", low=figure, high=figure)
            if not quoted(ctx.analyses[i], v) and (i not in best or figure > best[i].low):
                best[i] = v
    return list(best.values())


def same_magnitude(x: Value, y: Value) -> bool:
    return abs(x.low - y.low) <= MAGNITUDE_TOLERANCE + 1e-9
