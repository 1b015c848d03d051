"""The learned similarity's pair views (benchmarks/fit_story_pairs.py): numbers, time decay and
the feature block on hand-made articles (no model: dense vectors given)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from storyline.model import Article
from storyline.stories import pair_features as pf
from storyline.stories.represent import Representer

T0 = datetime(2014, 6, 2, 18, 0)


def test_numbers_keep_ages_and_counts_and_drop_years():
    text = "A 12-year-old and 3 others were shot at 6:30 p.m. in 2014; 1,200 attended, 19.5 miles."
    assert pf.numbers(text) == {"12", "3", "6", "30", "1200", "19.5"}


def _scope(articles: list[Article]) -> pf.ScopeViews:
    representer = Representer(dense=False)
    for a in articles:
        representer.represent(a)
    reps = [representer.represent(a, learn=False) for a in articles]
    doc = np.eye(len(articles), 4, dtype=np.float32)
    return pf.read_scope(articles, reps, doc)


def test_feature_block_decays_dated_pairs_and_not_undated_ones():
    text = "Four teens were shot on Edwards Street in Rocky Mount; a 12-year-old is critical."
    articles = [
        Article(id="a", title="Teens shot in Rocky Mount", text=text, published=T0),
        Article(
            id="b", title="Teens shot in Rocky Mount", text=text, published=T0 + timedelta(days=7)
        ),
        Article(id="c", title="Teens shot in Rocky Mount", text=text, published=None),
    ]
    views = _scope(articles)
    block = pf.feature_block(views, slice(0, 3))
    assert block.shape == (len(pf.FEATURES), 3, 3)
    body = block[pf.FEATURES.index("body")]
    assert body[0, 1] == pytest.approx(math.exp(-1.0), rel=1e-4)  # same text, a week apart
    assert body[0, 2] == pytest.approx(1.0, rel=1e-4)  # undated: no decay
    numbers = block[pf.FEATURES.index("numbers")]
    assert numbers[0, 2] == pytest.approx(1.0, rel=1e-4)


def test_different_incidents_share_less_than_one_incident():
    a = Article(
        id="a",
        title="Man, 34, shot on Edwards Street",
        text="Police said a 34-year-old man was shot twice on Edwards Street.",
        published=T0,
    )
    b = Article(
        id="b",
        title="Edwards Street shooting: man, 34, in hospital",
        text="A 34-year-old man shot on Edwards Street was taken to hospital.",
        published=T0 + timedelta(hours=5),
    )
    c = Article(
        id="c",
        title="Woman, 61, shot at Main Avenue store",
        text="A 61-year-old woman was wounded at a store on Main Avenue, police said.",
        published=T0 + timedelta(hours=6),
    )
    block = pf.feature_block(_scope([a, b, c]), slice(0, 1))
    for name in ("body", "terms", "names", "numbers"):
        row = block[pf.FEATURES.index(name), 0]
        assert row[1] > row[2], name
