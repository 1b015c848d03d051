"""The comparison scorer on small hand-made comparison dicts, and the NewsWCL50 gold file."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from tests.conftest import DATA, REPO, shared_path

from storyline.errors import FormatError
from storyline.evaluation import parse_gold, read_gold, score_comparison, score_event

GOLD = DATA / "gold" / "newswcl50.jsonl"
TWO = [{"path": "a.txt"}, {"path": "b.txt"}]

# Two made-up articles: sentence spans are offsets into these texts.
TEXT_A = "Officials said 22 missiles were fired on Tuesday. The base was hit."
TEXT_B = "The ministry said 30 missiles were fired. Nobody was hurt."
ARTICLES = [
    {"id": "a1", "outlet": "Alpha", "text": TEXT_A},
    {"id": "b1", "outlet": "Beta", "text": TEXT_B},
]


def ev(article: str, outlet: str, text: str, whole: str) -> dict:
    """Evidence for ``text`` inside ``whole``; the sentence is the one holding it."""
    start = whole.index(text)
    s_start = whole.rfind(". ", 0, start) + 2 if ". " in whole[:start] else 0
    s_end = whole.find(".", start) + 1
    return {
        "article_id": article,
        "outlet": outlet,
        "sentence": 0,
        "start": start,
        "end": start + len(text),
        "text": text,
        "sentence_start": s_start,
        "sentence_end": s_end,
    }


def side(value: str, outlets: list[str], *evidence: dict) -> dict:
    return {
        "value": value,
        "normalized": value,
        "outlets": outlets,
        "independent": len(outlets),
        "credits": [],
        "evidence": list(evidence),
    }


def dispute(kind: str, *sides: dict, id: str = "d1") -> dict:
    return {
        "id": id,
        "kind": kind,
        "question": "q",
        "group": "g1",
        "confidence": 0.9,
        "explanation": "",
        "sides": list(sides),
    }


def group(status: str, *claims: dict, id: str = "g1") -> dict:
    outlets = sorted({c["outlet"] for c in claims})
    return {
        "id": id,
        "status": status,
        "outlets": outlets,
        "confidence": 0.9,
        "disputes": [],
        "claims": [{"id": f"c{i}", "evidence": c} for i, c in enumerate(claims)],
    }


def comparison(disputes=(), claims=()) -> dict:
    return {"articles": ARTICLES, "disputes": list(disputes), "claims": list(claims)}


def gold(disputes=(), shared=(), only_in=(), complete=True) -> dict:
    return {
        "event": "e",
        "articles": TWO,
        "disputes": list(disputes),
        "shared": list(shared),
        "only_in": list(only_in),
        "complete": complete,
    }


MISSILES = {
    "kind": "number",
    "question": "how many missiles",
    "sides": [
        {"value": r"\b22\b", "outlets": ["Alpha"]},
        {"value": r"\b30\b", "outlets": ["Beta"]},
    ],
}
A22 = ev("a1", "Alpha", "22 missiles", TEXT_A)
B30 = ev("b1", "Beta", "30 missiles", TEXT_B)


def test_a_dispute_matches_when_two_sides_match_two_gold_sides():
    g = parse_gold(gold([MISSILES]))
    s = score_event(
        comparison([dispute("number", side("22", ["Alpha"], A22), side("30", ["Beta"], B30))]), g
    )
    number = {k.kind: k for k in s.kinds}["number"]
    assert (number.reported, number.matched, number.gold, number.found) == (1, 1, 1, 1)
    assert s.missed_disputes == () and s.wrong_disputes == ()


def test_kind_must_agree_and_outlets_must_overlap():
    g = parse_gold(gold([MISSILES]))
    wrong_kind = dispute("date", side("22", ["Alpha"], A22), side("30", ["Beta"], B30))
    swapped = dispute("number", side("22", ["Beta"]), side("30", ["Alpha"]))
    s = score_event(comparison([wrong_kind, swapped]), g)
    kinds = {k.kind: k for k in s.kinds}
    assert kinds["number"].found == 0 and kinds["number"].matched == 0
    assert kinds["date"].reported == 1 and kinds["date"].matched == 0
    assert len(s.wrong_disputes) == 2 and s.missed_disputes == ("number: how many missiles",)


def test_two_reported_sides_on_one_gold_side_do_not_match():
    g = parse_gold(gold([MISSILES]))
    d = dispute("number", side("22", ["Alpha"], A22), side("22 missiles", ["Alpha"], A22))
    assert {k.kind: k for k in score_event(comparison([d]), g).kinds}["number"].found == 0


def test_the_sentence_of_the_evidence_is_searched_too():
    # The value and span say only "fired"; the gold pattern is found in the sentence.
    g = parse_gold(gold([MISSILES]))
    a = ev("a1", "Alpha", "fired on Tuesday", TEXT_A)
    b = ev("b1", "Beta", "fired", TEXT_B)
    d = dispute("number", side("fired", ["Alpha"], a), side("fired", ["Beta"], b))
    assert {k.kind: k for k in score_event(comparison([d]), g).kinds}["number"].found == 1


def test_precision_counts_only_complete_events_and_rows_count_duplicates():
    d1 = dispute("number", side("22", ["Alpha"], A22), side("30", ["Beta"], B30), id="d1")
    d2 = dispute("number", side("22 missiles", ["Alpha"], A22), side("30", ["Beta"], B30), id="d2")
    extra = dispute("denial", side("said", ["Alpha"]), side("said", ["Beta"]), id="d3")
    data = comparison([d1, d2, extra])
    complete = parse_gold(gold([MISSILES]))
    partial = parse_gold(gold([MISSILES], complete=False))
    report = score_comparison([(complete, data), (partial, data)])
    kinds = {k.kind: k for k in report.kinds}
    assert (kinds["number"].reported, kinds["number"].matched) == (2, 2)  # complete event only
    assert (kinds["number"].gold, kinds["number"].found, kinds["number"].rows) == (2, 2, 4)
    assert kinds["number"].rows_per_dispute == 2.0
    assert kinds["denial"].precision == 0.0 and kinds["denial"].recall is None
    assert kinds["all"].reported == 3 and kinds["all"].matched == 2
    assert report.as_dict()["disputes"]["all"]["precision"] == pytest.approx(2 / 3)


def test_only_in_recall_and_precision_estimate():
    base = ev("a1", "Alpha", "The base was hit", TEXT_A)
    fired = ev("a1", "Alpha", "22 missiles were fired", TEXT_A)
    g = parse_gold(
        gold(
            shared=[{"pattern": "missiles were fired", "outlets": ["Alpha", "Beta"]}],
            only_in=[
                {"pattern": "base was hit", "outlet": "Alpha"},
                {"pattern": "Nobody was hurt", "outlet": "Beta"},
            ],
        )
    )
    data = comparison(claims=[group("only_in", base, id="g1"), group("only_in", fired, id="g2")])
    report = score_comparison([(g, data)])
    assert (report.only_in_found, report.only_in_gold) == (1, 2)
    assert report.only_in_precision_estimate == 0.5  # "missiles were fired" is shared
    assert report.per_event[0].missed_only_in == ("Nobody was hurt",)


def test_shared_recall_needs_two_of_the_facts_outlets_in_one_group():
    g = parse_gold(gold(shared=[{"pattern": "missiles were fired", "outlets": ["Alpha", "Beta"]}]))
    a = ev("a1", "Alpha", "22 missiles were fired", TEXT_A)
    b = ev("b1", "Beta", "30 missiles were fired", TEXT_B)
    hurt = ev("b1", "Beta", "Nobody was hurt", TEXT_B)
    assert score_event(comparison(claims=[group("conflicting", a, b)]), g).shared_found == 1
    assert score_event(comparison(claims=[group("shared", a, hurt)]), g).shared_found == 0
    assert (
        score_event(comparison(claims=[group("only_in", a), group("only_in", b)]), g).shared_found
        == 0
    )


def test_pairwise_conflicts_of_the_older_shape_are_read_as_disputes():
    g = parse_gold(gold([MISSILES]))
    old = {
        "articles": ARTICLES,
        "claims": [],
        "conflicts": [
            {
                "id": "c1",
                "kind": "number",
                "slot": "count of missile",
                "confidence": 0.8,
                "explanation": "",
                "sides": [
                    {"outlet": "Alpha", "value": "22", "normalized": "22", "evidence": A22},
                    {"outlet": "Beta", "value": "30", "normalized": "30", "evidence": B30},
                ],
            }
        ],
    }
    assert {k.kind: k for k in score_event(old, g).kinds}["number"].found == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "mood", "sides": MISSILES["sides"]},
        {"kind": "number", "sides": MISSILES["sides"][:1]},
        {"kind": "number", "sides": [{"value": "(", "outlets": ["Alpha"]}, MISSILES["sides"][1]]},
        {"kind": "number", "sides": [{"value": "22", "outlets": []}, MISSILES["sides"][1]]},
    ],
)
def test_malformed_gold_disputes_are_refused(bad):
    with pytest.raises(FormatError):
        parse_gold(gold([bad]), source="g.jsonl", line=3)


def test_a_shared_fact_needs_two_outlets():
    with pytest.raises(FormatError):
        parse_gold(gold(shared=[{"pattern": "x", "outlets": ["Alpha"]}]))


# --------------------------------------------------------------------------- the NewsWCL50 gold


def test_the_newswcl50_gold_parses_and_is_complete():
    events = read_gold(GOLD)
    assert len(events) == 9 and all(e.complete for e in events)
    assert all(len(e.articles) == 5 for e in events)
    assert sum(len(e.disputes) for e in events) >= 20
    assert all(5 <= len(e.shared) <= 12 and 3 <= len(e.only_in) <= 11 for e in events)


def test_the_newswcl50_gold_holds_patterns_not_sentences():
    # Third-party text stays out of the repo: every pattern is a few words at most.
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        patterns = [s["value"] for d in record["disputes"] for s in d["sides"]]
        patterns += [f["pattern"] for f in record["shared"] + record["only_in"]]
        for p in patterns:
            for alternative in p.split("|"):
                assert len(alternative.split()) <= 8, alternative


def test_the_newswcl50_gold_agrees_with_the_articles():
    """Each side or fact is found in the text of every outlet it names; an only-in fact in no
    other outlet's article of the event (checks the labels, not the engine)."""
    path = shared_path("data", "newswcl50", "articles.jsonl")
    records = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    for event in read_gold(GOLD):
        texts = {}
        for ref in event.articles:
            assert (REPO / ref["path"]).resolve() == path.resolve()
            texts[records[ref["id"]]["outlet"]] = records[ref["id"]]["text"]
        facts = [(s.pattern, s.outlets) for d in event.disputes for s in d.sides]
        facts += [(f.pattern, f.outlets) for f in event.shared + event.only_in]
        for pattern, outlets in facts:
            for outlet in outlets:
                assert pattern.search(texts[outlet]), (event.event, pattern.pattern, outlet)
        for fact in event.only_in:
            elsewhere = [
                o for o, t in texts.items() if o not in fact.outlets and fact.pattern.search(t)
            ]
            assert not elsewhere, (event.event, fact.value, elsewhere)


def test_the_scorer_depends_on_nothing_but_the_model_and_errors():
    src = Path(__file__).resolve().parents[2] / "src" / "storyline" / "evaluation"
    imported = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("storyline.")
            ):
                imported.add(node.module.split(".")[1])
    assert imported <= {"evaluation", "errors", "model"}


def test_gold_articles_resolve_inline_files_and_dump_records(tmp_path, settings):
    from storyline.service.evaluating import _gold_article

    dump = tmp_path / "data" / "dump.jsonl"
    dump.parent.mkdir()
    rows = [
        {"id": "x1", "outlet": "Alpha", "text": TEXT_A},
        {"id": "x2", "outlet": "Beta", "text": TEXT_B},
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    gold_file = tmp_path / "tests" / "gold.jsonl"
    gold_file.parent.mkdir()
    cache: dict = {}
    # A relative path is the repository root's: found from a folder above the gold file.
    picked = _gold_article({"path": "data/dump.jsonl", "id": "x2"}, gold_file, settings, cache)
    assert picked.outlet == "Beta" and re.search("30 missiles", picked.text)
    inline = _gold_article({"id": "i", "outlet": "Gamma", "text": TEXT_A}, gold_file, settings, {})
    assert inline.outlet == "Gamma" and inline.label == "Gamma"
    with pytest.raises(Exception, match="no record"):
        _gold_article({"path": "data/dump.jsonl", "id": "nope"}, gold_file, settings, cache)
