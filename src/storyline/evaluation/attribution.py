"""Score extracted attributions against brat standoff gold in the PolNeAR layout.

Layout: ``DIR/text/NAME.txt`` beside ``DIR/attributions/NAME_ANNOTATOR.ann`` (PolNeAR), or
``DIR/NAME.txt`` beside ``DIR/NAME.ann`` (plain brat). An ``.ann`` file holds ``Source``,
``Cue`` and ``Content`` text-bound spans (``T1<TAB>Source 89 106<TAB>The New York Post``,
discontinuous spans as ``315 448;463 553``) joined by ``Attribution`` events
(``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``). When a text has several annotation
files (double annotation), the first in name order is the gold.

Measures, each as P/R/F1 with the counts behind them:
- per part (source, cue, content): precision = distinct predicted spans of that part that
  match some gold span of the same part / distinct predicted spans; recall = distinct gold
  spans matched by some predicted span / distinct gold spans. "overlap" = at least one shared
  character, "exact" = the same characters (surrounding white space ignored);
- relations: a predicted relation matches a gold one when their contents overlap and their
  sources overlap (or both have no source); precision over predicted relations, recall over
  gold relations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.errors import FormatError, InputError

Pieces = tuple[tuple[int, int], ...]  # a possibly discontinuous span: sorted (start, end) pieces
PARTS = ("source", "cue", "content")
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True)
class Relation:
    """One source–cue–content relation; a part with no span is ``()``."""

    source: Pieces
    cue: Pieces
    content: Pieces


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 with their counts."""

    predicted: int
    predicted_matched: int
    gold: int
    gold_matched: int

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "predicted": self.predicted,
            "predicted_matched": self.predicted_matched, "gold": self.gold,
            "gold_matched": self.gold_matched,
        }


@dataclass(frozen=True)
class AttributionReport:
    """Scores of one run over a directory of gold documents."""

    path: str
    documents: int
    scores: dict[str, Score] = field(default_factory=dict)  # "source_exact", "relation", ...
    seconds: float = 0.0

    def as_dict(self) -> dict:
        out: dict = {"path": self.path, "documents": self.documents}
        for name, score in self.scores.items():
            for key, value in score.as_dict().items():
                out[f"{name}_{key}"] = value
        out["seconds"] = round(self.seconds, 2)
        out["articles_per_second"] = (
            round(self.documents / self.seconds, 2) if self.seconds else 0.0
        )
        return out


# --------------------------------------------------------------------------- reading the gold


def parse_pieces(field_text: str) -> Pieces:
    """``"315 448;463 553"`` -> ((315, 448), (463, 553))."""
    pieces = []
    for part in field_text.split(";"):
        start, end = part.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def parse_ann(content: str, path: str = "") -> tuple[Relation, ...]:
    """The relations of one brat ``.ann`` file."""
    spans: dict[str, tuple[str, Pieces]] = {}
    events: list[str] = []
    for line in content.splitlines():
        if (m := _TEXT_BOUND.match(line)) is not None:
            try:
                spans[m.group(1)] = (m.group(2), parse_pieces(m.group(3)))
            except ValueError:
                raise FormatError(f"bad span in {line[:60]!r}", path=path) from None
        elif (m := _EVENT.match(line)) is not None:
            events.append(m.group(2))
    out = []
    for event in events:
        roles: dict[str, Pieces] = {}
        for arg in event.split():
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789").lower()  # "Content2" continues the content
            if role in PARTS and ref in spans:
                roles[role] = tuple(sorted(roles.get(role, ()) + spans[ref][1]))
        if roles.get("content") or roles.get("cue"):
            out.append(Relation(roles.get("source", ()), roles.get("cue", ()),
                                roles.get("content", ())))
    return tuple(out)


def read_gold_dir(path: str | Path) -> list[GoldDocument]:
    """Every annotated text under ``path`` (PolNeAR or plain brat layout), in name order."""
    root = Path(path)
    if not root.is_dir():
        raise InputError("not a directory", hint="pass a folder of brat .txt/.ann files",
                         path=str(root))
    texts = root / "text" if (root / "text").is_dir() else root
    anns = root / "attributions" if (root / "attributions").is_dir() else root
    ann_files = sorted(anns.glob("*.ann"))
    docs = []
    for txt in sorted(texts.glob("*.txt")):
        ann = next((a for a in ann_files if a.stem == txt.stem), None) or next(
            (a for a in ann_files if a.stem.rsplit("_", 1)[0] == txt.stem), None
        )
        if ann is None:
            continue
        try:
            text = txt.read_text(encoding="utf-8")
            content = ann.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read ({exc})", path=str(txt)) from None
        docs.append(GoldDocument(txt.stem, text, parse_ann(content, str(ann))))
    if not docs:
        raise InputError("no .txt file with a matching .ann file", path=str(root),
                         hint="expected text/NAME.txt and attributions/NAME_*.ann")
    return docs


# --------------------------------------------------------------------------- scoring


def _trim(pieces: Pieces, text: str) -> Pieces:
    out = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def overlaps(a: Pieces, b: Pieces) -> bool:
    """Whether two spans share at least one character."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _part_counts(gold: Sequence[Pieces], pred: Sequence[Pieces], exact: bool) -> Score:
    gold_set, pred_set = set(gold), set(pred)

    def match(a: Pieces, b: Pieces) -> bool:
        return a == b if exact else overlaps(a, b)

    return Score(
        len(pred_set), sum(any(match(p, g) for g in gold_set) for p in pred_set),
        len(gold_set), sum(any(match(g, p) for p in pred_set) for g in gold_set),
    )


def _relation_match(a: Relation, b: Relation) -> bool:
    if not overlaps(a.content, b.content):
        return False
    return overlaps(a.source, b.source) or (not a.source and not b.source)


def score_document(text: str, gold: Iterable[Relation], predicted: Iterable[Relation]
                   ) -> dict[str, Score]:
    """Scores of one document (counts add up over documents)."""
    def trimmed(rels: Iterable[Relation]) -> list[Relation]:
        return [Relation(_trim(r.source, text), _trim(r.cue, text), _trim(r.content, text))
                for r in rels]

    g, p = trimmed(gold), trimmed(predicted)
    scores = {}
    for part in PARTS:
        gold_spans = [getattr(r, part) for r in g if getattr(r, part)]
        pred_spans = [getattr(r, part) for r in p if getattr(r, part)]
        scores[f"{part}_overlap"] = _part_counts(gold_spans, pred_spans, exact=False)
        scores[f"{part}_exact"] = _part_counts(gold_spans, pred_spans, exact=True)
    scores["relation"] = Score(
        len(p), sum(any(_relation_match(r, x) for x in g) for r in p),
        len(g), sum(any(_relation_match(x, r) for r in p) for x in g),
    )
    return scores


def add_scores(total: dict[str, Score], more: dict[str, Score]) -> dict[str, Score]:
    """Counts of two runs summed."""
    out = dict(total)
    for name, s in more.items():
        t = out.get(name, Score(0, 0, 0, 0))
        out[name] = Score(t.predicted + s.predicted, t.predicted_matched + s.predicted_matched,
                          t.gold + s.gold, t.gold_matched + s.gold_matched)
    return out


# --------------------------------------------------------------------------- the prediction


def _located_cue(text: str, quote: dict) -> Pieces:
    """Where a cue given only as words ("said") lies: nearest the content, outside it."""
    words = quote.get("cue", "").split()
    if not words:
        return ()
    lo, hi = quote["start"], quote["end"]
    c0, c1 = quote["content_start"], quote["content_end"]
    found = []
    for m in re.finditer(re.escape(words[-1]), text[lo:hi], flags=re.IGNORECASE):
        s = lo + m.start()
        if not (c0 <= s < c1):
            found.append((min(abs(s - c0), abs(s - c1)), s, s + len(words[-1])))
    return ((min(found)[1], min(found)[2]),) if found else ()


def relations_from_analysis(data: dict) -> list[Relation]:
    """The predicted relations of one analysis given as plain data (``model.to_dict``).

    Its ``statements`` when the pipeline assigned them; else (an older pipeline) its quotes: the
    source is the span as written when the quote has one (``source_start``), else the
    speaker span; the cue is its span (``cue_start``) or, for quotes that carry only the cue's
    words, where those words are found.
    """
    text = data["article"]["text"]
    if "statements" in data.get("layers", ()):
        return [
            Relation(((s["source_start"], s["source_end"]),) if s["source_start"] >= 0 else (),
                     ((s["cue_start"], s["cue_end"]),), ((s["content_start"], s["content_end"]),))
            for s in data["statements"]
        ]
    out = []
    for q in data.get("quotes", []):
        if q.get("source_start", -1) >= 0 and q.get("source_end", -1) > q["source_start"]:
            source: Pieces = ((q["source_start"], q["source_end"]),)
        elif q.get("speaker") and q["speaker_end"] > q["speaker_start"]:
            source = ((q["speaker_start"], q["speaker_end"]),)
        else:
            source = ()
        if q.get("cue_start", -1) >= 0 and q.get("cue_end", -1) > q["cue_start"]:
            cue: Pieces = ((q["cue_start"], q["cue_end"]),)
        else:
            cue = _located_cue(text, q)
        out.append(Relation(source, cue, ((q["content_start"], q["content_end"]),)))
    return out
