"""Corrections planned against the stories as they stand, the engine rebuilt from them, and the
pins refinement holds (words, names and the hashing embedder only: no model load)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from storyline.errors import CorrectionError, NotFoundError
from storyline.model import Article, CorrectionKind
from storyline.stories import corrections
from storyline.stories.cluster import StoryEngine
from storyline.stories.options import StoryOptions
from storyline.stories.represent import Representer

T0 = datetime(2024, 5, 1, 8, 0)

QUAKE = [
    "Magnitude 6.1 earthquake strikes Lombok island, Indonesia, killing 14 people",
    "Earthquake of magnitude 6.1 kills 14 on Indonesia's Lombok island, agency says",
    "Lombok earthquake death toll rises to 14 after magnitude 6.1 quake in Indonesia",
]
FINAL = [
    "Real Madrid beat Liverpool 3-1 in Champions League final in Kiev as Bale scores twice",
    "Bale double gives Real Madrid third Champions League title, Liverpool beaten 3-1 in Kiev",
    "Liverpool lose Champions League final 3-1 to Real Madrid in Kiev after Bale goals",
]


def _articles() -> list[Article]:
    texts = [(f"q{n}", t) for n, t in enumerate(QUAKE)]
    texts += [(f"f{n}", t) for n, t in enumerate(FINAL)]
    return [
        Article(id=i, title=t, text=t, published=T0 + timedelta(hours=n), outlet=f"o{n}")
        for n, (i, t) in enumerate(texts)
    ]


def _engine() -> StoryEngine:
    return StoryEngine(StoryOptions(embedder="hashing"), representer=Representer(dense=False))


def _apply(engine: StoryEngine, articles: dict[str, Article], plan) -> corrections.Change:
    """What Tracker.correct does, without a store."""

    def members(story_id):
        try:
            return engine.story(story_id).article_ids
        except KeyError:
            raise corrections.unknown("story", story_id) from None

    def story_of(article_id):
        found = engine.assignment(article_id)
        if found is None:
            raise corrections.unknown("article", article_id)
        return found.story_id

    numbers = iter(range(100, 200))
    change = plan(members, story_of, lambda: f"s{next(numbers):06d}")
    engine.rebuild(
        {s: [articles[a] for a in ids] for s, ids in change.members.items()}, change.removed
    )
    engine.pins.update(change.pins())
    return change


def _where(engine: StoryEngine, *ids: str) -> list[str]:
    return [engine.assignment(i).story_id for i in ids]


@pytest.fixture
def refined():
    """An engine whose refinement found the two events: quake (3) and final (3)."""
    engine = _engine()
    articles = _articles()
    engine.threshold = 10.0  # the online pass splits everything; refinement regroups
    engine.add_many(articles)
    by_id = {a.id: a for a in articles}
    engine.refine(by_id)
    quake, final = _where(engine, "q0", "f0")
    assert quake != final and _where(engine, "q1", "q2") == [quake] * 2
    assert _where(engine, "f1", "f2") == [final] * 2
    return engine, by_id


# --------------------------------------------------------------------------- plans


def _members(stories: dict[str, tuple[str, ...]]):
    def members(story_id):
        if story_id not in stories:
            raise corrections.unknown("story", story_id)
        return stories[story_id]

    return members


STORIES = {"s1": ("a", "b", "c"), "s2": ("d",)}


def test_merge_plan_keeps_the_first_story_and_empties_the_others():
    change = corrections.merge(_members(STORIES), "s1", ["s2"])
    assert change.members == {"s1": ("a", "b", "c", "d")} and change.removed == ("s2",)
    c = change.correction
    assert (c.kind, c.story_id, c.from_ids, c.article_ids) == ("merge", "s1", ("s2",), ("d",))
    assert change.pins() == dict.fromkeys("abcd", "s1")


def test_split_plan_opens_a_story_for_the_chosen_articles():
    change = corrections.split(_members(STORIES), "s1", ["c", "b", "c"], lambda: "s9")
    assert change.members == {"s1": ("a",), "s9": ("c", "b")} and change.removed == ()
    assert change.correction.new_story and change.correction.kind is CorrectionKind.SPLIT


def test_move_plan_to_a_story_or_a_new_one_and_emptying_its_source():
    story_of = {"a": "s1", "b": "s1", "c": "s1", "d": "s2"}.__getitem__
    to = corrections.move(_members(STORIES), story_of, "a", "s2", lambda: "s9")
    assert to.members == {"s2": ("d", "a"), "s1": ("b", "c")} and to.removed == ()
    new = corrections.move(_members(STORIES), story_of, "b", None, lambda: "s9")
    assert new.members == {"s9": ("b",), "s1": ("a", "c")} and new.correction.new_story
    emptied = corrections.move(_members(STORIES), story_of, "d", "s1", lambda: "s9")
    assert emptied.members == {"s1": ("a", "b", "c", "d")} and emptied.removed == ("s2",)


@pytest.mark.parametrize(
    "plan, error",
    [
        (lambda m, of: corrections.merge(m, "s1", ["s1"]), CorrectionError),
        (lambda m, of: corrections.merge(m, "s1", []), CorrectionError),
        (lambda m, of: corrections.merge(m, "s1", ["s7"]), NotFoundError),
        (lambda m, of: corrections.split(m, "s1", ["a", "b", "c"], str), CorrectionError),
        (lambda m, of: corrections.split(m, "s1", ["d"], str), CorrectionError),
        (lambda m, of: corrections.split(m, "s1", [], str), CorrectionError),
        (lambda m, of: corrections.split(m, "s7", ["a"], str), NotFoundError),
        (lambda m, of: corrections.move(m, of, "a", "s1", str), CorrectionError),
        (lambda m, of: corrections.move(m, of, "d", None, str), CorrectionError),
        (lambda m, of: corrections.move(m, of, "a", "s7", str), NotFoundError),
    ],
)
def test_a_plan_that_names_nothing_or_changes_nothing_is_a_coded_error(plan, error):
    story_of = {"a": "s1", "b": "s1", "c": "s1", "d": "s2"}.__getitem__
    with pytest.raises(error) as info:
        plan(_members(STORIES), story_of)
    assert info.value.code in {"E700", "E404"} and info.value.hint


def test_unknown_ids_say_where_to_find_real_ones():
    assert "storyline stories" in corrections.unknown("story", "s7").hint
    assert "--json" in corrections.unknown("article", "x").render()


# --------------------------------------------------------------------------- hold_pins


def test_hold_pins_keeps_pinned_articles_together_and_apart():
    sim = np.array(
        [
            [9, 2, 2, 0, 0],
            [2, 9, 3, 0, 0],
            [2, 3, 9, 1, 0],
            [0, 0, 1, 9, 0],
            [0, 0, 0, 0, 9],
        ],
        dtype=np.float32,
    )
    # refinement put 0, 1, 2 together and 3 apart; the user pinned 0 to A, 1 to B, 3 to A
    groups, named = corrections.hold_pins([[0, 1, 2], [3], [4]], ["A", "B", None, "A", None], sim)
    by_story = {named[g]: sorted(groups[g]) for g in named}
    # 2 is closer to B's pinned article (3) than to A's (mean of 2 and 1)
    assert by_story == {"A": [0, 3], "B": [1, 2]}
    assert sorted(map(sorted, groups)) == [[0, 3], [1, 2], [4]]


def test_hold_pins_without_pins_changes_nothing():
    groups = [[0, 1], [2]]
    assert corrections.hold_pins(groups, [None, None, None], np.eye(3)) == (groups, {})


# --------------------------------------------------------------------------- the engine


def test_a_moved_article_leaves_its_old_story_behind_for_online_assignment():
    engine = _engine()
    articles = _articles()
    engine.threshold = -10.0  # the online pass glues the first final report to the quake
    engine.add_many(articles[:4])
    assert len(set(_where(engine, "q0", "q1", "q2", "f0"))) == 1
    old = engine.assignment("f0").story_id
    change = _apply(
        engine,
        {a.id: a for a in articles},
        lambda m, of, new: corrections.move(m, of, "f0", None, new),
    )
    engine.threshold = 0.65
    later = engine.add(articles[4])  # the next final report
    # it joins the moved article, not the quake story whose centroid no longer holds it
    assert later.story_id == change.correction.story_id != old
    story = engine.story(old)
    assert story.article_ids == ("q0", "q1", "q2") and "o3" not in story.outlets
    assert story.last_seen == articles[2].published
    # its centroid holds the words of the articles it kept, none of the moved one's
    kept = set().union(*(engine.representer.represent(a, learn=False).terms for a in articles[:3]))
    assert set(engine._stories[old].terms) == kept


def test_refinement_leaves_a_moved_article_where_the_user_put_it(refined):
    engine, articles = refined
    quake, final = _where(engine, "q0", "f0")
    _apply(engine, articles, lambda m, of, new: corrections.move(m, of, "q2", final, new))
    result = engine.refine(articles)
    assert _where(engine, "q2") == [final] and result.moved == 0
    assert {s.id for s in engine.stories()} == {quake, final}
    # the control: without the pins the same refinement pulls it back
    engine.pins.clear()
    engine.refine(articles)
    assert _where(engine, "q2") == [quake]


def test_refinement_keeps_a_merge_merged_and_a_split_split(refined):
    engine, articles = refined
    quake, final = _where(engine, "q0", "f0")
    _apply(engine, articles, lambda m, of, new: corrections.merge(m, quake, [final]))
    control = StoryEngine.restore(engine.snapshot(), StoryOptions(embedder="hashing"))
    engine.refine(articles)
    assert set(_where(engine, *articles)) == {quake}
    control.pins.clear()  # without the pins the same refinement splits them again
    control.refine(articles)
    assert len(set(_where(control, *articles))) == 2
    again = StoryEngine.restore(engine.snapshot(), StoryOptions(embedder="hashing"))
    assert again.pins == engine.pins
    change = _apply(
        again, articles, lambda m, of, new: corrections.split(m, quake, ["q1", "q2"], new)
    )
    again.refine(articles)
    split = change.correction.story_id
    assert _where(again, "q0", "q1", "q2") == [quake, split, split]
    assert set(_where(again, "f0", "f1", "f2")) == {quake}


def test_free_articles_still_join_a_corrected_story(refined):
    engine, articles = refined
    quake, final = _where(engine, "q0", "f0")
    _apply(engine, articles, lambda m, of, new: corrections.split(m, final, ["f2"], new))
    late = Article(
        id="f9",
        title="Real Madrid win Champions League final 3-1 against Liverpool in Kiev, Bale twice",
        text="Real Madrid win Champions League final 3-1 against Liverpool in Kiev, Bale twice",
        published=T0 + timedelta(hours=7),
    )
    engine.threshold = 10.0
    engine.add(late)
    engine.refine({**articles, "f9": late})
    assert _where(engine, "f9")[0] in {final, engine.assignment("f2").story_id}
    assert "f9" not in engine.pins
