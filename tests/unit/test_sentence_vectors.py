"""Sentence vectors computed once per distinct text (no model weights loaded here)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from storyline.model import AnalyzedArticle, Article, Sentence
from storyline.nlp.embeddings import EmbeddingsComponent, HashingEmbedder
from storyline.nlp.options import AnalysisOptions
from storyline.nlp.pipeline import Work
from storyline.nlp.sentence_vectors import SentenceVectors


class _Recorder:
    """The hashing embedder, recording the texts of each call."""

    def __init__(self) -> None:
        self.inner = HashingEmbedder()
        self.dim = self.inner.dim
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return self.inner.encode(texts)


def test_each_distinct_text_is_encoded_once_and_rows_match_a_direct_encode():
    rec, cache = _Recorder(), SentenceVectors()
    texts = ["Troops left the base.", "Oil rose.", "Troops left the base.", "Fanning said."]
    rows = cache.encode(texts, rec.encode, rec.dim)
    assert rec.calls == [["Troops left the base.", "Oil rose.", "Fanning said."]]
    assert np.array_equal(rows, rec.inner.encode(texts))
    assert (cache.hits, cache.misses) == (1, 3)


def test_a_later_batch_copies_cached_rows_and_encodes_only_new_text():
    rec, cache = _Recorder(), SentenceVectors()
    first = cache.encode(["Oil rose.", "Gold fell."], rec.encode, rec.dim)
    second = cache.encode(["Gold fell.", "Wheat held."], rec.encode, rec.dim)
    assert rec.calls[-1] == ["Wheat held."]
    assert np.array_equal(second[0], first[1])


def test_the_cache_keeps_at_most_its_rows_dropping_the_least_recently_used():
    rec, cache = _Recorder(), SentenceVectors(max_bytes=2 * 4 * HashingEmbedder.dim)
    cache.encode(["a one", "b two"], rec.encode, rec.dim)
    cache.encode(["a one"], rec.encode, rec.dim)  # "a one" is now the most recent
    cache.encode(["c three"], rec.encode, rec.dim)
    assert len(cache) == 2
    cache.encode(["a one", "b two"], rec.encode, rec.dim)
    assert rec.calls[-1] == ["b two"]


def test_a_cache_of_no_bytes_keeps_nothing_and_still_encodes_each_text_once():
    rec, cache = _Recorder(), SentenceVectors(max_bytes=0)
    rows = cache.encode(["Oil rose.", "Oil rose."], rec.encode, rec.dim)
    assert len(cache) == 0 and rec.calls == [["Oil rose."]]
    assert np.array_equal(rows[0], rows[1])


def test_no_texts_is_an_empty_array_without_a_call():
    rec, cache = _Recorder(), SentenceVectors()
    assert cache.encode([], rec.encode, rec.dim).shape == (0, rec.dim)
    assert rec.calls == []


def test_threads_sharing_the_cache_get_the_rows_of_their_own_texts():
    rec, cache = _Recorder(), SentenceVectors(max_bytes=50 * 4 * HashingEmbedder.dim)
    batches = [[f"sentence {k % 70} of the wire copy"] * 3 + [f"line {k}"] for k in range(200)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: cache.encode(t, rec.encode, rec.dim), batches))
    for texts, rows in zip(batches, results, strict=True):
        assert np.array_equal(rows, rec.inner.encode(texts))


def test_the_component_embeds_a_copied_article_once():
    component = EmbeddingsComponent(AnalysisOptions(embedder="hashing"))
    rec = _Recorder()
    component._embedder = rec
    text = "Troops left the base. Oil rose."
    spans = ((0, 21), (22, 31))

    def work(outlet: str) -> Work:
        sentences = tuple(Sentence(i, a, b) for i, (a, b) in enumerate(spans))
        article = Article(id=outlet, text=text, outlet=outlet)
        return Work(AnalyzedArticle(article=article, sentences=sentences))

    batch = [work("a"), work("b")]
    component.process(batch)
    component.process([work("c")])
    assert rec.calls == [["Troops left the base.", "Oil rose."]]
    assert np.array_equal(batch[0].analysis.vectors, batch[1].analysis.vectors)
