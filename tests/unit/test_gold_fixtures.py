"""The comparison gold labels (tests/data/gold/) agree with the fixture texts they describe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline.ingest.options import ReadOptions
from storyline.ingest.text import parse_text
from storyline.service.options import read_options

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "tests" / "data" / "gold").glob("*.jsonl"))
KINDS = {"number", "date", "time", "denial", "characterisation", "speaker", "source"}


def _events() -> list[dict]:
    """The gold events of our own fixtures (NewsWCL50's gold is checked against ../shared by
    tests/unit/test_evaluation_comparison.py)."""
    events = [json.loads(line) for path in GOLD for line in path.read_text().splitlines() if line]
    return [e for e in events
            if all(a.get("path", "").startswith("tests/data/") for a in e["articles"])]


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _texts(gold: dict, options: ReadOptions) -> tuple[dict[str, list[str]], list[str]]:
    """Outlet -> its non-clutter lines (headline first), and every clutter line seen."""
    clutter = [_rx(c) for c in gold["clutter"]]
    texts: dict[str, list[str]] = {}
    seen: list[str] = []
    for item in gold["articles"]:
        path = REPO / item["path"]
        article = parse_text(path.read_text(encoding="utf-8"), options, source=str(path))
        assert article.outlet and article.published, f"{path}: no outlet or date from its URL"
        assert article.outlet not in texts, f"{article.outlet} appears twice"
        lines = [ln.strip() for ln in article.text.split("\n") if ln.strip()]
        seen += [ln for ln in lines if any(c.search(ln) for c in clutter)]
        texts[article.outlet] = [article.title] + [
            ln for ln in lines if not any(c.search(ln) for c in clutter)
        ]
    return texts, seen


def _outlets_matching(texts: dict[str, list[str]], pattern: str, *, title: bool) -> set[str]:
    rx = _rx(pattern)
    return {
        o for o, lines in texts.items() if any(rx.search(ln) for ln in lines[0 if title else 1 :])
    }


@pytest.mark.parametrize("gold", _events(), ids=lambda g: g["event"])
def test_gold_labels_match_the_texts(gold, settings):
    texts, clutter_lines = _texts(gold, read_options(settings))
    assert gold["complete"] is True
    for pattern in gold["clutter"]:
        assert any(_rx(pattern).search(ln) for ln in clutter_lines), f"unused clutter {pattern}"
    for dispute in gold["disputes"]:
        assert dispute["kind"] in KINDS and len(dispute["sides"]) >= 2, dispute["question"]
        carried = [o for side in dispute["sides"] for o in side["outlets"]]
        assert len(carried) == len(set(carried)), f"an outlet on two sides: {dispute['question']}"
        for side in dispute["sides"]:
            missing = set(side["outlets"]) - _outlets_matching(texts, side["value"], title=False)
            assert not missing, f"{dispute['question']} /{side['value']}/ not in {missing}"
    for fact in gold["shared"]:
        found = _outlets_matching(texts, fact["pattern"], title=False)
        assert found == set(fact["outlets"]), f"/{fact['pattern']}/ is in {sorted(found)}"
    for fact in gold["only_in"] + gold.get("only_in_optional", []):
        found = _outlets_matching(texts, fact["pattern"], title=True)
        assert found == {fact["outlet"]}, f"/{fact['pattern']}/ is in {sorted(found)}"
    for group in gold.get("syndicated", []):
        assert set(group) <= set(texts)
