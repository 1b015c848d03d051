"""The hour of the story's event, read from every outlet at once.

Outlets give the hour in sentences that rarely align ("The bridge collapsed at 6:30 pm." / "A
suicide bomber blew himself up in the mosque ... on Monday at around 1pm during the prayers"),
so, as for casualty tolls (``compare.tolls``), every outlet's own statement of when the event
happened is collected, whatever sentence it stands in, and compared as one question per kind
of event (a blast, a collapse, a crash, an attack, a quake).

A clock time takes part when the word nearest to it names the event itself ("the blast
occurred at around 1:40 pm", "at 6:30 pm the bridge collapsed") rather than something around
it ("rescuers arrived at 8 pm", "the family visited the bridge around 3 p.m.", "the plane took
off at 6:12"); when it is not a bound ("until 9 pm", "by noon"), not inside a witness's quote,
not of another occasion, and not given for a toll ("the toll stood at 87 as of 8:00 a.m."):
``checks.time_values`` already names those. A sentence telling two hours tells a sequence
("began shortly before 7 p.m. with a shooting at a bowling alley, followed by more shooting at
a bar ... around 8 p.m.") and gives neither as the event's unless an ordinal names which; one
hour given in two zones is one moment.
The hour of one incident of several is a question of its own when an ordinal names which
("the first explosion occurred at 14:50" / "the first blast happened at 15:04"), and none
otherwise ("one of the blasts went off at 3 pm").
"""

from __future__ import annotations

import re

from storyline.compare.checks import time_values
from storyline.compare.clock_times import LOCAL
from storyline.compare.context import Context
from storyline.compare.tolls import (
    ONE_OF_SEVERAL,
    another_occasion,
    event_sentences,
    quoted,
    story_dates,
)
from storyline.compare.values import Value

# Words naming the event, by the kind of event they name. "incident", "accident", "occurred",
# "happened" name whichever event the story is about (``GENERIC``).
_KINDS = {
    # (a plane that "went off the runway" did not explode)
    "blast": r"blasts?|explosions?|explod\w*|bomb(?:s|ing|ings|er)?|blew|detonat\w*|"
             r"went\s+off(?!\s+(?:the\s+)?(?:runway|road|track|rails|course))",
    "collapse": r"collaps\w*|snapped|gave\s+way|caved\s+in",
    # (a plane that "went down near São Paulo at 2 p.m." crashed; one that "went down the
    # runway" did not)
    "crash": r"crash\w*|derail\w*|collid\w*|collision|capsiz\w*|sank|"
             r"(?:went|came)\s+down(?!\s+(?:the|a|an|on|to)\b)",
    # (a "bird strike" is no attack)
    "attack": r"attack\w*|(?<!bird\s)(?<!bird-)strikes?|struck|airstrikes?|raids?|shelling|"
              r"shoot\w*|shot|gunfire|stabb\w*|assault\w*|fired|opened\s+fire",
    "quake": r"earthquakes?|quakes?|tremors?|jolted",
    "crush": r"crush|stampede|surge",
    # moments of a journey's end: the plane's departure, its distress call, the moment its
    # signal was lost, its due arrival
    "departure": r"took\s+off|taken\s+off|departed|take-?off",
    "mayday": r"mayday|distress\s+(?:call|signal)|declared\s+(?:an?\s+)?emergency",
    "contact": r"signal\s+(?:dropped|was\s+lost|went\s+dead)|lost\s+(?:radar\s+)?contact|"
               r"(?:disappeared|vanished)\s+from\s+(?:the\s+)?radars?|last\s+(?:contact|signal)",
    "arrival": r"(?:scheduled|due|expected)\s+to\s+(?:land|arrive|touch\s+down)|touch\s+down",
    "landing": r"attempt(?:ed|ing|s)?\s+(?:to\s+land|at\s+landing|a\s+landing)|"
               r"landing\s+attempts?",
}
# Kinds that are moments of the story rather than its event, with how their question reads: a
# generic "the accident occurred at 9:03" is the crash's hour however many of these the story
# also gives.
MOMENTS = {"departure": "it departed", "mayday": "the mayday was declared",
           "contact": "contact with it was lost",
           "arrival": "it was due to arrive", "landing": "it tried to land"}
GENERIC = "event"
# The clock times read: a sentence's own (kind read from the words near it) and a departure's.
_SLOTS = {"time|": "", "time|departure": "departure"}
EVENT_TIME_SLOTS = frozenset(_SLOTS)
_EVENT = re.compile(
    "|".join(f"(?P<{k}>\\b(?:{p})\\b)" for k, p in _KINDS.items())
    + rf"|(?P<{GENERIC}>\b(?:incident|accident|tragedy|disaster|occurred|happened|took\s+place|"
    r"(?:chaos|panic)\s+(?:erupted|broke\s+out))\b)",
    re.IGNORECASE,
)
# Words of what happened around the event, whose hour is not the event's.
_AROUND = re.compile(
    r"\b(?:rescu\w*|search\w*|operations?|arriv\w*|left|leav\w*|depart\w*|visit\w*|"
    r"meeting|conference|briefing|statement|announc\w*|said|says|told|tweet\w*|posted|"
    r"funeral|vigil|protest\w*|landed|reopen\w*|opened|closed|began\s+work|"
    r"evacuat\w*|deploy\w*|dispatch\w*|reached|brought|taken|admitted|treated|calls?|called|"
    r"phoned|alert\w*|warn\w*|issued|released|published|updated?|toll|figures?)\b",
    re.IGNORECASE,
)
# An event word naming a place, not the moment: "arrived at the scene of the accident at 8:58
# pm" (a held-out collision: the responders' hour, told beside the crash's 8:48 p.m.).
_AS_PLACE = re.compile(r"\b(?:scene|site|location|wreckage)\s+of\s+(?:the\s+)?$", re.I)
# Which of several incidents an event word names: "the first explosion", "the second blast".
_ORDINAL = re.compile(r"\b(first|second|third)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# A clock time told against the event named after it: "18:34, hours before the crush".
_RELATIVE_TO = re.compile(r"\b(?:before|after|ahead\s+of|prior\s+to|since|until)\b", re.I)
# A reporting clause right after the hour: "at 1:20 p.m., the agency said".
_ATTRIBUTION = re.compile(
    r"^\W*,\s+(?:[\w.'-]+\s+){0,5}?(?:said|says|told|reported)\b", re.IGNORECASE)
_QUOTE_AFTER = re.compile(r"^\W{0,3}?[\"“‘]")
_NEXT_CLAUSE = re.compile(r"\s(?:and|but)\s", re.IGNORECASE)
# How far after a clock time the event's word may stand ("At 6:30 pm the bridge collapsed").
AFTER_CHARS = 40
# A bound, not the hour: "until 9 pm", "by noon", "since 6 am", "before 7".
# ("just before 10.20pm" is about then)
_BOUND = re.compile(r"\b(?:until|till|by|since|(?<!just\s)(?<!shortly\s)before|from)\s+"
                    r"(?:about\s+|around\s+)?$", re.I)


def event_times(ctx: Context) -> dict[str, list[Value]]:
    """Every outlet's clock times of the story's event, by kind of event ("the first blast"
    for one of several, named by its ordinal); a generic word's times join the story's one
    kind of event when it has exactly one."""
    found: dict[str, list[Value]] = {}
    own = set(event_sentences(ctx))
    dates = story_dates(ctx)
    for i, a in enumerate(ctx.analyses):
        for si, s in enumerate(a.sentences):
            text = a.sentence_text(si)
            several = (i, si) not in own
            if s.boilerplate or several and (
                not ONE_OF_SEVERAL.search(text) or another_occasion(text, dates, False)
            ):
                continue  # of another occasion, or pointing back at one ("that attack")
            kinds_of = []
            for v in time_values(ctx, i, si):
                if v.slot not in _SLOTS or quoted(a, v):
                    continue
                kind = _SLOTS[v.slot] or _nearest_kind(
                    a.text[s.start : v.start], a.text[v.end : s.end], several)
                if kind:
                    bound = _BOUND.search(a.text[max(s.start, v.start - 12) : v.start])
                    kinds_of.append((v, kind, bool(bound)))
            # two hours of one kind in one zone tell a sequence, a bound among them ("began
            # shortly before 7 p.m. ..., followed by more shooting ... around 8 p.m."); one
            # moment in two zones ("9.07am local time (8.07am Singapore time)") does not (no
            # zone is local time)
            hours: dict[tuple[str, str], set[float]] = {}
            for v, kind, _ in kinds_of:
                hours.setdefault((kind, v.key or LOCAL), set()).add(v.low)
            for v, kind, bound in kinds_of:
                sequence = len(hours[(kind, v.key or LOCAL)]) > 1
                if not bound and (" " in kind or not sequence):
                    found.setdefault(kind, []).append(v)
    kinds = [k for k in found if k != GENERIC and " " not in k and k not in MOMENTS]
    if GENERIC in found and len(kinds) == 1:
        found[kinds[0]].extend(found.pop(GENERIC))
    return found


def _nearest_kind(before: str, after: str, several: bool = False) -> str:
    """The kind of event a clock time is the hour of: "" when the word nearest to it names
    something around the event, else the nearest word naming a kind of event (or GENERIC);
    in a sentence of one incident of several, that word with its ordinal ("first blast"), or
    "" when it has none."""
    # "declared a mayday at 8:58 a.m. and attempted to land at 9:00": what follows "and" is
    # the next moment's
    after = after[: m.start()] if (m := _NEXT_CLAUSE.search(after)) else after
    if _ATTRIBUTION.match(after) or _QUOTE_AFTER.match(after):
        # "lost contact at 1:20 p.m., the agency said": who told it; "At 8.33pm: 'people
        # are collapsing'": the hour of a call, whose words are quoted
        after = ""
    near = []  # (distance, is the event, kind, ordinal)
    for pattern in (_EVENT, _AROUND):
        for m in pattern.finditer(before):
            if pattern is _EVENT and _AS_PLACE.search(before[max(0, m.start() - 30) : m.start()]):
                continue
            near.append((len(before) - m.end(), pattern is _EVENT, m.lastgroup or "",
                         _ordinal(before[: m.start()])))
        for m in pattern.finditer(after):  # whole, so "went off the runway" reads to its end
            if m.start() >= AFTER_CHARS:
                break
            if pattern is _EVENT and _RELATIVE_TO.search(after[: m.start()]):
                break  # "at 18:34 - hours before the crush": a time told against the event
            if pattern is _EVENT and _AS_PLACE.search(after[: m.start()]):
                continue
            near.append((m.start(), pattern is _EVENT, m.lastgroup or "",
                         _ordinal(after[: m.start()])))
    near.sort(key=lambda x: x[0])
    if not near or not near[0][1]:
        return ""
    kind, ordinal = next(((k, o) for _, event, k, o in near if event and k != GENERIC),
                         (GENERIC, near[0][3]))
    if not several:
        return kind
    return f"{ordinal} {kind}" if ordinal and kind != GENERIC else ""


def _ordinal(before_word: str) -> str:
    """The ordinal right before an event word ("the first [explosion]"), lower-cased."""
    m = _ORDINAL.search(before_word[-30:])
    return m.group(1).lower() if m else ""
