"""Story -> Comparison: align claims across articles and report what differs, with evidence."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from storyline.compare.align import align, group
from storyline.compare.claims import claim_groups
from storyline.compare.context import Context
from storyline.compare.disputes import build_disputes, disagreements
from storyline.compare.entities import merge_entities
from storyline.compare.framing import wording
from storyline.compare.links import (
    CLOCK_KINDS,
    CLOCK_PAIR_COSINE,
    DENIAL_KINDS,
    DENIAL_PAIR_COSINE,
    clock_links,
    denial_links,
)
from storyline.compare.loaded_contrast import WordScorer
from storyline.compare.provenance import provenance
from storyline.errors import CompareError
from storyline.model import AnalyzedArticle, ArticleRef, Comparison, Span

# Weights of the same-event score: the share of claims that align, and the overlap of names.
SAME_EVENT_ALIGNED = 0.6
SAME_EVENT_ENTITIES = 0.4


def _same_event(ctx: Context, links) -> float:
    n = len(ctx.analyses)
    scores = []
    for i in range(n):
        for j in range(i + 1, n):
            pair = [lk for lk in links if (lk.i, lk.j) == (i, j)]
            smaller = min(len(ctx.analyses[i].sentences), len(ctx.analyses[j].sentences)) or 1
            aligned = min(1.0, len({lk.si for lk in pair}) / smaller * 2)
            ki = set().union(*ctx.sentence_keys[i]) if ctx.sentence_keys[i] else set()
            kj = set().union(*ctx.sentence_keys[j]) if ctx.sentence_keys[j] else set()
            ent = len(ki & kj) / len(ki | kj) if ki and kj else 0.0
            scores.append(SAME_EVENT_ALIGNED * aligned + SAME_EVENT_ENTITIES * min(1.0, ent * 2))
    return round(sum(scores) / len(scores), 3) if scores else 0.0


def compare_analyses(
    analyses: Sequence[AnalyzedArticle], copies: Mapping[str, str] | None = None,
    word_scorer: WordScorer | None = None,
) -> Comparison:
    """Compare two or more analysed articles claim by claim.

    ``copies`` maps a syndicated copy's id to its original's (as the store links them); copies
    of one text are also recognised by their shared wording. ``word_scorer`` (the learned
    loaded-word model, ``loaded_contrast.model_scorer()``) adds its wording findings.
    """
    if len(analyses) < 2:
        raise CompareError(f"compare needs at least two articles, got {len(analyses)}")
    ctx = Context(list(analyses), copies=dict(copies or {}))
    links = align(ctx)
    entities, ctx.of_mention = merge_entities(ctx, links)
    ctx.entity_labels = {e.id: e.label for e in entities}
    groups = group(ctx, links)
    found = [d for link in sorted(links, key=lambda x: -x.score) for d in disagreements(ctx, link)]
    found += [
        d
        for link in clock_links(ctx, links)
        for d in disagreements(ctx, link, CLOCK_KINDS, floor=CLOCK_PAIR_COSINE)
    ]
    found += [
        d
        for link in denial_links(ctx, links)
        for d in disagreements(ctx, link, DENIAL_KINDS, floor=DENIAL_PAIR_COSINE)
    ]
    disputes, dispute_ids = build_disputes(ctx, groups, found)
    claims, group_id = claim_groups(ctx, groups, links, disputes, dispute_ids, ctx.of_mention)
    disputes = [dataclasses.replace(d, group=group_id.get(int(d.group), "")) for d in disputes]
    return Comparison(
        articles=tuple(
            ArticleRef(
                a.article.id,
                ctx.labels[i],
                a.article.title,
                a.article.url,
                a.article.published,
                a.article.language,
                a.article.text,
                family=ctx.analyses[ctx.families[i]].article.id if ctx.families[i] != i else "",
                boilerplate=tuple(Span(s.start, s.end) for s in a.sentences if s.boilerplate),
            )
            for i, a in enumerate(ctx.analyses)
        ),
        same_event=_same_event(ctx, links),
        claims=claims,
        disputes=tuple(disputes),
        provenance=provenance(ctx),
        wording=wording(ctx, links, word_scorer),
        entities=entities,
    )

