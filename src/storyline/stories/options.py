"""What story tracking is configured with: typed values ``service`` builds once from the
settings table (``storyline.settings``), so stories never indexes a settings dict. The defaults
are the table's (a test checks they agree)."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.errors import SettingError


@dataclass(frozen=True)
class StoryOptions:
    """How the story engine joins articles into stories and refines them."""

    threshold: float = 0.65  # similarity at which an article joins an open story
    window_hours: float = 72.0  # time-decay scale of story similarity
    refine: bool = True  # re-cluster open stories with document embeddings after ingest
    refine_threshold: float = 0.36  # deep similarity at which refinement joins articles
    embedder: str = "minilm-fast"  # the sentence embedder refinement's lead vectors use

    def __post_init__(self) -> None:
        if self.window_hours <= 0:  # the similarity's time decay divides by it
            raise SettingError(f"story_window_hours must be positive, got {self.window_hours}")


@dataclass(frozen=True)
class TrackOptions:
    """The store a Tracker keeps in step, how long it waits for the writer lease, and its
    story engine's options."""

    store: str = "storyline.db"  # a SQLite path or a postgresql:// URL
    writer_timeout: float = 300.0  # seconds to wait while another process writes (0: refuse)
    stories: StoryOptions = field(default_factory=StoryOptions)
