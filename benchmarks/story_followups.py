"""How far a story engine that closes idle stories can go on a dated labelled set, and what
linking late follow-ups to closed stories by shared names could add.

1. The ceiling of closing: gold stories cut wherever two consecutive reports are more than G
   days apart (a perfect similarity, stories closed after G idle days): BCubed F1 per G. The
   engine closes a story CLOSE_AFTER_WINDOWS x story_window_hours (9 days) after its last report.
2. Follow-ups: each article whose gold story has no report in the G days before it, but an
   earlier one, is a late follow-up (an arrest, a trial, a funeral). Linking every article that
   has no report in the G days before it to the earlier article of highest name cosine (the
   engine's idf-weighted names) when that cosine reaches a cut: precision and recall of those
   links, and BCubed F1 of the ceiling's chains joined by them.

Run: .venv/bin/python benchmarks/story_followups.py [FILE.jsonl] (default: GVA dev).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from storyline.service import read_labelled
from storyline.stories.evaluate import replay_order
from storyline.stories.metrics import bcubed
from storyline.stories.refine import _sparse
from storyline.stories.represent import Representer

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
GAPS = (3, 9, 30, 90, 365)
CLOSED_DAYS = 9.0  # the engine's default: 3 windows of 72 hours
CUTS = (0.3, 0.4, 0.5, 0.6, 0.7)


def _days(article) -> float:
    from datetime import UTC

    when = article.published
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() / 86400.0


def _chains(days: np.ndarray, gold: list[str], gap: float) -> list[str]:
    out, last, part = [""] * len(gold), {}, {}
    for i in np.argsort(days, kind="stable"):
        g = gold[i]
        if g in last and days[i] - last[g] > gap:
            part[g] += 1
        part.setdefault(g, 0)
        last[g] = days[i]
        out[i] = f"{g}/{part[g]}"
    return out


def _joined(labels: list[str], links: list[tuple[int, int]]) -> list[str]:
    parent = {x: x for x in labels}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in links:
        parent[find(labels[i])] = find(labels[j])
    return [find(x) for x in labels]


def main() -> None:
    """Print the closing ceiling per gap and the follow-up links' precision/recall per cut."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / "gva" / "dev.jsonl"
    articles = [a for a in replay_order(read_labelled(path)[0]) if a.published is not None]
    gold = [str(a.get("story")) for a in articles]
    days = np.array([_days(a) for a in articles])
    print(f"{path.name}: {len(articles)} dated articles, {len(set(gold))} stories")
    for gap in GAPS:
        b = bcubed(_chains(days, gold, gap), gold)
        print(f"  closed after {gap:>3} idle days, perfect similarity: BCubed F1 {b.f1:.3f}")
    representer = Representer(dense=False)
    for a in articles:
        representer.represent(a)
    reps = [representer.represent(a, learn=False) for a in articles]
    chains = _chains(days, gold, CLOSED_DAYS)
    base = bcubed(chains, gold).f1
    # the first article of each chain is what no open story took; a late follow-up if its
    # gold story had reports before
    first: dict[str, int] = {}
    for i in np.argsort(days, kind="stable"):
        first.setdefault(chains[i], int(i))
    firsts = sorted(first.values())
    follow = [i for i in firsts if not chains[i].endswith("/0")]
    names = _sparse(reps, "names")
    cos = (names[firsts] @ names.T).toarray()
    best: dict[int, tuple[float, int]] = {}
    for row, i in enumerate(firsts):
        earlier = days < days[i] - CLOSED_DAYS
        if earlier.any():
            scores = np.where(earlier, cos[row], -1.0)
            j = int(scores.argmax())
            best[i] = (float(scores[j]), j)
    print(
        f"  {len(firsts)} chain openers, {len(follow)} of them late follow-ups "
        f"(ceiling at {CLOSED_DAYS:.0f} days: {base:.3f})"
    )
    for cut in CUTS:
        links = [(i, j) for i, (score, j) in best.items() if score >= cut]
        right = sum(gold[i] == gold[j] for i, j in links)
        b = bcubed(_joined(chains, links), gold)
        print(
            f"  name cosine >= {cut:.1f}: {len(links)} links, precision "
            f"{right / max(len(links), 1):.3f}, recall {right / max(len(follow), 1):.3f}; "
            f"ceiling chains + links BCubed F1 {b.f1:.3f}"
        )


if __name__ == "__main__":
    main()
