"""Articles per second of the analysis pipeline, against the full unmodified spaCy pipeline.

Run: .venv/bin/python benchmarks/analysis_throughput.py [--sample 100]
Prints spaCy load time, then for NewsWCL50 (45 articles) and a sample of ECB+ dev articles:
the baseline (en_core_web_sm, every component, nlp.pipe), build_pipeline(embed=False) and,
when the embeddings component is importable, build_pipeline(embed=True).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def read(path: Path, sample: int | None) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if sample and len(rows) > sample:
        rows = random.Random(0).sample(rows, sample)
    return [(r.get("title") or "") + "\n\n" + (r.get("text") or "") for r in rows]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100, help="ECB+ articles to sample")
    args = parser.parse_args()

    import spacy

    from storyline.model import Article
    from storyline.nlp import build_pipeline
    from storyline.nlp.models import MODEL_NAME, load_nlp
    from storyline.settings import load_settings

    load_s = timed(lambda: load_nlp())
    print(f"spaCy load ({MODEL_NAME}, lemmatizer off): {load_s:.2f}s")
    baseline = spacy.load(MODEL_NAME)
    settings = load_settings()
    plain = build_pipeline(settings, embed=False)
    full = build_pipeline(settings, embed=True)
    with_embed = "embeddings" in full.names
    print("pipeline:", ", ".join(full.names))

    sets = {
        "newswcl50": SHARED / "newswcl50" / "articles.jsonl",
        "ecbplus-dev": SHARED / "ecbplus" / "dev.jsonl",
    }
    for name, path in sets.items():
        if not path.exists():
            print(f"{name}: missing, skipped")
            continue
        texts = read(path, None if name == "newswcl50" else args.sample)
        articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
        base_s = timed(lambda texts=texts: list(baseline.pipe(texts, batch_size=16)))
        ours_s = timed(lambda articles=articles: plain.run(articles))
        line = (
            f"{name} ({len(texts)} articles): baseline {len(texts) / base_s:.2f} art/s, "
            f"storyline {len(texts) / ours_s:.2f} art/s (x{base_s / ours_s:.2f})"
        )
        if with_embed:
            emb_s = timed(lambda articles=articles: full.run(articles))
            line += f", with embeddings {len(texts) / emb_s:.2f} art/s"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
