"""Evaluation use cases: score stories, similarity and comparisons against labelled data."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.model import Article
from storyline.service.common import resolve
from storyline.service.comparing import compare
from storyline.service.options import read_options, story_options, track_options
from storyline.service.reading import read_articles, read_labelled

if TYPE_CHECKING:  # the story engine loads numpy and faiss: imported where it is used
    from storyline.evaluation import ComparisonReport, WordingReport
    from storyline.evaluation.attribution import AttributionReport
    from storyline.stories.evaluate import ClusteringReport, SimilarityReport


def evaluate_clustering(path: str | Path, settings: dict | None = None) -> ClusteringReport:
    """Ingest a labelled file into a temporary store, as ``ingest`` would, and score its stories."""
    from storyline.service.ingesting import INGEST_BATCH
    from storyline.stories.evaluate import score_clustering

    s = resolve(settings)
    articles, skipped = read_labelled(path, s)
    return score_clustering(
        articles, track_options(s), path=str(path), skipped=skipped, batch=INGEST_BATCH
    )


def evaluate_similarity(path: str | Path, settings: dict | None = None) -> SimilarityReport:
    """Score the engine's story similarity against a SemEval-2022 Task 8 style CSV."""
    from storyline.stories.evaluate import read_pairs, score_similarity

    s = resolve(settings)
    return score_similarity(read_pairs(path), story_options(s), path=str(path))


def evaluate_comparison(path: str | Path, settings: dict | None = None) -> ComparisonReport:
    """Compare each gold event's articles and score the comparison against the hand labels."""
    from storyline.evaluation import read_gold, score_comparison
    from storyline.model import to_dict

    s = resolve(settings)
    gold_path = Path(path)
    events = read_gold(gold_path)
    dumps: dict[Path, dict[str, Article]] = {}
    started = time.perf_counter()
    results = []
    for event in events:
        articles = [_gold_article(ref, gold_path, s, dumps) for ref in event.articles]
        results.append((event, to_dict(compare(articles, s))))
    return score_comparison(results, path=str(path), seconds=time.perf_counter() - started)


def evaluate_wording(path: str | Path, with_model: bool = True) -> WordingReport:
    """Score loaded-wording detection on a BABE-style CSV (cross-validated where fitted);
    ``with_model`` adds the MiniLM word model (loads the sentence model)."""
    from storyline.compare import loaded
    from storyline.evaluation import read_babe, score_wording

    sentences, left_out = read_babe(path)
    shipped = loaded.detector(e.stem for e in loaded.load_entries())

    def fit(train):
        return loaded.detector(loaded.fit_loaded((s.text, s.words) for s in train))

    detectors = [
        ("hand lexicon (wording.json)", loaded.hand_lexicon_words),
        ("shipped BABE lexicon (loaded.json, in-sample on BABE)", shipped),
    ]
    fitted = [("lexicon fitted on this file", fit)]
    if with_model:
        detectors_, fitted_ = _word_model_detectors(sentences)
        detectors += detectors_
        fitted += fitted_
    return score_wording(sentences, detectors, fitted, path=str(path), left_out=left_out)


def _word_model_detectors(sentences: list) -> tuple[list, list]:
    """The shipped word model, and the model refitted per fold (its shipped threshold), over
    word vectors computed once for the file."""
    from storyline.compare import loaded_model

    model = loaded_model.load_model()
    texts = [s.text for s in sentences]
    vectors = dict(zip(texts, loaded_model.word_vectors().encode(texts), strict=True))

    def detect_with(m: loaded_model.WordModel):
        return lambda text: m.loaded(text, vectors[text][1], vectors[text][0])

    def fit(train):
        return detect_with(loaded_model.fit_sentences(
            [(*vectors[s.text], s.words) for s in train], model.threshold))

    return ([("shipped word model (loaded_model.json, in-sample on BABE)",
              detect_with(model))], [("word model fitted on this file", fit)])


def _gold_article(ref: dict, gold_path: Path, s: dict, dumps: dict) -> Article:
    """A gold file's article: inline, one file, or the record with that id in a dump."""
    from storyline.errors import FormatError, InputError
    from storyline.ingest.records import record_to_article

    if "path" not in ref:
        item = record_to_article(
            ref, read_options(s), source=str(gold_path), line=0, seen=set()
        )
        if not isinstance(item, Article):
            raise FormatError(f"inline article: {item.reason}", path=str(gold_path))
        return item
    # Relative paths are the repository root's (docs/comparison-gold.md): tried against the
    # current directory, then each folder above the gold file.
    rel = Path(ref["path"])
    bases = [Path.cwd(), *gold_path.resolve().parents]
    found = next((b / rel for b in bases if (b / rel).exists()), None)
    if found is None:
        raise InputError(
            f"article file {rel} not found",
            hint="paths are relative to the repository root",
            path=str(gold_path),
        )
    if "id" not in ref:
        return read_articles([found], s)[0]
    if found not in dumps:
        dumps[found] = {a.get("source_id"): a for a in read_labelled(found, s)[0]}
    article = dumps[found].get(str(ref["id"]))
    if article is None:
        raise InputError(f"no record with id {ref['id']!r}", path=str(found))
    return article


def evaluate_attribution(path: str | Path, settings: dict | None = None) -> AttributionReport:
    """Analyse each brat-annotated text under ``path`` and score its attributions."""
    from storyline.evaluation.attribution import (
        AttributionReport,
        add_scores,
        read_gold_dir,
        relations_from_analysis,
        score_document,
    )
    from storyline.ingest.normalize import article_id
    from storyline.model import to_dict
    from storyline.service.analysis import analyse_many

    s = resolve(settings)
    docs = read_gold_dir(path)
    # Built directly, not through ingest: the gold offsets index the file's text unchanged.
    articles = [Article(article_id(d.text), d.text, source=d.name) for d in docs]
    started = time.perf_counter()
    analyses = analyse_many(articles, s)
    seconds = time.perf_counter() - started
    total: dict = {}
    for doc, analysis in zip(docs, analyses, strict=True):
        predicted = relations_from_analysis(to_dict(analysis))
        total = add_scores(total, score_document(doc.text, doc.relations, predicted))
    return AttributionReport(str(path), len(docs), total, seconds)
