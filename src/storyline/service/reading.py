"""Reading articles as ingest reads them: files, dumps, folders, feeds and URLs."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from storyline.model import AnalyzedArticle, Article
from storyline.service.common import ArticleLike, resolve
from storyline.service.options import fetch_options, read_options

log = logging.getLogger(__name__)


def read_articles(paths: Iterable[str | Path], settings: dict | None = None) -> list[Article]:
    """Read one article from each file (text or HTML); errors name the file."""
    from storyline.ingest import read_article

    options = read_options(resolve(settings))
    return [read_article(Path(p), options) for p in paths]


def read_labelled(path: str | Path, settings: dict | None = None) -> tuple[list[Article], int]:
    """The articles of a labelled JSONL/CSV dump as ingest reads them, and how many records it
    skipped (duplicate ids, records without text, bad JSON: each reason is logged)."""
    from storyline.ingest import Skip, read_path

    articles, skipped = [], 0
    for item in read_path(Path(path), read_options(resolve(settings))):
        if isinstance(item, Skip):
            log.info("skipped %s:%s: %s", item.source, item.line, item.reason)
            skipped += 1
        else:
            articles.append(item)
    return articles, skipped


def read_for_comparison(
    items: Sequence[ArticleLike], settings: dict | None = None
) -> list[Article | AnalyzedArticle]:
    """What ``compare`` compares, read as ``ingest`` reads it: a file is its articles (a JSONL
    or CSV dump or a feed holds several), a folder its files, a URL its page or feed. Bad
    records inside a dump are skipped with their reason logged."""
    from storyline.ingest import Skip, expand_sources, read_path, read_url

    s = resolve(settings)
    reading, fetching = read_options(s), fetch_options(s)
    out: list[Article | AnalyzedArticle] = []
    for item in items:
        if isinstance(item, (Article, AnalyzedArticle)):
            out.append(item)
            continue
        for source in expand_sources([str(item)], reading):
            read = (
                read_url(source.location, reading, fetching)
                if source.kind == "url"
                else read_path(Path(source.location), reading)
            )
            for got in read:
                if isinstance(got, Skip):
                    log.warning("skipped %s:%s: %s", got.source, got.line, got.reason)
                else:
                    out.append(got)
    return out
