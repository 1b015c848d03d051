"""Analysis of articles through the NLP pipeline, built once per settings, with a memory cache."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence

from storyline.model import AnalyzedArticle, Article
from storyline.nlp.options import AnalysisOptions
from storyline.service.common import ArticleLike, resolve
from storyline.service.options import analysis_options
from storyline.service.reading import read_articles


def analyse_many(
    articles: Sequence[Article], settings: dict | None = None, *, overlap: bool = True
) -> list[AnalyzedArticle]:
    """Run the analysis pipeline over a batch of articles (language checked first); ``overlap``
    as ``Pipeline.run``'s."""
    from storyline.nlp import check_language

    options = analysis_options(resolve(settings))
    for a in articles:
        check_language(a, options)
    return _pipeline(options).run(list(articles), overlap)


@functools.cache
def _pipeline(options: AnalysisOptions):
    """One analysis pipeline per distinct options, built once per process (models load once)."""
    from storyline.nlp import build_pipeline

    return build_pipeline(options)


def analyse(item: ArticleLike, settings: dict | None = None) -> AnalyzedArticle:
    """Analyse one article, given as an Article or a file path."""
    return analysed([item], resolve(settings))[0]


def analysed(items: Sequence[ArticleLike], settings: dict) -> list[AnalyzedArticle]:
    """Articles, paths and finished analyses in, analyses out (in the same order)."""
    articles: list[Article | None] = []
    done: list[AnalyzedArticle | None] = []
    for item in items:
        if isinstance(item, AnalyzedArticle):
            articles.append(None)
            done.append(item)
        else:
            article = item if isinstance(item, Article) else read_articles([item], settings)[0]
            articles.append(article)
            done.append(None)
    key = analysis_options(settings)
    todo = [a for a in articles if a is not None and (key, a) not in _ANALYSED]
    for analysis in analyse_many(todo, settings) if todo else []:
        _ANALYSED[(key, analysis.article)] = analysis
        while len(_ANALYSED) > ANALYSIS_CACHE_SIZE:
            _ANALYSED.popitem(last=False)
    return [
        d if d is not None else _ANALYSED[(key, a)] for d, a in zip(done, articles, strict=True)
    ]


# Analyses kept in memory by (settings, article): comparing an article again (another pairing,
# a re-run from the web UI) skips its analysis. The key is the whole frozen Article, not its
# id: two outlets can publish the same text under different names. ~60 KB per article.
ANALYSIS_CACHE_SIZE = 512
_ANALYSED: OrderedDict = OrderedDict()
