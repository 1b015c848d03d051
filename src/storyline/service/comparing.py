"""Comparison of articles, or of a stored story's articles, claim by claim."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from storyline.compare import compare_analyses
from storyline.compare.loaded_contrast import WordScorer, model_scorer
from storyline.errors import CompareError
from storyline.model import Article, Comparison
from storyline.service.analysis import analyse_many, analysed
from storyline.service.common import ArticleLike, resolve
from storyline.service.options import analysis_options
from storyline.service.reading import read_for_comparison
from storyline.service.stories import get_story


def compare(items: Sequence[ArticleLike], settings: dict | None = None) -> Comparison:
    """Compare two or more articles (Articles, analyses, files, dumps, folders) claim by claim."""
    from storyline.nlp import accepted_languages

    s = resolve(settings)
    read = read_for_comparison(items, s)
    # a page in a language the analysis does not cover is logged and left out, not fatal
    kept = {id(a) for a in accepted_languages(
        [a for a in read if isinstance(a, Article)], analysis_options(s))}
    articles = [a for a in read if not isinstance(a, Article) or id(a) in kept]
    if len(articles) < 2:
        where = str(items[0]) if items and isinstance(items[0], (str, Path)) else None
        raise CompareError(
            f"compare needs at least two articles, got {len(articles)}",
            path=where,
            hint="give two or more files, or a JSONL/CSV dump or folder holding several",
        )
    return compare_analyses(analysed(articles, s), word_scorer=_scorer(s))


def _scorer(settings: dict) -> WordScorer | None:
    """The learned loaded-word model when the ``wording_model`` setting asks for it."""
    return model_scorer() if settings.get("wording_model", True) else None


def compare_story(story_id: str, settings: dict | None = None) -> Comparison:
    """The comparison of a story's articles; a syndicated copy stands with its original and
    counts once. Analyses are kept in the store."""
    from storyline.store import open_store

    s = resolve(settings)
    view = get_story(story_id, s)
    originals = [a for a in view.articles if a.id not in view.copies]
    if len(originals) < 2:
        raise CompareError(
            f"story {story_id} has {len(originals)} original article(s) "
            f"({len(view.copies)} syndicated copies beside them)",
            hint="a comparison needs two independent reports; wait for more articles",
        )
    with open_store(str(s["store"])) as store:
        stored = {a.id: store.get_analysis(a.id) for a in view.articles}
        missing = [a for a in view.articles if stored[a.id] is None or stored[a.id].vectors is None]
        for analysis in analyse_many(missing, s) if missing else []:
            store.save_analysis(analysis)
            stored[analysis.article.id] = analysis
    return compare_analyses([stored[a.id] for a in view.articles], copies=view.copies,
                            word_scorer=_scorer(s))
