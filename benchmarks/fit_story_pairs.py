"""Fit the learned story similarity leave-one-corpus-out and score each set with the fit that
never saw it, beside the TF-IDF + time baseline and main's deep similarity, in the same run.

For each development set: its articles in replay order, the views of ``stories/pair_features``
and a batch average-linkage clustering of the whole set (what refinement does to its open
scope). Training pairs of a set: each article's ``NEAREST`` most similar articles by the
baseline's view (the pairs a clustering decides, of either label) and up to ``MAX_POSITIVES``
gold pairs; the sets weigh alike. The model is a logistic regression over the few features,
one for pairs of two headline-only articles and one for the rest (their cosines live on other
scales); each cut (log-odds) is the grid value with the best mean BCubed F1 over the *training*
sets of its kind. Headline pairs are also learned from the full-text sets' own titles (each set
read as headlines, ``NAME-titles``), so a fit without uci still sees headlines; a held-out set's
titles are held out with it.

Run: .venv/bin/python benchmarks/fit_story_pairs.py [--write] [--sets gva,ecbplus,...]
``--write`` stores the fit on all sets (and each leave-one-out fit) in
src/storyline/data/story_pairs.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from storyline.service import read_labelled
from storyline.stories import pair_features as pf
from storyline.stories import refine as deep
from storyline.stories.cluster import _is_short
from storyline.stories.evaluate import replay_order
from storyline.stories.metrics import bcubed
from storyline.stories.represent import Representer, cache_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
OUT = ROOT / "src" / "storyline" / "data" / "story_pairs.json"
SETS = {
    "gva": "gva/dev.jsonl",
    "ecbplus": "ecbplus/dev.jsonl",
    "uci": "uci_headlines/headlines.jsonl",
    "newswcl50": "newswcl50/articles.jsonl",
}
NEAREST = 10
MAX_POSITIVES = 20000
# Cuts tried, in log-odds of the regression.
CUTS = np.arange(-3.0, 3.01, 0.5)
# The baseline's cut: TF-IDF cosine 0.15 (distance 0.85, tuned once on ECB+ dev).
BASELINE_CUT = 0.15
BLOCK = 512
SEED = 10


class Set:
    """One labelled set read into views, with its gold labels."""

    def __init__(self, name: str, titles: bool = False):
        from storyline.nlp.embeddings import get_embedder

        articles, _ = read_labelled(DATA / SETS[name])
        self.articles = replay_order(articles)
        if titles:  # the set as a feed of headlines: each title alone (ingest's headline form)
            self.articles = [
                dataclasses.replace(a, text=a.title) for a in self.articles if a.title.strip()
            ]
            name = f"{name}-titles"
        representer = Representer()
        for a in self.articles:
            representer.represent(a)
        self.reps = [representer.represent(a, learn=False) for a in self.articles]
        texts = [deep.document_text(a) for a in self.articles]
        key = hashlib.sha1("\n\x00".join(texts).encode("utf-8")).hexdigest()[:16]
        path = cache_dir() / "story-views" / f"{name}-minilm-{key}.npy"
        if path.exists():
            doc = np.load(path)
        else:
            doc = np.asarray(get_embedder("minilm-fast").encode(texts), dtype=np.float32)
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, doc)
        self.doc = doc
        self.views = pf.read_scope(self.articles, self.reps, doc)
        self.gold = np.array([str(a.get("story")) for a in self.articles])
        self.short = np.array([_is_short(a) for a in self.articles])
        self.name = name
        self.base = name.removesuffix("-titles")

    def __len__(self) -> int:
        return len(self.articles)

    def training_pairs(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Features (pairs x F), labels and headline flags of the pairs a clustering decides."""
        n = len(self)
        sizes = np.unique(self.gold, return_counts=True)[1]
        keep = min(1.0, MAX_POSITIVES / max(float((sizes * (sizes - 1) / 2).sum()), 1.0))
        feats, labels, heads = [], [], []
        for start in range(0, n, BLOCK):
            rows = slice(start, min(start + BLOCK, n))
            block = pf.feature_block(self.views, rows)
            proxy = block[pf.FEATURES.index("body")].copy()
            idx = np.arange(rows.start, rows.stop)
            proxy[idx - start, idx] = -np.inf
            k = min(NEAREST, n - 1)
            near = np.argpartition(-proxy, k - 1, axis=1)[:, :k]
            r = np.repeat(np.arange(len(idx)), k)
            c = near.ravel()
            same = self.gold[idx, None] == self.gold[None, :]
            same &= np.arange(n)[None, :] > idx[:, None]
            pr, pc = np.nonzero(same & (rng.random(same.shape) < keep))
            r, c = np.concatenate([r, pr]), np.concatenate([c, pc])
            feats.append(block[:, r, c].T)
            labels.append(self.gold[idx[r]] == self.gold[c])
            heads.append(self.short[idx[r]] & self.short[c])
        return np.concatenate(feats), np.concatenate(labels), np.concatenate(heads)

    def scores(self, model: dict) -> np.ndarray:
        """The model's log-odds for every pair minus its regime's cut, plus 1 (n x n float32):
        1.0 is exactly at the cut, as ``refine.cluster`` reads it."""
        n = len(self)
        out = np.empty((n, n), dtype=np.float32)
        full, head = model["full"], model["head"]
        wf, wh = (np.asarray(m["weights"], dtype=np.float32) for m in (full, head))
        for start in range(0, n, BLOCK):
            rows = slice(start, min(start + BLOCK, n))
            block = pf.feature_block(self.views, rows)
            both = self.short[rows, None] & self.short[None, :]
            sf = np.tensordot(wf, block, axes=1) + (full["bias"] - full["cut"] + 1.0)
            sh = np.tensordot(wh, block, axes=1) + (head["bias"] - head["cut"] + 1.0)
            out[rows] = np.where(both, sh, sf)
        return out

    def baseline(self) -> np.ndarray:
        """TF-IDF cosine x time decay for every pair."""
        n = len(self)
        out = np.empty((n, n), dtype=np.float32)
        for start in range(0, n, BLOCK):
            rows = slice(start, min(start + BLOCK, n))
            sim = (self.views.body[rows] @ self.views.body.T).toarray()
            out[rows] = sim * pf.decay(self.views, rows)
        return out

    def main_deep(self) -> np.ndarray:
        """Main's deep similarity, relative to its cut (1.0 = at the cut)."""
        epochs = deep.epoch_array([a.published for a in self.articles])
        short = np.array([_is_short(a) for a in self.articles])
        return deep.similarity_matrix(self.reps, self.doc, epochs, short, deep.THRESHOLD, 72.0)

    def f1(self, normalised: np.ndarray) -> tuple[float, float, float, int]:
        """BCubed P, R, F1 and cluster count of average linkage cut at 1.0."""
        labels = np.empty(len(self), dtype=np.int64)
        groups = deep.cluster(normalised.copy())
        for g, members in enumerate(groups):
            labels[members] = g
        b = bcubed(labels.tolist(), self.gold.tolist())
        return b.precision, b.recall, b.f1, len(groups)


def fit(pairs: list[tuple[np.ndarray, np.ndarray]]) -> dict:
    """Logistic regression over the pooled pairs, each set weighing alike."""
    from sklearn.linear_model import LogisticRegression

    pairs = [p for p in pairs if len(p[1]) and p[1].any() and not p[1].all()]
    x = np.concatenate([p[0] for p in pairs])
    y = np.concatenate([p[1] for p in pairs])
    w = np.concatenate([np.full(len(p[1]), 1.0 / len(p[1])) for p in pairs]) * len(x)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y, sample_weight=w)
    return {"weights": model.coef_[0].tolist(), "bias": float(model.intercept_[0]), "cut": 0.0}


def fit_model(train: list[Set], pairs: dict) -> tuple[dict, dict]:
    """Both regimes' regressions and cuts from the training sets; their training F1."""
    model = {}
    for regime, wanted in (("head", True), ("full", False)):
        chosen = [
            (pairs[s.name][0][m], pairs[s.name][1][m])
            for s in train
            for m in [pairs[s.name][2] == wanted]
        ]
        model[regime] = fit(chosen)
    report = {}
    # the headline cut on the headline sets, then the full cut on the rest with it fixed
    for regime, sets in (
        ("head", [s for s in train if s.short.all()]),
        ("full", [s for s in train if not s.short.all()]),
    ):
        grid = {}
        for cut in CUTS:
            model[regime]["cut"] = float(cut)
            grid[float(cut)] = {s.name: s.f1(s.scores(model))[2] for s in sets}
        best = max(grid, key=lambda c: (np.mean(list(grid[c].values())), -abs(c)))
        model[regime]["cut"] = best
        report.update(grid[best])
    return model, report


def _show(model: dict) -> str:
    return "; ".join(
        f"{regime}: "
        + " ".join(f"{f}={w:+.2f}" for f, w in zip(pf.FEATURES, m["weights"], strict=True))
        + f" bias={m['bias']:+.2f} cut={m['cut']:+.2f}"
        for regime, m in model.items()
    )


def main() -> None:
    """Leave-one-corpus-out fits and scores per set, beside the baseline and main."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    names = args.sets.split(",")
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    sets = {n: Set(n) for n in names}
    for n in names:
        if not sets[n].short.all():
            titles = Set(n, titles=True)
            sets[titles.name] = titles
    pairs = {n: s.training_pairs(rng) for n, s in sets.items()}
    print(
        f"read {len(sets)} sets in {time.perf_counter() - started:.0f} s; pairs (pos/all): "
        + ", ".join(f"{n} {int(p[1].sum())}/{len(p[1])}" for n, p in pairs.items()),
        flush=True,
    )
    fits = {}
    for held in names:
        train = [s for s in sets.values() if s.base != held]
        model, train_f1 = fit_model(train, pairs)
        fits[f"without-{held}"] = model
        s = sets[held]
        cv = s.f1(s.scores(model))
        base = s.f1(s.baseline() / BASELINE_CUT)
        ours_main = s.f1(s.main_deep())
        print(
            f"{held:10} n={len(s):5d} gold={len(set(s.gold)):5d} | learned LOCO P/R/F1 "
            f"{cv[0]:.3f}/{cv[1]:.3f}/{cv[2]:.3f} ({cv[3]}) | baseline "
            f"{base[0]:.3f}/{base[1]:.3f}/{base[2]:.3f} ({base[3]}) | main deep "
            f"{ours_main[0]:.3f}/{ours_main[1]:.3f}/{ours_main[2]:.3f} ({ours_main[3]})",
            flush=True,
        )
        print(
            "           "
            + _show(model)
            + "; training F1 "
            + ", ".join(f"{n} {v:.3f}" for n, v in train_f1.items()),
            flush=True,
        )
    model, all_f1 = fit_model(list(sets.values()), pairs)
    fits["all"] = model
    print("all sets: in-sample F1 " + ", ".join(f"{n} {v:.3f}" for n, v in all_f1.items()))
    print("           " + _show(model))
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.write:
        OUT.write_text(json.dumps({"features": list(pf.FEATURES), "fits": fits}, indent=1))
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
