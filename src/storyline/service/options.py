"""The lower layers' typed options, built from resolved settings (``storyline.settings``).

Settings stay one table (names, defaults, help; file -> environment -> CLI); each use case
builds the options the layers it calls take, here, once, and no layer below reads the table."""

from __future__ import annotations

from storyline.ingest.options import FetchOptions, ReadOptions
from storyline.nlp.options import AnalysisOptions
from storyline.stories.options import StoryOptions, TrackOptions


def read_options(settings: dict) -> ReadOptions:
    """What ingest's readers may read."""
    return ReadOptions(max_bytes=int(settings["max_bytes"]), max_chars=int(settings["max_chars"]))


def fetch_options(settings: dict) -> FetchOptions:
    """How ingest's fetch reaches the network."""
    return FetchOptions(
        max_bytes=int(settings["max_bytes"]),
        timeout=float(settings["fetch_timeout"]),
        user_agent=str(settings["user_agent"]),
        allow_private_urls=bool(settings["allow_private_urls"]),
        host_delay=float(settings["host_delay"]),
    )


def analysis_options(settings: dict) -> AnalysisOptions:
    """The analysis pipeline's embedder and the languages it accepts."""
    codes = (c.strip().lower() for c in str(settings["languages"]).split(","))
    return AnalysisOptions(
        embedder=str(settings["embedder"]),
        batch_size=int(settings["batch_size"]),
        languages=tuple(dict.fromkeys(c for c in codes if c)),
    )


def story_options(settings: dict) -> StoryOptions:
    """The story engine's thresholds, window and refinement."""
    return StoryOptions(
        threshold=float(settings["story_threshold"]),
        window_hours=float(settings["story_window_hours"]),
        refine=bool(settings["story_refine"]),
        refine_threshold=float(settings["story_refine_threshold"]),
        embedder=str(settings["embedder"]),
    )


def track_options(settings: dict) -> TrackOptions:
    """A Tracker's store, writer lease timeout and story engine."""
    return TrackOptions(
        store=str(settings["store"]),
        writer_timeout=float(settings["writer_timeout"]),
        stories=story_options(settings),
    )
