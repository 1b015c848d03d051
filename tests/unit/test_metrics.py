"""Clustering metrics on tiny cases checked by hand."""

import pytest

from storyline.stories.metrics import bcubed, pairwise, pearson


def test_perfect_clustering_scores_one():
    gold = ["a", "a", "b"]
    assert bcubed([1, 1, 2], gold).f1 == pytest.approx(1.0)
    assert pairwise([1, 1, 2], gold).f1 == pytest.approx(1.0)


def test_bcubed_one_cluster_for_all():
    # Items a,a,b in one cluster: precision per item 2/3, 2/3, 1/3 -> 5/9; recall 1.
    score = bcubed([0, 0, 0], ["a", "a", "b"])
    assert score.precision == pytest.approx(5 / 9)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_bcubed_all_singletons():
    # Recall per item: 1/2, 1/2, 1 -> 2/3; precision 1.
    score = bcubed([0, 1, 2], ["a", "a", "b"])
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(2 / 3)


def test_pairwise_counts():
    # Gold pairs: (0,1),(2,3) ; predicted pairs: (0,1),(0,2),(1,2) -> 1 shared.
    score = pairwise([0, 0, 0, 1], ["a", "a", "b", "b"])
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 2)


def test_pairwise_singletons_have_no_false_merges():
    score = pairwise([0, 1], ["a", "a"])
    assert score.precision == 1.0 and score.recall == 0.0 and score.f1 == 0.0


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        bcubed([0], ["a", "b"])


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0
    assert pearson([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
