"""How far the event's place is from a reference place, read from every outlet at once.

"Przewodow is five kilometres from the border with Ukraine" and "the village lies 7 km from
Ukraine" are one question, told in sentences that rarely align. So every outlet's distances
from one reference place (``amounts`` reads the unit, converts miles to kilometres and keys
the place by its name or adjective) are collected and compared as one question, as casualty
tolls are (``compare.tolls``); distances in a witness's quote or of another occasion are left
out.
"""

from __future__ import annotations

from collections import Counter

from storyline.compare.amounts import number_values, reference_after
from storyline.compare.context import Context
from storyline.compare.tolls import event_sentences, quoted
from storyline.compare.values import Value

_DISTANCE_BASES = ("km from ", "m from ")


def is_distance_slot(slot: str) -> bool:
    """Whether a number's slot is a distance from a named place."""
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
