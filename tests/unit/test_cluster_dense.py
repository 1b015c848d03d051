"""StoryEngine with the distilled dense vectors and the faiss index (loads the static model)."""

import pytest

from storyline.model import Article
from storyline.stories.cluster import StoryEngine

pytestmark = pytest.mark.slow

TITLES = [
    "Magnitude 6.1 earthquake strikes Lombok island, Indonesia, killing 14",
    "Earthquake of magnitude 6.1 kills 14 on Indonesia's Lombok island",
    "Real Madrid beat Liverpool 3-1 in Champions League final in Kiev",
    "Lombok earthquake: death toll rises to 14 after magnitude 6.1 quake in Indonesia",
]


def test_dense_engine_groups_and_survives_snapshot():
    engine = StoryEngine()
    got = engine.add_many([Article(id=str(i), text=t, title=t) for i, t in enumerate(TITLES)])
    assert got[1].story_id == got[0].story_id == got[3].story_id != got[2].story_id
    restored = StoryEngine.restore(engine.snapshot())
    assert [s.article_ids for s in restored.stories()] == [s.article_ids for s in engine.stories()]
    again = restored.add(Article(id="9", text=TITLES[1] + " again", title=TITLES[1]))
    assert again.story_id == got[0].story_id
