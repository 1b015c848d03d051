"""Faithfulness of the analysis: every field of every article's analysis, against a record.

Run (record on the reference code, e.g. main's, then check after each speed change):
  PYTHONPATH=/work/main/src .venv/bin/python benchmarks/analysis_faithfulness.py record OUT
  PYTHONPATH=$PWD/src       .venv/bin/python benchmarks/analysis_faithfulness.py check OUT

OUT is a directory outside the repository (the record holds article-derived spans). The sets are
NewsWCL50 (all 45 articles) and a seeded sample of ECB+ dev, read as ``ingest`` reads them and
analysed through ``service.analyse_many`` in one batch per set (``--batch`` splits it). Per
article, the layers sentences (with their boilerplate flags), mentions (with their name keys),
quantities, times, quotes, attributions (the sources), statements and descriptions are hashed
as ``to_dict`` JSON; a changed hash prints the first differing item. Embeddings are compared by
cosine per sentence against the recorded vectors and against the fp32 reference embedder
(``minilm-fp32``, computed at record time); the check fails below ``COSINE_FLOOR``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
LAYERS = (
    "sentences",
    "mentions",
    "quantities",
    "times",
    "quotes",
    "attributions",
    "statements",
    "descriptions",
)
# The floor the issue sets for a faster embedding path: cosine per sentence against fp32.
COSINE_FLOOR = 0.99
SETS = {
    "newswcl50": (SHARED / "newswcl50" / "articles.jsonl", None),
    "ecbplus-dev": (SHARED / "ecbplus" / "dev.jsonl", 100),
}


def load_set(path: Path, sample: int | None):
    """The set's articles as ingest reads them, a seeded sample when ``sample`` is set."""
    from storyline.service.reading import read_labelled

    articles, _ = read_labelled(path)
    if sample and len(articles) > sample:
        articles = random.Random(0).sample(articles, sample)
    return articles


def analyse_set(articles, batch: int | None):
    """Analyses of the articles through the service, in batches of ``batch`` (all at once)."""
    from storyline.service.analysis import analyse_many

    size = batch or len(articles)
    out = []
    for i in range(0, len(articles), size):
        out.extend(analyse_many(articles[i : i + size]))
    return out


def fingerprint(analysis) -> dict:
    """Per layer: (sha256 of its JSON, the JSON items) for one analysis."""
    from storyline.model import to_dict

    out = {}
    for layer in LAYERS:
        items = [json.dumps(to_dict(x), sort_keys=True) for x in getattr(analysis, layer)]
        digest = hashlib.sha256("\n".join(items).encode()).hexdigest()
        out[layer] = {"sha256": digest, "items": items}
    return out


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two [n, dim] arrays of (near) unit rows."""
    if a.shape != b.shape:
        return np.full(max(len(a), len(b)), -1.0)
    na = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return (a * b).sum(axis=1) / np.maximum(na, 1e-12)


def record(out: Path, batch: int | None) -> int:
    from storyline.nlp.embeddings import get_embedder

    out.mkdir(parents=True, exist_ok=True)
    fp32 = get_embedder("minilm-fp32")
    for name, (path, sample) in SETS.items():
        articles = load_set(path, sample)
        analyses = analyse_set(articles, batch)
        prints = {a.article.id: fingerprint(a) for a in analyses}
        vectors = {a.article.id: np.asarray(a.vectors, np.float32) for a in analyses}
        ref = {
            a.article.id: fp32.encode([a.article.text[s.start : s.end] for s in a.sentences])
            for a in analyses
        }
        (out / f"{name}.json").write_text(json.dumps(prints), encoding="utf-8")
        np.savez(out / f"{name}-vectors.npz", **vectors)
        np.savez(out / f"{name}-fp32.npz", **ref)
        print(f"{name}: recorded {len(analyses)} analyses")
    return 0


def check(out: Path, batch: int | None) -> int:
    failed = 0
    for name, (path, sample) in SETS.items():
        prints = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        recorded = np.load(out / f"{name}-vectors.npz")
        ref = np.load(out / f"{name}-fp32.npz")
        analyses = analyse_set(load_set(path, sample), batch)
        changed: dict[str, int] = {}
        vs_rec, vs_ref = [], []
        for a in analyses:
            aid = a.article.id
            now = fingerprint(a)
            for layer in LAYERS:
                if now[layer]["sha256"] != prints[aid][layer]["sha256"]:
                    changed[layer] = changed.get(layer, 0) + 1
                    old_items, new_items = prints[aid][layer]["items"], now[layer]["items"]
                    diff = next(
                        (
                            (o, n)
                            for o, n in zip(old_items, new_items, strict=False)
                            if o != n
                        ),
                        (len(old_items), len(new_items)),
                    )
                    print(f"  {name} {aid} {layer}: {diff}")
            vec = np.asarray(a.vectors, np.float32)
            vs_rec.append(cosines(vec, recorded[aid]))
            vs_ref.append(cosines(vec, ref[aid]))
        rec_c, ref_c = np.concatenate(vs_rec), np.concatenate(vs_ref)
        bad = bool(changed) or rec_c.min() < COSINE_FLOOR or ref_c.min() < COSINE_FLOOR
        failed += bad
        print(
            f"{name} ({len(analyses)} articles, {len(rec_c)} sentences): "
            f"layers changed {changed or 'none'}; cosine vs recorded min {rec_c.min():.7f} "
            f"mean {rec_c.mean():.7f}; vs fp32 min {ref_c.min():.7f} mean {ref_c.mean():.7f}"
            f" -> {'FAIL' if bad else 'same'}",
            flush=True,
        )
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "check"))
    parser.add_argument("out", type=Path, help="record directory, outside the repository")
    parser.add_argument("--batch", type=int, default=None, help="articles per analyse_many")
    args = parser.parse_args()
    return (record if args.mode == "record" else check)(args.out, args.batch)


if __name__ == "__main__":
    sys.exit(main())
