"""Analysis: the default pipeline of components over one spaCy parse per article.

``build_pipeline()`` returns the ordered, checked pipeline; ``analyse()`` runs a cached default
pipeline on one article after checking its language.
"""

from __future__ import annotations

import functools
import logging

from storyline.errors import UnsupportedLanguageError
from storyline.ingest.normalize import detect_language
from storyline.model import AnalyzedArticle, Article
from storyline.nlp.options import AnalysisOptions
from storyline.nlp.pipeline import Pipeline

log = logging.getLogger(__name__)


def build_pipeline(options: AnalysisOptions | None = None, *, embed: bool = True) -> Pipeline:
    """The default pipeline: parse, sentences, entities, names, quantities, times, quotes,
    attributions, statements, descriptions, embeddings (names/embeddings only when importable)."""
    from storyline.nlp.attributions import AttributionsComponent
    from storyline.nlp.descriptions import DescriptionsComponent
    from storyline.nlp.entities import EntitiesComponent
    from storyline.nlp.parse import ParseComponent
    from storyline.nlp.quantities import QuantitiesComponent
    from storyline.nlp.quotes import QuotesComponent
    from storyline.nlp.sentences import SentencesComponent
    from storyline.nlp.statements import StatementsComponent
    from storyline.nlp.times import TimesComponent

    options = options or AnalysisOptions()
    components: list = [ParseComponent(), SentencesComponent(), EntitiesComponent()]
    try:
        from storyline.nlp.names import NamesComponent

        components.append(NamesComponent())
    except ImportError:
        pass
    components += [
        QuantitiesComponent(),
        TimesComponent(),
        QuotesComponent(),
        AttributionsComponent(),
        StatementsComponent(),
        DescriptionsComponent(),
    ]
    if embed:
        try:
            from storyline.nlp.embeddings import EmbeddingsComponent

            components.append(EmbeddingsComponent(options))
        except ImportError:
            pass
    return Pipeline(components)


@functools.cache
def _default_pipeline(options: AnalysisOptions) -> Pipeline:
    return build_pipeline(options)


def check_language(article: Article, options: AnalysisOptions) -> None:
    """Raise UnsupportedLanguageError unless the article's language is accepted."""
    accepted = set(options.languages)
    language = (article.language or detect_language(article.text)).lower()
    if language and accepted and language.split("-")[0] not in accepted:
        raise UnsupportedLanguageError(
            f"the article is in language {language!r}, not one of {', '.join(sorted(accepted))}",
            path=article.source or None,
        )


def accepted_languages(articles: list[Article], options: AnalysisOptions) -> list[Article]:
    """The articles in a language the analysis accepts; the others are logged and left out,
    so one page in another language does not cost a whole comparison."""
    kept = []
    for article in articles:
        try:
            check_language(article, options)
        except UnsupportedLanguageError as exc:
            log.warning("skipped %s: %s", article.label, exc)
            continue
        kept.append(article)
    return kept


def analyse(article: Article, options: AnalysisOptions | None = None) -> AnalyzedArticle:
    """Analyse one article with the cached default pipeline."""
    options = options or AnalysisOptions()
    check_language(article, options)
    return _default_pipeline(options)(article)


__all__ = ["analyse", "build_pipeline", "check_language", "detect_language"]
