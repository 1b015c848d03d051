"""The deep similarity across languages: pairs that involve a non-English article.

English pairs keep refinement's similarity (``refine.deep_score``, MiniLM lead cosine). A pair
with an article in another language reads the multilingual Universal Sentence Encoder's lead
cosine instead (MiniLM is English-only: SemEval-2022 cross-language Pearson 0.40 against
USE's 0.70), mapped onto MiniLM's cosine scale, blended with the term and name views, and
calibrated onto the English deep score's scale so that one cut means the same in every
language: a pair's score is moved to where an English pair of the same human similarity sits.

    raw = WEIGHTS[0] x terms + WEIGHTS[1] x names + WEIGHTS[2] x (USE_SCALE x USE cos + USE_SHIFT)
    score = scale x raw + shift        (one (scale, shift) for cross-language pairs, one for
                                        two articles in the same non-English language)

``fit`` learns the weights (from ``WEIGHT_GRID``) and both calibrations from labelled pairs;
``benchmarks/fit_language_calibration.py`` runs it on SemEval-2022 Task 8 train and prints the
constants below, and ``storyline eval similarity`` scores it cross-validated (k-fold by pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Languages read as English: "" is what language detection says of a text too short to tell
# (headlines), which the engine has always clustered as English.
ENGLISH = frozenset({"en", ""})
# USE cosine onto MiniLM's scale: least squares of MiniLM lead cosine on USE cosine
# (``lead_vectors``) over the 161 English SemEval-2022 train pairs (no labels read).
USE_SCALE = 1.061
USE_SHIFT = -0.091
# Candidate (terms, names, lead) weights; ``fit`` keeps the one whose calibrated score
# correlates best with the labels. The first is refinement's own blend.
WEIGHT_GRID = ((0.3, 0.3, 0.4), (0.2, 0.2, 0.6), (0.1, 0.1, 0.8), (0.0, 0.0, 1.0))
# Characters of the body that stand in for a missing headline in ``opening``.
OPENING_CHARS = 200
# Folds of the cross-validation by pair in ``storyline eval similarity``.
FOLDS = 5


@dataclass(frozen=True)
class Calibration:
    """The multilingual route's view weights and its two linear maps onto the English scale."""

    weights: tuple[float, float, float]  # terms, names, USE lead cosine
    cross: tuple[float, float]  # (scale, shift) for two different languages
    same: tuple[float, float]  # (scale, shift) for two articles in one non-English language


# Fitted by benchmarks/fit_language_calibration.py on all 1,283 SemEval-2022 train pairs; four
# of its five cross-validation folds chose the same weights (5-fold Pearson: all pairs 0.725,
# cross-language 0.726, same-language non-English 0.709, against 0.556 / 0.537 / 0.607 for
# MiniLM on every pair in the same run; en-en pairs keep MiniLM, 0.816).
SHIPPED = Calibration(weights=(0.1, 0.1, 0.8), cross=(1.231, -0.106), same=(1.105, -0.116))


def routes(rows: Sequence[str], columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(multilingual, cross-language) boolean masks of the pairs of two lists of languages."""
    a = np.array([x if x not in ENGLISH else "en" for x in rows], dtype=object)
    b = np.array([x if x not in ENGLISH else "en" for x in columns], dtype=object)
    cross = a[:, None] != b[None, :]
    return (a != "en")[:, None] | (b != "en")[None, :], cross


def pair_route(a: str, b: str) -> str:
    """"en" (both English or unknown), "cross" (two languages) or "same" (one other)."""
    a, b = ("en" if a in ENGLISH else a), ("en" if b in ENGLISH else b)
    if a == b == "en":
        return "en"
    return "same" if a == b else "cross"


def needs_vectors(languages: Sequence[str]) -> bool:
    """Whether a set of articles holds a multilingual pair (a non-English article)."""
    return any(x not in ENGLISH for x in languages)


def raw_score(terms, names, use_cos, weights: tuple[float, float, float]):
    """The multilingual blend before calibration (floats or numpy arrays alike)."""
    lead = USE_SCALE * np.asarray(use_cos) + USE_SHIFT
    return weights[0] * np.asarray(terms) + weights[1] * np.asarray(names) + weights[2] * lead


def score(terms, names, use_cos, cross, calibration: Calibration = SHIPPED):
    """The multilingual pairs' deep similarity on the English deep score's scale."""
    raw = raw_score(terms, names, use_cos, calibration.weights)
    (cs, cb), (ss, sb) = calibration.cross, calibration.same
    return np.where(cross, cs * raw + cb, ss * raw + sb)


def _line(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    slope, intercept = np.polyfit(y, x, 1)
    return float(slope), float(intercept)


def fit(views: np.ndarray, english: np.ndarray, route: np.ndarray, target: np.ndarray
        ) -> Calibration:
    """Weights and calibrations from labelled pairs: ``views`` [n, 3] (terms, names, USE cos),
    ``english`` the English deep score, ``route`` "en" / "cross" / "same", ``target`` the
    human similarity (higher = closer). Each route's score is regressed on the target, and its
    line is mapped onto the English line; the weights are the grid's best by Pearson."""
    p, q = _line(target[route == "en"], english[route == "en"])
    best, best_r = None, -np.inf
    for weights in WEIGHT_GRID:
        raw = raw_score(views[:, 0], views[:, 1], views[:, 2], weights)
        maps = {}
        for name in ("cross", "same"):
            mask = route == name
            r, s = _line(target[mask], raw[mask]) if mask.sum() > 2 else (p, q)
            r = r if abs(r) > 1e-9 else p
            maps[name] = (p / r, q - p * s / r)
        calibration = Calibration(weights, maps["cross"], maps["same"])
        scores = np.where(route == "en", english,
                          score(views[:, 0], views[:, 1], views[:, 2], route == "cross",
                                calibration))
        corr = float(np.corrcoef(scores, target)[0, 1])
        if corr > best_r:
            best, best_r = calibration, corr
    return best


def cross_validated(views: np.ndarray, english: np.ndarray, route: np.ndarray,
                    target: np.ndarray, folds: int = FOLDS) -> tuple[np.ndarray, list]:
    """Out-of-fold scores (each pair scored by a fit without its fold) and the folds' fits."""
    fold = np.arange(len(target)) % folds
    rng = np.random.default_rng(0)
    rng.shuffle(fold)
    out = english.astype(np.float64).copy()
    fits = []
    for k in range(folds):
        train, test = fold != k, (fold == k) & (route != "en")
        calibration = fit(views[train], english[train], route[train], target[train])
        fits.append(calibration)
        out[test] = score(views[test, 0], views[test, 1], views[test, 2],
                          route[test] == "cross", calibration)
    return out, fits


def opening(article) -> str:
    """The article's headline, or its first OPENING_CHARS characters where it has none."""
    from storyline.stories.represent import body

    return (article.title or "").strip() or body(article, OPENING_CHARS)[:OPENING_CHARS].strip()


def lead_vectors(articles: Sequence) -> np.ndarray:
    """Multilingual vectors of the articles: the unit sum of the lead's (the text MiniLM's
    document vector reads) and the opening's (``opening``). SemEval-2022 train (2,566 texts,
    388 with a headline split off), USE cosine alone, all pairs / cross-language: the lead
    0.713 / 0.704, lead + opening 0.730 / 0.722, the title and 2,000 lead characters 0.706 /
    0.700; the openings cost a quarter of the leads' encoding time."""
    from storyline.nlp.embeddings import get_multilingual_embedder, normalize_rows
    from storyline.stories.refine import document_text

    embedder = get_multilingual_embedder()
    leads = embedder.encode([document_text(a) for a in articles])
    return normalize_rows(leads + embedder.encode([opening(a) for a in articles]))


def cached_vectors(articles: Sequence, cache: dict[str, np.ndarray]) -> np.ndarray | None:
    """The articles' multilingual lead vectors, encoding only those not in ``cache`` (which
    keeps them), when the articles hold a non-English one; else None (nothing computed)."""
    if not needs_vectors([a.language for a in articles]):
        return None
    missing = [a for a in articles if a.id not in cache]
    if missing:
        cache.update(zip((a.id for a in missing), lead_vectors(missing), strict=True))
    return np.stack([cache[a.id] for a in articles])
