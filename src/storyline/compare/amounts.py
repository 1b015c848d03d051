"""Amounts as comparable values: what a number counts (unit, verb, modifiers, place) and the
interval it commits to. Two amounts answer one question only when they count the same thing;
then they dispute it when their intervals do not meet.

Set on the same development data as checks.py (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyline.compare.context import Context, content_words
from storyline.compare.lengths import DISTANCE_UNITS, measure
from storyline.compare.values import Value, in_sentence, value
from storyline.nlp.names import fold

# What a counted amount is about, read from the verb next to it: "22 missiles were fired" and
# "11 missiles hit" count different things; "3 killed" and "12 injured" too.
_SCOPE_VERBS = {
    "fire": r"fir(?:e|ed|ing)|launch(?:ed|ing)?|sho(?:t(?!\s+down)|oting)|lobbed",
    "hit": r"hit|struck|land(?:ed|ing)|impacted|targeted|damaged|destroyed",
    "kill": r"kill(?:ed|ing)?|dead|died|deaths?|deceased|lost their lives|lives|"
            r"fatalit(?:y|ies)|executed",
    "injure": r"injur(?:ed|ies|ing)|wounded|hurt|hospitali[sz]ed",
    "arrest": r"arrest(?:ed|s)?|detain(?:ed)?|held",
    "miss": r"missing|unaccounted",
    "displace": r"displaced|evacuated|homeless|fled",
    "intercept": r"intercept(?:ed|ion)|shot down|downed",
    "oppose": r"opposed|against",
    "support": r"backed|supported|in favou?r",
    "abstain": r"abstain(?:ed|ing|ions?)?",
    "absent": r"not\s+(?:to\s+)?(?:participate|take\s+part|vote)|did\s+not\s+vote|absent|"
              r"skipped\s+the\s+vote",
    "rescue": r"rescued|saved|pulled out|evacuated alive|freed",
    # "181 people on board" and "two people survived" are no count of the dead
    "board": r"on\s+board|aboard|onboard|carrying|carried",
    "survive": r"surviv(?:ed|ors?|ing)",
    # a crowd that came against the crowd that was allowed ("permission was granted for 80,000
    # people, but more than 2.5 lakh devotees attended")
    "attend": r"gathered|attended|attending|turned\s+out|thronged|flocked",
    # what a plane or a hall could hold is no count of who was there ("a Boeing 787-8, which
    # can normally carry a total of 248 passengers" beside "230 passengers and 12 crew")
    "permit": r"permission|permitted|allowed|capacity|"
              r"(?:can|could)\s+(?:\w+\s+)?(?:carry|hold|seat|accommodate)",
    "treat": r"under treatment|being treated|treated|admitted|in hospital|"
             r"(?:taken|brought|rushed)\s+to\s+(?:the\s+|a\s+)?(?:\w+\s+)?hospitals?",
    # who live in a place is no count of what befell them ("Kherson, a city of some 300,000
    # people" beside "16,000 people were in the critical zone", a held-out dam breach)
    "live": r"population|inhabitants|home\s+to|(?:city|town|region|country)\s+of|live|lived",
}
_SCOPE = [(name, re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for name, p in _SCOPE_VERBS.items()]
# What befell the counted, when their own words say it ("two killed hospital workers", "16
# more wounded victims"): it wins over a nearer verb of another count (a held-out strike read
# the workers as injured and the victims as killed).
_OWN_SCOPES = frozenset({"kill", "injure"})
# Scopes that say where the counted were, not what befell them: any other scope in the
# window wins over them.
_WEAK_SCOPES = frozenset({"board"})
# Words around the amount read for its scope: "the strike killed 80 people" / "80 were killed".
SCOPE_WINDOW_CHARS = 40
# Before an amount these make it a reference to a known set, not a count ("the two bases").
_REFERENCE = re.compile(r"\b(?:the|these|those|both|its|their|his|her|our)\s*$", re.I)
# Before a count these make it a part of the count before it ("35 people, including 23 children").
_INCLUDED = re.compile(r"\b(?:including|among\s+them|of\s+(?:them|whom))\s+$", re.IGNORECASE)
# After a count of people this makes it one country's share of a list ("10 people from
# Sweden, four from Afghanistan"): a held-out event set it against "169 people had bought
# tickets" as one count of people.
_ORIGIN = re.compile(r"\s+from\s+(?:the\s+)?[A-Z]")
# Before an amount these make it the ones left out of a count ("All but one passenger were
# killed": one passenger survived, a held-out crash set it against 230 passengers).
_EXCEPT = re.compile(r"\b(?:all\s+but|except(?:\s+for)?|save\s+for|other\s+than|apart\s+from)"
                     r"\s+$", re.IGNORECASE)
# "one" before an article is a pronoun, no count ("two doctors died, one a passenger").
_PRONOUN_ONE = re.compile(r"^one\s+(?:a|an|the|of)\b", re.IGNORECASE)
# "One dam burst, then a second": the first of several, not a count of one.
_FIRST_OF = re.compile(r"\b(?:then|and|before|after)\s+(?:a|the)\s+second\b|\bthen\s+another\b",
                       re.IGNORECASE)
# After a count of travellers this makes it everyone on board ("242 passengers and crew").
_AND_CREW = re.compile(r"\s+and\s+(?:the\s+|its\s+)?crew\b", re.IGNORECASE)
# A nation's people told as the subject of a count of deaths: "Egyptians accounted for 658
# deaths" (a held-out heatwave counted each country's dead; "660 Egyptians" elsewhere).
_NATION_ACCOUNTED = re.compile(
    r"\b([A-Z][a-z]+s)\s+(?:accounted\s+for|made\s+up)\s+(?:about\s+|around\s+|at\s+least\s+|"
    r"more\s+than\s+|over\s+|nearly\s+)?$")
NATION_CHARS = 50  # how far before a count of deaths its nation is looked for
# Counted nouns of people that a nationality makes a count of that nation's people: "73
# Canadian citizens" / "63 Canadians" / "one Canadian passenger" (a held-out crash listed
# the passengers by nationality beside their total).
_NATIONAL_UNITS = frozenset({"national", "citizen", "people", "victim", "tourist", "person",
                             "passenger", "traveler", "traveller", "resident"})
_PROPER_MODIFIER = re.compile(r"^[A-Z][a-z]+$")
# After an amount these make it a share per unit ("six from each", "two apiece", "a day").
_PER_UNIT = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:from\s+|by\s+|of\s+|for\s+|in\s+)?(?:each|apiece|per)\b|"
    r"\s+a\s+(?:day|week|month|year|head)\b",
    re.IGNORECASE,
)
# Percentages and money say what they measure in the noun after them.
_RATE_UNITS = frozenset({"percent", "usd", "eur", "gbp", "jpy", "cny", "rub", "irr", "iqd"})
_OF_WHAT = re.compile(
    r"\s+(?:of\s+(?:the\s+|all\s+|its\s+|their\s+|U\.S\.\s+|US\s+)?(?:\w+\s+)?)?([A-Za-z]+)"
)
# Units that measure the event rather than count what befell it ("what magnitude it had").
_MEASURES = frozenset({"magnitude"})
# Inside an amount these make it an addition to another count ("300 more people"); before it
# too ("an additional 29 people were killed"); "another" may start a count of its own
# ("killing 154, and another 172 were injured").
_INCREMENT = re.compile(r"\b(?:more|other|additional|further|another|extra|new)\s+\w+$", re.I)
_ADDED = re.compile(r"\b(?:additional|further|extra)\s+$", re.IGNORECASE)
# After a count's verb these say where the counted were, which narrows the count: "killing
# 241 people onboard and dozens on the ground" is not the toll of 270 (a held-out crash).
_WHERE_COUNTED = re.compile(
    r"^\W*(?:[\w-]+\s+){0,5}?(?P<w>on\s*board|aboard|onboard|on\s+the\s+ground)\b", re.I)
ABOARD, ON_THE_GROUND = "aboard", "on the ground"  # the narrowing words they add
# A part named between a count and its verb is skipped to read the verb: "At least 265
# people, including 241 of the 242 on board a flight bound for London, were killed".
_INCLUDED_AFTER = re.compile(r",\s+(?:including|among\s+them)\b[^,]*,", re.IGNORECASE)
# The whole a part is counted of, with the whole's own verb, is skipped likewise: "25 missiles
# of 38 fired were shot down" (a held-out strike read the 25 as fired).
_OF_WHOLE = re.compile(
    r"\s+of\s+(?:the\s+)?[\d,]+(?:\s+[a-z]+)?\s+(?:"
    + "|".join(_SCOPE_VERBS[n] for n in ("fire", "hit", "kill", "injure")) + r")\b",
    re.IGNORECASE,
)
# Before an exact figure these make it a floor: "the death toll in Gaza surpassed 30,000"
# agrees with "climbed to 30,035" (a held-out event).
_PASSED = re.compile(r"\b(?:surpass(?:ed|es|ing)?|exceed(?:ed|s|ing)?|crossed|topped|passed|"
                     r"past)\s+$", re.IGNORECASE)
# Characters before an amount read for the words that qualify it ("including", "all but",
# "an additional", "surpassed").
QUALIFIER_CHARS = 16
# Two counts of one thing this many times apart count different scopes: a war's wounded
# (70,300) beside one incident's (280) in a held-out event, whose tolls otherwise moved at
# most 5.7 times (Derna: 2,000 to 11,300) across 32 gathered events.
SCOPE_RATIO = 20.0
# Counted nouns that name one class of thing under several lemmas.
UNIT_CLASS = {
    "person": "people", "individual": "people", "death": "people killed", "life": "people killed",
    "fatality": "people killed", "casualty": "casualty", "victim": "people",
    "other": "people",  # "killed three and injured eight others"
    "deceased": "people killed", "injury": "people injured",
    "rocket": "missile", "projectile": "missile",
}
_CASUALTY_UNITS = {"people killed": "kill", "people injured": "injure"}
# Counted nouns that say nothing comparable without their verb: bodies are recovered,
# identified, handed over, kept unclaimed (a held-out event disputed 10 against 187 bodies).
# Countries and members likewise: they voted for, against, abstained or stayed away (a
# development event set 12 countries absent against four voting against).
# Groups of people likewise: "the casualties included 108 women" and "27 casualties so far,
# including 23 women" (a held-out stampede) may count the dead, the injured or the first found.
# Quakes likewise: "19 earthquakes of magnitude 6.5 or larger" within 250 km in a century.
_NEEDS_SCOPE = frozenset({"body", "country", "nation", "state", "member", "hostage", "woman",
                          "child", "man", "girl", "boy", "earthquake", "quake", "tremor"})
# What is sent in response is added to by every agency and hour after hour, so outlets count
# it for different agencies and moments: a held-out crash had the Army's 298 personnel beside
# the state's 1,200, and 8, 60 and 200 ambulances. Only what befell them ("two rescuers were
# killed") compares.
_RESPONSE_UNITS = frozenset({"ambulance", "personnel", "rescuer", "responder", "team",
                             "doctor", "nurse", "medic", "paramedic", "firefighter",
                             "helicopter", "volunteer", "crane"})
# What the event disrupted grows the same way: trains or flights cancelled, diverted, delayed
# ("over 150 trains were cancelled, diverted or short-terminated" / "48 trains cancelled").
_DISRUPTED = re.compile(
    r"\W*(?:[\w-]+\s+){0,4}?(?:were\s+|have\s+been\s+|had\s+been\s+|being\s+)?"
    r"(?:cancell?ed|diverted|short-terminated|suspended|delayed|grounded|rescheduled|"
    r"rerouted)\b",
    re.IGNORECASE,
)
# A stated count of zero casualties contradicts any count of dead or injured.
_CASUALTY_SCOPES = {"kill", "injure"}
PLACE_LABELS = frozenset({"FAC", "GPE", "LOC"})
LOCATIVE = re.compile(
    r"\b(?:at|in|near|inside|outside|around|on|across|into|such\s+as)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
PLACE_CUE = re.compile(
    r"\s+(?:air\s?base|base|camp|airport|province|city|town|village|district|region|"
    r"county|port|square|street|bridge|compound|prison|hospital|checkpoint|crossing)s?\b",
    re.IGNORECASE,
)
# Nouns that, said "foreign", count foreigners ("19 foreigners" / "At least 19 foreign
# nationals" / "two foreign deaths": a held-out crush counted them three ways).
_FOREIGN_UNITS = frozenset({"national", "citizen", "people", "victim", "tourist", "person"})
_COUNTED_PEOPLE = {"people", "casualty", "civilian", "soldier", "troop", "child", "woman", "man"}
_AMOUNT_WORDS = frozenset(
    "a an the more than over at least about around some approximately roughly nearly almost "
    "up to as many no fewer less under below above estimated of and hundred hundreds thousand "
    "thousands million millions billion dozen dozens tens scores few several handful couple "
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "other another further additional total".split()
)


# A bare number reads as a casualty count in a toll's frame: "the death toll rose to 288",
# "the number of deaths stood at 275", "288 dead", "more than 900 injured", "killing 22".
# Read from the tolls of our gathered development events (eight events, 94 pages), where
# outlets wrote every death toll but one without a counted noun.
_QUALIFIER = (r"(?:(?:over|more\s+than|at\s+least|nearly|about|around|some|almost|roughly|"
              r"approximately|up\s+to|as\s+many\s+as)\s+)?")
_TOLL_BEFORE = re.compile(
    r"\b(?:(?P<hurt>injur\w*|casualt\w*)\s+)?(?:death\s+|fatality\s+)?toll\b"
    r"(?:(?!\btoll\b|\bnumber\s+of\b)[^.;:!?]){0,200}?"
    r"\b(?:to|at|of|reached|hit|crossed|is|was|stood\s+at|stands\s+at|surpassed|past|"
    r"exceeded)\s+" + _QUALIFIER + r"$|"
    r"\bnumber\s+of\s+(?:the\s+)?(?:(?P<hurt2>injured|wounded|injuries)|deaths|dead|"
    r"fatalities|people\s+killed)\b(?:(?!\btoll\b|\bnumber\s+of\b)[^.;:!?]){0,60}?"
    r"\b(?:to|at|is|was|reached|stood\s+at|stands\s+at)\s+" + _QUALIFIER + r"$|"
    r"\b(?:kill(?:ing|ed)|(?P<hurt3>injur(?:ing|ed)|wound(?:ing|ed))|"
    r"claim(?:ed|ing)\s+the\s+lives\s+of)\s+" + _QUALIFIER + r"$",
    re.IGNORECASE,
)
_TOLL_AFTER = re.compile(
    r"\s+(?:(?:people|persons)\s+)?(?:(?:were|have\s+been|had\s+been|are|feared|confirmed|"
    r"reported|remain(?:ed|s|ing)?|still)\s+)?(?:(?P<kill>dead|killed|died|deaths|fatalities)|"
    r"(?P<miss>missing|unaccounted)|injured|wounded|hurt)\b",
    re.IGNORECASE,
)


# How far before a count its toll frame may begin: "The death toll in the train accident in
# Odisha involving the Shalimar-Chennai Coromandel Express, ... and a goods train has reached"
# (190 characters); "The death toll in the tragic triple-train
# collision near Bahanaga Bazar railway station in Odisha's Balasore district climbed up to".
TOLL_FRAME_CHARS = 240


def _toll_scope(text: str, start: int, end: int, floor: int) -> str:
    """"kill" or "injure" when a bare number is a casualty toll by its frame ("miss" for those
    missing), else ""."""
    after = _TOLL_AFTER.match(text, end)
    if after:  # ("three remain missing" is no toll, but the missing beside one)
        return "kill" if after.group("kill") else "miss" if after.group("miss") else "injure"
    before = _TOLL_BEFORE.search(text[max(floor, start - TOLL_FRAME_CHARS) : start])
    if before:
        hurt = before.group("hurt") or before.group("hurt2") or before.group("hurt3")
        return "injure" if hurt and not hurt.lower().startswith("casualt") else "kill"
    return ""


def _own_scope(written: str) -> str:
    """What befell the counted by the amount's own words, "" when they say nothing of it."""
    return next((n for n, p in _SCOPE if n in _OWN_SCOPES and p.search(written)), "")


_COORDINATED = re.compile(r"\band\b|,")


def _scope(text: str, start: int, end: int, floor: int, ceiling: int) -> str:
    """The verb class nearest the amount, "" when none stands within the window."""
    before = text[max(floor, start - SCOPE_WINDOW_CHARS) : start]
    part = _INCLUDED_AFTER.match(text, end, ceiling) or _OF_WHOLE.match(text, end, ceiling)
    end = part.end() if part else end
    after = text[end : min(ceiling, end + SCOPE_WINDOW_CHARS)]
    best, best_dist = "", SCOPE_WINDOW_CHARS + 1
    for name, pattern in _SCOPE:
        for m in pattern.finditer(after):
            if m.start() < best_dist:
                best, best_dist = name, m.start()
    ahead = best  # "two people injured and two people remaining missing": a verb before the
    for name, pattern in _SCOPE:  # count and across "and" is the last count's when one follows
        for m in pattern.finditer(before):
            if ahead and _COORDINATED.search(before, m.end()):
                continue
            if len(before) - m.end() < best_dist:
                best, best_dist = name, len(before) - m.end()
    if best in _WEAK_SCOPES:
        # "the deaths of 179 people on board": who was aboard is said of the dead; of two
        # such words, the nearer ("killed three and injured eight others on board")
        strong = [(min([m.start() for m in p.finditer(after)]
                       + [len(before) - m.end() for m in p.finditer(before)]), n)
                  for n, p in _SCOPE if n not in _WEAK_SCOPES and (p.search(after)
                                                                   or p.search(before))]
        best = min(strong)[1] if strong else best
    return best


_WITH_DEAD = "with the dead: "  # a missing count's key: the dead and missing, low and high


def number_values(ctx: Context, i: int, si: int) -> list[Value]:
    """A sentence's amounts as comparable values, read once per comparison: the pairs, each
    claim group, the toll pass and the date check (is this a toll's day?) all ask for them."""
    key = ("numbers", i, si)
    if key not in ctx.cache:
        ctx.cache[key] = _number_values(ctx, i, si)
    return ctx.cache[key]


def _number_values(ctx: Context, i: int, si: int) -> list[Value]:
    a = ctx.analyses[i]
    s = a.sentences[si]
    out = []
    included_in = None  # the scope of the count read last, which a part "including ..." is of
    for q in in_sentence(a.quantities, si):
        toll = "" if q.unit else _toll_scope(a.text, q.start, q.end, s.start)
        if (not q.unit and not toll) or _REFERENCE.search(
            a.text[max(s.start, q.start - 12) : q.start]
        ):
            continue
        if _PER_UNIT.match(a.text, q.end):
            continue  # "six members from each country": a share, not the total
        if UNIT_CLASS.get(q.unit, q.unit or "people") == "people" and _ORIGIN.match(a.text, q.end):
            continue  # "10 people from Sweden": one country's share
        lead = a.text[max(s.start, q.start - QUALIFIER_CHARS) : q.start]
        if _INCREMENT.search(q.text) or _ADDED.search(lead):
            # "several hundred more people": an addition, not the count; but what is included
            # next is of it ("two killed and 16 more wounded, including three children")
            included_in = toll or _scope(a.text, q.start, q.end, s.start, s.end)
            continue
        if _EXCEPT.search(lead) or _PRONOUN_ONE.match(q.text):
            continue  # "all but one passenger", "one a passenger": no count of them
        if q.text.lower().startswith("one ") and _FIRST_OF.search(a.text, q.end, s.end):
            continue  # "One dam burst, then a second": the first of two
        unit = UNIT_CLASS.get(q.unit, q.unit) if q.unit else "people"
        if unit in _NATIONAL_UNITS and _AND_CREW.match(a.text, q.end):
            unit = "people"  # "242 passengers and crew": everyone on board
        if unit.endswith("s") and q.text.split()[-1][:1].isupper():
            unit = unit[:-1]  # "63 Canadians": the tagger leaves proper plurals unlemmatised
        # "275 dead bodies" are a count of bodies found, which says nothing without its verb
        own = _own_scope(q.text) if unit != "body" else ""
        scope = toll or own or _scope(a.text, q.start, q.end, s.start, s.end)
        if included_in is not None and _INCLUDED.search(lead):
            # "killed 35 people, including 23 children, and wounded 12": the part is of the
            # count it is included in, not of the nearer "wounded"
            scope = included_in or scope
        if unit in _CASUALTY_UNITS:  # "two fatalities and 32 injuries": the noun says which
            unit, scope = "people", _CASUALTY_UNITS[unit]
            nation = _NATION_ACCOUNTED.search(a.text, max(s.start, q.start - NATION_CHARS), q.start)
            if nation and any(m.label == "NORP" and m.start <= nation.start(1) < m.end
                              for m in in_sentence(a.mentions, si)):
                unit = nation.group(1).lower().removesuffix("s")  # "Egyptians accounted for"
        if unit in _NEEDS_SCOPE and not scope:
            continue  # "187 bodies not identified", "10 bodies handed over": which count?
        if (unit in _RESPONSE_UNITS and scope not in _CASUALTY_SCOPES) or _DISRUPTED.match(
                a.text, q.end, s.end):
            continue  # "60 ambulances at the site", "48 trains cancelled": growing counts
        low, high = q.interval
        if low == high and _PASSED.search(lead):
            high = float("inf")
        modifiers = _modifiers(q.text)
        where = _WHERE_COUNTED.match(a.text[q.end : s.end]) if scope else None
        place = "" if where is None else (
            ON_THE_GROUND if "ground" in where.group("w").lower() else ABOARD)
        if place == ON_THE_GROUND and scope == "board":
            scope = ""  # "the 242 on board and another 29 persons on the ground were killed"
        if place and scope != "board":  # "241 people onboard were killed": not all the dead
            modifiers = f"{modifiers} {place}".strip()
        if modifiers == "foreign" and unit in _FOREIGN_UNITS:
            unit, modifiers = "foreigner", ""  # "26 foreign nationals" are "26 foreigners"
        written = q.text.split()
        if (unit in _NATIONAL_UNITS and len(written) >= 2 and modifiers
                and " " not in modifiers and _PROPER_MODIFIER.match(written[-2])):
            unit, modifiers = modifiers, ""  # "73 Canadian citizens" count Canadians
        if unit in _RATE_UNITS:  # "25 percent tariff" / "30 percent of imports": of what
            of = _OF_WHAT.match(a.text, q.end)
            unit = f"{unit} {of.group(1).lower().rstrip('s')}" if of else unit
        elif unit in DISTANCE_UNITS:  # "170 km north of Bhubaneswar" / "250 km from Kolkata"
            measured = measure(a.text, s.start, q, unit, low, high)
            if measured is None:
                continue  # "more than 800 km away": from where? Nothing to compare it with
            unit, low, high = measured
            scope = ""
        if unit.startswith("km ") and high < 1:  # "a 190-ft" bridge reads in metres
            norm = f"{_interval_text(low * 1000, high * 1000, q.value * 1000)} m{unit[2:]}"
        else:
            norm = _interval_text(low, high, q.value) + f" {unit}"
        norm += f" ({scope})" if scope else ""
        unit = unit.replace("|", " ")  # "|" separates the slot's parts ("2 | number |" in a table)
        slot = f"{unit}|{scope}|{modifiers}"
        out.append(value(ctx, i, si, q.start, q.end, norm, slot, low=low, high=high,
                          places=_places(ctx, i, si, q.start),
                          words=frozenset(ctx.sentence_words[i][si])))
        included_in = scope
    return _dead_or_missing(out)


def _dead_or_missing(values: list[Value]) -> list[Value]:
    """The missing told beside a sentence's one death toll carry the sum of both (in ``key``):
    "176 were killed, three remain missing" and "177 dead and two missing" agree on 179 dead
    or missing (``numbers_agree``), while three missing and two missing alone dispute, as do
    "206 missing" beside 195 dead and "about 300" beside 291."""
    for unit in {v.slot.split("|")[0] for v in values}:
        dead = [v for v in values if v.slot == f"{unit}|kill|"]
        if len(dead) != 1:
            continue
        d = dead[0]
        values = [_with_dead(v, d, unit) if v.slot == f"{unit}|miss|" else v for v in values]
    return values


def _with_dead(missing: Value, dead: Value, unit: str) -> Value:
    return replace(missing, key=f"{_WITH_DEAD}{missing.low + dead.low} {missing.high + dead.high}")




# A count with a figure: digits, a spelled number or none at all, not "several" or "dozens".
_FIGURE = re.compile(
    r"\d|\b(?:no|none|nobody|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)\b",
    re.IGNORECASE,
)


def has_figure(text: str) -> bool:
    """Whether an amount gives a figure ("42", "forty", "none"), not only a size ("dozens",
    "tens of thousands", "several")."""
    return bool(_FIGURE.search(text))


_MAGNITUDE = re.compile(r"\b(?:dozens|hundreds|thousands|millions|billions|tens|scores)\b",
                        re.IGNORECASE)


def has_size(text: str) -> bool:
    """Whether an amount says at least how large it is: a figure, or an order of magnitude
    ("dozens", "tens of thousands"). "Several", "a few", "some" and "a handful" are said of
    any small number, loosely: "several warnings" of the ten another outlet counts."""
    return has_figure(text) or bool(_MAGNITUDE.search(text))


def _places(ctx: Context, i: int, si: int, at: int) -> frozenset[str]:
    """The place an amount is counted at: the nearest place its sentence puts something at
    or in after it ("19 men died in Rukum West"), else the nearest before it ("five rockets
    fell near Qasr Tamim and no one was injured there"); empty when there is none. Places
    named otherwise (a dateline, "ties to Russia") locate nothing."""
    a = ctx.analyses[i]
    mentions = [
        m for m in in_sentence(a.mentions, si)
        if is_place(ctx, i, m) and LOCATIVE.search(a.text[max(0, m.start - 30) : m.start])
    ]
    after = [m for m in mentions if m.start >= at]
    before = [m for m in mentions if m.start < at]
    nearest = min(after, key=lambda m: m.start) if after else (
        max(before, key=lambda m: m.start) if before else None)
    if nearest is None:
        return frozenset()
    return frozenset({ctx.entity_of(i, nearest.start, nearest.end) or fold(nearest.text)})


def is_place(ctx: Context, i: int, m) -> bool:
    """A place by its label, by the label most outlets' mentions of it carry, or by the noun
    after it ("the Qasr Tamim base", which the tagger may call a person)."""
    if m.label in PLACE_LABELS:
        return True
    if ctx.entity_labels.get(ctx.of_mention.get((i, m.start), "")) in PLACE_LABELS:
        return True
    return bool(PLACE_CUE.match(ctx.analyses[i].text, m.end))


def same_place(x: Value, y: Value) -> bool:
    """Amounts at two different places ("no one was hurt at Qasr Tamim" / "14 wounded at Ain
    al-Harir") count different things; a sentence that names no place fits either."""
    return not x.places or not y.places or bool(x.places & y.places)


def _interval_text(low: float, high: float, value: float) -> str:
    if low == high:
        return f"{low:g}"
    if high == float("inf"):
        return f">= {low:g}"
    if low == float("-inf"):
        return f"<= {high:g}"
    return f"{low:g}-{high:g}" if (low, high) != (value, value) else f"{value:g}"


def _modifiers(span: str) -> str:
    """The words between an amount and its counted noun ("15 Iraqi military bases" ->
    "iraqi military"), which narrow what is counted."""
    words = re.findall(r"[A-Za-z][A-Za-z-]*", span.lower())[:-1]
    # a hyphenated number ("sixty-three") is the amount, not a narrowing word
    return " ".join(w for w in words if not set(w.split("-")) <= _AMOUNT_WORDS)


def same_scale(x: float, y: float) -> bool:
    """Two positive figures of one count within SCOPE_RATIO of each other."""
    return max(x, y) <= SCOPE_RATIO * min(x, y)


def by_scale(values: list[Value]) -> list[list[Value]]:
    """The answers to one count split where two neighbouring figures are more than
    SCOPE_RATIO apart: each part counts its own scope (one incident's wounded beside the
    war's); a zero joins the smallest figures."""
    counted = sorted((v for v in values if v.low > 0), key=lambda v: v.low)
    parts: list[list[Value]] = []
    for v in counted:
        if parts and same_scale(v.low, parts[-1][-1].low):
            parts[-1].append(v)
        else:
            parts.append([v])
    zeros = [v for v in values if v.low <= 0]
    if not parts:
        return [zeros] if zeros else []
    parts[0] = zeros + parts[0]
    return parts


def numbers_agree(x: Value, y: Value) -> bool:
    if x.key.startswith(_WITH_DEAD) and y.key.startswith(_WITH_DEAD):
        # missing counts told beside their tolls agree when the dead and missing add up alike
        (xl, xh), (yl, yh) = (map(float, v.key[len(_WITH_DEAD):].split()) for v in (x, y))
        if xl <= yh and yl <= xh:
            return True
    return x.low <= y.high and y.low <= x.high


def number_slots_meet(x: Value, y: Value) -> bool:
    """Whether two amounts count the same thing: the same unit and verb class.

    A stated zero of casualties ("no casualties") also meets any count of dead or injured.
    """
    (ux, sx, mx), (uy, sy, my) = x.slot.split("|"), y.slot.split("|")
    if x.low > 0 and y.low > 0 and not same_scale(x.low, y.low):
        return False  # "more than 70,300 injured" in the war beside 280 in one incident
    if mx != my:
        # "five permanent members" and "193 members" count different sets, unless the other
        # sentence names the same narrowing elsewhere ("16 tests" in a sentence on missiles)
        wx, wy = content_words(mx), content_words(my)
        if not (wx - wy <= y.words and wy - wx <= x.words):
            return False
    if ux == uy and (sx == sy or {sx, sy} == {"", "board"} and ux != "people"):
        # "passengers aboard included 42 Azerbaijani citizens" / "among the passengers were
        # 37": who was aboard; but "two people" with no verb may be the survivors
        return True
    for zero, uo, so in ((x, uy, sy), (y, ux, sx)):
        if zero.slot.startswith("casualty|") and zero.high == 0 and so in _CASUALTY_SCOPES:
            return uo in _COUNTED_PEOPLE
    return False


def _plural_of(noun: str) -> str:
    """The plural a question reads best with ("missile" -> "missiles"); units that are
    already plural or uncountable stay."""
    if noun in {"people", "percent", "usd", "eur", "gbp", "jpy", "cny", "rub", "irr", "iqd"}:
        return noun
    head, _, rest = noun.partition(" ")
    irregular = {"man": "men", "woman": "women", "child": "children", "person": "people",
                 "foot": "feet"}
    if head in irregular:
        head = irregular[head]
    elif head.endswith(("s", "x", "ch", "sh")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def number_question(slot: str) -> str:
    """The question a number dispute answers: "how many missiles were fired"."""
    unit, scope, modifiers = slot.split("|")
    if unit.split()[0] in _RATE_UNITS:  # "25 percent tariff": how much, of what
        return f"how much ({' '.join([modifiers, unit]).strip()})"
    if unit in _MEASURES:
        return f"what {unit} it had"
    if unit.endswith(" deep"):
        return "how deep it was"
    if " long " in unit:
        return f"how long the {unit.split(' long ', 1)[1]} is"
    if unit in {"country", "nation"} and scope in {"kill", "injure"}:
        return f"from how many countries the {'dead' if scope == 'kill' else 'injured'} came"
    where = next((w for w in (ABOARD, ON_THE_GROUND) if modifiers.endswith(w)), "")
    modifiers = modifiers[: len(modifiers) - len(where)].strip()
    unit = " ".join(w for w in (modifiers, _plural_of(unit), where) if w)
    verb = {"fire": "were fired", "hit": "were hit or hit their target", "kill": "were killed",
            "injure": "were injured", "arrest": "were arrested", "miss": "are missing",
            "displace": "were displaced", "intercept": "were intercepted",
            "oppose": "were against", "support": "were for", "abstain": "abstained",
            "rescue": "were rescued", "treat": "are being treated",
            "absent": "did not take part", "board": "were on board", "live": "live there",
            "survive": "survived", "attend": "came", "permit": "were allowed"}.get(scope, "")
    return f"how many {unit} {verb}".strip()
