"""The pipeline runs background components in a worker thread, chunk by chunk, with the same
result as running every component over the whole batch in turn."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from storyline.model import Article, Sentence
from storyline.nlp.pipeline import BACKGROUND_WORKERS, OVERLAP_CHUNK, Pipeline


class _Sentences:
    """Foreground: one sentence per line, logging which chunk it saw and when."""

    name, requires, assigns = "sentences", (), ("sentences",)

    def __init__(self, log):
        self.log = log

    def process(self, batch):
        self.log.append(("front", batch[0].analysis.article.id, threading.current_thread().name))
        for work in batch:
            spans, start = [], 0
            for line in work.text.split("\n"):
                spans.append(Sentence(len(spans), start, start + len(line)))
                start += len(line) + 1
            work.assign("sentences", sentences=tuple(spans))


class _Lengths:
    """Background: a one-number 'vector' per sentence (its length), logged like the above."""

    name, requires, assigns = "embeddings", ("sentences",), ("vectors",)
    background = True

    def __init__(self, log, fail_on: str = ""):
        self.log, self.fail_on = log, fail_on

    def process(self, batch):
        self.log.append(("back", batch[0].analysis.article.id, threading.current_thread().name))
        time.sleep(0.02)  # long enough for the foreground to run ahead if nothing held it
        for work in batch:
            if work.analysis.article.id == self.fail_on:
                raise ValueError(f"cannot embed {self.fail_on}")
            lengths = [[s.end - s.start] for s in work.analysis.sentences]
            work.assign("vectors", vectors=np.array(lengths, np.float32))
        self.log.append(("back-done", batch[0].analysis.article.id, ""))


def _articles(n: int) -> list[Article]:
    return [Article(id=f"a{i:03d}", text=f"First line {i}.\nSecond, longer line{'!' * i}.")
            for i in range(n)]


def _sequential(articles):
    log: list = []
    p = Pipeline([_Sentences(log), _Lengths(log)])
    p.split = len(p.components)  # every component in turn over the whole batch
    return p.run(articles)


def test_a_large_batch_is_chunked_and_matches_the_sequential_run():
    log: list = []
    articles = _articles(3 * OVERLAP_CHUNK + 5)
    got = Pipeline([_Sentences(log), _Lengths(log)]).run(articles)
    want = _sequential(articles)
    assert [a.article.id for a in got] == [a.id for a in articles]
    assert [a.sentences for a in got] == [a.sentences for a in want]
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g.vectors, w.vectors)
        assert g.layers == w.layers == ("sentences", "vectors")
    fronts = [entry for entry in log if entry[0] == "front"]
    backs = [entry for entry in log if entry[0] == "back"]
    assert len(fronts) == len(backs) == 4
    assert {name for _, _, name in fronts} == {threading.current_thread().name}
    assert all(name.startswith("storyline-background") for _, _, name in backs)


def test_at_most_the_workers_chunks_wait_for_the_background():
    log: list = []
    Pipeline([_Sentences(log), _Lengths(log)]).run(_articles(5 * OVERLAP_CHUNK))
    chunks = [f"a{k:03d}" for k in range(0, 5 * OVERLAP_CHUNK, OVERLAP_CHUNK)]
    where = {(kind, first): n for n, (kind, first, _) in enumerate(log)}
    lag = BACKGROUND_WORKERS + 1
    for k in range(lag, len(chunks)):
        # The front of chunk k runs only once the back of chunk k - workers - 1 has finished.
        assert where[("back-done", chunks[k - lag])] < where[("front", chunks[k])]


def test_a_small_batch_runs_in_the_calling_thread():
    log: list = []
    Pipeline([_Sentences(log), _Lengths(log)]).run(_articles(OVERLAP_CHUNK))
    assert {name for kind, _, name in log if kind != "back-done"} == {
        threading.current_thread().name
    }


def test_a_background_error_reaches_the_caller():
    log: list = []
    articles = _articles(2 * OVERLAP_CHUNK + 1)
    last = articles[-1].id  # alone in the last chunk
    with pytest.raises(ValueError, match=f"cannot embed {last}"):
        Pipeline([_Sentences(log), _Lengths(log, fail_on=last)]).run(articles)


def test_the_default_pipeline_embeds_in_the_background():
    from storyline.nlp import build_pipeline
    from storyline.nlp.options import AnalysisOptions

    hashing = AnalysisOptions(embedder="hashing")
    p = build_pipeline(hashing)
    assert p.names[p.split :] == ["embeddings"]
    assert build_pipeline(hashing, embed=False).split == len(p.names) - 1
