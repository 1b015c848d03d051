"""Store and dedupe figures: ingest speed one-by-one vs batched, DuplicateIndex throughput,
memory and accuracy (num_perm 64 vs 128). Prints figures; not a timed test.

    .venv/bin/python benchmarks/store.py [--articles 2000] [--dedupe 10000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from storyline.model import Article
from storyline.store import SQLiteStore
from storyline.stories import dedupe


def make_vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(size)]


def make_text(rng: random.Random, vocabulary: list[str], words: int) -> str:
    # Zipf-like word frequencies, as in real prose: many repeated function words.
    picks = np.minimum(
        np.random.default_rng(rng.randrange(1 << 30)).zipf(1.3, words), len(vocabulary)
    )
    return " ".join(vocabulary[p - 1] for p in picks) + "."


def make_articles(n: int, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    vocabulary = make_vocabulary(rng)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        text = make_text(rng, vocabulary, rng.randint(250, 700))
        aid = hashlib.sha256(text.encode()).hexdigest()[:20]
        out.append(
            Article(
                id=aid,
                text=text,
                url=f"https://example.org/{i}",
                outlet=f"Outlet {i % 40}",
                published=t0 + timedelta(minutes=i),
            )
        )
    return out


def bench_ingest(n: int) -> None:
    articles = make_articles(n)
    with tempfile.TemporaryDirectory() as tmp:
        with SQLiteStore(Path(tmp) / "one.db") as store:
            start = time.perf_counter()
            for a in articles:
                store.add_article(a)
            one = n / (time.perf_counter() - start)
        with SQLiteStore(Path(tmp) / "batch.db") as store:
            start = time.perf_counter()
            for i in range(0, n, 500):
                store.add_articles(articles[i : i + 500])
            batched = n / (time.perf_counter() - start)
            start = time.perf_counter()
            store.add_articles(articles)
            again = n / (time.perf_counter() - start)
            start = time.perf_counter()
            listed = sum(1 for _ in store.articles())
            listing = listed / (time.perf_counter() - start)
    print(
        f"ingest  {n} articles: one-by-one {one:,.0f}/s, batched(500) {batched:,.0f}/s, "
        f"ratio {batched / one:.1f}x; re-ingest (all duplicates) {again:,.0f}/s; "
        f"articles() {listing:,.0f}/s"
    )


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = set(dedupe.shingle_hashes(a).tolist()), set(dedupe.shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb)


def bench_accuracy(rng: random.Random, vocabulary: list[str]) -> None:
    """Estimation error of the Jaccard estimate near the copy threshold, per num_perm."""
    pairs = []
    for _ in range(200):
        words = make_text(rng, vocabulary, 400).split()
        keep = rng.uniform(0.45, 0.85)  # a prefix copy: J around the threshold
        pairs.append((" ".join(words), " ".join(words[: int(len(words) * keep)])))
    exact = np.array([exact_jaccard(a, b) for a, b in pairs])
    clear = np.abs(exact - dedupe.COPY_JACCARD) > 0.1
    texts = [a for a, _ in pairs] * 3
    for num_perm in (64, 128):
        signer = dedupe.Signer(num_perm)
        sigs = [(signer.signature(a), signer.signature(b)) for a, b in pairs]
        est = np.array([dedupe.estimated_jaccard(x, y) for x, y in sigs])
        flipped = (est >= dedupe.COPY_JACCARD) != (exact >= dedupe.COPY_JACCARD)
        best = float("inf")
        for _ in range(3):  # best of 3: the machine is shared
            start = time.perf_counter()
            for t in texts:
                signer.signature(t)
            best = min(best, (time.perf_counter() - start) / len(texts) * 1e3)
        print(
            f"num_perm {num_perm:3d}: signature {best:.2f} ms/doc (400 words); Jaccard |error| "
            f"mean {np.mean(np.abs(est - exact)):.3f} max {np.max(np.abs(est - exact)):.3f}; "
            f"copy decisions flipped {flipped.sum()}/{len(pairs)} "
            f"({flipped[clear].sum()}/{clear.sum()} where |J-{dedupe.COPY_JACCARD}| > 0.1)"
        )


def bench_dedupe(n: int) -> None:
    rng = random.Random(1)
    vocabulary = make_vocabulary(rng)
    bench_accuracy(rng, vocabulary)
    texts = [make_text(rng, vocabulary, rng.randint(250, 700)) for _ in range(n)]
    # every 10th article is a re-run of an earlier one with a new first line
    for i in range(10, n, 10):
        texts[i] = "By staff and agencies updated today " + texts[rng.randrange(i)]
    signer = dedupe.Signer()
    start = time.perf_counter()
    signatures = [signer.signature(t) for t in texts]
    sign_rate = n / (time.perf_counter() - start)

    index = dedupe.DuplicateIndex()
    start = time.perf_counter()
    found = sum(1 for i, s in enumerate(signatures) if index.add_signature(f"a{i}", s))
    add_rate = n / (time.perf_counter() - start)

    queries = texts[:1000]
    start = time.perf_counter()
    for t in queries:
        index.query(t)
    query_rate = len(queries) / (time.perf_counter() - start)
    start = time.perf_counter()
    snapshot = index.to_bytes()
    dump = time.perf_counter() - start
    start = time.perf_counter()
    dedupe.DuplicateIndex.from_bytes(snapshot)
    load = time.perf_counter() - start
    del index

    tracemalloc.start()  # a separate pass: tracing slows the timed one several times
    index = dedupe.DuplicateIndex()
    for i, s in enumerate(signatures):
        index.add_signature(f"a{i}", s)
    memory, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    add_all = 1 / (1 / sign_rate + 1 / add_rate)
    print(
        f"dedupe  {n} articles: signatures {sign_rate:,.0f}/s, index add {add_rate:,.0f}/s "
        f"(signature given), add(text) {add_all:,.0f}/s, query(text) {query_rate:,.0f}/s"
    )
    print(
        f"dedupe  copies found {found} of {len(range(10, n, 10))} planted; index memory "
        f"{memory / 1e6:.1f} MB ({memory / n:,.0f} B/article); snapshot "
        f"{len(snapshot) / 1e6:.1f} MB, to_bytes {dump * 1e3:.0f} ms, "
        f"from_bytes {load * 1e3:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--dedupe", type=int, default=10_000)
    args = parser.parse_args()
    bench_ingest(args.articles)
    bench_dedupe(args.dedupe)


if __name__ == "__main__":
    main()
