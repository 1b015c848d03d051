"""Where the analysis time goes: seconds per pipeline component, per set.

Run: .venv/bin/python benchmarks/analysis_profile.py [--sample 100] [--cprofile N]
Runs the default pipeline (with embeddings) over NewsWCL50 and a seeded ECB+ dev sample, read as
ingest reads them, after one warm-up article (models loaded), and prints wall and CPU seconds
per component with their share, then the spaCy parse split per spaCy component (tokenizer,
tok2vec, tagger, parser, attribute_ruler, ner; and the lemmatizer the pipe leaves off) and the
embedder split into tokenising and the model. ``--cprofile N`` also prints the N costliest
functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100, help="ECB+ articles to sample")
    parser.add_argument("--cprofile", type=int, default=0, help="top functions to print")
    args = parser.parse_args()

    from storyline.nlp import build_pipeline
    from storyline.nlp.pipeline import Work
    from storyline.service.options import analysis_options
    from storyline.service.reading import read_labelled
    from storyline.settings import load_settings

    pipeline = build_pipeline(analysis_options(load_settings()))
    sets = {
        "newswcl50": (SHARED / "newswcl50" / "articles.jsonl", None),
        "ecbplus-dev": (SHARED / "ecbplus" / "dev.jsonl", args.sample),
    }
    first = True
    for name, (path, sample) in sets.items():
        articles, _ = read_labelled(path)
        if sample and len(articles) > sample:
            articles = random.Random(0).sample(articles, sample)
        if first:
            pipeline.run(articles[:1])  # load the models outside the timings
            first = False
        profile = cProfile.Profile() if args.cprofile else None
        batch = [Work(analysis=_blank(a)) for a in articles]
        rows = []
        for comp in pipeline.components:
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            comp.process(batch)
            if profile:
                profile.disable()
            rows.append((comp.name, time.perf_counter() - wall, time.process_time() - cpu))
        total = sum(r[1] for r in rows)
        print(f"{name} ({len(articles)} articles): {total:.2f}s wall, "
              f"{len(articles) / total:.2f} articles/s")
        for comp, wall, cpu in rows:
            print(f"  {comp:<14} {wall:7.2f}s wall {cpu:7.2f}s cpu {100 * wall / total:5.1f} %")
        for part, wall, cpu in spacy_split([a.text for a in articles]):
            print(f"    spaCy {part:<16} {wall:7.2f}s wall {cpu:7.2f}s cpu")
        texts = [b.text[s.start : s.end] for b in batch for s in b.analysis.sentences]
        for part, wall, cpu in embedder_split(texts):
            print(f"    embedder {part:<13} {wall:7.2f}s wall {cpu:7.2f}s cpu ({len(texts)} sent.)")
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.cprofile)
    return 0


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def spacy_split(texts: list[str]) -> list[tuple[str, float, float]]:
    """(part, wall s, CPU s) of each spaCy component run alone over the texts in turn."""
    from storyline.nlp.models import load_nlp
    from storyline.nlp.parse import PIPE_BATCH_SIZE

    nlp = load_nlp()
    docs: list = []
    rows = [("tokenizer", *_timed(lambda: docs.extend(nlp.make_doc(t) for t in texts)))]
    for name, proc in nlp.pipeline:
        rows.append((name, *_timed(lambda p=proc: list(p.pipe(docs, batch_size=PIPE_BATCH_SIZE)))))
    lemmatizer = nlp.get_pipe("lemmatizer")
    rows.append(("(lemmatizer, off)", *_timed(lambda: [lemmatizer(d) for d in docs])))
    return rows


def embedder_split(texts: list[str]) -> list[tuple[str, float, float]]:
    """(part, wall s, CPU s) of the default embedder: tokenising, then the whole encode."""
    from storyline.nlp.embeddings import get_embedder
    from storyline.settings import load_settings

    embedder = get_embedder(load_settings()["embedder"])
    rows = []
    if hasattr(embedder, "tokenizer"):
        rows.append(("tokenise", *_timed(lambda: embedder.tokenizer.encode_batch(texts))))
    rows.append(("encode", *_timed(lambda: embedder.encode(texts))))
    return rows


def _blank(article):
    from storyline.model import AnalyzedArticle

    return AnalyzedArticle(article=article)


if __name__ == "__main__":
    sys.exit(main())
