"""Wording: the loaded and neutral terms each outlet uses for the same referent.

Terms come from the hand lexicon (compare/lexicon/wording.json) and from the BABE-learned
loaded words that have a neutral counterpart (compare/lexicon/loaded.json: "aliens" /
"immigrants", "slammed" / "criticized"). Two sources of evidence:
- ``alignment``: two aligned sentences (the same fact) name one referent with terms of one class
  that differ, and one is loaded ("airstrike that killed" vs "targeted assassination");
- ``lexicon``: across the whole story one outlet uses a loaded hand-lexicon term of a class that
  another outlet names only with a neutral term ("terror group" vs "militant group").
Every finding cites the loaded span and the neutral span. A loaded term that the other outlet
also uses is no difference, and a word used as a modifier (adjectival "the alleged attacker",
descriptive "riot helmets") is not loaded wording (compare/loaded.py's rules).
"""

from __future__ import annotations

from functools import cache

from storyline.compare import lexicon
from storyline.compare.align import Link
from storyline.compare.context import Context
from storyline.compare.loaded import is_loaded_use, load_entries
from storyline.model import Term, WordingDifference

# A story-wide lexicon hit is weaker evidence than an aligned pair: the outlets may be talking
# about different referents of the same class.
LEXICON_CONFIDENCE = 0.5
LEARNED_PREFIX = "babe:"


@cache
def classes() -> dict[str, lexicon.TermClass]:
    """Hand classes, then one class per BABE-learned loaded word with a neutral counterpart."""
    out = lexicon.by_name(lexicon.load("wording"))
    hand_terms = {t for c in out.values() for t in c.terms}
    for e in load_entries():
        if not e.neutral or set(e.forms) & hand_terms:
            continue  # a hand class already covers the word
        name = LEARNED_PREFIX + e.stem
        what = f"what one outlet calls {e.neutral[0]!r} and another {e.term!r}"
        out[name] = lexicon.term_class(name, what, list(e.neutral), list(e.forms))
    return out


def _hits(ctx: Context, i: int, si: int) -> list[lexicon.TermHit]:
    a = ctx.analyses[i]
    s = a.sentences[si]
    cache_key = ("wording_hits", i, si)
    if cache_key not in ctx.cache:
        found = lexicon.find_terms(a.sentence_text(si), tuple(classes().values()), s.start)
        by = classes()
        ctx.cache[cache_key] = [
            h for h in found
            if h.term not in by[h.cls].loaded or is_loaded_use(a.text, h.start, h.end)
        ]
    return ctx.cache[cache_key]


def _article_hits(ctx: Context, i: int) -> list[lexicon.TermHit]:
    return [h for s in ctx.analyses[i].sentences for h in _hits(ctx, i, s.index)]


def _term(ctx: Context, i: int, hit: lexicon.TermHit, loaded: frozenset[str]) -> Term:
    return Term(ctx.labels[i], hit.term, hit.term in loaded, ctx.evidence(i, hit.start, hit.end))


def _uses(hits: list[lexicon.TermHit], cls: lexicon.TermClass, term: str) -> bool:
    """Whether an article's hits hold ``term`` of ``cls`` (the same form, loaded)."""
    return any(h.cls == cls.name and h.term == term for h in hits)


def wording(ctx: Context, links: list[Link]) -> tuple[WordingDifference, ...]:
    """Wording differences found by alignment, then story-wide from the hand lexicon."""
    by = classes()
    per_article = [_article_hits(ctx, i) for i in range(len(ctx.analyses))]
    found: list[WordingDifference] = []
    covered: set[tuple[str, int, int]] = set()  # (class, article, hit start) already reported
    for link in sorted(links, key=lambda x: -x.score):
        ha, hb = _hits(ctx, link.i, link.si), _hits(ctx, link.j, link.sj)
        for name, cls in by.items():
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
            # The outlet of the neutral term uses the loaded one too: not a difference.
            loaded_hit, plain_article = (x, link.j) if loaded_a else (y, link.i)
            if _uses(per_article[plain_article], cls, loaded_hit.term):
                continue
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
    # Story-wide (hand classes only: their referents are narrow enough to be one thing in one
    # story): a loaded term in one outlet, and another outlet that names the class only with
    # neutral terms, never with a loaded one.
    for name, cls in by.items():
        if name.startswith(LEARNED_PREFIX):
            continue
        loaded_by = {
            i: [h for h in hits if h.cls == name and h.term in cls.loaded]
            for i, hits in enumerate(per_article)
        }
        neutral_by = {
            j: [h for h in per_article[j] if h.cls == name]
            for j, hs in loaded_by.items()
            if not hs and any(h.cls == name for h in per_article[j])
        }
        for i, hs in loaded_by.items():
            fresh = [h for h in hs if (name, i, h.start) not in covered]
            if not fresh or not neutral_by:
                continue
            terms = [_term(ctx, i, fresh[0], cls.loaded)]
            terms += [_term(ctx, j, hits[0], cls.loaded) for j, hits in neutral_by.items()]
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
