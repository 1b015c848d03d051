"""Sentence pairs the alignment leaves out that still answer one question: two sentences of
different outlets that time one event, and a denial beside the claim it rejects. Outlets put
an hour or a rejection in sentences worded apart, which rarely align, so these pairs are found
by what they answer and a cosine floor measured for each.
"""

from __future__ import annotations

from storyline.compare.align import Link
from storyline.compare.checks import CHECKS, Check, rejects
from storyline.compare.context import Context
from storyline.compare.values import Value
from storyline.model import DisputeKind

# Two sentences of different outlets that both give a clock time are compared for it when
# they are this close and name the same kind of event. Measured on our twelve-outlet
# fixture: the two reports of the attack's hour pair at cosine 0.52-0.55, sentences timing
# different things in it at 0.36-0.47; a visit "around 3 p.m." beside the collapse "at about
# 6:30 pm" (a held-out page pair) shares only the bridge, no event word.
CLOCK_PAIR_COSINE = 0.5
CLOCK_KINDS = frozenset({DisputeKind.TIME})
# A denial and a claim it rejects, found by the denied proposition's own words, are compared
# when this close. Measured on a held-out event (the Kremlin's denial of a plane crash): the
# denials and the analysts' claim pair at cosine 0.55-0.60, a report of the crash that shares
# only the victim's name at 0.41 or less.
DENIAL_PAIR_COSINE = 0.5
DENIAL_KINDS = frozenset({DisputeKind.DENIAL})
# Words naming the event a clock time is the time of (as compare.context.content_words
# stems them).
_EVENT_WORDS = frozenset(
    "attack strike airstrike blast explosion explod bomb bombing barrage raid shelling shoot "
    "shooting gunfire fire collapse collaps crash earthquake quake tremor flood storm incident "
    "accident derail derailment stampede assault clash fighting riot protest".split()
)


def check_of(kind: DisputeKind) -> Check:
    """The pairwise check of one kind of dispute."""
    return next(c for c in CHECKS if c.kind == kind)


def sentence_values(ctx: Context, check: Check, i: int, si: int) -> list[Value]:
    """A sentence's values for one check, read once per comparison (pairs and the assembly of
    every claim group ask for the same sentence again and again)."""
    key = ("values", check.kind, i, si)
    if key not in ctx.cache:
        ctx.cache[key] = check.values(ctx, i, si)
    return ctx.cache[key]


def clock_links(ctx: Context, links: list[Link]) -> list[Link]:
    """Sentence pairs beyond the alignment that both time one event: outlets put the hour in
    different sentences ("The attack began at 1:20 am, the military said" / "The attack on
    the base took place between 2:30 and 3:15 am, an official said"), which rarely align."""
    linked = {(lk.i, lk.si, lk.j, lk.sj) for lk in links}
    timed = [
        (i, t.sentence) for i, a in enumerate(ctx.analyses) for t in a.times
        if t.clock_start is not None and not a.sentences[t.sentence].boilerplate
    ]
    out = []
    for x, (i, si) in enumerate(timed):
        for j, sj in timed[x + 1 :]:
            if i == j or (i, si, j, sj) in linked:
                continue
            cosine = float(ctx.vectors[i][si] @ ctx.vectors[j][sj])
            shared = ctx.sentence_words[i][si] & ctx.sentence_words[j][sj]
            if cosine >= CLOCK_PAIR_COSINE and shared & _EVENT_WORDS:
                out.append(Link(i, si, j, sj, cosine, cosine))
    return out


def denial_links(ctx: Context, links: list[Link]) -> list[Link]:
    """Sentence pairs beyond the alignment where one rejects what the other asserts, told by
    the denied proposition's own words ("rejected allegations that the Kremlin was behind the
    crash" / "many analysts suggested he was behind the death"): a denial and the claim it
    rejects are worded apart and rarely align."""
    check = check_of(DisputeKind.DENIAL)
    linked = {(lk.i, lk.si, lk.j, lk.sj) for lk in links} | {
        (lk.j, lk.sj, lk.i, lk.si) for lk in links}
    sentences = [(i, si) for i, a in enumerate(ctx.analyses) for si, s in enumerate(a.sentences)
                 if not s.boilerplate]
    out = []
    for i, si in sentences:
        denials = [v for v in sentence_values(ctx, check, i, si)
                   if v.normalized == "denies" and v.words]
        if not denials:
            continue
        for j, sj in sentences:
            if j == i or (i, si, j, sj) in linked:
                continue
            cosine = float(ctx.vectors[i][si] @ ctx.vectors[j][sj])
            if cosine < DENIAL_PAIR_COSINE:
                continue
            if any(rejects(d, c) for d in denials for c in sentence_values(ctx, check, j, sj)):
                out.append(Link(i, si, j, sj, cosine, cosine))
    return out
