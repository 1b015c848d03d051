"""Follow-ups of closed stories (stories/followups.py): the story-level average linkage is the
mean of refinement's pair views, the archive keeps what closed and forgets the old, and only a
story with new articles is compared, never across a user's correction or two headline pages."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from storyline.model import Article
from storyline.stories import followups
from storyline.stories import refine as deep
from storyline.stories.represent import Representation, cosine

T0 = datetime(2024, 3, 1, 9, 0)
DAY = 86400.0


def _unit(values: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in values.values()))
    return {k: v / norm for k, v in values.items()}


def _rep(terms: dict[str, float], names: dict[str, float]) -> Representation:
    return Representation(terms=_unit(terms), names=_unit(names), dense=np.zeros(1))


def _doc(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _scope(days: list[float], language: str = "en") -> list[Article]:
    return [
        Article(id=f"a{n}", title=f"t{n}", text="x", published=T0 + timedelta(days=d),
                language=language)
        for n, d in enumerate(days)
    ]


REPS = [
    _rep({"shooting": 1, "harlow": 2}, {"quenby": 1, "harlow street": 1}),
    _rep({"shooting": 1, "funeral": 1}, {"quenby": 2}),
    _rep({"charged": 1, "harlow": 1}, {"vell": 1, "quenby": 1}),
    _rep({"murder": 1, "charged": 2}, {"vell": 2, "harlow street": 1}),
]
DOCS = np.stack([_doc(1, 0, 0), _doc(1, 1, 0), _doc(0, 1, 1), _doc(1, 0, 1)])


def test_story_linkage_is_the_mean_of_the_pair_views():
    scope = _scope([0, 1, 40, 41])
    epochs = deep.epoch_array([a.published for a in scope])
    thin = np.zeros(4, dtype=bool)
    old = followups.summarise("s", [0, 1], scope, REPS, DOCS, epochs, thin)
    new = followups.summarise("s", [2, 3], scope, REPS, DOCS, epochs, thin)
    pairs = [(i, j) for i in (0, 1) for j in (2, 3)]
    terms = np.mean([cosine(REPS[i].terms, REPS[j].terms) for i, j in pairs])
    names = np.mean([cosine(REPS[i].names, REPS[j].names) for i, j in pairs])
    doc = np.mean([float(DOCS[i] @ DOCS[j]) for i, j in pairs])
    gap_hours = 39 * 24.0  # the closed story's last report to the later story's first
    expected = deep.deep_score(terms, names, doc) - deep.time_penalty(gap_hours, 72.0, names)
    assert followups.linkage(old, new, 0.36, 72.0) == pytest.approx(expected / 0.36)


def test_two_stories_of_headline_pages_are_never_joined():
    scope = _scope([0, 40])
    epochs = deep.epoch_array([a.published for a in scope])
    thin = np.ones(2, dtype=bool)
    same = [REPS[0], REPS[0]]
    docs = np.stack([DOCS[0], DOCS[0]])
    old = followups.summarise("s", [0], scope, same, docs, epochs, thin)
    new = followups.summarise("s", [1], scope, same, docs, epochs, thin)
    assert followups.linkage(old, new, 0.36, 72.0) == deep.FAR_HEADLINES_CAP < 1.0
    thin[0] = False  # a full report against a headline page keeps its chance
    old = followups.summarise("s", [0], scope, same, docs, epochs, thin)
    assert followups.linkage(old, new, 0.36, 72.0) > 1.0


def _archive_with_closed(scope, reps, docs, closed_rows, now_days=12.0):
    archive = followups.Archive()
    epochs = deep.epoch_array([a.published for a in scope])
    story_of = ["old" if i in closed_rows else f"s{i}" for i in range(len(scope))]
    archive.after_refine(story_of, scope, reps, docs, set(), {}, 0.36, 72.0,
                         epochs=epochs, thin=np.zeros(len(scope), dtype=bool))
    archive.close("old", epochs[0] + now_days * DAY)
    return archive, epochs


def test_a_new_story_close_to_a_closed_one_follows_it_up_once():
    scope = _scope([0, 40])
    same = [REPS[0], REPS[0]]
    docs = np.stack([DOCS[0], DOCS[0]])
    archive, _ = _archive_with_closed(scope[:1], same[:1], docs[:1], {0})
    assert list(archive.closed) == ["old"]
    later = scope[1:]
    args = (later, same[1:], docs[1:])
    kw = dict(epochs=deep.epoch_array([later[0].published]), thin=np.zeros(1, dtype=bool))
    # a story with no article new since the last refinement is not compared
    assert archive.after_refine(["new"], *args, set(), {}, 0.36, 72.0, **kw) == []
    # a user's correction placed the new article: it stays where the user put it
    assert archive.after_refine(["new"], *args, {"a1"}, {"a1": "new"}, 0.36, 72.0, **kw) == []
    assert archive.after_refine(["new"], *args, {"a1"}, {}, 0.36, 72.0, **kw) == [("old", "new")]
    assert "old" not in archive.closed  # open again: it leaves the archive


def test_the_archive_keeps_english_stories_and_forgets_old_ones(monkeypatch):
    scope = _scope([0])
    archive, epochs = _archive_with_closed(scope, REPS[:1], DOCS[:1], {0})
    archive.close("other", epochs[0] + followups.ARCHIVE_DAYS * DAY + 2 * DAY)
    assert not archive.closed  # its last report is further back than ARCHIVE_DAYS
    german = _scope([0], language="de")
    archive, _ = _archive_with_closed(german, REPS[:1], DOCS[:1], {0})
    assert not archive.closed  # the multilingual route has no story-level form
    monkeypatch.setattr(followups, "ARCHIVE_STORIES", 1)
    archive, epochs = _archive_with_closed(scope, REPS[:1], DOCS[:1], {0})
    archive.open["newer"] = archive.closed["old"]
    archive.close("newer", epochs[0] + 13 * DAY)
    assert list(archive.closed) == ["newer"]  # the most recently closed are kept
