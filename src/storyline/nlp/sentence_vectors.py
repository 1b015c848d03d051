"""Sentence vectors computed once per distinct text, within a batch and across batches.

An agency story carried by several outlets, a syndicated copy re-analysed under another outlet's
name, and repeated page lines ("Fanning said.") are the same sentence text: its vector is the
model's for that text, so it is computed once and copied. The cache is bounded (least recently
used rows leave first) and shared by the threads that embed chunks of one pipeline.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

# Rows kept across batches: 20,000 x 384 float32 = 30 MB, about a day of sentences from a few
# hundred feeds, so a story's copies met across ingest batches are embedded once. The benchmark
# sets themselves repeat little within a batch (NewsWCL50 9 of 1,429 sentences, ECB+ dev sample
# of 100 18 of 1,481: benchmarks/analysis_profile.py prints the figure).
CACHE_ROWS = 20_000


class SentenceVectors:
    """A bounded, thread-safe map of sentence text to its vector row."""

    def __init__(self, rows: int = CACHE_ROWS):
        self.rows = rows
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    def encode(self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray],
               dim: int) -> np.ndarray:
        """[len(texts), dim] rows: cached ones copied, each other distinct text encoded once."""
        out = np.zeros((len(texts), dim), np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for k, text in enumerate(texts):
                row = self._rows.get(text)
                if row is not None:
                    self._rows.move_to_end(text)
                    out[k] = row
                    self.hits += 1
                else:
                    todo.setdefault(text, []).append(k)
            self.misses += len(todo)
            self.hits += sum(len(ks) - 1 for ks in todo.values())
        if not todo:
            return out
        fresh = list(todo)
        vectors = np.asarray(encode(fresh), np.float32)
        with self._lock:
            for text, row in zip(fresh, vectors, strict=True):
                out[todo[text]] = row
                if self.rows > 0:
                    self._rows[text] = row.copy()
            while len(self._rows) > self.rows:
                self._rows.popitem(last=False)
        return out
