"""Whether a party was behind the event: an accusation some outlets carry, denied by the accused.

"Pakistan has denied any involvement" and "the attack was blamed on the Pakistan-based
Lashkar" answer one question, whether Pakistan was behind the attack, in sentences that share
almost no words, so claim alignment never sets them side by side. The question is asked only
of a party that denies it: a country, or its seat of government ("the Kremlin", "Islamabad"),
named as who denies ("Ukraine has denied any involvement") or whose involvement is denied
("Asif denied Pakistan's link"), with an object that is about involvement (a "role", "links",
"the accusations", "nothing to do with"; plain "reports" or "claims" only with an involvement
word in them). Every outlet's sentences of the story's own event are then read for the party
in an accused position ("blamed Ukraine", "Pakistan-based", "shot down by Russia", "Ukraine
may have been involved", "Ukrainian air defence"); an outlet carrying both stands on both sides.

Where the party that denies it blames another in turn ("the Kremlin denied it ... blamed
Kyiv"), a second question asks which of the two was behind it (``culprit_values``): the
accusations of the denier on one side, its own accusations of the other on the other.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import cache

from storyline.compare.background import background
from storyline.compare.context import Context
from storyline.compare.countries import country_names
from storyline.compare.denial_cues import DENIAL
from storyline.compare.tolls import another_occasion, clause_bounds, event_sentences, story_dates
from storyline.compare.values import Value, in_sentence, value
from storyline.nlp.names import fold

INVOLVED, DENIES = "involved", "denies"
CULPRIT = "culprit"  # the slot of who was behind it, where two parties blame each other
# Seats and organs of government that stand for their country in news copy, and short names.
_SEATS = {
    "kremlin": "Russia", "moscow": "Russia", "kyiv": "Ukraine", "kiev": "Ukraine",
    "islamabad": "Pakistan", "new delhi": "India", "tehran": "Iran", "beijing": "China",
    "washington": "United States", "white house": "United States", "pentagon": "United States",
    "baku": "Azerbaijan", "ankara": "Turkey", "damascus": "Syria", "pyongyang": "North Korea",
    "minsk": "Belarus", "kabul": "Afghanistan", "baghdad": "Iraq", "riyadh": "Saudi Arabia",
}
_SHORT = {
    "us": "United States", "u s": "United States", "usa": "United States",
    "america": "United States", "american": "United States", "uk": "United Kingdom",
    "britain": "United Kingdom", "british": "United Kingdom", "russian federation": "Russia",
}
_PARTY_LABELS = {"GPE", "NORP", "ORG", "FAC"}
# Words that may follow a party's name in the organ of it that speaks ("Russia's Ministry of
# Defence", "Ukrainian President Zelenskyy"); any other capitalised word makes the name part
# of another ("Pakistani Taliban", "Ukraine International Airlines").
_ORGANS = frozenset(
    "government ministry defence defense foreign interior president presidential prime premier "
    "official officials authorities army military forces air embassy office spokesman "
    "spokeswoman spokesperson state leader leadership agencies intelligence security envoy "
    "ambassador navy troops side parliament fo mod".split()
)
# How far before a denial's cue its party may be named: "Pakistan Defence Minister Khwaja
# Asif on Wednesday claimed that they have" is 73 characters.
SUBJECT_CHARS = 90
_NEXT_WORD = re.compile(r"^(?:'s|’s)?\s+([A-Za-z]+)")
# A denial's object about involvement, read within this many characters after its cue.
OBJECT_CHARS = 80
_INVOLVEMENT_NOUNS = r"involvement|role|links?|connections?|complicity|hand|responsibility"
_INVOLVEMENT = f"(?:{_INVOLVEMENT_NOUNS})"
_INVOLVEMENT_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:" + _INVOLVEMENT_NOUNS + r"|accusations?|allegations?|blame)\b",
    re.IGNORECASE,
)
_WEAK_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:reports?|claims?|charges?|suggestions?)\b", re.IGNORECASE
)
_INVOLVEMENT_WORDS = re.compile(
    r"\b(?:behind|involv\w*|responsib\w*|link\w*|role|carried\s+out|fired|launched|shot|"
    r"downed|struck|hit|missiles?|orchestrat\w*|back(?:ed|ing)|support\w*|sanctuar\w*|"
    r"safe\s+havens?|harbou?r(?:ed|ing|s)|shelter(?:ed|ing))\b",
    re.IGNORECASE,
)
# The party whose involvement the object names: "Pakistan's link", "any Ukrainian
# involvement", "the involvement of Iran".
_OWNER_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:own\s+)?(?:\w+\s+)?" + _INVOLVEMENT + r"\b", re.I)
# The party an accusation ties the event to, after its object: "reject baseless allegations
# by Pakistan linking the attack on a passenger train with Afghanistan".
_LINKING = re.compile(
    r"^\W*(?:by\s+[\w-]+\s+)?(?:linking|connecting|tying)\b[^.;]*\b(?:with|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_OWNER_BEFORE = re.compile(_INVOLVEMENT + r"\s+(?:of|by)\s+(?:the\s+)?$", re.IGNORECASE)
_NOTHING_TO_DO = re.compile(
    r"\b(?:has|have|had|'s|’s)\s+(?:got\s+)?[\"“‘']?(?:absolutely\s+|certainly\s+)?"
    r"nothing\s+to\s+do\s+with\b",
    re.IGNORECASE,
)
# Country names read with "the": "the United States", "the Netherlands", "the Philippines".
_THE = re.compile(r"^(?:United|Netherlands|Philippines|Gambia|Bahamas|Maldives)\b|"
                  r"\b(?:Republic|Islands|Emirates|Kingdom|States)$")
# Another party accused beside it: "blamed Israel and the United States".
_AND_ANOTHER = r"(?:[\w-]+\s+(?:and|or)\s+(?:the\s+)?)?"
# A party in an accused position; {p} is the party's names.
_ACCUSED = (
    r"\b(?:blam(?:e|ed|es|ing)|accus(?:e|ed|es|ing)|implicat(?:e|ed|es|ing)|"
    r"point(?:ed|s|ing)?\s+(?:the\s+)?finger\s+at)\s+(?:\w+\s+){{0,2}}?" + _AND_ANOTHER
    + r"(?P<a>{p})\b",
    r"\b(?P<b>{p})(?:'s|’s)?\s+(?:[\w-]+\s+){{0,4}}?(?:was|were|is|are|had\s+been|has\s+been|"
    r"(?:may|might|could|must)\s+have\s+been)\s+(?:\w+\s+)?(?:behind|involved|responsible)\b",
    r"\b(?:involvement|involved|responsib\w*|link(?:ed|s)?|backed|supported|sponsored|"
    r"orchestrated|carried\s+out|shot\s+down|fired|launched|downed|used|was\s+from|were\s+from)"
    r"\s+(?:by|to|with|of|from|on)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?P<c>{p})\b",
    r"\b(?P<d>{p})-(?:based|sponsored|linked)\b",
    r"\b(?:blame\s+(?:was\s+|has\s+been\s+|is\s+)?(?:cast|put|laid|placed|pinned)|"
    r"(?:cast|put|laid|placed|pinned|pinning|casting|putting|laying)\s+(?:the\s+)?blame)\s+"
    r"(?:squarely\s+)?on\s+(?:the\s+)?" + _AND_ANOTHER + r"(?P<f>{p})\b",
    r"\bresponsibility\s+(?:for\s+(?:[\w-]+\s+){{0,3}}?)?(?:lies|rests)\s+with\s+(?:the\s+)?"
    + _AND_ANOTHER + r"(?P<g>{p})\b",
    r"\b(?:handlers?|facilitators?|masterminds?|ringleaders?|sponsors?|sanctuar(?:y|ies)|"
    r"safe\s+havens?|hideouts?|training\s+camps?)\W+(?:[\w-]+\s+){{0,3}}?(?:in|from)\s+"
    r"(?:neighbouring\s+|neighboring\s+)?(?P<h>{p})\b",
    r"\b(?P<e>{p})(?:'s|’s)?\s+(?:own\s+)?(?:air[\s-]defen[cs]es?|anti-missile|involvement|"
    r"role|hand|complicity)\b",
    r"\b(?:sabotage|attacks?|strikes?|shelling|bombardment|bombing|destruction)\s+by\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?P<i>{p})\b",
    r"\b(?P<j>{p})(?:'s|’s)?\s+(?:forces|troops|military|army|side|soldiers)\s+(?:had\s+|have\s+|"
    r"has\s+)?(?:deliberately\s+)?(?:blew|blown|destroyed|attacked|struck|shelled|bombed|fired|"
    r"launched)\b",
)
# A hedge or negation before the accusation makes it none ("no evidence that Russia was
# behind", "if Ukraine was involved").
HEDGE_CHARS = 50
_NOT_SAID = re.compile(r"\b(?:if|whether|unless)\b", re.IGNORECASE)
# "suggested without evidence that Ukraine may have been involved" still carries the claim.
_NEGATED = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor)\b|n't\b", re.I)


def involvement_values(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's answers to whether each denying party was behind the event, by party."""
    names = _party_names(ctx)
    out: dict[str, list[Value]] = {}
    denied: set[tuple[int, int]] = set()
    for v in _story_denials(ctx):
        out.setdefault(v.key, []).append(v)
        denied.add((v.article, v.sentence))
    for party, values in out.items():
        values += [v for v in _accusations_of(ctx, party, names)
                   if (v.article, v.sentence) not in denied]
    return {p: vs for p, vs in out.items() if {v.normalized for v in vs} == {INVOLVED, DENIES}}


def _story_denials(ctx: Context) -> list[Value]:
    """Every event sentence's denial of a party's involvement (``_denials``), read once per
    comparison: both story questions of this module start from them."""
    key = ("involvement denials",)
    if key not in ctx.cache:
        names, dates = _party_names(ctx), story_dates(ctx)
        ctx.cache[key] = [v for i, si in event_sentences(ctx)
                          for v in _denials(ctx, i, si, names, dates)]
    return ctx.cache[key]


def _accusations_of(ctx: Context, party: str, names: dict[str, str]) -> list[Value]:
    """Every event sentence's accusation of the party, whoever makes it, read once per
    comparison."""
    key = ("accusations", party)
    if key not in ctx.cache:
        ctx.cache[key] = _accusations(ctx, event_sentences(ctx), party, _accused(party, names),
                                      story_dates(ctx))
    return ctx.cache[key]


def involvement_question(party: str) -> str:
    """The question as a reader reads it: "whether Pakistan was behind it", "whether the
    United States was behind it"."""
    return f"whether {'the ' if _THE.search(party) else ''}{party} was behind it"


def same_answer(x: Value, y: Value) -> bool:
    """Two answers agree when both accuse or both deny."""
    return x.normalized == y.normalized


def _denials(ctx: Context, i: int, si: int, names: dict[str, str], dates: set[str]):
    """A sentence's denial of a party's involvement, as the party's "denies" (at most one)."""
    a = ctx.analyses[i]
    s = a.sentences[si]
    text = a.sentence_text(si)
    if background(ctx, i, si):
        return  # a standing denial of an old accusation ("Kabul has denied these allegations")
    for m in (*DENIAL.finditer(text), *_NOTHING_TO_DO.finditer(text)):
        rest = text[m.end() : m.end() + OBJECT_CHARS]
        said = m.group(0) + rest
        obj = _NOTHING_TO_DO.match(m.group(0)) or _INVOLVEMENT_OBJECT.match(said)
        if obj is None and not (_WEAK_OBJECT.match(said) and _INVOLVEMENT_WORDS.search(rest)):
            continue
        b, e = clause_bounds(text, m.start(), m.end())
        if another_occasion(text[b:e], dates):
            continue
        object_end = m.end() + (obj.end() - len(m.group(0)) if obj else len(rest))
        party = _party(ctx, i, si, text, (b, m.start(), object_end), names)
        if party:
            start = s.start + m.start()
            yield value(
                ctx, i, si, start, start + len(m.group(0)), DENIES, "involvement", key=party
            )
            return


@cache
def _countries() -> dict[str, str]:
    """Country names, folded (``countries``), with their seats and short names."""
    return country_names() | _SHORT | _SEATS


# The tagger calls "Ukrainian" a place now and then.
_ADJECTIVE = re.compile(r"(?:ian|ean|an|ese|ish|i)$")


def _party_names(ctx: Context) -> dict[str, str]:
    """The story's names of countries, folded, to the country: country names and seats, and
    the adjectives of countries ("Ukrainian" -> Ukraine, by their shared stem); read once per
    comparison."""
    if ("party names",) not in ctx.cache:
        ctx.cache[("party names",)] = _read_party_names(ctx)
    return ctx.cache[("party names",)]


def _read_party_names(ctx: Context) -> dict[str, str]:
    countries = _countries()
    out = {}
    for k, label in {(fold(m.text), m.label) for a in ctx.analyses for m in a.mentions
                     if m.label in {"GPE", "NORP"}}:
        if k in countries:
            out[k] = countries[k]
            continue
        if label == "GPE" and not _ADJECTIVE.search(k):
            continue  # a town ("Indiana" is no adjective of India)
        # "Spanish", "Polish" keep three letters of their country's name; "Afghan" is a part
        stems = [p for p in countries if len(p) >= 4 and (
            len(p) < len(k) and k.startswith(p[:3] if k.endswith("ish") else p[:max(4, len(p) - 1)])
            or len(k) >= 5 and p.startswith(k))]
        if len(stems) == 1:
            out[k] = countries[stems[0]]
    return out | _SHORT | _SEATS


_SEAT_NAMES = re.compile(
    r"\b(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _SEATS) + r")\b",
    re.IGNORECASE,
)


def _in_a_name(text: str, end: int) -> bool:
    """Whether a country's name ending at ``end`` is part of another name ("Pakistani
    Taliban"), not a party or its organ ("Russia's Defence Ministry")."""
    m = _NEXT_WORD.match(text[end:])
    return bool(m and m.group(1)[0].isupper() and m.group(1).lower() not in _ORGANS)


def _party(
    ctx: Context, i: int, si: int, text: str, at: tuple[int, int, int], names: dict[str, str]
) -> str:
    """The party whose involvement a denial rejects: the owner of the involvement it names
    ("denied Pakistan's link"), else the nearest before its cue in its clause ("Ukraine has
    denied ..."). ``at``: the clause's start, the cue's start and the object's end."""
    offset = ctx.analyses[i].sentences[si].start
    named = [(m.start - offset, m.end - offset, m.text)
             for m in in_sentence(ctx.analyses[i].mentions, si) if m.label in _PARTY_LABELS]
    named += [(m.start(), m.end(), m.group(0)) for m in _SEAT_NAMES.finditer(text)]
    found = sorted((b, e, c) for b, e, name in named
                   if (c := names.get(fold(name), "")) and not _in_a_name(text, e))
    clause, cue, object_end = at
    owner = [c for b, e, c in found if cue < b < object_end and (
        _OWNER_AFTER.match(text[e:]) or _OWNER_BEFORE.search(text[cue:b]))]
    owner += [c for b, e, c in found if object_end <= b <= object_end + SUBJECT_CHARS
              and _LINKING.search(text[object_end:b])]
    before = [c for b, e, c in found if max(clause, cue - SUBJECT_CHARS) <= b < cue]
    return owner[0] if owner else before[-1] if before else ""


def _written(party: str, names: dict[str, str]) -> str:
    """An alternation of every name the story gives the party, longest first."""
    written = {fold(party)} | {k for k, v in names.items() if v == party}
    return "|".join(sorted((re.escape(n).replace(r"\ ", r"[\s-]+") for n in written),
                           key=len, reverse=True))


def _accused(party: str, names: dict[str, str]) -> re.Pattern:
    """The accused positions (``_ACCUSED``) of every name the story gives the party."""
    alts = _written(party, names)
    return re.compile("|".join(p.format(p=alts) for p in _ACCUSED), re.IGNORECASE)


def _accusation(
    ctx: Context,
    i: int,
    si: int,
    party: str,
    accused: re.Pattern,
    dates: set[str],
    by: Callable[[str, int, int], bool] | None = None,
) -> Value | None:
    """A sentence's accusation of the party, said as a fact of this event, or None; with
    ``by``, only one whose accuser ``by(text, clause start, accusation start)`` finds."""
    a = ctx.analyses[i]
    s = a.sentences[si]
    text = a.sentence_text(si)
    for m in accused.finditer(text):
        if _in_a_name(text, m.end(m.lastgroup)):
            continue
        b, e = clause_bounds(text, m.start(), m.end())
        clause = text[b:e]
        lead = text[max(0, m.start() - HEDGE_CHARS) : m.start()]
        if _NEGATED.search(clause) or _NOT_SAID.search(lead) or another_occasion(clause, dates):
            continue
        if by is not None and not by(text, b, m.start()):
            continue
        start = s.start + m.start()
        return value(ctx, i, si, start, start + len(m.group(0)), INVOLVED, "involvement",
                     key=party)
    return None


def culprit_values(ctx: Context) -> dict[tuple[str, str], list[Value]]:
    """Who was behind the event, where a party that denies it blames another in turn ("Russia
    denied it ... the Kremlin blamed Ukraine"): each pair's answers, the accusations of the
    denying party on one side and its own accusations of the other party on the other."""
    sentences = event_sentences(ctx)
    dates = story_dates(ctx)
    names = _party_names(ctx)
    denials: dict[str, set[tuple[int, int]]] = {}
    for v in _story_denials(ctx):
        denials.setdefault(v.key, set()).add((v.article, v.sentence))
    out: dict[tuple[str, str], list[Value]] = {}
    texts = {(i, si): ctx.analyses[i].sentence_text(si) for i, si in sentences}
    for denier, denying in denials.items():
        voice = _voice(denier, names)
        said = _named_in(denier, names, texts)  # sentences naming the denier, who may accuse
        for other in sorted(set(names.values()) - {denier}):
            both = _named_in(other, names, said)
            if not both:
                continue
            blames = _accusations(ctx, both, other, _accused(other, names), dates, voice)
            if not blames:
                continue
            taken = denying | {(v.article, v.sentence) for v in blames}
            blamed = [v for v in _accusations_of(ctx, denier, names)
                      if (v.article, v.sentence) not in taken]
            pair = tuple(sorted((denier, other)))
            known = out.setdefault(pair, [])
            seen = {(v.article, v.sentence) for v in known}
            known += [dataclasses.replace(v, normalized=party, slot=CULPRIT, key="")
                      for party, vs in ((other, blames), (denier, blamed)) for v in vs
                      if (v.article, v.sentence) not in seen]
    return {p: vs for p, vs in out.items() if len({v.normalized for v in vs}) == 2}


def culprit_question(pair: tuple[str, str]) -> str:
    """"who was behind it: Russia or Ukraine"."""
    return "who was behind it: " + " or ".join(
        f"{'the ' if _THE.search(p) else ''}{p}" for p in pair)


def _voice(party: str, names: dict[str, str]) -> Callable[[str, int, int], bool]:
    """Whether the party is named as the accuser before an accusation in its clause ("the
    Kremlin blamed Ukraine", "Russia's defence ministry accused Kyiv"): within SUBJECT_CHARS,
    not part of another name, and not itself accused there ("in touch with handlers in
    Afghanistan and accused India" names Afghanistan as accused, not as accuser)."""
    named = _name_pattern(party, names)
    accused = _accused(party, names)

    def accuser(text: str, clause: int, start: int) -> bool:
        spans = [(m.start(), m.end()) for m in accused.finditer(text, clause, start)]
        return any(not _in_a_name(text, x.end()) and not any(b <= x.start() < e for b, e in spans)
                   for x in named.finditer(text, max(clause, start - SUBJECT_CHARS), start))

    return accuser


def _name_pattern(party: str, names: dict[str, str]) -> re.Pattern:
    """Any name the story gives the party, as a word."""
    return re.compile(r"\b(?:" + _written(party, names) + r")\b", re.IGNORECASE)


def _named_in(party: str, names: dict[str, str], texts: dict) -> dict:
    """The sentences (of ``texts``: (article, sentence) -> text) that name the party."""
    named = _name_pattern(party, names)
    return {k: t for k, t in texts.items() if named.search(t)}


def _accusations(ctx: Context, sentences, party: str,
                 accused: re.Pattern, dates: set[str],
                 by: Callable[[str, int, int], bool] | None = None) -> list:
    """Every given event sentence's accusation of the party (``_accusation``)."""
    return [v for i, si in sentences
            if (v := _accusation(ctx, i, si, party, accused, dates, by)) is not None]
