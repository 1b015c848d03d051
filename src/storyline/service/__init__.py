"""The use cases: read, analyse, compare, ingest, cluster, correct, evaluate. Interfaces call
only this.

Each function takes plain values (paths, articles, a settings dict) and returns model objects,
so the CLI, the JSON API and the web UI share one implementation. The layers below take typed
options built here from the settings (``options``), never the settings dict. One module per
use case: ``reading``, ``analysis``, ``comparing``, ``ingesting``, ``stories``, ``evaluating``.
"""

from storyline.service.analysis import analyse, analyse_many
from storyline.service.backfill import BackfillReport, backfill
from storyline.service.common import ArticleLike
from storyline.service.comparing import compare, compare_story
from storyline.service.evaluating import (
    evaluate_attribution,
    evaluate_clustering,
    evaluate_comparison,
    evaluate_similarity,
    evaluate_wording,
)
from storyline.service.ingesting import ingest, refine, watch
from storyline.service.reading import read_articles, read_for_comparison, read_labelled
from storyline.service.stories import (
    StoryView,
    get_story,
    list_corrections,
    list_stories,
    merge_stories,
    move_article,
    split_story,
)
from storyline.stories.tracker import IngestReport, Tracker

__all__ = [
    "ArticleLike",
    "BackfillReport",
    "IngestReport",
    "StoryView",
    "Tracker",
    "analyse",
    "analyse_many",
    "backfill",
    "compare",
    "compare_story",
    "evaluate_attribution",
    "evaluate_clustering",
    "evaluate_comparison",
    "evaluate_similarity",
    "evaluate_wording",
    "get_story",
    "ingest",
    "list_corrections",
    "list_stories",
    "merge_stories",
    "move_article",
    "read_articles",
    "read_for_comparison",
    "read_labelled",
    "refine",
    "split_story",
    "watch",
]
