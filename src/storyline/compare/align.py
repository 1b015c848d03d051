"""Cross-article claim alignment: which sentences of different articles state the same fact.

Each sentence is a claim. For every pair of articles we score every sentence pair by the cosine
of their embeddings plus a bonus for shared entities and shared numbers (two outlets that say
"15 bases" and name "Erbil" are talking about the same thing even when they phrase it
differently). A pair is aligned when its score clears ``ALIGN_THRESHOLD`` and each sentence is
the other's best match (or the score is high enough to stand on its own). Aligned sentences are
joined into groups across all articles with union-find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storyline.compare.context import Context

# Weights of the overlap bonuses added to the embedding cosine. Entities and numbers are the
# checkable core of a news claim, so sharing them is strong evidence of the same fact. Tuned by
# hand on the demo corpus and the seed pair, checked on the tests/data/compare pairs.
ENTITY_BONUS = 0.15
NUMBER_BONUS = 0.10
WORD_BONUS = 0.10
ENTITIES_FOR_FULL_BONUS = 2

# Score above which two sentences state the same fact. MiniLM cosine of paraphrased news
# sentences about one event is ~0.55-0.85; unrelated sentences of the same story ~0.2-0.45.
ALIGN_THRESHOLD = 0.56
# A pair this strong aligns even when one side has a better match elsewhere (an outlet can
# state one fact twice: in the lead and again in the body).
STRONG_THRESHOLD = 0.78
# A pair within this margin of both sentences' best matches counts as mutual: one outlet's
# sentence often restates two of the other's ("voted ... following the killing" ~ "voted" and
# "passed ... after the killing"). Wider margins start pairing loosely related sentences.
NEAR_BEST_MARGIN = 0.02
# Every cross-article pair inside one claim group scores at least this: a group may hold two
# sentences of one outlet that restate a fact, never a chain of loosely related ones.
MERGE_FLOOR = 0.45


@dataclass(frozen=True)
class Link:
    """Two aligned sentences: (article i, sentence si) ~ (article j, sentence sj)."""

    i: int
    si: int
    j: int
    sj: int
    score: float
    cosine: float


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _enough(a: set, b: set) -> float:
    """One shared name is weak evidence (a president is named in many sentences); two count."""
    return min(1.0, len(a & b) / ENTITIES_FOR_FULL_BONUS)


def pair_scores(ctx: Context, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    """(score matrix, cosine matrix) for the sentences of articles i and j (memoised)."""
    if (i, j) in ctx.cache:
        return ctx.cache[(i, j)]
    ctx.cache[(i, j)] = _pair_scores(ctx, i, j)
    return ctx.cache[(i, j)]


def _pair_scores(ctx: Context, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    cos = ctx.vectors[i] @ ctx.vectors[j].T
    if cos.size == 0:
        return cos, cos
    bonus = np.zeros_like(cos)
    keys_i, keys_j = ctx.sentence_keys[i], ctx.sentence_keys[j]
    nums_i, nums_j = ctx.sentence_numbers[i], ctx.sentence_numbers[j]
    words_i, words_j = ctx.sentence_words[i], ctx.sentence_words[j]
    for a in range(cos.shape[0]):
        for b in range(cos.shape[1]):
            bonus[a, b] = (
                ENTITY_BONUS * _jaccard(keys_i[a], keys_j[b]) * _enough(keys_i[a], keys_j[b])
                + NUMBER_BONUS * (1.0 if nums_i[a] & nums_j[b] else 0.0)
                + WORD_BONUS * _jaccard(words_i[a], words_j[b])
            )
    # Page clutter takes no part in alignment: it can never reach a threshold.
    for a, sent in enumerate(ctx.analyses[i].sentences):
        if sent.boilerplate:
            bonus[a, :] = -2.0
    for b, sent in enumerate(ctx.analyses[j].sentences):
        if sent.boilerplate:
            bonus[:, b] = -2.0
    return cos + bonus, cos


def align(ctx: Context) -> list[Link]:
    """Aligned sentence pairs across every pair of articles."""
    links: list[Link] = []
    n = len(ctx.analyses)
    for i in range(n):
        for j in range(i + 1, n):
            score, cos = pair_scores(ctx, i, j)
            if score.size == 0:
                continue
            row_best = score.max(axis=1)  # each sentence of i: its best score in j
            col_best = score.max(axis=0)
            for a in range(score.shape[0]):
                for b in range(score.shape[1]):
                    s = float(score[a, b])
                    if s < ALIGN_THRESHOLD:
                        continue
                    mutual = (
                        s >= row_best[a] - NEAR_BEST_MARGIN and s >= col_best[b] - NEAR_BEST_MARGIN
                    )
                    if mutual or s >= STRONG_THRESHOLD:
                        links.append(Link(i, a, j, b, s, float(cos[a, b])))
    return links


def group(ctx: Context, links: list[Link]) -> list[list[tuple[int, int]]]:
    """Aligned sentences joined into groups: lists of (article, sentence), in reading order.

    Links join groups strongest first, but only when every cross-article pair of the merged
    group still scores ``MERGE_FLOOR`` or more: otherwise chains of loose links (A1~B1~A2~C1)
    would merge different facts into one claim.
    """
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def score(x: tuple[int, int], y: tuple[int, int]) -> float:
        (i, a), (j, b) = sorted((x, y))
        return float(pair_scores(ctx, i, j)[0][a, b])

    for i, a in enumerate(ctx.analyses):
        for s in a.sentences:
            parent[(i, s.index)] = (i, s.index)
            members[(i, s.index)] = [(i, s.index)]
    for link in sorted(links, key=lambda x: -x.score):
        ra, rb = find((link.i, link.si)), find((link.j, link.sj))
        if ra == rb:
            continue
        if any(score(x, y) < MERGE_FLOOR for x in members[ra] for y in members[rb] if x[0] != y[0]):
            continue
        root, child = min(ra, rb), max(ra, rb)
        parent[child] = root
        members[root] += members.pop(child)
    return sorted((sorted(m) for m in members.values()), key=lambda g: g[0])


def best_match(ctx: Context, i: int, si: int) -> float:
    """The best alignment score of a sentence against any sentence of any other article."""
    best = 0.0
    for j in range(len(ctx.analyses)):
        if j == i or not len(ctx.vectors[j]):
            continue
        lo, hi = (i, j) if i < j else (j, i)
        score, _ = pair_scores(ctx, lo, hi)
        row = score[si] if i < j else score[:, si]
        best = max(best, float(row.max()))
    return best
