"""Articles per second of the full analysis, beside the full spaCy pipeline and a reference tree.

Run: .venv/bin/python benchmarks/analysis_throughput.py [--sample 100] [--reference SRC]
     [--also EMBEDDER]
Each measurement runs in a fresh process (``PYTHONPATH`` = this tree's ``src``, or ``SRC`` for
the reference, e.g. ``/work/main/src``), the two taking turns per set so they share the machine's
load. Per set (NewsWCL50, 45 articles; a seeded sample of ECB+ dev, read as ingest reads them)
it prints articles/s and CPU seconds per article (every thread of the process) of:
the unmodified ``en_core_web_sm`` pipeline (every component, ``nlp.pipe``, no embeddings), the
full analysis (``service.analyse_many``: every layer and the sentence embeddings) of this tree
and of the reference (and of this tree with the embedder ``--also``), then the same texts again
as copies under other outlets' names (syndication), and the CPU-bound ceiling (articles/s if
every core of the machine ran the analysis at its measured CPU s per article). Model load time
(spaCy, then the sentence embedder) is measured apart, before the timed runs. The machine is shared
with other work: CPU s/article is the steadier figure, articles/s the one users see.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
# The machine's cores: articles/s if every core ran the analysis at its measured CPU cost.
CORES = os.cpu_count() or 1
SETS = {
    "newswcl50": (SHARED / "newswcl50" / "articles.jsonl", None),
    "ecbplus-dev": (SHARED / "ecbplus" / "dev.jsonl", 100),
}


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, sample: int | None, spacy_baseline: bool) -> dict:
    """One set's figures in this process: load times, then the timed runs."""
    from storyline.nlp.embeddings import get_embedder
    from storyline.nlp.models import MODEL_NAME, load_nlp
    from storyline.service.analysis import analyse_many
    from storyline.service.reading import read_labelled
    from storyline.settings import load_settings

    path, default_sample = SETS[name]
    articles, _ = read_labelled(path)
    size = default_sample and sample
    if size and len(articles) > size:
        articles = random.Random(0).sample(articles, size)
    out: dict = {"articles": len(articles)}
    out["spacy_load"], _ = timed(load_nlp)
    out["embedder_load"], _ = timed(lambda: get_embedder(load_settings()["embedder"]))
    analyse_many(articles[:1])  # builds the pipeline; every model is loaded after this
    out["full"] = timed(lambda: analyse_many(articles))
    # The same texts again under other outlets' names: syndicated copies met in a later batch.
    copies = [dataclasses.replace(a, id=f"copy-{a.id}", outlet=f"copy of {a.outlet}")
              for a in articles]
    out["copies"] = timed(lambda: analyse_many(copies))
    if spacy_baseline:
        import spacy

        baseline = spacy.load(MODEL_NAME)
        texts = [a.text for a in articles]
        list(baseline.pipe(texts[:1]))
        out["spacy"] = timed(lambda: list(baseline.pipe(texts, batch_size=16)))
    return out


def run(src: Path, name: str, sample: int, spacy_baseline: bool, embedder: str = "") -> dict:
    """``measure`` in a fresh process over the tree at ``src`` (with that embedder if set)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    if embedder:
        env["STORYLINE_EMBEDDER"] = embedder
    cmd = [sys.executable, __file__, "--measure", name, "--sample", str(sample)]
    if spacy_baseline:
        cmd.append("--spacy")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def rate(n: int, figures: list[float]) -> str:
    wall, cpu = figures
    return f"{n / wall:6.2f} art/s {cpu / n:6.3f} CPU s/art"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100, help="ECB+ articles to sample")
    parser.add_argument("--reference", type=Path, help="src directory of the reference tree")
    parser.add_argument("--also", help="another embedder to measure this tree with")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--spacy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.sample, args.spacy)))
        return 0

    for k, name in enumerate(SETS):
        if not SETS[name][0].exists():
            print(f"{name}: missing, skipped")
            continue
        # Alternate which tree goes first, so neither always meets the same load.
        order = ["ours", "also", "reference"]
        order = order if k % 2 == 0 else order[::-1]
        got: dict = {}
        for who in order:
            if who == "ours":
                got[who] = run(ROOT / "src", name, args.sample, spacy_baseline=True)
            elif who == "also" and args.also:
                got[who] = run(ROOT / "src", name, args.sample, False, embedder=args.also)
            elif who == "reference" and args.reference:
                got[who] = run(args.reference, name, args.sample, spacy_baseline=False)
        ours = got["ours"]
        n = ours["articles"]
        print(
            f"{name} ({n} articles): model load spaCy {ours['spacy_load']:.2f}s + "
            f"embedder {ours['embedder_load']:.2f}s",
            flush=True,
        )
        print(f"  full spaCy pipeline alone   {rate(n, ours['spacy'])}")
        print(f"  full analysis, this tree    {rate(n, ours['full'])}; CPU-bound ceiling on "
              f"{CORES} idle cores {CORES * n / ours['full'][1]:.1f} art/s")
        print(f"  the same texts again as other outlets' copies {rate(n, ours['copies'])}")
        if "also" in got:
            print(f"  same, embedder {args.also} {rate(n, got['also']['full'])} "
                  f"(load {got['also']['embedder_load']:.2f}s)")
        if "reference" in got:
            ref = got["reference"]
            speedup = ref["full"][0] / ours["full"][0]
            ceiling = CORES * n / ref["full"][1]
            print(f"  full analysis, reference    {rate(n, ref['full'])}, "
                  f"this tree x{speedup:.2f}; CPU-bound ceiling {ceiling:.1f} art/s")
            print(f"  copies, reference           {rate(n, ref['copies'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
