"""Casualty tolls: how many people an event killed and injured, read from every outlet at once.

The toll is the commonest dispute of breaking news, and the pairwise pass misses it: outlets
state it in sentences that rarely align ("the death toll climbed to 288 on Saturday" / "the
state government said 275 were killed"). So every outlet's own statements of the story's toll
are collected, whatever sentence they stand in, and compared as one question; the dead and the
injured of one group ("24 children", "63 Canadians") are questions of their own.

A statement takes part when it gives one toll in its sentence (two, as in "revised to 275 from
288", leave it unclear which is current) and is not of a part ("34 of them", "including", "at
the scene"), of another occasion (another month or year named, "since", "that bombing"), of
one blast of several, of a moment ("as of Sunday evening"), a witness's quote or a breakdown by
place. A toll counted at a named place ("19 died in Rukum West", "In Jajarkot district, 92
...") is compared only with tolls of that place; a place that only says where the event was
("the toll from a bombing at a mosque in Peshawar") scopes nothing (``_place``).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from storyline.compare.amounts import LOCATIVE, has_figure, is_place, number_values
from storyline.compare.context import Context
from storyline.compare.values import Value, in_sentence
from storyline.nlp.names import fold

TOTAL_SLOTS = ("people|kill|", "people|injure|")
# Groups of people a toll is broken down into ("24 children", "63 Canadians"): each count of
# dead or injured of one group is its own question, asked the same way as the total.
_GROUPS = frozenset(
    "child woman man girl boy student pupil teacher soldier officer policeman civilian "
    "foreigner tourist passenger worker pilgrim worshipper fan miner migrant refugee "
    "firefighter crew journalist national resident villager hostage".split()
)
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ans?|ese|is|ish|ch|s)$")


def is_toll_slot(slot: str, text: str = "") -> bool:
    """Whether a number's slot is a count of dead or injured people (a total or of one group
    named without narrowing words); ``text``, the amount as written, tells a demonym."""
    unit, scope, modifiers = slot.split("|")
    if scope not in {"kill", "injure"} or modifiers:
        return False
    return unit == "people" or unit in _GROUPS or bool(text and _DEMONYM.search(text))


# How far after a count its place may start: "1,175 people were injured in " is 30 characters.
PLACE_AFTER_CHARS = 32
# A part of the toll, not the toll, by the words before the count ("including 24 children",
# "34 of the 127", "the list of the deceased includes one ...") or after it ("died at the scene",
# "are under treatment in hospital", "25 people were also killed in an attack on a church").
_PART_BEFORE = re.compile(
    r"\b(?:including|includes?|included|among\s+(?:them|the\s+(?:dead|injured|victims))|"
    r"of\s+(?:them|whom)|"
    r"out\s+of)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
# The rest of a count, or more of it, told before: "the other four workers are presumed dead",
# "another 25 people were killed", "a further six": a part, of the total or of one group.
_REST_BEFORE = re.compile(r"\b(?:other|remaining|another|further|additional)\s+$", re.I)
# A sentence carrying on from the one before ("Likewise, five people have died ..."): its count
# is of the place or group that sentence named, unless it names its own ("Similarly, in Rukum
# West, 52 people have died").
_CONTINUATION = re.compile(r"^\W*(?:likewise|similarly|meanwhile)\b", re.IGNORECASE)
_PART_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,5}?(?:of\s+(?:them|the|whom)\b|at\s+the\s+scene|on\s+the\s+spot|"
    r"immediately|on\s+the\s+way\s+to|later|alone|the\s+rest|the\s+remaining|"
    r"under\s+treatment|being\s+treated|in\s+(?:the\s+)?hospitals?|admitted|arrived|identified|"
    r"brought\s+to|taken\s+to|transferred|while\s+being\s+(?:trans|taken|rush)|rushed\s+to|"
    r"discharged|elsewhere)",
    re.IGNORECASE,
)
PART_CHARS = 40
# The rest of the toll told after a count in its sentence: "Four women and a man died in the
# shopping centre and another woman later died in hospital" (five women died).
_MORE_AFTER = re.compile(
    r"\b(?:and|while|with)\s+(?:another|a\s+further|one\s+more|\w+\s+more)\b[^.;]{0,60}?"
    r"\b(?:later\s+)?(?:died|was\s+killed|were\s+killed|succumbed)\b",
    re.IGNORECASE,
)
# A count that might be, not one given: "the toll could exceed 2,000", "may rise to 300".
_FEARED = re.compile(
    r"\b(?:could|may|might|would|feared\s+to|expected\s+to)\s+(?:\w+\s+){0,3}$", re.IGNORECASE
)
# "25 people were also killed": a count added to another, the word right after its verb.
_ALSO = re.compile(r"^\s+(?:\w+\s+)?also\b", re.IGNORECASE)
# A figure given for a moment ("As of Sunday evening, officials said 153 were killed", "the
# toll stood at 151 as of 9am"): the guideline's gold leaves time-scoped tolls out, since a
# later figure does not contradict it. "As of writing" or "as of now" is the current figure.
_TIME_SCOPED = re.compile(
    r"\b(?:as\s+(?:of|at)(?!\s+(?:this\s+)?(?:writing|now|press\s+time|publication))|until|till)\b|"
    # "By Wednesday afternoon, at least 73 people were confirmed dead": a count at that hour
    r"^\W*by\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|this|last|late|early|mid)\b"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*,",
    re.IGNORECASE,
)
# A figure the outlet itself tells as superseded ("Earlier, the TV channel reported about 59
# dead", "an initial toll of 32"), or one summed over a year ("more than 1,000 people have died
# or gone missing while trying to cross the sea this year"): no answer for the event now.
_SUPERSEDED = re.compile(
    r"^\W*(?:earlier|initially|at\s+first|previously)\b|"
    r"\b(?:earlier|initial|previous|first|preliminary|partial)\s+(?:death\s+)?(?:toll|figures?|"
    r"counts?|estimates?|reports?)\b|\b(?:had|was|were)\s+(?:earlier|initially|previously)\b|"
    r"\b(?:this|last|each|every)\s+year\b|\bso\s+far\s+this\b|\bin\s+recent\s+years\b|"
    r"\bannually\b",
    re.IGNORECASE,
)
# A count one facility made: "the Al-Muaisem morgue, one of the largest in Mecca, recorded a
# total of 550 deaths" (a held-out heatwave's toll of 1,301).
_FACILITY = re.compile(
    r"\b(?:morgues?|mortuar(?:y|ies)|hospitals?|clinics?)\b[^.;]{0,60}?\b(?:recorded|received|"
    r"counted|registered|took\s+in)\b[^.;]*$",
    re.IGNORECASE,
)
# A breakdown by place: "92 were killed in Jajarkot and 36 in Rukum West", "55 in Jajarkot,
# 72 in Rukum West": each count is a part, and the sentence's total, if any, is unclear.
_BREAKDOWN = re.compile(r"(?:,|\band\b)\s+\d[\d,]*\s+(?:\w+\s+)?(?:in|at|from)\s+", re.I)
_MONTHS = {m.lower() for m in calendar.month_name if m}
_MONTH_OR_YEAR = re.compile(
    r"\b(?:" + "|".join(sorted(_MONTHS)) + r"|(?:19|20)\d\d)\b", re.IGNORECASE
)
# Another occasion than the story's event ("since" a time, not "since communication was lost").
OTHER_OCCASION = re.compile(
    r"\b(?:since\s+(?:(?:last|early|late|mid|the\s+start\s+of|the\s+beginning\s+of)\s+)?"
    r"(?:\d|then|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\b|the\s+(?:war|conflict|start|beginning)|(?:19|20)\d\d)|"
    r"last\s+(?:year|month|week)|previous|earlier\s+(?:this|that)\s+(?:year|month)|"
    r"a\s+similar|in\s+(?:19|20)\d\d|(?:19|20)\d\d\s+(?:attack|bombing|blast|crash|disaster|"
    r"quake|earthquake|flood|stampede|collapse)|that\s+(?:bombing|attack|blast|explosion|"
    r"incident|disaster|crash|quake|earthquake|stampede|tragedy))\b",
    re.IGNORECASE,
)
# A sentence pointing back at the incident the sentence before told of.
_BACK_REFERENCE = re.compile(
    r"\b(?:this|that|the)\s+(?:\w+\s+)?(?:attack|assault|siege|bombing|blast|explosion|raid|"
    r"incident|disaster|crash|quake|earthquake)\b",
    re.IGNORECASE,
)
# One incident of several: "the second blast killed ...", "the first explosion".
ONE_OF_SEVERAL = re.compile(
    r"\b(?:first|second|third|other|earlier|later|another|each)\s+(?:\w+\s+)?"
    r"(?:blast|explosion|bomb|bombing|attack|strike|car|truck|incident|wave|train|bus|boat|ship|"
    r"vessel|ferry|plane|aircraft|flight|building|tower|bridge|tremor|quake)\b|\baftershocks?\b|"
    r"\banother\s+(?:\w+\s+)?(?:disaster|accident|crash|tragedy|one|quake|earthquake|storm|"
    r"flood|cyclone|hurricane|typhoon)\b|"
    r"\bone\s+of\s+the\s+(?:\w+\s+){0,2}(?:blasts|explosions|attacks|bombings)\b|"
    r"\b(?:two|three|four|more|further)\s+(?:more\s+)?(?:blasts|explosions|attacks|bombings)\b|"
    r"\b(?:latest|recent)\s+(?:blast|explosion|attack|bombing)s?\b",
    re.IGNORECASE,
)


def toll_values(ctx: Context) -> dict[tuple[str, frozenset[str]], list[Value]]:
    """Every outlet's plain statements of the story's tolls, by (slot, place). Read once per
    comparison: the toll pass and the toll credits both ask for them (read-only)."""
    key = ("toll values",)
    if key not in ctx.cache:
        ctx.cache[key] = _toll_values(ctx)
    return ctx.cache[key]


def _toll_values(ctx: Context) -> dict[tuple[str, frozenset[str]], list[Value]]:
    out: dict[tuple[str, frozenset[str]], list[Value]] = {}
    for i, si in event_sentences(ctx):
        a, s = ctx.analyses[i], ctx.analyses[i].sentences[si]
        text = a.sentence_text(si)
        here = [(v, _place(ctx, i, si, v)) for v in number_values(ctx, i, si)
                if is_toll_slot(v.slot, v.text)]
        # Two tolls of one place in one sentence: which one is current? Counts of several
        # places ("42 killed in Colombo, 10 in Batticaloa and 50 in Negombo") are each theirs.
        for slot, place in dict.fromkeys((v.slot, p) for v, p in here):
            vs = [v for v, p in here if (v.slot, p) == (slot, place)]
            if len({v.normalized for v in vs}) != 1:
                continue
            v = vs[0]
            before = a.text[max(s.start, v.start - PART_CHARS) : v.start]
            after = a.text[v.end : min(s.end, v.end + PART_CHARS)]
            opening = a.text[s.start : min(v.start, s.start + 20)]
            # "including 24 children" makes a part of the total, and is the children's count
            total = slot in TOTAL_SLOTS
            part = _PART_BEFORE.search(before) or _PART_BEFORE.search(opening)
            if (total and part) or _REST_BEFORE.search(before):
                continue
            if _PART_AFTER.match(after) or _ALSO.match(after) or _MORE_AFTER.search(
                    a.text, v.end, s.end):
                continue
            if _FEARED.search(before):
                continue  # "officials feared the toll could exceed 2,000": no figure given
            if (_BREAKDOWN.search(a.text, v.end, s.end) and not place) or quoted(a, v):
                continue
            if _TIME_SCOPED.search(text) or _SUPERSEDED.search(text):
                continue
            if _FACILITY.search(a.text[s.start : v.start]):
                continue
            if not has_figure(v.text):
                continue  # "several individuals", "dozens": no figure to dispute
            if _CONTINUATION.match(opening) and not place:
                continue  # "Likewise, five people have died": of the place said before
            out.setdefault((slot, place), []).append(_with_missing(ctx, i, si, v))
    return _merge_places(ctx, _without_told_parts(ctx, out))


# A figure an outlet tells as a part of the dead: "92 of those who died were in Valencia",
# "most of these deaths - 92 - have come in the city".
_TOLD_PART = re.compile(
    r"\b(\d[\d,]*)\s+of\s+(?:those|the|these|them|whom)\b(?:\s+\w+){0,2}?\s+(?:died|dead|"
    r"killed|deaths|victims)\b|\b(?:most|many|some|half)\s+of\s+(?:the|these|those)\s+"
    r"(?:deaths|dead|victims|fatalities)\W+(\d[\d,]*)\b",
    re.IGNORECASE,
)


def _without_told_parts(
    ctx: Context, found: dict[tuple[str, frozenset[str]], list[Value]]
) -> dict[tuple[str, frozenset[str]], list[Value]]:
    """Each toll question without a figure below its highest that another outlet tells as a
    part of the dead: the 92 a page gives as "the death toll" is the 92 of 95 others say died in
    one city."""
    parts = set()
    for a in ctx.analyses:
        for m in _TOLD_PART.finditer(a.text):
            parts.add(float((m.group(1) or m.group(2)).replace(",", "")))
    if not parts:
        return found
    for key, values in found.items():
        top = max(v.low for v in values)
        found[key] = [v for v in values if not (v.low == v.high < top and v.low in parts)]
    return found


def _with_missing(ctx: Context, i: int, si: int, v: Value) -> Value:
    """A death toll told beside those still missing ("176 people were killed, three remain
    missing") commits to no more than that toll plus the missing: 179 from another outlet
    counts them found dead, not a different toll."""
    unit, scope, _ = v.slot.split("|")
    if scope != "kill":
        return v
    missing = [w.high for w in number_values(ctx, i, si) if w.slot == f"{unit}|miss|"]
    return replace(v, high=v.high + max(missing)) if missing else v


def event_sentences(ctx: Context) -> list[tuple[int, int]]:
    """(article, sentence) of every sentence that may tell of the story's own event: not page
    clutter, not of another occasion or of one incident of several (``elsewhere``). Read once
    per comparison: every story question reads the same sentences."""
    key = ("event sentences",)
    if key not in ctx.cache:
        dates = story_dates(ctx)
        out = []
        for i, a in enumerate(ctx.analyses):
            apart = elsewhere(ctx, i, dates)
            out += [(i, si) for si, s in enumerate(a.sentences)
                    if not s.boilerplate and not apart[si]]
        ctx.cache[key] = out
    return ctx.cache[key]


def event_texts(ctx: Context) -> Iterator[tuple[int, int, int, str]]:
    """(article, sentence, its start, its text) of every ``event_sentences`` sentence."""
    for i, si in event_sentences(ctx):
        a = ctx.analyses[i]
        yield i, si, a.sentences[si].start, a.sentence_text(si)


def elsewhere(ctx: Context, i: int, dates: set[str]) -> list[bool]:
    """Per sentence of article ``i``, whether it tells of another occasion than the story's
    event (of none of the story's ``dates``: "In August, al-Shabab ... killing 21", "that
    bombing") or of one incident of several ("the second blast"), or points back at the one the
    sentence before told of ("After this attack, which left 21 dead", "The blast is believed to
    have taken place at about 2 p.m.")."""
    out, before = [], False
    for si in range(len(ctx.analyses[i].sentences)):
        text = ctx.analyses[i].sentence_text(si)
        apart = another_occasion(text, dates) or bool(before and _BACK_REFERENCE.search(text))
        out.append(apart)
        before = apart
    return out


def another_occasion(text: str, story_dates: set[str], several: bool = True) -> bool:
    """Whether a text tells of another occasion than the story's event or (with ``several``)
    of one incident of several, by its own words ("since 1989", "the second blast", a month
    the story is not of)."""
    return bool(
        OTHER_OCCASION.search(text)
        or (several and ONE_OF_SEVERAL.search(text))
        or names_another_date(text, story_dates)
    )


def names_another_date(text: str, story_dates: set[str]) -> bool:
    """Whether a text names a month or year the story is not of ("on June 27" in a January
    strike's story)."""
    return bool({m.lower() for m in _MONTH_OR_YEAR.findall(text)} - story_dates)


# Where a sentence's clause ends: "No group claimed responsibility, but rebels have waged an
# insurgency since 1989" is of this event up to its "but".
_CLAUSE_BREAK = re.compile(r",\s+(?:but|while|whereas|although|though)\b|;\s|\s[–—]\s")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause of a sentence holding the span ``start:end`` begins and ends."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    after = _CLAUSE_BREAK.search(text, end)
    return (before[-1] if before else 0, after.start() if after else len(text))


def clause_of(text: str, start: int, end: int) -> str:
    """The clause of a sentence holding the span ``start:end``."""
    b, e = clause_bounds(text, start, end)
    return text[b:e]


def story_dates(ctx: Context) -> set[str]:
    """The months and years the story is about (``_story_dates``), read once per comparison."""
    if ("story dates",) not in ctx.cache:
        ctx.cache[("story dates",)] = _story_dates(ctx)
    return ctx.cache[("story dates",)]


# The months and years the story is about: those most named across its outlets, down to
# this share of the most named one.
STORY_DATE_SHARE = 0.5


def quoted(a, v: Value) -> bool:
    """Inside a direct quote: a witness's "two people were injured" is one scene of many."""
    return any(
        q.direct and q.content_start <= v.start and v.end <= q.content_end for q in a.quotes
    )


_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-\d\d\b")


def _story_dates(ctx: Context) -> set[str]:
    """The months and years most named across the story, its articles' own dates counted
    (published, or a date line such as "date 2022-10-30" a saved page carries)."""
    counts: Counter[str] = Counter()
    for a in ctx.analyses:
        own = a.article.published
        if own is None and (m := _ISO_DATE.search(a.text)):
            own = (int(m.group(1)), int(m.group(2)))
        elif own is not None:
            own = (own.year, own.month)
        named = set()
        for si, s in enumerate(a.sentences):
            if not s.boilerplate:
                named |= {m.lower() for m in _MONTH_OR_YEAR.findall(a.sentence_text(si))}
        if own and 1 <= own[1] <= 12:
            named |= {str(own[0]), calendar.month_name[own[1]].lower()}
        counts.update(named)
    months = {k: n for k, n in counts.items() if k in _MONTHS}
    years = {k: n for k, n in counts.items() if k not in _MONTHS}
    keep = set()
    for group in (months, years):
        top = max(group.values(), default=0)
        keep |= {k for k, n in group.items() if n >= STORY_DATE_SHARE * top}
    return keep


def _merge_places(
    ctx: Context, found: dict[tuple[str, frozenset[str]], list[Value]]
) -> dict[tuple[str, frozenset[str]], list[Value]]:
    """A place group whose every figure the story's unplaced tolls also give names where the
    event happened, not a part of it ("125 dead in Indonesia" beside "the toll was revised to
    125", "at least 128 died in the Nepal earthquake" beside "killed at least 128"): it joins
    them. Places with figures of their own (Jajarkot's 92 and 37 beside totals of 133 and 157,
    one of its outlets giving 157 for both) stay apart."""
    for (slot, places) in [k for k in found if k[1]]:
        home = found.get((slot, frozenset()))
        if home is None:
            continue
        given = {v.normalized for v in home}
        if all(v.normalized in given for v in found[(slot, places)]):
            home.extend(found.pop((slot, places)))
    return _merge_site(ctx, found)


# The share of a story's articles that must name a place beyond its tolls for it to be where
# the whole event happened ("died at the Kanjuruhan Stadium": 11 of 12 outlets name it).
SITE_SHARE = 0.5


def _merge_site(
    ctx: Context, found: dict[tuple[str, frozenset[str]], list[Value]]
) -> dict[tuple[str, frozenset[str]], list[Value]]:
    """The one place a story counts tolls at, when most of its outlets name it beyond its
    tolls, is the event's site ("at least 153 people died in a stampede in Kanjuruhan
    Stadium"), not a part: its tolls join the unplaced ones. Two or more places (Jajarkot and
    Rukum West) are parts, and so is a place only tolls name ("In Varsk district, 9 died")."""
    placed = {places for _, places in found if places}
    if len(placed) != 1:
        return found
    (site,) = placed
    tolls = {(v.article, v.sentence) for vs in found.values() for v in vs}
    naming = {i for (i, start), eid in ctx.of_mention.items()
              if eid in site and (i, ctx.analyses[i].sentence_at(start)) not in tolls}
    if len(naming) < SITE_SHARE * len(ctx.analyses):
        return found
    for slot, places in [k for k in found if k[1]]:
        home = found.get((slot, frozenset()), [])
        # a part is below the whole: figures all under every total ("3 injured at Qasr Tamim"
        # beside 9 in all) are one of the event's places, not its site
        if home and max(v.low for v in found[(slot, places)]) < min(v.low for v in home):
            continue
        found.setdefault((slot, frozenset()), []).extend(found.pop((slot, places)))
    return found


def place_name(ctx: Context, places: frozenset[str]) -> str:
    """How the story's outlets most often write a toll's place ("" for none)."""
    names: Counter[str] = Counter()
    for (i, start), eid in ctx.of_mention.items():
        if eid in places:
            m = next(m for m in ctx.analyses[i].mentions if m.start == start)
            names[m.text] += 1
    return names.most_common(1)[0][0] if names else " and ".join(sorted(places))


def _place(ctx: Context, i: int, si: int, v: Value) -> frozenset[str]:
    """The place a toll is counted at: a place named right after the count ("killed in
    Jajarkot"), else one its clause makes the toll's own before it ("In Jajarkot district, 92
    people were confirmed dead", "the toll in Jajarkot alone has reached 37", "Jajarkot
    suffered ... 95 fatalities"), else none: "the toll from a bombing at a mosque in Peshawar
    has risen to 90" says where the event was, not which part of it was counted."""
    a = ctx.analyses[i]
    s = a.sentences[si]
    clause = max(s.start, a.text.rfind(". ", s.start, v.start) + 1)
    there = _THERE.match(a.text, v.end)
    found = None
    for m in sorted(in_sentence(a.mentions, si), key=lambda m: m.start):
        if not is_place(ctx, i, m):
            continue
        located = LOCATIVE.search(a.text[max(0, m.start - 30) : m.start])
        if v.end <= m.start <= v.end + PLACE_AFTER_CHARS and located:
            if not _EVENT_NAMED.match(a.text, m.end):
                found = m
            break
        if clause <= m.start < v.start and (
            (there and located)
            or _PLACE_SUBJECT.match(a.text, m.end)
            or (_OPENING_PLACE.match(a.text[s.start : m.start]) and _SCOPE_END.match(a.text, m.end))
        ):
            found = m
    if found is None:
        return _named_scope(ctx, a.text[clause : v.start]) or _venue(a.text, clause, v, s.end)
    return frozenset({ctx.entity_of(i, found.start, found.end) or fold(found.text)})


# A count at a named venue, which the tagger rarely calls a place: "Seven people were killed at
# Just In Time", "at Just-in-Time Recreation, where he killed seven people", "eight people
# were killed at Schemengees" (a held-out shooting at two venues, beside its total of 18).
_VENUE_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+){0,3}?(?:at|inside|outside)\s+(?:the\s+)?(?P<name>[A-Z][\w'’&-]*)")
_VENUE_BEFORE = re.compile(
    r"\b(?:at|inside)\s+(?:the\s+)?(?P<name>[A-Z][\w'’&-]*)[^.;]{0,40}?,\s+where\s+"
    r"(?:[a-z]+\s+){0,3}$")


def _venue(text: str, clause: int, v: Value, end: int) -> frozenset[str]:
    """The venue a count is told at, by the first word of its name ("Just", "Schemengees"),
    which is also how its question names it."""
    m = _VENUE_AFTER.match(text, v.end, end) or _VENUE_BEFORE.search(text, clause, v.start)
    if not m:
        return frozenset()
    return frozenset({re.split(r"[\s-]", m.group("name"))[0].capitalize()})


# The same scopes where the tagger missed the place: "in Jajarkot alone", "Jajarkot suffered".
_SCOPE_WORDS = re.compile(
    r"\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:(?:district|province)\s+)?(?:alone\b|"
    r"(?:suffered|recorded|counted)\b)"
)


def _named_scope(ctx: Context, text: str) -> frozenset[str]:
    """A scope named in words that the story's outlets elsewhere tag as a place."""
    key = ("place names",)
    if key not in ctx.cache:
        ctx.cache[key] = {
            fold(m.text): ctx.entity_of(i, m.start, m.end) or fold(m.text)
            for i, a in enumerate(ctx.analyses) for m in a.mentions if is_place(ctx, i, m)
        }
    for m in _SCOPE_WORDS.finditer(text):
        place = ctx.cache[key].get(fold(m.group(1)))
        if place:
            return frozenset({place})
    return frozenset()


# A place that is a toll's subject: "Jajarkot suffered ...", "Rukum West recorded ...".
_PLACE_SUBJECT = re.compile(
    r"\s+(?:(?:district|province|region|county|state)\s+)?(?:alone\s+)?(?:suffered|recorded|"
    r"reported|saw|counted|accounted|has|had)\b|\s+alone\b",
    re.IGNORECASE,
)
# A place naming the event, not a part of it: "died in the Nepal earthquake".
_EVENT_NAMED = re.compile(
    r"['’]?s?\s+(?:\w+\s+)?(?:earthquake|quake|attack|bombing|blast|explosion|crash|disaster|"
    r"tragedy|stampede|crush|collapse|flood|fire|shooting|massacre)s?\b",
    re.IGNORECASE,
)
# "... near the Qasr Tamim base and no one was injured there": the place said before.
_THERE = re.compile(r"\s+(?:\w+\s+){0,3}?there\b", re.IGNORECASE)
# A sentence opening on its place: "In the neighbouring Jajarkot district, ...", "Similarly, in
# Rukum West, ..."
_OPENING_PLACE = re.compile(
    r"^\W*(?:(?:likewise|similarly|meanwhile)\W+)?(?:in|at)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(
    r"(?:\s+(?:district|province|region|county|state|city|town|village))?\s*,", re.IGNORECASE
)


# A toll the outlet tells as the latest of a rising count: "the death toll rose to 137", "has
# climbed to", "now stands at", "increased to at least 40"; or as corrected ("revised down to
# 275", "lowered to").
RISE_CHARS = 60
_RISEN = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|climbing|increased|increases|jumped|"
    r"mounted|went\s+up|gone\s+up|grew|grown|swelled|(?:has|have|had)\s+reached|now\s+"
    r"(?:stands?|stood)\s+at|(?:is|was|are|were)\s+now|now\s+(?:at|put\s+at))\s+"
    r"(?:\w+\s+){0,2}?(?:to\s+)?(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+|almost\s+|"
    r"some\s+)?$",
    re.IGNORECASE,
)
_REVISED = re.compile(
    r"\b(?:revised|corrected|lowered|reduced|cut|adjusted|downgraded|down\s+to|"
    r"double[- ]counted)\b", re.IGNORECASE)


def _risen(ctx: Context, v: Value) -> bool:
    """Whether an outlet tells a toll as the latest figure of a rising count."""
    a = ctx.analyses[v.article]
    s = a.sentences[v.sentence]
    return bool(_RISEN.search(a.text[max(s.start, v.start - RISE_CHARS) : v.start]))


def _revised(ctx: Context, v: Value) -> bool:
    """Whether an outlet tells a toll as a correction of an earlier figure."""
    return bool(_REVISED.search(ctx.analyses[v.article].sentence_text(v.sentence)))


# A toll given as this many answers that exclude each other across the story is a count in
# motion, each answer a moment of it (Itaewon's dead: 149, 154, "at least 156"; a crash's: 8
# to 72 as the bodies were found): labellers of real coverage file none of them as a dispute.
MOMENTS_OF_A_COUNT = 3


def rising_count(ctx: Context, sides: list[list[Value]]) -> bool:
    """Whether a toll's sides (answers that agree among themselves) read as moments of one
    count that rose as reports came in, which is no dispute: three sides or more, or any
    figure an outlet tells as risen to ("Taiwan toll rises to 4" beside a later nine: pages
    from the search corpus carry a date at most, so the hours apart cannot be read). Such a
    toll is still disputed when an outlet tells a figure as revised ("lowered its toll to 61")
    or one side says no one was killed or hurt. Two sides told plainly stay a dispute, dated or
    not: a first report's 9 wounded beside the next day's 14 may be a count that rose, or one
    outlet's error, and nothing on the page tells which."""
    values = [v for side in sides for v in side]
    if len(sides) < 2 or not (
            len(sides) >= MOMENTS_OF_A_COUNT or any(_risen(ctx, v) for v in values)):
        return False
    return not (any(v.high <= 0 for v in values) or any(_revised(ctx, v) for v in values))


def contested(sides: list[list[Value]], families: list[int]) -> bool:
    """Whether two sides come from different outlets (one outlet's earlier and later toll
    alone is not a dispute between outlets)."""
    fams = [{families[v.article] for v in side} for side in sides]
    return any(a - b and b - a for x, a in enumerate(fams) for b in fams[x + 1 :])
