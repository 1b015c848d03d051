"""How far the event's place is from a reference place, read from every outlet at once.

"Przewodow is five kilometres from the border with Ukraine" and "the village lies 7 km from
Ukraine" are one question, told in sentences that rarely align. So every outlet's distances
from one reference place (``amounts`` reads the unit, converts miles to kilometres and keys
the place by its name or adjective) are collected and compared as one question, as casualty
tolls are (``compare.tolls``); distances in a witness's quote or of another occasion are left
out. The event's depth ("at a depth of 18.5 km" / "approximately 8 kilometers", a held-out
quake) is asked the same way. The bearing the same sentences give ("400 km northeast of
Kathmandu" / "500 km west of the capital Kathmandu") is a question of its own: which
direction from that place.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.compare.amounts import number_values
from storyline.compare.context import Context
from storyline.compare.lengths import COMPASS, reference_after
from storyline.compare.tolls import event_sentences, quoted
from storyline.compare.values import Value, value

_DISTANCE_BASES = ("km from ", "km deep|", "km long ")


def is_distance_slot(slot: str) -> bool:
    """Whether a number's slot is a distance from a named place, or the event's depth."""
    return slot.startswith(_DISTANCE_BASES)


def distance_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's distances by what they are from ("km from kathmandu"), whatever the verb
    ("is located", "hit") next to them."""
    out: dict[str, list[Value]] = {}
    for i, si in event_sentences(ctx):
        for v in number_values(ctx, i, si):
            if is_distance_slot(v.slot) and not quoted(ctx.analyses[i], v):
                out.setdefault(v.slot.split("|")[0], []).append(v)
    return out


def written_place(ctx: Context, values: list[Value]) -> str:
    """The reference place as the outlets most often write it ("Kathmandu", "Ukraine")."""
    names = Counter(reference_after(ctx.analyses[v.article].text, v.end) for v in values)
    names.pop("", None)
    return names.most_common(1)[0][0] if names else ""


# A compass direction right after a distance: "400 kilometers northeast of", "5 km west from",
# "18km (11 miles) south-southwest of".
_DIRECTION = re.compile(
    rf"(?:\s*\([^)]{{0,24}}\))?\s+({COMPASS})\s+(?:of|from)\b", re.IGNORECASE
)
_POINT = re.compile(r"(north|south)?-?(east|west)?", re.IGNORECASE)
_DEGREES = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}
# Two bearings this many degrees apart or more cannot be one rough direction: "northeast" and
# "north" (45 apart) agree, "northeast" and "west" (135) do not.
OPPOSED_DEGREES = 90.0


def direction_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's direction from each reference place its distances name, in degrees."""
    out: dict[str, list[Value]] = {}
    for i, si in event_sentences(ctx):
        a = ctx.analyses[i]
        for v in number_values(ctx, i, si):
            from_place = is_distance_slot(v.slot) and " from " in v.slot
            m = _DIRECTION.match(a.text, v.end) if from_place else None
            if m is None or quoted(a, v):
                continue
            name = m.group(1).lower().removesuffix("ern")
            degrees = _compass(name)
            out.setdefault(v.slot.split("|")[0], []).append(
                value(ctx, i, si, v.start, m.end(1), name, "direction", low=degrees,
                      high=degrees))
    return out


def _compass(name: str) -> float:
    """A compass point in degrees: "northeast" 45, "south-southwest" 202.5 (halfway between
    south and southwest)."""
    points = [_point(p) for p in name.split("-") if p]
    if len(points) == 1:
        return points[0]
    return _midway(points[0], points[-1])


def _point(word: str) -> float:
    m = _POINT.fullmatch(word)
    return _bearing(m.group(1), m.group(2)) if m else _DEGREES["north"]


def _bearing(ns: str | None, ew: str | None) -> float:
    if ns and ew:
        return _midway(_DEGREES[ns.lower()], _DEGREES[ew.lower()])
    return _DEGREES[(ns or ew or "north").lower()]


def same_bearing(x: Value, y: Value) -> bool:
    """Two directions agree when they are less than ``OPPOSED_DEGREES`` apart."""
    apart = abs(x.low - y.low) % 360
    return min(apart, 360 - apart) < OPPOSED_DEGREES


def _midway(a: float, b: float) -> float:
    """The bearing halfway between two, the short way round (north and west: 315)."""
    return (a + b) / 2 if abs(a - b) <= 180 else ((a + b + 360) / 2) % 360
