"""Refinement's pure parts: the deep similarity matrix and average-linkage grouping."""

from datetime import datetime, timedelta

import numpy as np

from storyline.model import Article
from storyline.stories import refine
from storyline.stories.represent import Representation


def _rep(terms: dict[str, float], names: dict[str, float] | None = None) -> Representation:
    def unit(d):
        norm = sum(v * v for v in d.values()) ** 0.5 or 1.0
        return {k: v / norm for k, v in d.items()}

    return Representation(terms=unit(terms), names=unit(names or {}), dense=np.zeros(2))


def test_average_linkage_needs_the_whole_group_not_one_bridge():
    # 0-1-2 are one event; 3 resembles only 2 (a bridging article); 4 is alone.
    sim = np.array(
        [
            [9, 2.0, 1.8, 0.1, 0],
            [2.0, 9, 1.9, 0.2, 0],
            [1.8, 1.9, 9, 1.1, 0],
            [0.1, 0.2, 1.1, 9, 0],
            [0, 0, 0, 0, 9],
        ]
    )
    groups = sorted(sorted(g) for g in refine.cluster(sim))
    # single linkage would chain 3 in through 2; average linkage (mean 0.47 < 1) does not
    assert groups == [[0, 1, 2], [3], [4]]


def test_cluster_handles_empty_pairs_and_singletons():
    assert refine.cluster(np.zeros((0, 0))) == []
    assert refine.cluster(np.array([[5.0]])) == [[0]]
    assert sorted(map(sorted, refine.cluster(np.array([[5.0, 1.2], [1.2, 5.0]])))) == [[0, 1]]


def test_both_headlines_are_cut_lower_than_a_mixed_pair():
    reps = [_rep({"quake": 1, "lombok": 1})] * 3
    docs = np.tile(np.array([1.0, 0.0], dtype=np.float32), (3, 1))
    epochs = np.full(3, np.nan)
    short = np.array([True, True, False])
    m = refine.similarity_matrix(reps, docs, epochs, short, 0.36, 72.0)
    raw = refine.deep_score(1.0, 0.0, 1.0)
    assert np.isclose(m[0, 1], raw / (0.36 * refine.SHORT_FACTOR), rtol=1e-5)
    assert np.isclose(m[0, 2], raw / 0.36, rtol=1e-5)


def test_time_gap_lowers_similarity_and_unknown_times_do_not():
    reps = [_rep({"quake": 1})] * 3
    docs = np.tile(np.array([1.0, 0.0], dtype=np.float32), (3, 1))
    t0 = datetime(2024, 5, 1)
    epochs = refine.epoch_array([t0, t0 + timedelta(hours=200), None])
    m = refine.similarity_matrix(reps, docs, epochs, np.zeros(3, bool), 0.36, 72.0)
    penalty = refine.time_penalty(200.0, 72.0)
    assert 0 < penalty < refine.W_TIME
    assert np.isclose(m[0, 1], (refine.deep_score(1.0, 0.0, 1.0) - penalty) / 0.36, rtol=1e-5)
    assert np.isclose(m[0, 2], refine.deep_score(1.0, 0.0, 1.0) / 0.36, rtol=1e-5)


def test_document_text_reads_title_and_lead_once():
    long = Article(id="a", title="Quake hits Lombok", text="Body. " * 500)
    text = refine.document_text(long)
    assert text.startswith("Quake hits Lombok. Body.")
    assert len(text) <= len("Quake hits Lombok. ") + refine.DOC_LEAD_CHARS
    headline = Article(id="b", title="Quake hits Lombok", text="Quake hits Lombok")
    assert refine.document_text(headline) == "Quake hits Lombok"


def test_two_headline_pages_beyond_the_horizon_are_not_joined():
    reps = [_rep({"teen": 1, "shot": 1})] * 4
    docs = np.tile(np.array([1.0, 0.0], dtype=np.float32), (4, 1))
    t0 = datetime(2024, 5, 1)
    epochs = refine.epoch_array([t0, t0 + timedelta(days=40), t0 + timedelta(days=40), t0])
    thin = np.array([True, True, False, True])
    kwargs = {"thin": thin, "horizon_hours": 216.0}
    m = refine.similarity_matrix(reps, docs, epochs, thin, 0.36, 72.0, **kwargs)
    assert m[0, 1] == m[1, 0] == refine.FAR_HEADLINES_CAP  # two headlines 40 days apart
    assert m[0, 3] > 1.0  # two headlines of one day still join
    assert m[0, 2] > 1.0  # a headline and a full article keep the deep similarity
    plain = refine.similarity_matrix(reps, docs, epochs, thin, 0.36, 72.0)
    assert plain[0, 1] > 1.0  # without the horizon, as before
    assert refine.cluster(m) != refine.cluster(plain)


def test_two_full_articles_close_in_time_gain_what_headlines_and_undated_pairs_do_not():
    reps = [_rep({"shooting": 1, "gresham": 1})] * 5
    docs = np.tile(np.array([1.0, 0.0], dtype=np.float32), (5, 1))
    t0 = datetime(2013, 3, 21)
    epochs = refine.epoch_array([t0, t0 + timedelta(hours=2), t0, None, t0 + timedelta(days=30)])
    thin = np.array([False, False, True, False, False])
    m = refine.similarity_matrix(reps, docs, epochs, thin, 0.36, 72.0, thin=thin)
    raw = refine.deep_score(1.0, 0.0, 1.0)
    near = refine.W_NEAR * np.exp(-2.0 / 72.0) - refine.time_penalty(2.0, 72.0)
    assert np.isclose(m[0, 1], (raw + near) / 0.36, rtol=1e-5)  # two full reports 2 h apart
    assert np.isclose(m[0, 2], raw / 0.36, rtol=1e-5)  # a headline page: no gain
    assert np.isclose(m[0, 3], raw / 0.36, rtol=1e-5)  # undated: no gain
    assert m[0, 4] < raw / 0.36  # a month apart: the penalty, no gain left to speak of
    assert refine.time_penalty(0.0, 72.0, 0.0, True) == -refine.W_NEAR
    assert refine.time_penalty(0.0, 72.0) == 0.0
