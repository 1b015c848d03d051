"""What the analysis is configured with: typed values ``service`` builds once from the settings
table (``storyline.settings``), so nlp never indexes a settings dict. The defaults are the
table's (a test checks they agree)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisOptions:
    """The embedder, its batch size and the languages analysed."""

    embedder: str = "minilm-fast"  # a name or alias of nlp/embeddings.py ("" for the default)
    batch_size: int = 32  # sentences per embedding batch
    languages: tuple[str, ...] = ("en",)  # lower-cased codes; empty: every language
