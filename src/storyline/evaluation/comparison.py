"""Score a comparison against a hand-labelled gold event (format: docs/comparison-gold.md).

Everything here reads the comparison as plain data (``storyline.model.to_dict(comparison)``),
never compare/'s internals, so the scorer survives a rewrite of the comparison. Gold values are
regular expressions matched case-insensitively against what a finding shows the reader: a
dispute side's value, its evidence spans and the sentences holding them; a claim's evidence and
its sentence.

Measures (per dispute kind and over all kinds):
- precision = reported disputes matching a gold dispute / reported disputes, counted only on
  events whose gold says ``complete`` (its dispute list is exhaustive);
- recall = gold disputes matched by some reported dispute / gold disputes;
- rows per real dispute = reported disputes matching some gold dispute / gold disputes matched
  (1.0 is one row per real dispute; issue #8's pairwise listing showed 4 real disputes
  as 136 rows, 34).
A reported dispute matches a gold one when the kinds are equal and at least two of its sides
match two different gold sides; a side matches a gold side when their outlets overlap and the
gold pattern finds the side's value (or an evidence span or sentence of an outlet of that gold
side).
"Only in": recall of the gold only_in facts (an only_in claim group of that outlet whose
evidence matches), and an estimated precision: 1 - (only_in groups of outlet O whose text
matches a gold shared fact carried by O) / only_in groups. The shared facts are a sample, so the
estimate only sees the errors the sample covers: it is an upper bound.
"Shared": recall of the gold shared facts (a shared or conflicting group in which at least two
of the fact's outlets have a claim matching it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from storyline.errors import FormatError, InputError

KINDS = ("number", "date", "time", "denial", "characterisation", "speaker", "source")
SHARED_STATUSES = ("shared", "conflicting")

# --------------------------------------------------------------------------- the gold


@dataclass(frozen=True)
class GoldSide:
    value: str  # the regex as written in the gold file
    pattern: re.Pattern
    outlets: frozenset[str]


@dataclass(frozen=True)
class GoldDispute:
    kind: str
    question: str
    sides: tuple[GoldSide, ...]


@dataclass(frozen=True)
class GoldFact:
    """A shared fact (two or more outlets) or an only-in fact (one outlet)."""

    value: str
    pattern: re.Pattern
    outlets: frozenset[str]


@dataclass(frozen=True)
class GoldEvent:
    event: str
    articles: tuple[dict, ...]  # {"path", "id"?} references or inline article records
    disputes: tuple[GoldDispute, ...]
    shared: tuple[GoldFact, ...]
    only_in: tuple[GoldFact, ...]
    complete: bool  # the dispute list is exhaustive: any other reported dispute is wrong
    line: int = 0


def _fail(message: str, source: str, line: int) -> FormatError:
    where = f"{source}:{line}" if source else f"line {line}"
    return FormatError(message, hint="see docs/comparison-gold.md for the format", path=where)


def _regex(value: object, what: str, source: str, line: int) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise _fail(f"{what}: expected a non-empty regex string", source, line)
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise _fail(f"{what}: bad regex {value!r} ({exc})", source, line) from None


def _outlets(value: object, what: str, source: str, line: int) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(o, str) for o in value):
        raise _fail(f"{what}: expected a non-empty list of outlet names", source, line)
    return frozenset(value)


def parse_gold(record: dict, *, source: str = "", line: int = 0) -> GoldEvent:
    """One gold event from its JSON object; a malformed record raises FormatError."""
    if not isinstance(record, dict) or not isinstance(record.get("event"), str):
        raise _fail("expected an object with an 'event' name", source, line)
    name = record["event"]
    articles = record.get("articles")
    if not isinstance(articles, list) or len(articles) < 2:
        raise _fail(f"{name}: 'articles' must list two or more articles", source, line)
    for a in articles:
        if not isinstance(a, dict) or not (isinstance(a.get("path"), str) or "text" in a):
            raise _fail(f"{name}: each article needs a 'path' or an inline 'text'", source, line)
    disputes = []
    for d in record.get("disputes", []):
        what = f"{name}: dispute {d.get('question', '?')!r}" if isinstance(d, dict) else name
        if not isinstance(d, dict) or d.get("kind") not in KINDS:
            raise _fail(f"{what}: 'kind' must be one of {', '.join(KINDS)}", source, line)
        sides = d.get("sides")
        if not isinstance(sides, list) or len(sides) < 2:
            raise _fail(f"{what}: a dispute needs two or more sides", source, line)
        disputes.append(
            GoldDispute(
                kind=d["kind"],
                question=str(d.get("question", "")),
                sides=tuple(
                    GoldSide(
                        value=s.get("value", ""),
                        pattern=_regex(s.get("value"), f"{what} side", source, line),
                        outlets=_outlets(s.get("outlets"), f"{what} side", source, line),
                    )
                    for s in sides
                ),
            )
        )
    shared = []
    for s in record.get("shared", []):
        outlets = _outlets(s.get("outlets"), f"{name}: shared", source, line)
        if len(outlets) < 2:
            raise _fail(f"{name}: a shared fact needs two or more outlets", source, line)
        pattern = _regex(s.get("pattern"), f"{name}: shared", source, line)
        shared.append(GoldFact(s["pattern"], pattern, outlets))
    only_in = []
    for s in record.get("only_in", []):
        if not isinstance(s.get("outlet"), str):
            raise _fail(f"{name}: an only_in fact needs one 'outlet'", source, line)
        pattern = _regex(s.get("pattern"), f"{name}: only_in", source, line)
        only_in.append(GoldFact(s["pattern"], pattern, frozenset([s["outlet"]])))
    return GoldEvent(
        event=name,
        articles=tuple(articles),
        disputes=tuple(disputes),
        shared=tuple(shared),
        only_in=tuple(only_in),
        complete=record.get("complete") is True,
        line=line,
    )


def read_gold(path: str | Path) -> list[GoldEvent]:
    """Every gold event of a JSONL file (one event per line; blank lines ignored)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("gold file not found", hint="check the path", path=str(path)) from None
    events = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(f"invalid JSON: {exc.msg}", str(path), number) from None
        events.append(parse_gold(record, source=str(path), line=number))
    if not events:
        raise _fail("holds no gold event", str(path), 1)
    return events


# --------------------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class _Side:
    """A reported dispute side as the scorer sees it: what the reader is shown, per outlet."""

    value: str
    outlets: frozenset[str]
    texts: tuple[tuple[str, str], ...]  # (outlet, evidence text or its sentence)


def _article_texts(data: dict) -> dict[str, str]:
    return {a.get("id", ""): a.get("text", "") for a in data.get("articles", [])}


def _evidence_texts(ev: dict, texts: dict[str, str]) -> Iterator[tuple[str, str]]:
    outlet = ev.get("outlet", "")
    yield outlet, ev.get("text", "")
    body = texts.get(ev.get("article_id", ""), "")
    start, end = ev.get("sentence_start"), ev.get("sentence_end")
    if body and isinstance(start, int) and isinstance(end, int):
        yield outlet, body[start:end]


def reported_disputes(data: dict) -> list[dict]:
    """The comparison's disputes; the older pairwise ``conflicts`` (one outlet and one
    evidence span per side) are read as disputes so the scorer runs on either shape."""
    if "disputes" in data:
        return list(data["disputes"])
    return [
        {
            **c,
            "question": c.get("question", c.get("slot", "")),
            "sides": [
                {
                    "value": s.get("value", ""),
                    "outlets": [s.get("outlet", "")],
                    "evidence": [s["evidence"]] if s.get("evidence") else [],
                }
                for s in c.get("sides", [])
            ],
        }
        for c in data.get("conflicts", [])
    ]


def _sides(dispute: dict, texts: dict[str, str]) -> list[_Side]:
    out = []
    for s in dispute.get("sides", []):
        evidence = s.get("evidence", [])
        evidence = [evidence] if isinstance(evidence, dict) else evidence
        outlets = set(s.get("outlets", [])) or {e.get("outlet", "") for e in evidence}
        found = tuple(t for e in evidence for t in _evidence_texts(e, texts))
        out.append(_Side(str(s.get("value", "")), frozenset(outlets), found))
    return out


def side_matches(side: _Side, gold: GoldSide) -> bool:
    """The gold pattern finds the side's value (outlets overlapping) or an evidence span or
    sentence written by one of the gold side's outlets."""
    if side.outlets & gold.outlets and gold.pattern.search(side.value):
        return True
    return any(o in gold.outlets and gold.pattern.search(t) for o, t in side.texts)


def _matched_sides(sides: Sequence[_Side], gold: GoldDispute) -> int:
    """The most reported sides that can each be paired with a different gold side."""
    edges = [[j for j, g in enumerate(gold.sides) if side_matches(s, g)] for s in sides]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(sides)))


def dispute_matches(dispute: dict, gold: GoldDispute, texts: dict[str, str]) -> bool:
    """Same kind, and two or more of its sides match two different gold sides."""
    return dispute.get("kind") == gold.kind and _matched_sides(_sides(dispute, texts), gold) >= 2


def _claim_texts(group: dict, texts: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for claim in group.get("claims", []):
        ev = claim.get("evidence") or {}
        found.extend(_evidence_texts(ev, texts))
    return found


def _group_outlet(group: dict) -> str:
    outlets = group.get("outlets") or [
        (c.get("evidence") or {}).get("outlet", "") for c in group.get("claims", [])
    ]
    return outlets[0] if outlets else ""


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class KindScore:
    """Dispute counts for one kind (or "all")."""

    kind: str
    reported: int = 0  # reported disputes, on complete events
    matched: int = 0  # of those, the ones matching a gold dispute
    gold: int = 0  # gold disputes
    found: int = 0  # gold disputes some reported dispute matches
    rows: int = 0  # reported disputes matching a gold dispute, all events

    @property
    def precision(self) -> float | None:
        return self.matched / self.reported if self.reported else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def rows_per_dispute(self) -> float | None:
        return self.rows / self.found if self.found else None

    def __add__(self, other: KindScore) -> KindScore:
        return KindScore(
            self.kind,
            self.reported + other.reported,
            self.matched + other.matched,
            self.gold + other.gold,
            self.found + other.found,
            self.rows + other.rows,
        )

    def as_dict(self) -> dict:
        """Counts and the ratios made from them (None where the denominator is 0)."""
        return {
            **asdict(self),
            "precision": self.precision,
            "recall": self.recall,
            "rows_per_dispute": self.rows_per_dispute,
        }


@dataclass(frozen=True)
class EventScore:
    """One gold event's counts, and what was missed or reported wrongly (for the labeller)."""

    event: str
    complete: bool
    kinds: tuple[KindScore, ...]
    only_in_gold: int
    only_in_found: int
    only_in_reported: int
    only_in_suspect: int  # reported only-in groups matching a gold shared fact of that outlet
    shared_gold: int
    shared_found: int
    missed_disputes: tuple[str, ...] = ()  # "kind: question" of gold disputes not found
    wrong_disputes: tuple[str, ...] = ()  # "kind: question" of unmatched reports (complete only)
    missed_only_in: tuple[str, ...] = ()
    missed_shared: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Plain data; kinds as a name -> counts mapping."""
        data = asdict(self)
        data["kinds"] = {k.kind: k.as_dict() for k in self.kinds}
        return data


def _fact_found_only_in(fact: GoldFact, groups: list[dict], texts: dict[str, str]) -> bool:
    (outlet,) = fact.outlets
    for g in groups:
        if g.get("status") != "only_in":
            continue
        if any(o == outlet and fact.pattern.search(t) for o, t in _claim_texts(g, texts)):
            return True
    return False


def _fact_found_shared(fact: GoldFact, groups: list[dict], texts: dict[str, str]) -> bool:
    for g in groups:
        if g.get("status") not in SHARED_STATUSES:
            continue
        carrying = {
            o for o, t in _claim_texts(g, texts) if o in fact.outlets and fact.pattern.search(t)
        }
        if len(carrying) >= 2:
            return True
    return False


def _suspect_only_in(group: dict, shared: Sequence[GoldFact], texts: dict[str, str]) -> bool:
    outlet = _group_outlet(group)
    facts = [f for f in shared if outlet in f.outlets]
    return any(f.pattern.search(t) for f in facts for _, t in _claim_texts(group, texts))


def score_event(data: dict, gold: GoldEvent) -> EventScore:
    """Score one comparison (plain dict) against its gold event."""
    texts = _article_texts(data)
    reported = reported_disputes(data)
    hits = [[dispute_matches(d, g, texts) for g in gold.disputes] for d in reported]
    kinds = []
    for kind in KINDS:
        mine = [i for i, d in enumerate(reported) if d.get("kind") == kind]
        golds = [j for j, g in enumerate(gold.disputes) if g.kind == kind]
        rows = sum(1 for i in mine if any(hits[i]))
        found = sum(1 for j in golds if any(hits[i][j] for i in range(len(reported))))
        kinds.append(
            KindScore(
                kind,
                reported=len(mine) if gold.complete else 0,
                matched=rows if gold.complete else 0,
                gold=len(golds),
                found=found,
                rows=rows,
            )
        )
    groups = list(data.get("claims", []))
    only_in_groups = [g for g in groups if g.get("status") == "only_in"]
    missed_only_in = [f.value for f in gold.only_in if not _fact_found_only_in(f, groups, texts)]
    missed_shared = [f.value for f in gold.shared if not _fact_found_shared(f, groups, texts)]
    return EventScore(
        event=gold.event,
        complete=gold.complete,
        kinds=tuple(kinds),
        only_in_gold=len(gold.only_in),
        only_in_found=len(gold.only_in) - len(missed_only_in),
        only_in_reported=len(only_in_groups),
        only_in_suspect=sum(_suspect_only_in(g, gold.shared, texts) for g in only_in_groups),
        shared_gold=len(gold.shared),
        shared_found=len(gold.shared) - len(missed_shared),
        missed_disputes=tuple(
            f"{g.kind}: {g.question}"
            for j, g in enumerate(gold.disputes)
            if not any(hits[i][j] for i in range(len(reported)))
        ),
        wrong_disputes=tuple(
            f"{d.get('kind')}: {d.get('question', '')}"
            for i, d in enumerate(reported)
            if gold.complete and not any(hits[i])
        ),
        missed_only_in=tuple(missed_only_in),
        missed_shared=tuple(missed_shared),
    )


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class ComparisonReport:
    """The comparison scored against a gold file: per kind, over all kinds, and per event."""

    path: str
    events: int
    complete_events: int
    kinds: tuple[KindScore, ...]  # the kinds with any reported or gold dispute, then "all"
    only_in_gold: int
    only_in_found: int
    only_in_reported: int
    only_in_suspect: int
    shared_gold: int
    shared_found: int
    seconds: float = 0.0
    per_event: tuple[EventScore, ...] = field(default=())

    @property
    def only_in_recall(self) -> float | None:
        return _ratio(self.only_in_found, self.only_in_gold)

    @property
    def only_in_precision_estimate(self) -> float | None:
        bad = _ratio(self.only_in_suspect, self.only_in_reported)
        return None if bad is None else 1.0 - bad

    @property
    def shared_recall(self) -> float | None:
        return _ratio(self.shared_found, self.shared_gold)

    def as_dict(self) -> dict:
        """Plain data for JSON: totals, ratios, kinds and per-event details."""
        return {
            "path": self.path,
            "events": self.events,
            "complete_events": self.complete_events,
            "disputes": {k.kind: k.as_dict() for k in self.kinds},
            "only_in": {
                "gold": self.only_in_gold,
                "found": self.only_in_found,
                "recall": self.only_in_recall,
                "reported": self.only_in_reported,
                "suspect": self.only_in_suspect,
                "precision_estimate": self.only_in_precision_estimate,
            },
            "shared": {
                "gold": self.shared_gold,
                "found": self.shared_found,
                "recall": self.shared_recall,
            },
            "seconds": self.seconds,
            "per_event": [e.as_dict() for e in self.per_event],
        }


def score_comparison(
    results: Iterable[tuple[GoldEvent, dict]], *, path: str = "", seconds: float = 0.0
) -> ComparisonReport:
    """Score each (gold event, comparison dict) pair and add the counts up."""
    scores = [score_event(data, gold) for gold, data in results]
    totals = {k: KindScore(k) for k in KINDS}
    for s in scores:
        for k in s.kinds:
            totals[k.kind] = totals[k.kind] + k
    kinds = [k for k in totals.values() if k.reported or k.gold]
    overall = KindScore("all")
    for k in totals.values():
        overall = overall + KindScore("all", k.reported, k.matched, k.gold, k.found, k.rows)
    return ComparisonReport(
        path=path,
        events=len(scores),
        complete_events=sum(s.complete for s in scores),
        kinds=(*kinds, overall),
        only_in_gold=sum(s.only_in_gold for s in scores),
        only_in_found=sum(s.only_in_found for s in scores),
        only_in_reported=sum(s.only_in_reported for s in scores),
        only_in_suspect=sum(s.only_in_suspect for s in scores),
        shared_gold=sum(s.shared_gold for s in scores),
        shared_found=sum(s.shared_found for s in scores),
        seconds=seconds,
        per_event=tuple(scores),
    )
