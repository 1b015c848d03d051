"""How many people, passengers and crew the story's plane, ship or bus carried, read from
every outlet at once.

"Carrying 58 passengers and four crew", "with 57 passengers ... on board" and "killing all 62
people on board" answer three questions (passengers, crew, everyone aboard) in sentences that
rarely align, and the pairs split one question by the verb next to it ("carrying" / no verb).
Who was aboard is a fixed fact, not a count that rises as reports come in (as a toll does),
so every outlet's figures are compared as they are. A count of people needs the words that it
was aboard ("on board", "aboard", "carrying"); one of passengers or crew needs none (a
passenger is aboard). A count in a quote, of another occasion, or of what the craft can carry
("a capacity of 68 passengers") is left out, and an outlet giving two figures ("58
passengers, later corrected to 57") answers nothing (``disputes._article_answers``).
"""

from __future__ import annotations

from storyline.compare.amounts import ABOARD, by_scale, has_figure, number_values
from storyline.compare.context import Context
from storyline.compare.tolls import event_sentences, quoted
from storyline.compare.values import Value

# Who a count aboard is of, by the unit the amount reads: everyone, or one group.
_GROUPS = {"people": "people", "person": "people", "soul": "people", "passenger": "passenger",
           "crew": "crew"}
# What befell the counted, by the slot's scope, when the count may be of everyone aboard.
_SCOPES = frozenset({"board", "", "kill"})
_QUESTIONS = {"people": "how many people were on board",
              "passenger": "how many passengers were on board",
              "crew": "how many crew were on board"}


def aboard_group(slot: str) -> str:
    """The group a number's slot counts aboard ("people", "passenger", "crew"), "" for none:
    "58 passengers" and "four crew members" are aboard by their noun, "62 people" only when
    told so ("on board", "all 62 people on board were killed")."""
    parts = slot.split("|")
    if len(parts) != 3:
        return ""  # a clock time's or a date's slot
    unit, scope, modifiers = parts
    if unit == "member" and modifiers.split()[:1] == ["crew"]:
        unit, modifiers = "crew", " ".join(modifiers.split()[1:])
    group = _GROUPS.get(unit, "")
    if not group or scope not in _SCOPES or modifiers not in {"", ABOARD}:
        return ""
    if group == "people" and scope != "board" and modifiers != ABOARD:
        return ""  # "62 people were killed": the toll, which may count some on the ground
    if scope == "kill" and modifiers != ABOARD:
        return ""  # "58 passengers were killed": a toll of passengers
    return group


def aboard_values(ctx: Context) -> dict[tuple[str, int], list[Value]]:
    """Every outlet's counts of who was aboard, by group and scale: figures far apart ("58
    passengers" / "20,000 passengers a day") count different things (``amounts.by_scale``)."""
    found: dict[str, list[Value]] = {}
    for i, si in event_sentences(ctx):
        for v in number_values(ctx, i, si):
            group = aboard_group(v.slot)
            if group and has_figure(v.text) and not quoted(ctx.analyses[i], v):
                found.setdefault(group, []).append(v)
    return {(group, n): part for group, values in found.items()
            for n, part in enumerate(by_scale(values))}


def aboard_question(key: tuple[str, int]) -> str:
    return _QUESTIONS[key[0]]
