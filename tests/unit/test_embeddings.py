"""Fast tests of the embeddings module: no model weights are loaded here."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.errors import SettingError
from storyline.model import AnalyzedArticle, Article, Sentence
from storyline.nlp import embeddings
from storyline.nlp.embeddings import (
    EmbeddingsComponent,
    HashingEmbedder,
    get_embedder,
    normalize_rows,
)
from storyline.nlp.options import AnalysisOptions
from storyline.nlp.pipeline import Work


@pytest.fixture(scope="module")
def hashing() -> HashingEmbedder:
    return HashingEmbedder()


def test_hashing_shape_dtype_and_unit_rows(hashing):
    vectors = hashing.encode(["Troops left the base on Monday.", "Oil prices rose again."])
    assert vectors.shape == (2, hashing.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_hashing_empty_input(hashing):
    assert hashing.encode([]).shape == (0, hashing.dim)


def test_hashing_text_without_words_is_a_zero_row(hashing):
    vectors = hashing.encode(["", "...", "the of and"])
    assert not np.any(vectors)


def test_hashing_shared_words_score_above_unrelated(hashing):
    query, near, far = hashing.encode(
        [
            "Parliament voted to expel foreign troops from the country.",
            "Lawmakers voted on Sunday to expel foreign troops.",
            "The football season opens with a derby in Madrid.",
        ]
    )
    assert query @ near > query @ far


def test_normalize_rows_keeps_zero_rows_zero():
    rows = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert rows.dtype == np.float32
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_mean_pool_ignores_padding():
    hidden = np.array([[[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    pooled = embeddings._mean_pool(hidden, mask)
    assert np.allclose(pooled, [[2**-0.5, 2**-0.5]])


def test_batches_cover_every_row_once_sorted_by_length():
    tokenizer = embeddings._tokenizer(embeddings.FAST_MAX_TOKENS)
    texts = ["a much longer sentence than the others here", "short", "medium length one"]
    seen = []
    widths = []
    for rows, ids, mask in embeddings._batches(tokenizer, texts, batch_size=1):
        seen.extend(rows)
        widths.append(ids.shape[1])
        assert ids.shape == mask.shape
    assert sorted(seen) == [0, 1, 2]
    assert widths == sorted(widths)


def test_batches_split_where_padding_would_outweigh_the_text():
    tokenizer = embeddings._tokenizer(embeddings.FAST_MAX_TOKENS)
    short = ["word"] * 6
    long = [" ".join(["word"] * 60)] * 3
    batches = list(embeddings._batches(tokenizer, short + long, batch_size=32))
    assert len(batches) == 2  # not one batch of nine padded to 62 tokens
    assert {len(rows) for rows, _, _ in batches} == {6, 3}
    padded = sum(ids.size for _, ids, _ in batches)
    real = sum(int(mask.sum()) for _, _, mask in batches)
    assert padded == real


def test_unknown_embedder_is_a_setting_error():
    with pytest.raises(SettingError):
        get_embedder("no-such-model")


def test_bf16_alias_and_cache(monkeypatch):
    monkeypatch.setitem(embeddings._FACTORIES, "minilm-fast", object)
    embeddings._cached.cache_clear()
    try:
        first = get_embedder("minilm-bf16")
        assert first is get_embedder("minilm-fast")
    finally:
        embeddings._cached.cache_clear()


def test_fast_falls_back_to_fp32_when_conversion_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("conversion failed")

    sentinel = object()
    monkeypatch.setattr(embeddings, "OpenVINOEmbedder", broken)
    monkeypatch.setattr(embeddings, "get_embedder", lambda name: sentinel)
    assert embeddings._fast() is sentinel


def test_failed_conversion_leaves_no_cache_entry(monkeypatch, tmp_path):
    pytest.importorskip("openvino")

    def broken():
        raise RuntimeError("no weights")

    monkeypatch.setattr(embeddings, "_load_bert", broken)
    with pytest.raises(RuntimeError):
        embeddings.convert_to_openvino(tmp_path / "ir")
    assert list(tmp_path.iterdir()) == []


def test_cache_dir_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    assert embeddings.cache_dir() == tmp_path


class _CountingEmbedder:
    """A stand-in embedder: row i is the one-hot of the running text count."""

    name = "counting"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), np.float32)
        out[np.arange(len(texts)), np.arange(len(texts)) % self.dim] = 1.0
        return out


def _work(text: str, spans: list[tuple[int, int]]) -> Work:
    sentences = tuple(Sentence(i, a, b) for i, (a, b) in enumerate(spans))
    return Work(AnalyzedArticle(article=Article(id=text[:8], text=text), sentences=sentences))


def test_component_one_call_one_row_per_sentence():
    component = EmbeddingsComponent(AnalysisOptions(embedder="minilm-bf16"))
    assert component.embedder_name == "minilm-fast"
    fake = _CountingEmbedder()
    component._embedder = fake
    batch = [
        _work("One. Two.", [(0, 4), (5, 9)]),
        _work("Nothing here", []),
        _work("Three.", [(0, 6)]),
    ]
    component.process(batch)
    assert fake.calls == [["One.", "Two.", "Three."]]
    shapes = [w.analysis.vectors.shape for w in batch]
    assert shapes == [(2, 8), (0, 8), (1, 8)]
    assert batch[2].analysis.vectors[0, 2] == 1.0
    assert all("vectors" in w.analysis.layers for w in batch)


def test_component_declares_its_layers():
    component = EmbeddingsComponent()
    assert (component.name, component.requires, component.assigns) == (
        "embeddings",
        ("sentences",),
        ("vectors",),
    )
    assert component.embedder_name == "minilm-fast"


def test_openvino_sends_no_telemetry():
    """OpenVINO's converter is given its own stub, not the package that reports usage."""
    import subprocess
    import sys

    code = ("import storyline.nlp.embeddings, openvino.tools.ovc.telemetry_utils as t;"
            "print(t.tm.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "openvino.tools.ovc.telemetry_stub"
