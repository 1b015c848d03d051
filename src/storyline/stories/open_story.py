"""An open story of the incremental engine: its members and the sums its similarity reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from storyline.model import Article
from storyline.stories.represent import Representation


@dataclass
class OpenStory:
    """An open story's members and the sums its similarity reads (the engine's own state)."""

    id: str
    article_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    terms: dict[str, float] = field(default_factory=dict)  # sum of member tf-idf vectors
    terms_sq: float = 0.0  # squared norm of ``terms``
    names: dict[str, float] = field(default_factory=dict)  # sum of member name vectors
    names_sq: float = 0.0  # squared norm of ``names``
    dense: np.ndarray | None = None  # sum of member dense vectors
    dense_norm: float = 0.0  # L2 norm of ``dense``, kept so scoring need not recompute it
    members: list[int] = field(default_factory=list)  # index ids of member articles
    label: str = ""  # fixed when the story closes
    open: bool = True

    def add(self, article: Article, rep: Representation, index_id: int) -> None:
        """Take one member article into the story's lists and sums."""
        self.article_ids.append(article.id)
        self.titles.append(article.title or article.text[:120])
        if article.outlet and article.outlet not in self.outlets:
            self.outlets.append(article.outlet)
        when = article.published
        if when is not None:
            if self.first_seen is None or when < self.first_seen:
                self.first_seen = when
            if self.last_seen is None or when > self.last_seen:
                self.last_seen = when
        for t, v in rep.terms.items():
            old = self.terms.get(t, 0.0)
            self.terms[t] = old + v
            self.terms_sq += (old + v) ** 2 - old * old
        for n, v in rep.names.items():
            old = self.names.get(n, 0.0)
            self.names[n] = old + v
            self.names_sq += (old + v) ** 2 - old * old
        self.dense = rep.dense.copy() if self.dense is None else self.dense + rep.dense
        self.dense_norm = float(np.sqrt(self.dense @ self.dense))
        self.members.append(index_id)


def story_record(s) -> dict:
    """An open story's state as JSON-ready fields (the snapshot's and the stored parts')."""
    return {
        "id": s.id, "article_ids": s.article_ids, "titles": s.titles, "outlets": s.outlets,
        "first_seen": s.first_seen.isoformat() if s.first_seen else None,
        "last_seen": s.last_seen.isoformat() if s.last_seen else None,
        "terms": s.terms, "names": s.names, "members": s.members, "label": s.label,
        "open": s.open,
    }
