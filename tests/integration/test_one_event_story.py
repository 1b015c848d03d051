"""A dozen reports of one event, dated and undated, with page clutter, come out of `ingest` as
one story (issue 10: one march ingested as five stories), and an event of the same kind in
another town nine days later stays apart. Fixture: tests/data/stories/one_event.jsonl (ours)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storyline import service
from storyline.settings import load_settings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "stories" / "one_event.jsonl"

pytestmark = pytest.mark.slow


def _stories(tmp_path: Path, refine: bool) -> list[Counter]:
    settings = load_settings({"store": str(tmp_path / "news.db"), "story_refine": refine})
    service.ingest([str(FIXTURE)], settings)
    articles, _ = service.read_labelled(FIXTURE, settings)
    gold = {a.id: a.get("story") for a in articles}
    stories = service.list_stories(settings=settings)
    return [Counter(gold[i] for i in s.article_ids) for s in stories]


def test_a_dozen_reports_of_one_flood_are_one_story_and_another_town_stays_apart(tmp_path):
    stories = _stories(tmp_path, refine=True)
    assert Counter({"flood-oskarvale": 12}) in stories, stories
    assert Counter({"flood-brennick": 3}) in stories, stories
