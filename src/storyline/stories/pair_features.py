"""Pair features of the learned story similarity: a few views, each decayed by time.

A scope of articles (refinement's open stories, or a labelled set) is read once into sparse and
dense views; ``feature_block`` turns a block of rows against every column into one matrix per
feature. Each view is multiplied by ``exp(-days apart / DECAY_DAYS)`` when both articles are
dated (1 when either is undated), the issue-10 baseline's time decay: time is a fixed part of
the design, not a weight, so a model fitted without a dated set of full texts still keeps like
reports weeks apart (fitting separate time terms let only GVA weigh them: branch stories2).

The views were chosen for what separates two events of one kind (GVA: many shootings of one
town), few on purpose so the linear model over them cannot learn one corpus's regime:

- ``body``: TF-IDF cosine of title + body, idf of the scope (the baseline's own view);
- ``terms``: the online engine's tf-idf of title (x3), lead and URL slug;
- ``names``: idf-weighted cosine of the salient names (capitalised runs, numbers);
- ``numbers``: scope-idf cosine of the numbers of title and lead (ages, counts, clock times;
  years left out): two incidents of one town rarely share a victim's age and a count;
- ``doc``: MiniLM cosine of title + lead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

import numpy as np
from scipy.sparse import csr_matrix

from storyline.model import Article
from storyline.stories.represent import LEAD_CHARS, Representation, body

FEATURES = ("body", "terms", "names", "numbers", "doc")
# Days over which a dated pair's views decay by 1/e: the issue-10 baseline's scale.
DECAY_DAYS = 7.0
# Body characters the ``body`` view reads (GVA's median page is ~2,400 characters; bounded so a
# long page costs what a short one does).
BODY_CHARS = 4000
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\d,]*\d)")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_TERM = re.compile(r"(?u)\b\w\w+\b")
# sklearn's English stop words (the baseline's), read lazily with sklearn itself.
_STOP: frozenset[str] | None = None


@dataclass
class ScopeViews:
    """The views of a scope of articles, row i for article i."""

    body: csr_matrix  # L2-normalised rows
    terms: csr_matrix
    names: csr_matrix
    numbers: csr_matrix
    doc: np.ndarray  # float32, L2-normalised rows
    days: np.ndarray  # published time in days (NaN when unknown)


def numbers(text: str) -> set[str]:
    """The numbers of a text as strings, years (1900-2099) left out."""
    out = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "")
        if not _YEAR.match(value):
            out.add(value)
    return out


def _stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _STOP = frozenset(ENGLISH_STOP_WORDS)
    return _STOP


def _normalised(rows: list[dict[str, float]]) -> csr_matrix:
    columns: dict[str, int] = {}
    r, c, v = [], [], []
    for i, row in enumerate(rows):
        norm = math.sqrt(sum(x * x for x in row.values())) or 1.0
        for key, value in row.items():
            r.append(i)
            c.append(columns.setdefault(key, len(columns)))
            v.append(value / norm)
    shape = (len(rows), max(len(columns), 1))
    return csr_matrix((np.array(v, dtype=np.float32), (r, c)), shape=shape)


def _idf_rows(bags: list[Counter[str]], sublinear: bool) -> csr_matrix:
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
    rows = [
        {t: (1.0 + math.log(c) if sublinear else 1.0) * idf[t] for t, c in bag.items()}
        for bag in bags
    ]
    return _normalised(rows)


def _body_bag(article: Article) -> Counter[str]:
    stop = _stop_words()
    text = "\n".join(p for p in (article.title, body(article, BODY_CHARS)[:BODY_CHARS]) if p)
    return Counter(w for w in _TERM.findall(text.lower()) if w not in stop)


def _lead(article: Article) -> str:
    return f"{article.title}\n{body(article, LEAD_CHARS)[:LEAD_CHARS]}"


def read_scope(
    articles: Sequence[Article], reps: Sequence[Representation], doc: np.ndarray
) -> ScopeViews:
    """The views of ``articles`` (with their engine representations and MiniLM vectors)."""
    days = np.full(len(articles), math.nan)
    for i, a in enumerate(articles):
        if a.published is not None:
            when = a.published if a.published.tzinfo else a.published.replace(tzinfo=UTC)
            days[i] = when.timestamp() / 86400.0
    return ScopeViews(
        body=_idf_rows([_body_bag(a) for a in articles], sublinear=True),
        terms=_normalised([dict(r.terms) for r in reps]),
        names=_normalised([dict(r.names) for r in reps]),
        numbers=_idf_rows([Counter(numbers(_lead(a))) for a in articles], sublinear=False),
        doc=np.ascontiguousarray(doc, dtype=np.float32),
        days=days,
    )


def decay(views: ScopeViews, rows: slice) -> np.ndarray:
    """exp(-days apart / DECAY_DAYS) of a block of rows against all (1 when either is undated)."""
    gap = np.abs(views.days[rows, None] - views.days[None, :])
    return np.nan_to_num(np.exp(-gap / DECAY_DAYS), nan=1.0).astype(np.float32)


def feature_block(views: ScopeViews, rows: slice) -> np.ndarray:
    """Features of a block of rows against every article: shape (len(FEATURES), rows, n)."""
    time = decay(views, rows)
    out = []
    for name in FEATURES:
        if name == "doc":
            block = views.doc[rows] @ views.doc.T
        else:
            matrix = getattr(views, name)
            block = (matrix[rows] @ matrix.T).toarray()
        out.append(np.asarray(block, dtype=np.float32) * time)
    return np.stack(out)
