"""Fit the multilingual route's weights and calibration (``stories/multilingual.py``) on a
SemEval-2022 Task 8 style CSV, and print them beside their 5-fold cross-validated Pearson and
today's MiniLM-only deep similarity, in the same run.

    python benchmarks/fit_language_calibration.py ../shared/data/semeval2022_task8/train.csv

Paste the printed ``SHIPPED`` line into ``stories/multilingual.py``. The USE -> MiniLM cosine
map (USE_SCALE, USE_SHIFT) is printed too: a least-squares line over the English pairs, which
reads no labels.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from storyline.stories import multilingual
from storyline.stories.cluster import StoryEngine
from storyline.stories.evaluate import read_pairs
from storyline.stories.metrics import pearson
from storyline.stories.represent import cosine


def main(path: str) -> None:
    """Fit on every pair, cross-validate, print."""
    pairs = read_pairs(path)
    engine = StoryEngine()
    for a, b, _ in pairs:
        engine.representer.represent(a)
        engine.representer.represent(b)
    articles = [x for a, b, _ in pairs for x in (a, b)]
    started = time.perf_counter()
    docs = engine.document_vectors(articles)
    minilm_seconds = time.perf_counter() - started
    started = time.perf_counter()
    multi = multilingual.lead_vectors(articles)
    use_seconds = time.perf_counter() - started
    route = np.array([multilingual.pair_route(a.language, b.language) for a, b, _ in pairs])
    target = np.array([-o for _, _, o in pairs])
    english, views, minilm_cos = [], [], []
    for n, (a, b, _) in enumerate(pairs):
        english.append(engine.similarity(a, b, (docs[2 * n], docs[2 * n + 1])))
        ra = engine.representer.represent(a, learn=False)
        rb = engine.representer.represent(b, learn=False)
        views.append((cosine(ra.terms, rb.terms), cosine(ra.names, rb.names),
                      float(multi[2 * n] @ multi[2 * n + 1])))
        minilm_cos.append(float(docs[2 * n] @ docs[2 * n + 1]))
    views, english = np.array(views), np.array(english)
    en = route == "en"
    scale, shift = np.polyfit(views[en, 2], np.array(minilm_cos)[en], 1)
    print(f"{len(pairs)} pairs ({en.sum()} en-en, {(route == 'cross').sum()} cross-language, "
          f"{(route == 'same').sum()} same-language non-English)")
    print(f"encode: MiniLM {len(articles) / minilm_seconds:.0f} texts/s, "
          f"USE {len(articles) / use_seconds:.0f} texts/s")
    print(f"USE -> MiniLM cosine over en-en pairs: USE_SCALE = {scale:.3f}, "
          f"USE_SHIFT = {shift:.3f}")
    fitted = multilingual.fit(views, english, route, target)
    print(f"SHIPPED = Calibration(weights={fitted.weights}, "
          f"cross=({fitted.cross[0]:.3f}, {fitted.cross[1]:.3f}), "
          f"same=({fitted.same[0]:.3f}, {fitted.same[1]:.3f}))")
    scores, fits = multilingual.cross_validated(views, english, route, target)
    print("folds chose weights:", [f.weights for f in fits])
    print(f"{'pairs':<28}{'today (MiniLM)':>16}{'multilingual, CV':>18}")
    for name, mask in (("en-en", en), ("all", np.ones_like(en)),
                       ("cross-language", route == "cross"),
                       ("same-language non-English", route == "same")):
        print(f"{name:<28}{pearson(english[mask].tolist(), target[mask].tolist()):>16.3f}"
              f"{pearson(scores[mask].tolist(), target[mask].tolist()):>18.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/semeval2022_task8/train.csv")
