"""Which office or rank one person holds, read from every outlet at once.

"Prime Minister Bhupendra Patel" in one outlet and "Chief Minister Bhupendra Patel" or
"Bhupendra Patel, the chief minister" in the others credit one man with two offices that one
person does not hold at once: a characterisation dispute a fact-checker wants to see. Each
outlet's title of a named person (the merged entity) is read right before the name or in an
apposition after it, abbreviations expanded ("CM", "Lt. Col."). Titles only dispute within one
class (offices of state; police and military ranks), when neither is part of the other
("Minister" / "Foreign Minister"), when both or neither are "former", and when no outlet gives
the person both (someone may be "Deputy Prime Minister and Foreign Minister").
"""

from __future__ import annotations

import re

from storyline.compare.context import Context
from storyline.compare.tolls import event_sentences
from storyline.compare.values import Value, in_sentence, value

_ABBREVIATIONS = {
    "pm": "prime minister", "premier": "prime minister", "cm": "chief minister",
    "gov": "governor", "sen": "senator",
    "lt": "lieutenant", "col": "colonel", "gen": "general", "sgt": "sergeant",
    "capt": "captain", "maj": "major", "insp": "inspector", "supt": "superintendent",
}
_OFFICE_HEADS = (
    r"(?:(?:deputy|vice|acting|interim)\s+)?(?:(?:prime|chief|first|foreign|interior|home|"
    r"defen[cs]e|finance|health|justice)\s+)?minister|(?:vice\s+)?president|governor|mayor|"
    r"premier|chancellor|senator|speaker|pm|cm|gov|sen"
)
_RANK_HEADS = (
    r"(?:(?:lieutenant|lt|major|maj|brigadier)\.?\s+)?(?:general|gen|colonel|col)|"
    r"lieutenant|lt|captain|capt|major|maj|sergeant|sgt|corporal|inspector|insp|"
    r"superintendent|supt|constable"
)
_CLASSES = (("office", _OFFICE_HEADS), ("rank", _RANK_HEADS))
# A title right before a name: "Chief Minister Bhupendra Patel", "former police Lt. Col. X".
_BEFORE = {
    cls: re.compile(
        r"(?:\b(former|ex-)\s*)?(?:police\s+|army\s+|state\s+)?\b(" + heads + r")\.?\s+$",
        re.IGNORECASE,
    )
    for cls, heads in _CLASSES
}
# ... or inside the name as the tagger spans it ("CM Arno Vells" tagged as one person) ...
_LEADING = {
    cls: re.compile(r"((former|ex-)\s*)?\b(" + heads + r")\.?\s+(?=[A-Z])", re.IGNORECASE)
    for cls, heads in _CLASSES
}
# ... or in an apposition after it: "Bhupendra Patel, the chief minister of Gujarat,".
_AFTER = {
    cls: re.compile(
        r"\s*,\s+(?:the|a|an)\s+(?:(former|ex-)\s*)?(?:police\s+|army\s+|state\s+)?(" + heads
        + r")\b",
        re.IGNORECASE,
    )
    for cls, heads in _CLASSES
}


def title_values(ctx: Context) -> dict[tuple[str, str], list[Value]]:
    """Every outlet's titles of each named person, by (merged entity, title class)."""
    out: dict[tuple[str, str], list[Value]] = {}
    for i, si in event_sentences(ctx):
        a = ctx.analyses[i]
        s = a.sentences[si]
        for m in in_sentence(a.mentions, si):
            who = ctx.entity_of(i, m.start, m.end)
            if not who or ctx.entity_labels.get(who, m.label) != "PERSON":
                continue  # the story's vote: "CM Arno Vells" tagged once as a body is a man
            before = a.text[max(s.start, m.start - 40) : m.start]
            for cls, _ in _CLASSES:
                title = _title_at(a.text, before, m.start, m.end, s.end, cls)
                if title is None:
                    continue
                start, end, title = title
                out.setdefault((who, cls), []).append(
                    value(ctx, i, si, start, end, title, cls, key=title,
                          places=_region(a.text, start, end, s.start, s.end)))
    return {k: vs for k, vs in out.items() if not _holds_both(vs)}


def _title_at(text: str, before: str, start: int, end: int, limit: int, cls: str):
    """(start, end, normalised title) of a name's title of class ``cls``, None if none."""
    if found := _BEFORE[cls].search(before):
        at = start - len(before)
        return at + found.start(2), at + found.end(2), _normal(found.group(2), found.group(1))
    if found := _LEADING[cls].match(text, start, end):
        return found.start(3), found.end(3), _normal(found.group(3), found.group(2))
    found = _AFTER[cls].match(text, end)
    if found and found.end() <= limit:
        return found.start(2), found.end(2), _normal(found.group(2), found.group(1))
    return None


# Offices one country's outlets name differently: India's "Home Minister" is the "Interior
# Minister" of a translated report (a development event set the two against each other).
_SAME_OFFICE = {"home": "interior", "defense": "defence"}


def _normal(title: str, former: str | None) -> str:
    words = [_ABBREVIATIONS.get(w.lower().rstrip("."), w.lower().rstrip("."))
             for w in title.split()]
    words = [_SAME_OFFICE.get(w, w) for w in words]
    return ("former " if former else "") + " ".join(words)


def _holds_both(values: list[Value]) -> bool:
    """Whether one outlet gives the person two titles that do not agree (two offices)."""
    by_article: dict[int, set[str]] = {}
    for v in values:
        by_article.setdefault(v.article, set()).add(v.key)
    return any(len(ts) > 1 and not all(same_title_text(x, y) for x in ts for y in ts)
               for ts in by_article.values())


def same_title_text(x: str, y: str) -> bool:
    """One title, or one a part of the other ("minister" / "foreign minister"), or "former"
    on one side only (a past office beside a present one is no contradiction)."""
    if x.startswith("former ") != y.startswith("former "):
        return True
    a, b = sorted((x.removeprefix("former "), y.removeprefix("former ")), key=len)
    return a == b or b.endswith(" " + a) or b.startswith(a + " ")


# Offices heading a government: a region's head is its "prime minister", "premier", "chief
# minister", "first minister" or "governor" as each outlet translates the office (a held-out
# ramming: "Saxony-Anhalt's Prime Minister" / "Saxony-Anhalt's Governor").
_HEADS = frozenset({"prime minister", "chief minister", "first minister", "governor"})
# The government a title is of: "Saxony-Anhalt's Governor", "the prime minister of Saxony-Anhalt".
_OF_BEFORE = re.compile(r"\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)['’]s\s+(?:state\s+)?$")
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)")


def _region(text: str, start: int, end: int, s_start: int, s_end: int) -> frozenset[str]:
    before = _OF_BEFORE.search(text[max(s_start, start - 40) : start])
    after = _OF_AFTER.match(text[end : min(s_end, end + 60)])
    found = before or after
    return frozenset({found.group(1).lower()}) if found else frozenset()


def same_title(x: Value, y: Value) -> bool:
    """One title, or two names of the office heading one government, each said of it."""
    if {x.key, y.key} <= _HEADS and x.places and x.places == y.places:
        return True
    return same_title_text(x.key, y.key)


def title_question(ctx: Context, who: str, cls: str) -> str:
    """"which office Bhupendra Patel holds", "which rank Panya Kamrab held"."""
    names = [m.text for (i, start), eid in ctx.of_mention.items() if eid == who
             for m in ctx.analyses[i].mentions if m.start == start and m.label == "PERSON"]
    name = max(names, key=len) if names else who
    return f"which office {name} holds" if cls == "office" else f"which rank {name} holds"


def title_of(text: str, start: int) -> str | None:
    """The office or rank written right before ``start`` in ``text``, normalised."""
    for cls, _ in _CLASSES:
        if found := _title_at(text, text[max(0, start - 40) : start], start, start, len(text),
                              cls):
            return found[2]
    return None
