"""Wording: the loaded and neutral terms each outlet uses for the same referent.

Terms come from the hand lexicon (compare/lexicon/wording.json) and from the BABE-learned
loaded words that have a neutral counterpart (compare/lexicon/loaded.json: "aliens" /
"immigrants", "slammed" / "criticized"). Two sources of evidence:
- ``alignment``: two aligned sentences (the same fact) name one referent with terms of one class
  that differ, and one is loaded ("airstrike that killed" vs "targeted assassination");
- ``lexicon``: across the whole story one outlet uses a loaded hand-lexicon term of a class that
  another outlet names only with a neutral term ("terror group" vs "militant group");
- ``model``: with a word scorer (the BABE-learned model, compare/loaded_contrast.py), two
  aligned sentences fill one slot with a word the model marks as loaded and a word it finds
  neutral ("The senator slammed / criticized the harbour tax").
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
from storyline.compare.loaded_contrast import (
    MODEL_MIN_PROBABILITY,
    MODEL_PRECISION,
    Contrast,
    WordScorer,
    article_stems,
    contrasts,
    may_contrast,
)
from storyline.model import Term, WordingDifference

# A story-wide lexicon hit is weaker evidence than an aligned pair: the outlets may be talking
# about different referents of the same class.
LEXICON_CONFIDENCE = 0.5
LEARNED_PREFIX = "babe:"
# Classes read on aligned sentences only. Every article "said" something somewhere: a story-wide
# "claimed" in one outlet against any "said" in another names two different statements (12 of
# the 17 story-wide findings on the twelve, quiet and NewsWCL50 events were of this kind).
ALIGNED_ONLY = frozenset({"speech"})
# Aligned sentences can share a topic yet report different statements: of the six aligned
# speech-verb findings on NewsWCL50 (issue #13 run), the two with a link score under 0.75 set
# one speaker's verb against another speaker's ("insisted" vs "noted").
SPEECH_MIN_LINK = 0.75


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


def _modifier(ctx: Context, i: int, hit: lexicon.TermHit) -> str:
    """The proper name right before a term ("Iranian regime", "Trump administration"), folded."""
    before = ctx.analyses[i].text[max(0, hit.start - 40) : hit.start].split()
    word = before[-1].strip("\"“”'‘’(,") if before else ""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return word.lower() if word[:1].isupper() and word.lower() not in _NOT_NAMES else ""


# Capitalised words before a term that are no name ("The regime", "A government").
_NOT_NAMES = frozenset({"the", "a", "an", "its", "their", "this", "that", "his", "her"})
# Two modifiers name one referent when they share this many first letters ("iran"/"iranian").
SAME_NAME_PREFIX = 4


def _same_referent(loaded: str, neutral: str) -> bool:
    """Whether two terms can name one referent: a name on either ("the Iranian regime", "the
    Trump administration") must be on both ("Iran's government")."""
    return loaded[:SAME_NAME_PREFIX] == neutral[:SAME_NAME_PREFIX]


def wording(ctx: Context, links: list[Link], scorer: WordScorer | None = None
            ) -> tuple[WordingDifference, ...]:
    """Wording differences found by alignment, story-wide from the hand lexicon, then (with a
    ``scorer``) by the learned model on aligned sentences."""
    by = classes()
    per_article = [_article_hits(ctx, i) for i in range(len(ctx.analyses))]
    found: list[WordingDifference] = []
    covered: set[tuple[str, int, int]] = set()  # (class, article, hit start) already reported
    for link in sorted(links, key=lambda x: -x.score):
        ha, hb = _hits(ctx, link.i, link.si), _hits(ctx, link.j, link.sj)
        for name, cls in by.items():
            if name in ALIGNED_ONLY and link.score < SPEECH_MIN_LINK:
                continue
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
        if name.startswith(LEARNED_PREFIX) or name in ALIGNED_ONLY:
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
            if not fresh:
                continue
            # "the Iranian regime" and "the Trump administration" are two governments.
            mod = _modifier(ctx, i, fresh[0])
            counterparts = []
            for j, hits in neutral_by.items():
                h = next((h for h in hits if _same_referent(mod, _modifier(ctx, j, h))), None)
                if h is not None:
                    counterparts.append((j, h))
            if not counterparts:
                continue
            terms = [_term(ctx, i, fresh[0], cls.loaded)]
            terms += [_term(ctx, j, h, cls.loaded) for j, h in counterparts]
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
    if scorer is not None:
        found += _model_findings(ctx, links, scorer, covered, len(found))
    return tuple(found)


def _scored(ctx: Context, scorer: WordScorer, keys: list[tuple[int, int]]) -> dict:
    """The scored words of the sentences ``keys`` (article, sentence), memoised per comparison."""
    memo = ctx.cache.setdefault("model_words", {})
    todo = [k for k in dict.fromkeys(keys) if k not in memo]
    if todo:
        texts = [ctx.analyses[i].sentence_text(si) for i, si in todo]
        for k, scored in zip(todo, scorer.score(texts), strict=True):
            memo[k] = scored
    return memo


def _model_findings(ctx: Context, links: list[Link], scorer: WordScorer,
                    covered: set[tuple[str, int, int]], numbered: int
                    ) -> list[WordingDifference]:
    """Loaded words the model finds in one aligned sentence against the other's word."""
    stems = [article_stems(a.text) for a in ctx.analyses]
    sides = []  # (link, (article, sentence) of the loaded side, of the other side)
    for lk in sorted(links, key=lambda x: -x.score):
        if lk.score < SPEECH_MIN_LINK:
            continue
        for a, b in (((lk.i, lk.si), (lk.j, lk.sj)), ((lk.j, lk.sj), (lk.i, lk.si))):
            if may_contrast(ctx.analyses[a[0]].sentence_text(a[1]),
                            ctx.analyses[b[0]].sentence_text(b[1]), stems[b[0]],
                            scorer.flagged):
                sides.append((lk, a, b))
    # The loaded side first: the other sentence is scored only when a word reaches the bar.
    scored = _scored(ctx, scorer, [a for _, a, _ in sides])
    sides = [x for x in sides if any(w[3] >= MODEL_MIN_PROBABILITY for w in scored[x[1]][0])]
    scored = _scored(ctx, scorer, [b for _, _, b in sides])
    taken = {(i, s) for _, i, s in covered}
    out: list[WordingDifference] = []
    for lk, (i, si), (j, sj) in sides:
        ta, tb = ctx.analyses[i].sentence_text(si), ctx.analyses[j].sentence_text(sj)
        for c in contrasts(ta, scored[(i, si)], tb, scored[(j, sj)], stems[j],
                           scorer.neutral_below):
            a0 = ctx.analyses[i].sentences[si].start
            b0 = ctx.analyses[j].sentences[sj].start
            if (i, a0 + c.loaded[1]) in taken or (j, b0 + c.neutral[1]) in taken:
                continue
            taken.update({(i, a0 + c.loaded[1]), (j, b0 + c.neutral[1])})
            out.append(_model_difference(ctx, numbered + len(out) + 1, lk.score,
                                         (i, si, a0), (j, sj, b0), c))
    return out


def _model_difference(ctx: Context, number: int, link_score: float, a: tuple[int, int, int],
                      b: tuple[int, int, int], c: Contrast) -> WordingDifference:
    (i, si, a0), (j, sj, b0) = a, b
    loaded = Term(ctx.labels[i], c.loaded[0], True,
                  ctx.evidence(i, a0 + c.loaded[1], a0 + c.loaded[2], si))
    neutral = Term(ctx.labels[j], c.neutral[0], False,
                   ctx.evidence(j, b0 + c.neutral[1], b0 + c.neutral[2], sj))
    return WordingDifference(
        id=f"w{number}",
        referent=f"the word in “{c.context}”",
        terms=(loaded, neutral),
        source="model",
        confidence=round(MODEL_PRECISION * min(link_score, 0.95), 3),
    )
