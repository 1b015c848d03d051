"""End-to-end ingest into a fresh SQLite store, then refinement, on real labelled files.

For each file: `ingest --no-refine` (store + copies + online stories), then `refine` (document
embeddings + batch re-clustering of the open stories), each timed, and the BCubed F1 of the
stored stories against the gold labels after each stage (articles matched by the id ingest
gives them). Prints figures; not a timed test.

    .venv/bin/python benchmarks/ingest_refine.py [--during] [FILE.jsonl ...]

``--during``: one `ingest` with refinement on (refined as the engine says it is due, and at the
end), timed as a whole, then scored.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from storyline import service
from storyline.settings import load_settings
from storyline.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
FILES = [DATA / "uci_headlines/headlines.jsonl", DATA / "ecbplus/dev.jsonl"]


def _score(settings: dict, gold: dict[str, str]) -> tuple[float, int]:
    """BCubed F1 of the stored stories against gold labels by article id, and story count."""
    predicted, truth = [], []
    stories = service.list_stories(settings=settings)
    for story in stories:
        for article_id in story.article_ids:
            if article_id in gold:
                predicted.append(story.id)
                truth.append(gold[article_id])
    return bcubed(predicted, truth).f1, len(stories)


def during(paths: list[Path]) -> None:
    """Print, per file, one ingest with refinement on: rate, refinements' share, F1."""
    for path in paths:
        articles, _ = service.read_labelled(path)
        gold = {a.id: a.get("story") for a in articles}
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings({"store": str(Path(tmp) / "bench.db")})
            service.ingest([], settings)
            report = service.ingest([str(path)], settings)
            f1, n_stories = _score(settings, gold)
        n = report.added + report.revisions
        print(
            f"{path.parent.name}/{path.name}: {n} articles, ingest with refinement"
            f" {report.seconds:.1f} s"
            f" ({n / report.seconds:.0f} articles/s; refinement {report.refine_seconds:.1f} s over"
            f" {report.refined} re-clustered), BCubed F1 {f1:.3f} ({n_stories} stories)"
        )


def main(paths: list[Path]) -> None:
    """Print, per file, online ingest and refinement rates and F1 after each."""
    for path in paths:
        if not path.exists():
            print(f"{path.name}: missing")
            continue
        articles, _ = service.read_labelled(path)
        gold = {a.id: a.get("story") for a in articles}  # ids as ingest makes them
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings({"store": str(Path(tmp) / "bench.db"), "story_refine": False})
            service.ingest([], settings)  # load the static vectors outside the timed part
            report = service.ingest([str(path)], settings)
            online_f1, online_n = _score(settings, gold)
            refined = service.refine(settings)
            refined_f1, refined_n = _score(settings, gold)
        n = report.added + report.revisions
        print(f"{path.parent.name}/{path.name}: {n} articles stored")
        print(
            f"  ingest, online stories: {report.seconds:6.1f} s  {n / report.seconds:7.0f}"
            f" articles/s  BCubed F1 {online_f1:.3f} ({online_n} stories)"
        )
        print(
            f"  refine (deep):          {refined.seconds:6.1f} s  "
            f"{refined.refined / refined.seconds:7.0f} articles/s  BCubed F1 {refined_f1:.3f}"
            f" ({refined_n} stories; {refined.moved} articles moved, "
            f"{refined.stories_removed} stories merged away)"
        )
        total, ratio = report.seconds + refined.seconds, refined.seconds / report.seconds
        print(f"  both: {n / total:.0f} articles/s; refine takes x{ratio:.1f} the online ingest")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--during"]
    (during if "--during" in sys.argv else main)([Path(p) for p in args] or FILES)
