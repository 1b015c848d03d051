"""The writer's per-article speed-ups give exactly what the plain computations give: the same
sums bit for bit, the same band keys, the same representations and the same stories."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Article
from storyline.stories import cluster
from storyline.stories.cluster import StoryEngine
from storyline.stories.dedupe import LSH_BANDS, LSH_ROWS, NUM_PERM, band_keys
from storyline.stories.represent import LEAD_CHARS, Representer, body, cosine

ECB_DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ecbplus" / "dev.jsonl"


def _plain_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _plain_band_keys(signature: np.ndarray, bands: int, rows: int) -> list[int]:
    values = np.asarray(signature, dtype="<u4")
    return [
        int.from_bytes(
            hashlib.blake2b(
                band.to_bytes(2, "little") + values[band * rows : (band + 1) * rows].tobytes(),
                digest_size=8,
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def test_cosine_is_the_plain_sum_bit_for_bit():
    rng = random.Random(3)
    for _ in range(300):
        a = {f"w{rng.randrange(400)}": rng.random() for _ in range(rng.randrange(0, 80))}
        b = {f"w{rng.randrange(400)}": rng.random() * 5 for _ in range(rng.randrange(0, 900))}
        assert cosine(a, b) == _plain_cosine(a, b)
        assert cosine(b, a) == _plain_cosine(b, a)
    assert cosine({}, {"x": 1.0}) == 0.0


def test_band_keys_are_the_per_band_hashes():
    rng = np.random.default_rng(5)
    for _ in range(200):
        signature = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
        assert band_keys(signature) == _plain_band_keys(signature, LSH_BANDS, LSH_ROWS)
        assert band_keys(signature, 16, 8) == _plain_band_keys(signature, 16, 8)


def _articles(limit: int) -> list[Article]:
    if not ECB_DEV.exists():
        pytest.skip("../shared/data/ecbplus/dev.jsonl is not beside the repository")
    out = []
    with ECB_DEV.open(encoding="utf-8") as lines:
        for n, line in zip(range(limit), lines, strict=False):
            record = json.loads(line)
            out.append(Article(id=f"e{n}", text=record["text"], title=record.get("title") or ""))
    return out


def test_a_given_lead_gives_the_same_representation_and_threshold():
    articles = _articles(120)
    given, computed = Representer(dense=False), Representer(dense=False)
    engine = StoryEngine(representer=Representer(dense=False))
    for article in articles + [Article(id="h", text="Title only", title="Title only")]:
        text = body(article, LEAD_CHARS)
        a, b = given.represent(article, text=text), computed.represent(article)
        assert (a.terms, a.names) == (b.terms, b.names)
        assert engine.threshold_for(article, text) == engine.threshold_for(article)
    assert given.vocabulary.df == computed.vocabulary.df


def test_the_engine_reads_the_lead_once_per_article(monkeypatch):
    articles = _articles(60)
    calls = []
    real = cluster.body
    monkeypatch.setattr(cluster, "body", lambda a, limit=None: calls.append(a.id) or real(a, limit))
    StoryEngine(representer=Representer(dense=False)).add_many(articles)
    assert sorted(calls) == sorted(a.id for a in articles)


def test_the_band_tables_find_what_datasketch_lsh_finds():
    from datasketch import MinHashLSH

    from storyline.stories.dedupe import DuplicateIndex

    rng = np.random.default_rng(7)
    index = DuplicateIndex()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    # Values from a small range share whole bands often: many true and partial band matches.
    signatures = {f"a{i}": rng.integers(0, 3, NUM_PERM).astype(np.uint32) for i in range(300)}
    for article_id, signature in list(signatures.items())[:200]:
        index.insert(article_id, signature)
        lsh.insert(article_id, index.signer.lean(signature), check_duplication=False)
    for article_id in list(signatures)[:40]:  # removal leaves the tables as datasketch's
        index.remove(article_id)
        lsh.remove(article_id)
    queried = 0
    for signature in signatures.values():
        expected = set(lsh.query(index.signer.lean(signature)))
        assert index._candidates(band_keys(signature)) == expected
        queried += bool(expected)
    assert queried > 100
