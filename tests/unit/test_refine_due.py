"""When refinement is due: every REFINE_EVERY articles, or as the stream's clock passes a story
window, so a slow stream's stories are refined before they close (hashing vectors: no model)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np

from storyline import service
from storyline.model import Article
from storyline.settings import load_settings
from storyline.stories import refine
from storyline.stories.cluster import StoryEngine
from storyline.stories.evaluate import score_clustering
from storyline.stories.options import StoryOptions, TrackOptions
from storyline.stories.represent import Representer, cosine

T0 = datetime(2015, 3, 2, 9, 0)
WINDOW = 72.0


def _engine() -> StoryEngine:
    return StoryEngine(StoryOptions(embedder="hashing"), representer=Representer(dense=False))


def _article(i: int, hours: float | None, title: str = "Shooting on Edwards Street") -> Article:
    when = None if hours is None else T0 + timedelta(hours=hours)
    text = f"{title}. Police said one man was hurt."
    return Article(id=f"a{i}", title=title, text=text, published=when, extra=(("story", "x"),))


def test_due_once_the_clock_passes_a_window_since_the_last_refinement():
    engine = _engine()
    assert not engine.refine_due(T0)  # nothing assigned yet
    engine.add(_article(0, 0.0))
    assert not engine.refine_due(T0 + timedelta(hours=WINDOW - 1))
    assert engine.refine_due(T0 + timedelta(hours=WINDOW))
    first = _article(0, 0.0)
    engine.refine({first.id: first})
    engine.add(_article(1, WINDOW))
    # counted from the refinement's clock (hour 0), not from the first article again
    assert engine.refine_due(T0 + timedelta(hours=WINDOW))
    assert engine.refine_due(None)  # the clock itself is there already


def test_undated_streams_are_refined_by_count_only(monkeypatch):
    monkeypatch.setattr(refine, "REFINE_EVERY", 3)
    engine = _engine()
    for i in range(2):
        engine.add(_article(i, None))
    assert not engine.refine_due(None)
    assert engine.refine_due(None, pending=1)
    engine.add(_article(2, None))
    assert engine.refine_due(None)


def test_pending_articles_count_from_their_first_published_time():
    engine = _engine()
    assert not engine.refine_due(T0 + timedelta(hours=10), pending=1, since=T0)
    assert engine.refine_due(T0 + timedelta(hours=WINDOW + 1), pending=1, since=T0)


def test_a_slow_stream_is_refined_window_by_window_in_evaluation(monkeypatch):
    # one article a day for 12 days: stories close 3 windows (9 days) after their last report,
    # so refining only at the end would reach the last days alone
    seen: list[int] = []
    original = StoryEngine.refine

    def counting(self, articles):
        seen.append(len(articles))
        return original(self, articles)

    monkeypatch.setattr(StoryEngine, "refine", counting)
    articles = [_article(i, 24.0 * i, f"Shooting number {i} on Edwards Street") for i in range(12)]
    report = score_clustering(articles, TrackOptions(stories=StoryOptions(embedder="hashing")))
    assert report.articles == 12
    # before day 3 (a window after day 0), then a window after each refinement's clock (the
    # last article then: day 2, 4, 6, 8, 10), and once at the end
    assert seen == [3, 5, 7, 9, 11, 12]


TOWNS = [
    "Rocky Mount",
    "Durham",
    "Fayetteville",
    "Raleigh",
    "Wilson",
    "Greenville",
    "Cary",
    "Garner",
    "Sanford",
    "Goldsboro",
]


def test_one_ingest_batch_spanning_weeks_is_refined_as_its_clock_passes(tmp_path, monkeypatch):
    from storyline.stories.tracker import Tracker

    calls: list[int] = []
    original = Tracker.refine

    def counting(self, report):
        calls.append(self.engine.assigned)
        original(self, report)

    monkeypatch.setattr(Tracker, "refine", counting)
    settings = load_settings({"store": str(tmp_path / "news.db"), "embedder": "hashing"})
    feed = tmp_path / "items.jsonl"
    rows = [
        {
            "title": f"Man shot in {town}",
            "text": f"A man aged {20 + i} was shot in {town} on day {i}, police in {town} said.",
            "published": (T0 + timedelta(days=i)).isoformat(),
            "url": f"https://n.example/{i}",
        }
        for i, town in enumerate(TOWNS)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = service.ingest([str(feed)], settings)
    assert report.added == 10 and report.copies == 0
    # one batch of 10 daily reports: refined before day 3 (a window after day 0), then a window
    # after each refinement's clock (the last article then: day 2, 4, 6, 8), and at the end
    assert calls == [3, 5, 7, 9, 10]


def test_shared_names_waive_the_time_penalty_in_proportion():
    weeks = 21 * 24.0
    full = float(refine.time_penalty(weeks, WINDOW))
    assert full > 0.9 * refine.W_TIME
    assert float(refine.time_penalty(weeks, WINDOW, 0.5)) < full
    assert float(refine.time_penalty(weeks, WINDOW, 1.0)) == 0.0
    assert float(refine.time_penalty(0.0, WINDOW, 0.3)) == 0.0


def test_a_follow_up_naming_the_victim_weeks_later_is_nearer_than_one_that_does_not():
    engine = _engine()
    first = _article(0, 0.0, "Jamal Hines shot on Edwards Street in Rocky Mount")
    named = _article(1, 21 * 24.0, "Suspect charged in Jamal Hines killing, Rocky Mount")
    unnamed = _article(2, 21 * 24.0, "Suspect charged in a killing last month")
    for a in (first, named, unnamed):
        engine.representer.represent(a)
    docs = (np.ones(4, dtype=np.float32) / 2, np.ones(4, dtype=np.float32) / 2)
    with_names = engine.similarity(first, named, docs)
    ra, rb = (engine.representer.represent(x, learn=False) for x in (first, named))
    views = cosine(ra.terms, rb.terms), cosine(ra.names, rb.names)
    undecayed = refine.deep_score(*views, 1.0)
    full_penalty = undecayed - float(refine.time_penalty(21 * 24.0, WINDOW))
    assert views[1] > 0.0  # the follow-up names the victim and the town
    assert with_names > full_penalty  # the shared names waived part of the penalty
    assert engine.similarity(first, unnamed, docs) < with_names
