"""The use cases: read, analyse, compare, ingest, cluster, evaluate. Interfaces call only this.

Each function takes plain values (paths, articles, a settings dict) and returns model objects,
so the CLI, the JSON API and the web UI share one implementation.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from storyline.compare import compare_analyses
from storyline.errors import CompareError
from storyline.model import AnalyzedArticle, Article, Comparison
from storyline.settings import load_settings

ArticleLike = Article | AnalyzedArticle | str | Path


def _settings(settings: dict | None) -> dict:
    return load_settings() if settings is None else settings


def read_articles(paths: Iterable[str | Path], settings: dict | None = None) -> list[Article]:
    """Read one article from each file (text or HTML); errors name the file."""
    from storyline.ingest import read_article

    s = _settings(settings)
    return [read_article(Path(p), s) for p in paths]


def analyse_many(articles: Sequence[Article], settings: dict | None = None) -> list[AnalyzedArticle]:
    """Run the analysis pipeline over a batch of articles (language checked first)."""
    from storyline.nlp import check_language

    s = _settings(settings)
    for a in articles:
        check_language(a, s)
    return _pipeline(_settings_key(s)).run(list(articles))


def _settings_key(settings: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in settings.items() if isinstance(v, (str, int, float))))


@functools.cache
def _pipeline(key: tuple):
    """One analysis pipeline per distinct settings, built once per process (models load once)."""
    from storyline.nlp import build_pipeline

    return build_pipeline(dict(key))


def analyse(item: ArticleLike, settings: dict | None = None) -> AnalyzedArticle:
    """Analyse one article, given as an Article or a file path."""
    return _analysed([item], _settings(settings))[0]


def _analysed(items: Sequence[ArticleLike], settings: dict) -> list[AnalyzedArticle]:
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
    todo = [a for a in articles if a is not None]
    fresh = iter(analyse_many(todo, settings)) if todo else iter(())
    return [d if d is not None else next(fresh) for d in done]


def compare(items: Sequence[ArticleLike], settings: dict | None = None) -> Comparison:
    """Compare two or more articles (Articles, analyses or file paths) claim by claim."""
    if len(items) < 2:
        where = str(items[0]) if items and isinstance(items[0], (str, Path)) else None
        raise CompareError(
            f"compare needs at least two articles, got {len(items)}",
            path=where,
        )
    return compare_analyses(_analysed(items, _settings(settings)))


ProgressFn = Callable[[str, int], None]
