"""The ``parse`` component: one spaCy ``Doc`` per article, piped in batches."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.nlp.models import MODEL_NAME, load_nlp
from storyline.nlp.pipeline import Work

# Texts per nlp.pipe batch: larger batches amortise the model's per-call overhead.
PIPE_BATCH_SIZE = 16
# Below this many texts a second process costs more (fork + model copy) than it gains.
MULTIPROCESS_MIN_BATCH = 200


class ParseComponent:
    """Tokenise, tag, parse and find entities; assigns ``work.doc`` (layer "doc")."""

    name = "parse"
    requires: tuple[str, ...] = ()
    assigns = ("doc",)

    def __init__(self, model: str = MODEL_NAME, n_process: int = 1):
        self.model = model
        self.n_process = n_process

    def process(self, batch: Sequence[Work]) -> None:
        nlp = load_nlp(self.model)
        n_process = self.n_process if len(batch) >= MULTIPROCESS_MIN_BATCH else 1
        texts = [w.text for w in batch]
        for work, doc in zip(
            batch, nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE, n_process=n_process), strict=True
        ):
            work.doc = doc
            work.assign("doc")
