"""What every use case shares: the settings it runs with, and what counts as an article."""

from __future__ import annotations

from pathlib import Path

from storyline.model import AnalyzedArticle, Article
from storyline.settings import load_settings

ArticleLike = Article | AnalyzedArticle | str | Path


def resolve(settings: dict | None) -> dict:
    """The given settings, or the ones loaded from file and environment."""
    return load_settings() if settings is None else settings

