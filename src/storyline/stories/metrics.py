"""Clustering and correlation metrics, computed from contingency counts (no pair enumeration)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


def _contingency(
    predicted: Sequence[Hashable], gold: Sequence[Hashable]
) -> tuple[Counter, Counter, Counter]:
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold labels")
    return Counter(zip(predicted, gold, strict=True)), Counter(predicted), Counter(gold)


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """BCubed precision/recall/F1 (Bagga & Baldwin 1998), averaged over items."""
    cells, pred_sizes, gold_sizes = _contingency(predicted, gold)
    n = len(predicted)
    if n == 0:
        return PRF(0.0, 0.0, 0.0)
    # Each of the n_ij items in a cell has precision n_ij / |cluster| and recall n_ij / |class|.
    precision = sum(c * c / pred_sizes[p] for (p, _), c in cells.items()) / n
    recall = sum(c * c / gold_sizes[g] for (_, g), c in cells.items()) / n
    return PRF.of(precision, recall)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Pairwise precision/recall/F1 over same-cluster pairs, from contingency counts."""
    cells, pred_sizes, gold_sizes = _contingency(predicted, gold)
    together = sum(_pairs(c) for c in cells.values())
    predicted_pairs = sum(_pairs(c) for c in pred_sizes.values())
    gold_pairs = sum(_pairs(c) for c in gold_sizes.values())
    # No pairs predicted (all singletons) means no false merges: precision 1 by convention.
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return PRF.of(precision, recall)


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation of two equal-length sequences (0.0 if either is constant)."""
    if len(x) != len(y):
        raise ValueError(f"{len(x)} values against {len(y)}")
    n = len(x)
    if n < 2:
        return 0.0
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)
