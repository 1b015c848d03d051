"""Distances, depths and lengths as comparable values: from where a distance is measured,
what a length is the length of, and how exactly each is written.

"250 miles" is "400 km" written another way, "11 miles" is 17.7 km give or take half a mile,
"180 miles" give or take five (so 288 km agrees), and "three km" is no 3,800 metres; every
unit is compared in kilometres. A distance is measured from a named place ("170 km north of
Bhubaneswar"), a depth needs no place ("at a depth of 18.5 km"), and a size written onto its
unit ("a 190-ft-long Bailey bridge", "a 30cm kitchen knife") is the length of the thing named
after it.
"""

from __future__ import annotations

import re

from storyline.model import Quantity
from storyline.nlp.names import fold

# Distances say from where in the words after them.
# Each unit as (the unit compared, its length in it): "250 miles" is "400 km" written another way.
DISTANCE_UNITS = {
    "km": ("km", 1.0), "kilometre": ("km", 1.0), "kilometer": ("km", 1.0),
    "mile": ("km", 1.609344), "metre": ("km", 0.001), "meter": ("km", 0.001), "m": ("km", 0.001),
    "foot": ("km", 0.0003048), "feet": ("km", 0.0003048), "ft": ("km", 0.0003048),
    "cm": ("km", 0.00001), "centimetre": ("km", 0.00001), "centimeter": ("km", 0.00001),
    "inch": ("km", 0.0000254),
}
# ("18km (11 miles) south-southwest of Hualien", "south of the eastern county of Hualien")
COMPASS = r"(?:north|south|east|west)(?:-?(?:north|south|east|west)){0,2}(?:ern)?"
_FROM_WHERE = re.compile(
    rf"(?:\s*\([^)]{{0,24}}\))?\s+(?:{COMPASS}\s+)?(?:of|from)\s+"
    r"(?:the\s+)?(?:border\s+(?:with\s+)?)?(?:(?:north|south|east|west)\w*\s+)?"
    r"(?:(?:capital|city|town|port|village|county|province|district|island)(?:\s+city)?,?\s+"
    r"(?:of\s+)?)?"
    r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)
# The kind of place after its name, which the key leaves out: "Hualien City", "Hualien County
# Hall" and "Hualien" are one reference place.
_PLACE_KIND = frozenset("city county hall province district town prefecture region".split())
# A depth, the one distance without a "from" (a held-out quake: "at a depth of 18.5 km" /
# "about 18 kilometers (11 miles) below the surface" / "approximately 8 kilometers").
_DEPTH_BEFORE = re.compile(r"\bdepths?\s+of\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_DEEP_AFTER = re.compile(
    r"(?:\s*\([^)]{0,24}\))?\s+(?:deep|dive|(?:below|beneath|under)\s+(?:the\s+)?"
    r"(?:(?:ocean|sea|water)(?:'s|’s)?\s+)?(?:surface|ground)|underground)\b",
    re.IGNORECASE,
)
# A size told of a thing: "a 190-ft-long Bailey bridge", "the 21-foot sub" (its noun, past
# names and a converted figure in brackets); "190 feet long" with no noun after is not read.
_HYPHENATED = re.compile(r"\d-?[a-z]")  # "190-ft", "30cm": a size, not "30 km away"
_LONG_AFTER = re.compile(
    r"(?:-long)?\s+(?:\([^)]{0,24}\)\s+)?(?:[A-Z][\w-]*\s+){0,2}"
    r"(?P<noun>[a-z]{3,})(?:\s+(?P<head>[a-z]{3,}))?\b"
)
# Words after a size that are no noun it is the size of ("5km away", "a 30cm deep hole").
_NOT_THING = frozenset(
    "away long wide deep high tall north south east west from off into across along over "
    "under with that which and the was were are within for near after before during since "
    "through between behind above below beside about against toward towards upon onto per "
    "while when where who whose has had have".split())
# Endings that make a country's adjective of its name ("Ukrainian" border / "Ukraine").
_ADJECTIVE_END = re.compile(r"(?:ian|ean|an|ese|ish|i|e|a)$")


def measure(text: str, floor: int, q: Quantity, unit: str, low: float, high: float
            ) -> tuple[str, float, float] | None:
    """(the compared unit, low, high in km) of an amount ``q`` in a distance ``unit``, or None
    when it says neither from where, how deep nor of what."""
    ref = _FROM_WHERE.match(text, q.end)
    deep = ref is None and (
        _DEPTH_BEFORE.search(text[max(floor, q.start - 30) : q.start])
        or _DEEP_AFTER.match(text, q.end))
    long = _LONG_AFTER.match(text, q.end) if (
        ref is None and not deep and _HYPHENATED.search(q.text)) else None
    thing = _thing(long) if long else ""
    if ref is None and not deep and not thing:
        return None
    base, factor = DISTANCE_UNITS[unit]
    half = factor * _rounding(q.value)  # as exact as it is written
    unit = (f"{base} deep" if deep else f"{base} from {_reference(ref.group(1))}"
            if ref is not None else f"{base} long {thing}")
    return unit, low * factor - half, high * factor + half


def _thing(long: re.Match) -> str:
    """The noun a size is of: "a 30cm kitchen knife" is a knife's, "a 120-foot bridge across"
    a bridge's; "" when the word after the size names no thing."""
    noun, head = long.group("noun"), long.group("head")
    if noun == "long":  # "a 190-feet long bridge"
        noun, head = head or "long", None
    if noun in _NOT_THING:
        return ""
    return head if head and head not in _NOT_THING else noun


def _rounding(figure: float) -> float:
    """Half the last place a figure is written to: 0.5 for 3, 5 for 180, 50 for 3,800, 0.05
    for 6.7."""
    if figure != int(figure):
        return 0.05
    place, n = 1, int(abs(figure))
    while n and n % 10 == 0:
        place, n = place * 10, n // 10
    return place / 2


def reference_after(text: str, end: int) -> str:
    """The place a distance ending at ``end`` is measured from, as written ("" for none)."""
    m = _FROM_WHERE.match(text, end)
    return m.group(1) if m else ""


def _reference(name: str) -> str:
    """The place a distance is measured from, one key for its name and adjective."""
    words = fold(name).split()
    while len(words) > 1 and words[-1] in _PLACE_KIND:
        words.pop()
    return " ".join([*words[:-1], _ADJECTIVE_END.sub("", words[-1]) or words[-1]])
