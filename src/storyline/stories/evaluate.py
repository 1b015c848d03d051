"""Evaluation of story clustering and story similarity on labelled data of any size.

``score_clustering`` ingests labelled articles (read as ``storyline ingest`` reads them; the gold
label in ``extra["story"]``) into a temporary store through the code path ``storyline ingest``
runs (``Tracker``: batches in file order, each sorted by published time, exact repeats stored
once, copies linked, refinement where due and after the file), and scores the stories a user
would get, and the assignments as made before refinement, against every article's gold label.
(It replayed the whole file in published-time order through a bare ``StoryEngine`` before: on a
file not in time order, such as GVA dev, that is not the stream ``ingest`` sees.)
``score_similarity`` scores the engine's pairwise similarity (the deep one, unless
``story_refine`` is off) against a SemEval-2022 Task 8 style CSV (``lang1, lang2, text1, text2,
Overall``; 1 = very similar .. 4 = very dissimilar). The deep similarity is scored twice in
one run: as it was (MiniLM for every pair, ``*_minilm``) and with pairs involving another
language routed to the multilingual view (``stories/multilingual.py``), whose calibration is
fitted on the pairs themselves and so is scored cross-validated, k-fold by pair.
"""

from __future__ import annotations

import csv
import math
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.errors import FormatError, InputError
from storyline.model import Article
from storyline.stories import multilingual
from storyline.stories.cluster import StoryEngine
from storyline.stories.metrics import bcubed, pairwise, pearson
from storyline.stories.options import StoryOptions, TrackOptions
from storyline.stories.represent import cosine

# A title glued to the body by two spaces is split off within this many characters (SemEval
# texts are "title  body"); longer first segments are body text, not a title.
MAX_TITLE_CHARS = 300


@dataclass(frozen=True)
class ClusteringReport:
    """How well the engine's stories match a file's gold stories, and how fast it ran.

    The main figures are the final stage's (refined, unless refinement is off); ``online_*``
    are the single pass before refinement."""

    path: str
    stage: str  # "refined" or "online"
    articles: int
    skipped: int  # records ingest refused (each logged with its reason by the reader)
    gold_clusters: int
    predicted_clusters: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    seconds: float  # both stages (refinement's includes loading MiniLM, ~1 s)
    articles_per_second: float
    online_predicted_clusters: int
    online_bcubed_f1: float
    online_pairwise_f1: float
    online_seconds: float
    stored: int = 0  # articles stored (exact repeats are stored once and scored with theirs)
    online_bcubed_precision: float = 0.0
    online_bcubed_recall: float = 0.0

    def as_dict(self) -> dict:
        """Plain data for JSON or a table."""
        return asdict(self)


@dataclass(frozen=True)
class SimilarityReport:
    """Correlation of the engine's similarity with human judgements of article pairs."""

    path: str
    similarity: str  # "deep" (refinement's, with document vectors) or "online"
    pairs: int
    pairs_en: int
    pearson_all: float
    pearson_en: float
    seconds: float
    pairs_per_second: float
    # by language pair: two different languages; one language other than English
    pairs_cross: int = 0
    pairs_same_other: int = 0
    pearson_cross: float = 0.0
    pearson_same_other: float = 0.0
    # deep only: today's similarity (MiniLM for every pair) beside the figures above, which
    # route pairs involving another language to the multilingual view, cross-validated
    pearson_en_minilm: float | None = None
    pearson_all_minilm: float | None = None
    pearson_cross_minilm: float | None = None
    pearson_same_other_minilm: float | None = None
    folds: int = 0  # cross-validation folds by pair (0: nothing fitted on the file)
    pearson_all_shipped: float | None = None  # the shipped calibration, fitted on SemEval train

    def as_dict(self) -> dict:
        """Plain data for JSON or a table."""
        return asdict(self)


def _epoch(when: datetime) -> float:
    # Naive times are read as UTC so dated records of mixed styles still sort together.
    return when.timestamp() if when.tzinfo else when.replace(tzinfo=UTC).timestamp()


def replay_order(articles: list[Article]) -> list[Article]:
    """Articles in published-time order; an undated one keeps its place after its predecessor."""
    keyed, last = [], -math.inf
    for position, article in enumerate(articles):
        if article.published is not None:
            last = _epoch(article.published)
        keyed.append((last, position, article))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [k[2] for k in keyed]


@dataclass(frozen=True)
class ClusteringRun:
    """The stories one ingest of labelled articles gave: per article (in the order given) its
    story after refinement and as first assigned, and the run's times."""

    final: tuple[str, ...]
    online: tuple[str, ...]
    seconds: float  # both stages
    refine_seconds: float
    stored: int  # articles stored (exact repeats are stored once)


def cluster_labelled(
    articles: list[Article], options: TrackOptions | None = None, *, batch: int = 1000
) -> ClusteringRun:
    """Ingest articles into a fresh temporary store, as ``storyline ingest`` does (the same
    ``Tracker``, batches of ``batch`` in the order given, each in published order), and read
    back every article's story, an exact repeat (stored once) in the story of the article it
    repeats."""
    from storyline.stories.tracker import IngestReport, Tracker

    options = options or TrackOptions()
    online: dict[str, str] = {}  # stored id -> story it was assigned as it arrived
    stored: dict[str, str] = {}  # article id -> stored article id
    report = IngestReport()
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        started = time.perf_counter()
        # model loading happens in the first batch's timing
        with Tracker(replace(options, store=str(Path(tmp) / "eval.db"))) as tracker:
            tracker.on_assign = online.__setitem__
            for start in range(0, len(articles), batch):
                stored |= tracker.add_batch(articles[start : start + batch], report)
            if options.stories.refine and tracker.engine.unrefined:
                tracker.refine(report)
            seconds = time.perf_counter() - started
            final = {a: s.id for s in tracker.store.stories() for a in s.article_ids}
    # an article in no story (none is expected) counts as a story of its own, never dropped
    return ClusteringRun(
        final=tuple(final.get(stored[a.id], "none:" + a.id) for a in articles),
        online=tuple(online.get(stored[a.id], "none:" + a.id) for a in articles),
        seconds=seconds,
        refine_seconds=report.refine_seconds,
        stored=len(set(stored.values())),
    )


def score_clustering(
    articles: list[Article],
    options: TrackOptions | None = None,
    *,
    path: str = "",
    skipped: int = 0,
    batch: int = 1000,
) -> ClusteringReport:
    """Ingest labelled articles as ``storyline ingest`` does (``cluster_labelled``) and score
    its stories, and the assignments as made before refinement, against every article's gold
    label."""
    options = options or TrackOptions()
    refined = options.stories.refine
    run = cluster_labelled(articles, options, batch=batch)
    final_of, online_of, seconds = list(run.final), list(run.online), run.seconds
    predicted = final_of if refined else online_of
    gold = [a.get("story") for a in articles]
    b, p, o = bcubed(predicted, gold), pairwise(predicted, gold), bcubed(online_of, gold)
    online_seconds = seconds - run.refine_seconds
    return ClusteringReport(
        path=str(path),
        stage="refined" if refined else "online",
        articles=len(articles),
        skipped=skipped,
        gold_clusters=len(set(gold)),
        predicted_clusters=len(set(predicted)),
        bcubed_precision=round(b.precision, 4),
        bcubed_recall=round(b.recall, 4),
        bcubed_f1=round(b.f1, 4),
        pairwise_precision=round(p.precision, 4),
        pairwise_recall=round(p.recall, 4),
        pairwise_f1=round(p.f1, 4),
        seconds=round(seconds, 3),
        articles_per_second=round(len(articles) / seconds, 1) if seconds else 0.0,
        online_predicted_clusters=len(set(online_of)),
        online_bcubed_f1=round(o.f1, 4),
        online_pairwise_f1=round(pairwise(online_of, gold).f1, 4),
        online_seconds=round(online_seconds, 3),
        stored=run.stored,
        online_bcubed_precision=round(o.precision, 4),
        online_bcubed_recall=round(o.recall, 4),
    )


def _pair_article(pair_id: str, side: str, text: str, language: str) -> Article:
    head, sep, body = text.partition("  ")
    if sep and 0 < len(head) <= MAX_TITLE_CHARS and body.strip():
        title, text = head.strip(), body.strip()
    else:
        title = ""
    return Article(id=f"{pair_id}:{side}", text=text, title=title, language=language)


def read_pairs(path: str | Path) -> list[tuple[Article, Article, float]]:
    """(article 1, article 2, Overall score) triples of a SemEval-2022 Task 8 style CSV."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    pairs = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            try:
                pair_id = row.get("pair_id") or str(n)
                a = _pair_article(pair_id, "1", row["text1"] or "", row["lang1"])
                b = _pair_article(pair_id, "2", row["text2"] or "", row["lang2"])
                overall = float(row["Overall"])
            except (KeyError, ValueError) as exc:
                raise FormatError(f"row {n + 2}: {exc}", path=str(path)) from None
            if a.text.strip() and b.text.strip():
                pairs.append((a, b, overall))
    return pairs


def _pearsons(scores: list[float], target: list[float], groups: dict[str, list[int]]) -> dict:
    return {
        name: round(pearson([scores[i] for i in idx], [target[i] for i in idx]), 4)
        if len(idx) > 2
        else 0.0
        for name, idx in groups.items()
    }


def _deep_scores(engine: StoryEngine, pairs: list, route: list[str], target: list[float]):
    """(today's deep scores, the multilingual route's out-of-fold scores, the shipped
    calibration's scores) of the pairs."""
    articles = [x for a, b, _ in pairs for x in (a, b)]
    docs = engine.document_vectors(articles)
    multi = multilingual.lead_vectors(articles)
    english, shipped, views = [], [], []
    for n, (a, b, _) in enumerate(pairs):
        doc, ml = (docs[2 * n], docs[2 * n + 1]), (multi[2 * n], multi[2 * n + 1])
        english.append(engine.similarity(a, b, doc))
        shipped.append(engine.similarity(a, b, doc, ml))
        ra = engine.representer.represent(a, learn=False)
        rb = engine.representer.represent(b, learn=False)
        views.append(
            (cosine(ra.terms, rb.terms), cosine(ra.names, rb.names), float(ml[0] @ ml[1]))
        )
    scores, _ = multilingual.cross_validated(
        np.array(views), np.array(english), np.array(route), np.array(target)
    )
    return english, scores.tolist(), shipped


def score_similarity(
    pairs: list[tuple[Article, Article, float]],
    options: StoryOptions | None = None,
    *,
    path: str = "",
) -> SimilarityReport:
    """Pearson correlation of the engine's similarity with -Overall: English pairs, all pairs,
    cross-language pairs and same-language non-English pairs."""
    options = options or StoryOptions()
    deep = options.refine  # the deep similarity refinement clusters with
    engine = StoryEngine(options)
    started = time.perf_counter()
    # Document frequencies come from the file's own texts (no labels are used).
    for a, b, _ in pairs:
        engine.representer.represent(a)
        engine.representer.represent(b)
    target = [-overall for _, _, overall in pairs]
    route = [multilingual.pair_route(a.language, b.language) for a, b, _ in pairs]
    groups = {
        "en": [i for i, r in enumerate(route) if r == "en"],
        "all": list(range(len(pairs))),
        "cross": [i for i, r in enumerate(route) if r == "cross"],
        "same_other": [i for i, r in enumerate(route) if r == "same"],
    }
    extra: dict = {}
    if deep:
        english, scores, shipped = _deep_scores(engine, pairs, route, target)
        today = _pearsons(english, target, groups)
        extra = {f"pearson_{k}_minilm": v for k, v in today.items()}
        extra["folds"] = multilingual.FOLDS
        extra["pearson_all_shipped"] = round(pearson(shipped, target), 4)
    else:
        scores = [engine.similarity(a, b) for a, b, _ in pairs]
    seconds = time.perf_counter() - started
    figures = _pearsons(scores, target, groups)
    return SimilarityReport(
        path=str(path),
        similarity="deep" if deep else "online",
        pairs=len(pairs),
        pairs_en=len(groups["en"]),
        pearson_all=figures["all"],
        pearson_en=figures["en"],
        seconds=round(seconds, 3),
        pairs_per_second=round(len(pairs) / seconds, 1) if seconds else 0.0,
        pairs_cross=len(groups["cross"]),
        pairs_same_other=len(groups["same_other"]),
        pearson_cross=figures["cross"],
        pearson_same_other=figures["same_other"],
        **extra,
    )
