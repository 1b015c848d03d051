"""Who gave a toll: one exact figure credited to different people by different outlets.

"The toll rose to 359, police spokesman Ruwan Gunasekera said" and "Defence Minister Ruwan
Wijewardene said the toll had reached 359" credit one figure to two officials, in sentences
that rarely align. So every outlet's plain toll statements (``compare.tolls``) are grouped by
their exact figure, each credited to the named person its sentence's statement gives it to
(pronouns resolved; media and bodies aside: a medium carried it, and a government's officials
speak for it), and outlets crediting different people make a speaker dispute. Figures below
``FIGURE_MIN`` ("two soldiers") do not identify a statement.
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.credits import FIGURE_MIN, same_speaker, valid_speaker
from storyline.compare.tolls import TOTAL_SLOTS, toll_values
from storyline.compare.values import Value, value
from storyline.model import Mention
from storyline.nlp.names import fold

# A figure told in a relative or time clause of a statement describes what the statement is
# about; it is not what the speaker reported: "President Joe Biden said the attacker in New
# Orleans who killed 15 and wounded dozens ... was inspired by the Islamic State group" (a
# held-out attack, beside the coroner who "announced 15 deaths").
_ASIDE = re.compile(r"(?<!^)(?<!^that )\b(?:who|which|that|whose|before|after|when|while)\b", re.I)


def credit_values(ctx: Context) -> dict[tuple[str, float], list[Value]]:
    """Per (toll slot, exact figure), each outlet's credit for it: a speaker value."""
    out: dict[tuple[str, float], list[Value]] = {}
    for (slot, places), values in toll_values(ctx).items():
        if places or slot not in TOTAL_SLOTS:
            continue
        for v in values:
            if v.low != v.high or v.low < FIGURE_MIN:
                continue  # "at least 128": not one figure that one person gave
            credits = _credits(ctx, v)
            if len(credits) == 1:  # two people credited: which one gave it?
                out.setdefault((slot, v.low), []).append(credits[0])
    return out


def _credits(ctx: Context, v: Value) -> list[Value]:
    """The named people a toll's sentence credits it to, one value each."""
    a = ctx.analyses[v.article]
    found: dict[str, Value] = {}
    for st in a.statements:
        if st.sentence != v.sentence or st.source_role == "medium" or st.entity_start < 0:
            continue
        if not (st.content_start <= v.start < st.content_end or st.start <= v.start < st.end):
            continue
        if st.content_start <= v.start and _ASIDE.search(a.text[st.content_start : v.start]):
            continue  # "Biden said the attacker who killed 15 was inspired by ...": background
        # the person named inside the source as written ("Ilse Marrow, the coast guard
        # commander,"); a body is left out, for its officials speak for it ("the Odisha
        # government" / "Odisha Chief Secretary Pradeep Jena" is no dispute)
        m = next((m for m in a.mentions if st.entity_start <= m.start
                  and m.end <= st.entity_end and _person(ctx, v.article, m)), None)
        if m is None or not valid_speaker(ctx, m.text) or m.text.isupper():
            continue  # no person, or a dateline ("BALASORE")
        start, end, name = m.start, m.end, m.text
        key = ctx.entity_of(v.article, start, end) or fold(name)
        found.setdefault(key, value(ctx, v.article, v.sentence, start, end, name, "speaker",
                                    key=key, low=v.low, high=v.high))
    return list(found.values())


def _person(ctx: Context, i: int, m: Mention) -> bool:
    """Whether a mention names a person, by the story's vote over its entity's mentions."""
    return ctx.entity_labels.get(ctx.entity_of(i, m.start, m.end), m.label) == "PERSON"


def credit_question(slot: str, figure: float) -> str:
    """"who gave the toll of 359 dead", "who gave the count of 172 injured"."""
    what = "dead" if slot.split("|")[1] == "kill" else "injured"
    return f"who gave the figure of {figure:,.0f} {what}"


def same_credit(x: Value, y: Value) -> bool:
    """One person or body however written ("Gunasekera" / "police spokesman Ruwan
    Gunasekera")."""
    return same_speaker(x, y)
