"""Scoring the engine's findings against hand-labelled gold (pure functions over plain data)."""

from storyline.evaluation.comparison import (
    ComparisonReport,
    GoldEvent,
    KindScore,
    parse_gold,
    read_gold,
    score_comparison,
    score_event,
)
from storyline.evaluation.wording import WordingReport, read_babe, score_wording

__all__ = [
    "ComparisonReport",
    "GoldEvent",
    "KindScore",
    "parse_gold",
    "read_gold",
    "score_comparison",
    "score_event",
    "score_wording",
    "read_babe",
    "WordingReport",
]
