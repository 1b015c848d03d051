"""Round-trips of the store codec: articles, every annotation layer, vectors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest

from storyline.errors import StoreError
from storyline.model import (
    AnalyzedArticle,
    Article,
    Attribution,
    Description,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Statement,
    TimeExpression,
)
from storyline.store import codec

TEXT = (
    "The council of Brindleford voted on Tuesday to close 3 bridges. "
    '"We had no choice," said mayor Ada Quill, quoted by the Brindleford Herald.'
)


def make_article(**kw) -> Article:
    fields = dict(
        id="a1",
        text=TEXT,
        title="Bridges close",
        url="https://example.org/news/bridges",
        outlet="Example Daily",
        published=datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        language="en",
        author="R. Writer",
        source="feed.xml",
        extra=(("gold", "1"), ("section", "local")),
    )
    fields.update(kw)
    return Article(**fields)


def full_analysis(article: Article, vectors=None) -> AnalyzedArticle:
    """An analysis with every layer populated by hand."""
    return AnalyzedArticle(
        article=article,
        sentences=(Sentence(0, 0, 63), Sentence(1, 64, len(TEXT))),
        mentions=(
            Mention(17, 28, "Brindleford", "GPE", 0, "brindleford"),
            Mention(109, 117, "Ada Quill", "PERSON", 1, "ada quill"),
        ),
        quantities=(Quantity(51, 60, "3 bridges", 3.0, "bridge", 0),),
        times=(
            TimeExpression(35, 45, "on Tuesday", date(2024, 3, 5), 0, relative=True),
            TimeExpression(0, 3, "The", None, 0),
        ),
        quotes=(Quote(64, 120, 65, 81, "Ada Quill", 109, 117, "said", True, 1),),
        attributions=(Attribution(119, 150, "Brindleford Herald", 132, 150, "quoted by", 1),),
        descriptions=(Description(98, 103, "mayor", "mayor", 1),),
        statements=(Statement(64, 120, "Ada Quill", 109, 117, "Ada Quill", 109, 117, "said", 104,
                              108, 65, 81, "direct", "person", "", -1, -1, 1, 0.9),),
        vectors=vectors,
        layers=("sentences", "entities", "quantities", "times", "quotes"),
    )


def test_article_row_round_trip():
    article = make_article()
    row = codec.article_to_row(article)
    assert codec.article_from_row(row) == article
    assert row["published_ts"] == article.published.timestamp()


def test_article_row_undated_and_naive():
    assert (
        codec.article_from_row(codec.article_to_row(make_article(published=None))).published is None
    )
    naive = make_article(published=datetime(2024, 1, 1, 12))
    row = codec.article_to_row(naive)
    assert codec.article_from_row(row).published == datetime(2024, 1, 1, 12)
    assert row["published_ts"] == datetime(2024, 1, 1, 12, tzinfo=UTC).timestamp()


def test_analysis_round_trip_every_layer():
    article = make_article()
    analysis = full_analysis(article)
    back = codec.analysis_from_json(codec.analysis_to_json(analysis), article)
    assert back == analysis
    assert isinstance(back.times[0].value, date)
    assert back.times[1].value is None
    assert back.quotes[0].direct is True
    for name in codec.LAYER_TYPES:
        assert getattr(back, name), f"layer {name} not populated by the test"


def test_layer_types_cover_the_model():
    assert set(codec.LAYER_TYPES) == {
        "sentences",
        "mentions",
        "quantities",
        "times",
        "quotes",
        "attributions",
        "statements",
        "descriptions",
    }


def test_analysis_json_excludes_article_and_vectors():
    data = json.loads(codec.analysis_to_json(full_analysis(make_article(), np.ones((2, 3)))))
    assert "article" not in data and "vectors" not in data
    assert data["format"] == codec.ANALYSIS_FORMAT


def test_analysis_unknown_keys_are_ignored():
    article = make_article()
    data = json.loads(codec.analysis_to_json(full_analysis(article)))
    data["sentences"][0]["dropped_field"] = 1
    data["future_layer"] = []
    back = codec.analysis_from_json(json.dumps(data), article)
    assert back.sentences[0] == Sentence(0, 0, 63)


def test_analysis_bad_json_is_store_error():
    with pytest.raises(StoreError, match="a1"):
        codec.analysis_from_json("{not json", make_article())
    with pytest.raises(StoreError):
        codec.analysis_from_json('{"sentences": [{"index": 0}]}', make_article())


def test_analysis_newer_format_is_refused():
    with pytest.raises(StoreError, match="newer"):
        codec.analysis_from_json('{"format": 99}', make_article())


def test_vectors_blob_round_trip():
    vectors = np.random.default_rng(0).standard_normal((4, 384)).astype(np.float32)
    blob, shape = codec.vectors_to_blob(vectors)
    assert shape == "4,384" and len(blob) == 4 * 384 * 4
    back = codec.vectors_from_blob(blob, shape)
    assert back.dtype == np.float32 and back.flags.writeable
    np.testing.assert_array_equal(back, vectors)


def test_vectors_blob_converts_and_handles_none_and_empty():
    assert codec.vectors_to_blob(None) == (None, None)
    assert codec.vectors_from_blob(None, None) is None
    back = codec.vectors_from_blob(
        *codec.vectors_to_blob(np.arange(6, dtype=np.float64).reshape(2, 3))
    )
    assert back.dtype == np.float32 and back.shape == (2, 3) and back[1, 2] == 5.0
    empty = codec.vectors_from_blob(*codec.vectors_to_blob(np.zeros((0, 8), dtype=np.float32)))
    assert empty.shape == (0, 8)


def test_every_field_and_layer_survives_each_store(backend):
    """The codec's rows and JSON through a real store of each backend: the published offset,
    extra pairs, non-ASCII text, every layer and float32 vectors come back equal."""
    article = make_article(
        id="a2",
        title="Brücken «geschlossen» — 橋",
        published=datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    )
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    analysis = full_analysis(article, vectors)
    with backend.open() as store:
        store.add_article(article)
        store.save_analysis(analysis)
    with backend.open(read_only=True) as store:
        assert store.get_article("a2") == article
        assert store.get_article("a2").published.utcoffset() == timedelta(hours=-5, minutes=-30)
        back = store.get_analysis("a2")
    assert back == analysis
    np.testing.assert_array_equal(back.vectors, vectors)
