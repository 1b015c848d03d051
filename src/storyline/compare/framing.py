"""Wording: the loaded and neutral terms each outlet uses for the same referent.

Two sources of evidence, both from the documented lexicon (compare/lexicon/wording.json):
- ``alignment``: two aligned sentences (the same fact) name one referent with terms of one class
  that differ, and at least one is loaded ("airstrike that killed" vs "targeted assassination");
- ``lexicon``: across the whole story one outlet uses a loaded term of a class that another
  outlet covers without one ("terror group" where another says nothing loaded).
"""

from __future__ import annotations

from storyline.compare import lexicon
from storyline.compare.align import Link
from storyline.compare.context import Context
from storyline.model import Term, WordingDifference

# A story-wide lexicon hit is weaker evidence than an aligned pair: the outlets may be talking
# about different referents of the same class.
LEXICON_CONFIDENCE = 0.5


def _hits(ctx: Context, i: int, si: int) -> list[lexicon.TermHit]:
    a = ctx.analyses[i]
    return lexicon.find_terms(a.sentence_text(si), lexicon.load("wording"), a.sentences[si].start)


def _term(ctx: Context, i: int, hit: lexicon.TermHit, loaded: frozenset[str]) -> Term:
    return Term(ctx.labels[i], hit.term, hit.term in loaded, ctx.evidence(i, hit.start, hit.end))


def wording(ctx: Context, links: list[Link]) -> tuple[WordingDifference, ...]:
    """Wording differences found by alignment, then story-wide from the lexicon."""
    classes = lexicon.by_name(lexicon.load("wording"))
    found: list[WordingDifference] = []
    covered: set[tuple[str, int, int]] = set()  # (class, article, hit start) already reported
    for link in sorted(links, key=lambda x: -x.score):
        ha, hb = _hits(ctx, link.i, link.si), _hits(ctx, link.j, link.sj)
        for name, cls in classes.items():
            ta = [h for h in ha if h.cls == name]
            tb = [h for h in hb if h.cls == name]
            if not ta or not tb:
                continue
            loaded_a = any(h.term in cls.loaded for h in ta)
            loaded_b = any(h.term in cls.loaded for h in tb)
            if loaded_a == loaded_b:
                continue
            x = next(h for h in ta if (h.term in cls.loaded) == loaded_a)
            y = next(h for h in tb if (h.term in cls.loaded) == loaded_b)
            if (name, link.i, x.start) in covered and (name, link.j, y.start) in covered:
                continue
            covered.update({(name, link.i, x.start), (name, link.j, y.start)})
            found.append(
                WordingDifference(
                    id=f"w{len(found) + 1}",
                    referent=cls.what,
                    terms=(_term(ctx, link.i, x, cls.loaded), _term(ctx, link.j, y, cls.loaded)),
                    source="alignment",
                    confidence=round(min(link.score, 0.95), 3),
                )
            )
    # Story-wide: a loaded term in one outlet, and another outlet with no loaded term of that
    # class anywhere in its article.
    per_article = [
        [h for s in a.sentences for h in _hits(ctx, i, s.index)] for i, a in enumerate(ctx.analyses)
    ]
    for name, cls in classes.items():
        loaded_by = {
            i: [h for h in hits if h.cls == name and h.term in cls.loaded]
            for i, hits in enumerate(per_article)
        }
        plain = [i for i, hs in loaded_by.items() if not hs]
        for i, hs in loaded_by.items():
            fresh = [h for h in hs if (name, i, h.start) not in covered]
            if not fresh or not plain:
                continue
            terms = [_term(ctx, i, fresh[0], cls.loaded)]
            for j in plain:
                neutral = [h for h in per_article[j] if h.cls == name]
                if neutral:
                    terms.append(_term(ctx, j, neutral[0], cls.loaded))
            covered.update((name, i, h.start) for h in fresh)
            found.append(
                WordingDifference(
                    id=f"w{len(found) + 1}",
                    referent=cls.what,
                    terms=tuple(terms),
                    source="lexicon",
                    confidence=LEXICON_CONFIDENCE,
                )
            )
    return tuple(found)
