"""Refinement with the real model: it undoes the online pass's merges and splits, keeps story
ids with their largest part, survives a snapshot, and writes the store in step."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from storyline import service
from storyline.model import Article
from storyline.settings import load_settings
from storyline.stories.cluster import StoryEngine
from storyline.stories.metrics import bcubed
from storyline.stories.options import StoryOptions

T0 = datetime(2024, 5, 1, 8, 0)

QUAKE = [
    (
        "Magnitude 6.1 earthquake strikes Lombok island, Indonesia, killing 14",
        "A strong earthquake of magnitude 6.1 struck the Indonesian island of Lombok on Sunday, "
        "killing at least 14 people and damaging hundreds of homes, the disaster agency said.",
    ),
    (
        "Earthquake kills 14 on Indonesia's Lombok island",
        "At least 14 people died when a 6.1-magnitude quake hit Lombok, Indonesia's disaster "
        "mitigation agency said, as rescuers searched collapsed houses near Mount Rinjani.",
    ),
    (
        "Lombok quake death toll rises to 14, hundreds of homes damaged",
        "Indonesian officials said the earthquake that shook Lombok killed 14 people and left "
        "hundreds of houses damaged; hikers were evacuated from Mount Rinjani.",
    ),
]
FINAL = [
    (
        "Real Madrid beat Liverpool 3-1 to win Champions League final in Kiev",
        "Gareth Bale scored twice as Real Madrid beat Liverpool 3-1 in the Champions League final "
        "in Kiev, winning the trophy for a third successive season.",
    ),
    (
        "Bale double gives Real Madrid third straight Champions League title",
        "Real Madrid won the Champions League for the third year running after Gareth Bale's two "
        "goals sank Liverpool 3-1 in the final at Kiev's Olympic Stadium.",
    ),
]


def _articles() -> list[Article]:
    out = []
    for n, (title, text) in enumerate(QUAKE + FINAL):
        out.append(
            Article(
                id=f"a{n}",
                title=title,
                text=text,
                published=T0 + timedelta(hours=n),
                outlet=f"outlet{n}",
            )
        )
    return out


GOLD = ["quake"] * len(QUAKE) + ["final"] * len(FINAL)


def _labels(engine: StoryEngine, articles: list[Article]) -> list[str]:
    return [engine.assignment(a.id).story_id for a in articles]


def test_refinement_splits_what_the_online_pass_merged():
    articles = _articles()
    engine = StoryEngine(StoryOptions(threshold=-10.0))  # the online pass merges everything
    engine.add_many(articles)
    assert len(set(_labels(engine, articles))) == 1
    result = engine.refine({a.id: a for a in articles})
    labels = _labels(engine, articles)
    assert bcubed(labels, GOLD).f1 == 1.0
    assert result.articles == len(articles) and result.encoded == len(articles)
    assert result.moved == len(FINAL) and not result.removed
    # the larger part keeps the original id; the other part gets a fresh one
    assert labels[0] == "s000001" and labels[-1] == "s000002"
    assert set(result.changed) == {"s000001", "s000002"}
    story = engine.story(labels[-1])
    assert story.article_ids == tuple(a.id for a in articles[len(QUAKE) :])
    assert story.outlets == tuple(a.outlet for a in articles[len(QUAKE) :])


def test_refinement_merges_what_the_online_pass_split_and_ids_stay_unique():
    articles = _articles()
    engine = StoryEngine(StoryOptions(threshold=10.0))  # the online pass splits everything
    engine.add_many(articles)
    assert len(set(_labels(engine, articles))) == len(articles)
    result = engine.refine({a.id: a for a in articles})
    assert bcubed(_labels(engine, articles), GOLD).f1 == 1.0
    assert len(result.removed) == len(articles) - 2
    assert {s.id for s in engine.stories()} == set(_labels(engine, articles))
    # refining again changes nothing and re-encodes nothing
    again = engine.refine({a.id: a for a in articles})
    assert again.changed == [] and again.removed == [] and again.encoded == 0
    # a snapshot keeps the document vectors and the story numbering
    restored = StoryEngine.restore(engine.snapshot())
    late = Article(
        id="late",
        title="Unrelated: city council approves new bus lanes",
        text="The council voted 30-2 for bus lanes on four avenues.",
        published=T0 + timedelta(hours=8),
    )
    fresh = restored.add(late)
    assert fresh.opened and fresh.story_id == f"s{len(articles) + 1:06d}"
    assert restored.refine({a.id: a for a in [*articles, late]}).encoded == 1
    # vectors of another embedder are not mixed in: a changed setting re-encodes everything
    hashed = StoryEngine.restore(engine.snapshot(), StoryOptions(embedder="hashing"))
    assert hashed.refine({a.id: a for a in articles}).encoded == len(articles)


@pytest.fixture()
def settings(tmp_path):
    return load_settings({"store": str(tmp_path / "news.db"), "story_threshold": 10.0})


def test_ingest_refines_and_the_store_follows(settings, tmp_path):
    feed = tmp_path / "items.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": a.id,
                    "title": a.title,
                    "text": a.text,
                    "outlet": a.outlet,
                    "published": a.published.isoformat(),
                    "url": f"https://n.example/{a.id}",
                }
            )
            for a in _articles()
        ),
        encoding="utf-8",
    )
    unrefined = service.ingest([str(feed)], {**settings, "story_refine": False})
    assert unrefined.refined == 0 and len(service.list_stories(settings=settings)) == 5
    report = service.refine(settings)
    assert report.refined == 5 and report.stories_removed == 3
    stories = service.list_stories(settings=settings)
    assert sorted(s.size for s in stories) == [2, 3]
    members = [a for s in stories for a in s.article_ids]
    assert len(members) == len(set(members)) == 5
    # a second refine over the same store is a no-op on the stories
    assert service.refine(settings).stories_removed == 0
    assert sorted(s.size for s in service.list_stories(settings=settings)) == [2, 3]


def test_a_long_ingest_refines_on_the_way(settings, tmp_path, monkeypatch):
    from storyline.stories import refine

    monkeypatch.setattr(service.ingesting, "INGEST_BATCH", 2)
    monkeypatch.setattr(refine, "REFINE_EVERY", 2)
    feed = tmp_path / "items.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps({"title": a.title, "text": a.text, "outlet": a.outlet,
                        "published": a.published.isoformat(), "url": f"https://n.example/{a.id}"})
            for a in _articles()
        ),
        encoding="utf-8",
    )
    report = service.ingest([str(feed)], settings)
    # batches of 2: refined after 2 and 4 articles (scopes of 2 and 4), then all 5 at the end
    assert report.refined == 2 + 4 + 5
    assert sorted(s.size for s in service.list_stories(settings=settings)) == [2, 3]
    # nothing new: a second ingest of the same file refines nothing
    assert service.ingest([str(feed)], settings).refined == 0
