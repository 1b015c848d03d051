"""The analysis pipeline: ordered components over one ``Work`` item per article.

Each component declares the layers it ``requires`` and ``assigns``; ``Pipeline`` checks the
order when it is built (spaCy's habit), so a mis-ordered pipeline fails at construction, not
halfway through a batch. Components work on batches so model-backed ones (the spaCy parse, the
sentence embedder) can pipe many articles at once.

A component that declares ``background = True`` (it spends its time in native code that
releases the GIL: the sentence embedder) runs, with every component after it, in worker
threads, one chunk of articles each, while the components before it work on the next chunk,
so a batch keeps both cores of a small machine busy.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.errors import PipelineError
from storyline.model import AnalyzedArticle, Article


@dataclass
class Work:
    """One article on its way through the pipeline.

    ``analysis`` is the frozen result built up layer by layer; ``doc`` holds the spaCy ``Doc``
    (token-level detail the components share) and never leaves the pipeline.
    """

    analysis: AnalyzedArticle
    doc: Any = None
    scratch: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.analysis.article.text

    def assign(self, layer: str, **values: Any) -> None:
        """Replace fields of the analysis and record ``layer`` as assigned."""
        layers = self.analysis.layers + ((layer,) if layer not in self.analysis.layers else ())
        self.analysis = dataclasses.replace(self.analysis, layers=layers, **values)


class Component(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def process(self, batch: Sequence[Work]) -> None:
        """Assign this component's layers on every item of the batch."""


class PerArticleComponent:
    """Base of components that compute one layer article by article.

    ``assigns[0]`` names the layer, the ``AnalyzedArticle`` field it fills, and the subclass
    method that computes it for one ``Work`` item (``quotes(work) -> list[Quote]``).
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def process(self, batch: Sequence[Work]) -> None:
        layer = self.assigns[0]
        compute = getattr(self, layer)
        for work in batch:
            work.assign(layer, **{layer: tuple(compute(work))})


# Articles per chunk when a batch overlaps its background components with the rest; smaller
# batches run in the calling thread. The first chunk's parse and the last chunk's embedding
# each run with the other core idle, so smaller chunks finish sooner: benchmarks/
# analysis_schedule.py replays this scheduler on two idle cores with the per-article CPU costs
# analysis_profile.py measured and finishes 45 NewsWCL50 articles in 6.7 s at chunks of 8
# against 8.0 s at 16 (4: 6.6 s), 100 ECB+ in 5.25 against 5.5, and a 12-article story in 2.2
# against 3.3 (one thread). spaCy then pipes batches of 8: the same parses
# (benchmarks/analysis_faithfulness.py), about 5 % more parse CPU than batches of 16.
OVERLAP_CHUNK = 8
# Chunks in the background at once. Two: on NewsWCL50 the embedder (f32) costs 0.19 CPU s per
# article and the parse and rules 0.13 (benchmarks/analysis_profile.py), so one background
# thread left the parsing core idle a third of the time; a third chunk would only queue.
BACKGROUND_WORKERS = 2


def _process(components: Sequence[Component], batch: Sequence[Work]) -> None:
    for comp in components:
        comp.process(batch)


class Pipeline:
    """An ordered, checked list of components."""

    def __init__(self, components: Iterable[Component]):
        self.components = list(components)
        available: set[str] = set()
        fields = {f.name for f in dataclasses.fields(AnalyzedArticle)} | {"doc"}
        for comp in self.components:
            unknown = [a for a in comp.assigns if a not in fields]
            if unknown:
                raise PipelineError(
                    f"component {comp.name!r} assigns {', '.join(unknown)}, "
                    f"which is no field of an analysis"
                )
            missing = [r for r in comp.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"component {comp.name!r} requires {', '.join(missing)}, "
                    f"which no earlier component assigns"
                )
            available.update(comp.assigns)
        self.assigns = available
        # Components from the first background one on run in the worker threads.
        self.split = next(
            (k for k, c in enumerate(self.components) if getattr(c, "background", False)),
            len(self.components),
        )

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def run(self, articles: Sequence[Article], overlap: bool = True) -> list[AnalyzedArticle]:
        """Analyse a batch of articles; ``overlap=False`` runs every component in this thread
        (the same results, for a process given one core, like a Ray worker)."""
        batch = [Work(AnalyzedArticle(article=a)) for a in articles]
        front, back = self.components[: self.split], self.components[self.split :]
        if not back or not overlap or len(batch) <= OVERLAP_CHUNK:
            _process(self.components, batch)
            return [w.analysis for w in batch]
        with ThreadPoolExecutor(BACKGROUND_WORKERS, "storyline-background") as pool:
            pending: deque = deque()
            for k in range(0, len(batch), OVERLAP_CHUNK):
                chunk = batch[k : k + OVERLAP_CHUNK]
                _process(front, chunk)
                while len(pending) >= BACKGROUND_WORKERS:  # memory stays bounded
                    pending.popleft().result()
                pending.append(pool.submit(_process, back, chunk))
            while pending:
                pending.popleft().result()
        return [w.analysis for w in batch]

    def __call__(self, article: Article) -> AnalyzedArticle:
        return self.run([article])[0]
