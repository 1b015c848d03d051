"""Stories across languages: the multilingual route of the deep similarity, names across
scripts, and a story's languages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline.service.options import story_options
from storyline.settings import load_settings
from storyline.stories import multilingual
from storyline.stories.options import StoryOptions
from storyline.stories.represent import latin_names_text, names

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "stories" / "multilingual.jsonl"


def test_pairs_route_by_language():
    assert multilingual.pair_route("en", "en") == "en"
    assert multilingual.pair_route("", "en") == "en"  # too short to tell: clustered as English
    assert multilingual.pair_route("en", "ru") == "cross"
    assert multilingual.pair_route("de", "de") == "same"
    other, cross = multilingual.routes(["en", "fr", ""], ["en", "fr"])
    assert other.tolist() == [[False, True], [True, True], [False, True]]
    assert cross.tolist() == [[False, True], [True, False], [False, True]]
    assert not multilingual.needs_vectors(["en", "", "en"])
    assert multilingual.needs_vectors(["en", "zh"])


def test_cyrillic_names_meet_their_latin_spelling():
    found = names("Губернатор Ильза Верховен и Владимир Путин. Путин сказал")
    assert {"ilza", "verkhoven", "vladimir", "putin"} <= found
    assert "putin" in names("President Vladimir Putin arrived in Moscow")
    english = "Police in Edwards Street said the 19-year-old “had fled”."
    assert latin_names_text(english) == english  # English text is read unchanged
    assert latin_names_text("塔尔莫拉发生地震") == "塔尔莫拉发生地震"  # uncased scripts left alone


def test_fit_maps_each_route_onto_the_english_line():
    rng = np.random.default_rng(1)
    n = 300
    target = rng.uniform(-4, -1, n)
    route = np.array(["en"] * 100 + ["cross"] * 100 + ["same"] * 100)
    use = 0.1 * target + 0.7 + rng.normal(0, 0.02, n)
    views = np.c_[np.zeros(n), np.zeros(n), use]
    english = 0.15 * target + 0.65 + rng.normal(0, 0.02, n)
    fitted = multilingual.fit(views, english, route, target)
    scores = multilingual.score(views[:, 0], views[:, 1], views[:, 2], route == "cross", fitted)
    # a non-English pair lands where an English pair of the same judgement does
    for name in ("cross", "same"):
        mask = route == name
        slope, shift = np.polyfit(target[mask], scores[mask], 1)
        assert slope == pytest.approx(0.15, abs=0.02) and shift == pytest.approx(0.65, abs=0.05)
    out, fits = multilingual.cross_validated(views, english, route, target)
    assert len(fits) == multilingual.FOLDS
    assert np.array_equal(out[route == "en"], english[route == "en"])  # English pairs untouched
    assert np.corrcoef(out, target)[0, 1] > 0.9


@pytest.mark.slow  # loads the multilingual encoder (~1 s)
def test_one_event_in_six_languages_is_one_story(tmp_path):
    from storyline import service

    settings = load_settings({"store": str(tmp_path / "news.db"), "embedder": "hashing"})
    report = service.ingest([str(FIXTURE)], settings)
    assert report.added == 8
    gold = {}
    for line in FIXTURE.read_text("utf-8").splitlines():
        record = json.loads(line)
        gold.setdefault(record["story"], set()).add(record["title"])
    stories = service.list_stories(None, settings)
    by_titles = {}
    for story in stories:
        view = service.get_story(story.id, settings)
        by_titles[frozenset(a.title for a in view.articles)] = (story, view.story)
    assert set(by_titles) == {frozenset(t) for t in gold.values()}, [s.label for s in stories]
    quake, quake_view = by_titles[frozenset(gold["quake"])]
    ferry, _ = by_titles[frozenset(gold["ferry"])]
    assert quake.languages == quake_view.languages == ("de", "en", "es", "fr", "ru", "zh")
    assert ferry.languages == ("en", "es")
    # the store's engine parts keep the multilingual vectors, so a restart does not encode again
    from storyline.store import open_store
    from storyline.stories.tracker import load_engine

    with open_store(settings["store"]) as store:
        restored, _ = load_engine(store, story_options(settings))
    assert set(restored._multi) == set(quake.article_ids) | set(ferry.article_ids)


@pytest.mark.slow  # loads the multilingual encoder (~1 s)
def test_multilingual_vectors_survive_a_snapshot():
    from storyline.service import read_labelled
    from storyline.stories.cluster import StoryEngine

    articles, _ = read_labelled(FIXTURE)
    engine = StoryEngine(StoryOptions(embedder="hashing"))
    engine.add_many(articles)
    engine.refine({a.id: a for a in articles})
    assert set(engine._multi) == {a.id for a in articles}
    restored = StoryEngine.restore(engine.snapshot(), StoryOptions(embedder="hashing"))
    assert set(restored._multi) == set(engine._multi)
    for aid, vector in engine._multi.items():
        assert np.allclose(restored._multi[aid], vector, atol=1e-6)
