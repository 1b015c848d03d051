"""Conflicts between aligned claims: numbers, dates, denials, characterisations, credits.

Every check runs on a pair of aligned sentences (``align.Link``): two outlets stating the same
fact. A conflict is only reported where both sides carry a comparable value for the same slot
(the same counted unit, a resolved date, a term from the same lexicon class), and its evidence
is the exact span of each side's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.compare import lexicon
from storyline.compare.align import Link
from storyline.compare.context import Context
from storyline.model import Conflict, ConflictKind, ConflictSide
from storyline.nlp.names import fold, is_part_of, match_rule

# Dates differ between aligned sentences also when they date different things ("voted on
# 5 January" vs "said on Monday"), so a date conflict needs a closer match than alignment.
DATE_MIN_COSINE = 0.62
# Denial and polarity checks need near-paraphrases: "X happened" vs "X was denied".
DENIAL_MIN_COSINE = 0.55

_DENIAL = re.compile(
    r"\b(denied|denies|deny|denying|denial|refuted|refutes|rejected (?:reports|claims|allegations)"
    r"|dismissed (?:reports|claims)|false|untrue|baseless)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(not|never|no longer|did not|didn't|has not|hasn't|had not|hadn't|was not|wasn't|"
    r"were not|weren't|is not|isn't|nor)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A conflict found on one aligned pair, before it gets its id."""

    kind: ConflictKind
    slot: str
    sides: tuple[ConflictSide, ...]
    confidence: float
    explanation: str


def _side(ctx: Context, i: int, start: int, end: int, value: str, norm: str) -> ConflictSide:
    return ConflictSide(ctx.labels[i], value, norm, ctx.evidence(i, start, end))


def _pair(
    ctx: Context,
    link: Link,
    kind: ConflictKind,
    slot: str,
    x: tuple,
    y: tuple,
    confidence: float,
    explanation: str,
) -> Found:
    """A two-sided conflict; x and y are (start, end, value, normalized) in articles i and j."""
    sides = (_side(ctx, link.i, *x), _side(ctx, link.j, *y))
    return Found(kind, slot, sides, round(confidence, 3), explanation)


def _sentence_items(items, sentence: int):
    return [x for x in items if x.sentence == sentence]


def number_conflicts(ctx: Context, link: Link) -> list[Found]:
    """Different amounts of the same counted unit in two aligned sentences."""
    a, b = ctx.analyses[link.i], ctx.analyses[link.j]
    qa = [q for q in _sentence_items(a.quantities, link.si) if q.unit]
    qb = [q for q in _sentence_items(b.quantities, link.sj) if q.unit]
    out = []
    for unit in {q.unit for q in qa} & {q.unit for q in qb}:
        va = [q for q in qa if q.unit == unit]
        vb = [q for q in qb if q.unit == unit]
        if {q.value for q in va} & {q.value for q in vb}:
            continue  # they agree on at least one amount of this unit
        x, y = va[0], vb[0]
        # Several amounts of one unit in a sentence make the slot ambiguous.
        conf = link.score * (1.0 if len(va) == len(vb) == 1 else 0.6)
        out.append(
            _pair(
                ctx,
                link,
                ConflictKind.NUMBER,
                f"number of {unit}",
                (x.start, x.end, x.text, f"{x.value:g} {unit}"),
                (y.start, y.end, y.text, f"{y.value:g} {unit}"),
                min(conf, 0.95),
                f"{ctx.labels[link.i]} reports {x.text!r}, {ctx.labels[link.j]} {y.text!r}",
            )
        )
    return out


def date_conflicts(ctx: Context, link: Link) -> list[Found]:
    """Different resolved dates in two closely aligned sentences."""
    if link.cosine < DATE_MIN_COSINE:
        return []
    a, b = ctx.analyses[link.i], ctx.analyses[link.j]
    ta = [t for t in _sentence_items(a.times, link.si) if t.value]
    tb = [t for t in _sentence_items(b.times, link.sj) if t.value]
    if not ta or not tb or {t.value for t in ta} & {t.value for t in tb}:
        return []
    x, y = ta[0], tb[0]
    return [
        _pair(
            ctx,
            link,
            ConflictKind.DATE,
            "date",
            (x.start, x.end, x.text, x.value.isoformat()),
            (y.start, y.end, y.text, y.value.isoformat()),
            min(link.cosine, 0.9) * (0.8 if x.relative or y.relative else 1.0),
            f"{ctx.labels[link.i]} dates it {x.value}, {ctx.labels[link.j]} {y.value}",
        )
    ]


def denial_conflicts(ctx: Context, link: Link) -> list[Found]:
    """One outlet reports a claim, the other that it was denied or did not happen."""
    if link.cosine < DENIAL_MIN_COSINE:
        return []
    texts = [
        ctx.analyses[link.i].sentence_text(link.si),
        ctx.analyses[link.j].sentence_text(link.sj),
    ]
    denials = [_DENIAL.search(t) for t in texts]
    negations = [_NEGATION.search(t) for t in texts]
    for k, (d, other) in enumerate(((denials[0], 1), (denials[1], 0))):
        if d and not denials[other] and not negations[other]:
            return [_polarity(ctx, link, k, d, "denies", 0.85)]
    for k, (n, other) in enumerate(((negations[0], 1), (negations[1], 0))):
        if n and not negations[other] and not denials[other]:
            return [_polarity(ctx, link, k, n, "negates", 0.6)]
    return []


def _polarity(ctx: Context, link: Link, k: int, match: re.Match, verb: str, base: float) -> Found:
    ends = [(link.i, link.si), (link.j, link.sj)]
    (ni, ns), (pi, ps) = ends[k], ends[1 - k]
    neg_sentence = ctx.analyses[ni].sentences[ns]
    pos = ctx.sentence_evidence(pi, ps)
    start = neg_sentence.start + match.start()
    return Found(
        ConflictKind.DENIAL,
        "whether it happened",
        (
            ConflictSide(ctx.labels[pi], pos.text, "affirms", pos),
            _side(ctx, ni, start, start + len(match.group(0)), match.group(0), verb),
        ),
        round(base * link.cosine / max(link.cosine, 0.75), 3),
        f"{ctx.labels[pi]} reports it; {ctx.labels[ni]}'s matching sentence {verb} it",
    )


def characterisation_conflicts(ctx: Context, link: Link) -> list[Found]:
    """The same thing called by different members of one class ("motion" vs "resolution")."""
    classes = lexicon.load("characterisations")
    a, b = ctx.analyses[link.i], ctx.analyses[link.j]
    sa, sb = a.sentences[link.si], b.sentences[link.sj]
    ha = lexicon.find_terms(a.sentence_text(link.si), classes, sa.start)
    hb = lexicon.find_terms(b.sentence_text(link.sj), classes, sb.start)
    out = []
    for cls in lexicon.by_name(classes).values():
        ta = {h.term: h for h in ha if h.cls == cls.name}
        tb = {h.term: h for h in hb if h.cls == cls.name}
        if not ta or not tb or set(ta) & set(tb):
            continue  # one side silent, or both use a common term: no disagreement shown
        x, y = next(iter(ta.values())), next(iter(tb.values()))
        out.append(
            _pair(
                ctx,
                link,
                ConflictKind.CHARACTERISATION,
                cls.what,
                (x.start, x.end, a.text[x.start : x.end], x.term),
                (y.start, y.end, b.text[y.start : y.end], y.term),
                min(link.score, 0.9),
                f"{ctx.labels[link.i]} calls it {x.term!r}, {ctx.labels[link.j]} {y.term!r}",
            )
        )
    return out


def credit_conflicts(ctx: Context, link: Link) -> list[Found]:
    """The same statement credited to different speakers or upstream sources."""
    a, b = ctx.analyses[link.i], ctx.analyses[link.j]
    out = []
    qa = [q for q in _sentence_items(a.quotes, link.si) if q.speaker]
    qb = [q for q in _sentence_items(b.quotes, link.sj) if q.speaker]
    if (
        qa
        and qb
        and not any(_same_speaker(x.speaker, a.text, y.speaker, b.text) for x in qa for y in qb)
    ):
        x, y = qa[0], qb[0]
        out.append(
            _pair(
                ctx,
                link,
                ConflictKind.SPEAKER,
                "who said it",
                (x.speaker_start, x.speaker_end, x.speaker, fold(x.speaker)),
                (y.speaker_start, y.speaker_end, y.speaker, fold(y.speaker)),
                min(link.score, 0.9) * 0.9,
                f"{ctx.labels[link.i]} credits {x.speaker}, {ctx.labels[link.j]} {y.speaker}",
            )
        )
    ra = _sentence_items(a.attributions, link.si)
    rb = _sentence_items(b.attributions, link.sj)
    if ra and rb and not any(match_rule(x.source, y.source) for x in ra for y in rb):
        x, y = ra[0], rb[0]
        out.append(
            _pair(
                ctx,
                link,
                ConflictKind.SOURCE,
                "upstream source",
                (x.source_start, x.source_end, x.source, fold(x.source)),
                (y.source_start, y.source_end, y.source, fold(y.source)),
                min(link.score, 0.9),
                f"{ctx.labels[link.i]} cites {x.source}, {ctx.labels[link.j]} {y.source}",
            )
        )
    return out


def _described(name: str) -> bool:
    """A speaker given by description ("the lawmaker", "senior officials"), not by name."""
    first = name.split()[0] if name.split() else ""
    return first.lower() in {"the", "a", "an"} or first[:1].islower()


def _same_speaker(x: str, x_text: str, y: str, y_text: str) -> bool:
    """Same name, or a description in an article that names the other side's speaker too."""
    if match_rule(x, y) or is_part_of(x, y) or is_part_of(y, x):
        return True
    return (_described(x) and y in x_text) or (_described(y) and x in y_text)


CHECKS = (
    number_conflicts,
    date_conflicts,
    denial_conflicts,
    characterisation_conflicts,
    credit_conflicts,
)

# Kinds that make an aligned claim "conflicting"; differing credits are provenance findings
# attached to a claim that is otherwise shared.
FACTUAL = frozenset(
    {ConflictKind.NUMBER, ConflictKind.DATE, ConflictKind.DENIAL, ConflictKind.CHARACTERISATION}
)


def find_conflicts(ctx: Context, links: list[Link]) -> list[tuple[Conflict, Link]]:
    """Every conflict on every aligned pair, each with the link it was found on."""
    found: list[tuple[Conflict, Link]] = []
    seen: set[tuple] = set()
    for link in sorted(links, key=lambda x: -x.score):
        for check in CHECKS:
            for f in check(ctx, link):
                key = (f.kind, tuple(sorted((s.outlet, s.normalized) for s in f.sides)))
                if key in seen:
                    continue  # the same disagreement seen on another aligned pair
                seen.add(key)
                cid = f"c{len(found) + 1}"
                conflict = Conflict(cid, f.kind, f.slot, f.sides, f.confidence, f.explanation)
                found.append((conflict, link))
    return found
