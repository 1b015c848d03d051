"""A follow-up weeks after its story closed (an arrest, a court date) joins that story after
``ingest`` (stories/followups.py), and a shooting of the same kind in another town in the same
days stays apart. Fixture: tests/data/stories/followups.jsonl (ours)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storyline import service
from storyline.settings import load_settings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "stories" / "followups.jsonl"

pytestmark = pytest.mark.slow


def _stories(tmp_path: Path) -> list[Counter]:
    settings = load_settings({"store": str(tmp_path / "news.db")})
    service.ingest([str(FIXTURE)], settings)
    articles, _ = service.read_labelled(FIXTURE, settings)
    gold = {a.id: a.get("story") for a in articles}
    stories = service.list_stories(settings=settings)
    return [Counter(gold[i] for i in s.article_ids) for s in stories]


def test_follow_ups_weeks_later_join_their_closed_story_and_another_town_stays_apart(tmp_path):
    stories = _stories(tmp_path)
    assert Counter({"quenby": 5}) in stories, stories
    assert Counter({"lantern": 2}) in stories, stories
