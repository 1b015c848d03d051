"""Claims: aligned sentence groups labelled shared / only in one outlet / conflicting.

A sentence without an aligned counterpart is "only in" its outlet when what it says is absent
from every other outlet's text: a name or a number none of them has, or most of its content
words. An unaligned sentence whose content the others do carry (in other words, spread over
other sentences) is no fact nobody else reports, and is not listed as one.

A sentence that aligns with another outlet's sentence can still carry a detail nobody else
reports ("..., heeding a call from former PM Adil Abdul Mahdi"). Such a clause becomes its own
``only_in`` claim when it names an entity that no other article mentions.
"""

from __future__ import annotations

import re

from storyline.compare.align import Link, best_match
from storyline.compare.context import Context, content_words
from storyline.compare.disputes import FACTUAL
from storyline.model import Claim, ClaimGroup, ClaimStatus, Dispute

# Confidence that a sentence is reported by one outlet only: 1 - its best alignment score,
# kept within these bounds because the alignment itself is uncertain at both ends.
ONLY_IN_CONFIDENCE = (0.3, 0.95)

# Where a sentence splits into clauses that can carry their own detail.
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?=(?:heeding|adding|saying|following|citing|while|whereas|which|after|but|"
    r"as well as|although|despite|amid|noting)\b)|\s+(?=(?:while|whereas|but)\s)"
)
# Entities whose absence elsewhere makes a clause a detail of its own. Places are left out:
# "officials in Baghdad said" locates a source rather than adding a fact.
DETAIL_LABELS = frozenset({"PERSON", "ORG", "NORP", "EVENT", "LAW", "FAC"})
# A detail clause must be long enough to be a statement of its own.
MIN_CLAUSE_CHARS = 25
# An unaligned sentence without a new name or number is only-in when at least this share of its
# content words, and at least MIN_NOVEL_WORDS of them, occur in no other outlet's text. Tried in
# this order on the gold events (benchmarks/only_in_share.py; only-in recall NewsWCL50 / twelve,
# 0.66 / 0.83 before): 1/2 and 2 -> 0.57 / 0.50; 0.34 and 3 -> 0.62 / 0.83 (twelve's gold
# only-in sentences have 36-64 % new words, its shared-fact sentences mostly under 40 %); 0.34
# and 2 with new places counted as names (quiet: "the Tarna") -> 0.63 / 0.83, and the share of
# sentences marked only-in 41 % -> 29 %.
NOVEL_SHARE = 0.34
MIN_NOVEL_WORDS = 2
# In a whole unaligned sentence a new place is a new fact too ("the deal does not cover the
# Tarna"); amounts and dates are read as numbers, not as names.
NEW_NAME_LABELS = DETAIL_LABELS | {"GPE", "LOC", "PRODUCT", "WORK_OF_ART", "LANGUAGE"}
# Numbers and month names: a figure or a month nobody else gives is a fact of its own ("first
# reported to the authorities in November").
_NUMBER = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])|\b(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b"
)


def _claim(ctx: Context, i: int, si: int, start: int | None = None, end: int | None = None):
    a = ctx.analyses[i]
    s = a.sentences[si]
    start, end = (s.start, s.end) if start is None else (start, end)
    return Claim(f"{a.article.id}:{start}-{end}", ctx.evidence(i, start, end, si))


def _clauses(text: str, offset: int) -> list[tuple[int, int]]:
    spans, last = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(text)))
    return [
        (offset + s, offset + e) for s, e in spans if len(text[s:e].strip()) >= MIN_CLAUSE_CHARS
    ]


def _unique_detail(
    ctx: Context,
    i: int,
    start: int,
    end: int,
    reach: dict[str, set[int]],
    of_mention: dict[tuple[int, int], str],
) -> bool:
    """Whether a span names an entity that no other article mentions.

    Amounts are left to the conflict checks: a different number is a conflict, not a detail.
    """
    a = ctx.analyses[i]
    for m in a.mentions:
        if not (start <= m.start and m.end <= end and m.label in DETAIL_LABELS):
            continue
        if reach.get(of_mention.get((i, m.start), ""), {i}) != {i}:
            continue  # merged with a mention in another article
        # NER tags a name in one article and misses it in another: look for the words too.
        pattern = re.compile(rf"\b{re.escape(m.text.lower())}\b")
        if not any(pattern.search(b.text.lower()) for j, b in enumerate(ctx.analyses) if j != i):
            return True
    return False


def _others(ctx: Context, i: int) -> tuple[set[str], set[str]]:
    """Content words and numbers of every article but ``i`` (memoised per comparison)."""
    if "only_in_vocab" not in ctx.cache:
        ctx.cache["only_in_vocab"] = [
            (content_words(b.text), {n.replace(",", "") for n in _NUMBER.findall(b.text)})
            for b in ctx.analyses
        ]
    key = ("only_in_others", i)
    if key not in ctx.cache:
        vocab = ctx.cache["only_in_vocab"]
        words = set().union(*(w for j, (w, _) in enumerate(vocab) if j != i))
        numbers = set().union(*(n for j, (_, n) in enumerate(vocab) if j != i))
        ctx.cache[key] = (words, numbers)
    return ctx.cache[key]


# A line that only introduces what the next one quotes: "As FoxNews.com reported:", "Jennifer
# Jacobs of Bloomberg News tweeted" (a careful reader marked both "no fact" where the
# comparison had them only in one outlet).
_LEAD_IN = re.compile(
    r"(?::|\b(?:tweeted|wrote|said|says|reported|reports|added|posted|stated|noted))\s*$"
)


def reports_new(
    ctx: Context,
    i: int,
    si: int,
    reach: dict[str, set[int]],
    of_mention: dict[tuple[int, int], str],
) -> bool:
    """Whether an unaligned sentence says something no other outlet's text says."""
    a = ctx.analyses[i]
    s = a.sentences[si]
    if _LEAD_IN.search(a.sentence_text(si)):
        return False  # "As FoxNews.com reported:": what follows says it, this line says nothing
    if _unique_detail(ctx, i, s.start, s.end, reach, of_mention):
        return True
    text = a.sentence_text(si)
    words, numbers = _others(ctx, i)
    if any(n.replace(",", "") not in numbers for n in _NUMBER.findall(text)):
        return True
    for m in a.mentions:
        if s.start <= m.start and m.end <= s.end and m.label in NEW_NAME_LABELS:
            if content_words(m.text) and not content_words(m.text) & words:
                return True  # no word of the name occurs in any other outlet's text
    own = content_words(text)
    novel = own - words
    return len(novel) >= MIN_NOVEL_WORDS and len(novel) >= NOVEL_SHARE * len(own)


def claim_groups(
    ctx: Context,
    groups: list[list[tuple[int, int]]],
    links: list[Link],
    disputes: list[Dispute],
    dispute_ids: dict[int, list[str]],
    of_mention: dict[tuple[int, int], str],
) -> tuple[tuple[ClaimGroup, ...], dict[int, str]]:
    """Claim groups in reading order of the articles, and each aligned group's final id.

    Groups made only of page clutter are left out: clutter is no claim.
    """
    reach: dict[str, set[int]] = {}  # entity id -> articles that mention it
    for (i, _), eid in of_mention.items():
        reach.setdefault(eid, set()).add(i)
    link_score: dict[tuple[int, int], list[float]] = {}
    for link in links:
        for node in ((link.i, link.si), (link.j, link.sj)):
            link_score.setdefault(node, []).append(link.score)
    kind_of = {d.id: d.kind for d in disputes}

    out: list[ClaimGroup] = []
    final_id: dict[int, str] = {}
    for index, members in enumerate(groups):
        members = [(i, si) for i, si in members if not ctx.analyses[i].sentences[si].boilerplate]
        if not members:
            continue
        articles = sorted({i for i, _ in members})
        claims = tuple(_claim(ctx, i, si) for i, si in members)
        outlets = tuple(ctx.labels[i] for i in articles)
        if len(articles) == 1:
            i, si = members[0]
            if not reports_new(ctx, i, si, reach, of_mention):
                continue  # unaligned, yet the others carry what it says
            conf = 1.0 - best_match(ctx, i, si)
            lo, hi = ONLY_IN_CONFIDENCE
            out.append(
                ClaimGroup(
                    f"g{len(out) + 1}",
                    ClaimStatus.ONLY_IN,
                    outlets,
                    claims,
                    round(min(hi, max(lo, conf)), 3),
                )
            )
            continue
        found = tuple(dispute_ids.get(index, ()))
        factual = [d for d in found if kind_of[d] in FACTUAL]
        scores = [s for node in members for s in link_score.get(node, [])]
        status = ClaimStatus.CONFLICTING if factual else ClaimStatus.SHARED
        final_id[index] = f"g{len(out) + 1}"
        out.append(
            ClaimGroup(
                final_id[index],
                status,
                outlets,
                claims,
                round(min(0.99, sum(scores) / len(scores)), 3) if scores else 0.5,
                found,
            )
        )
        for i, si in members:
            s = ctx.analyses[i].sentences[si]
            for start, end in _clauses(ctx.analyses[i].sentence_text(si), s.start):
                if (start, end) != (s.start, s.end) and _unique_detail(
                    ctx, i, start, end, reach, of_mention
                ):
                    out.append(
                        ClaimGroup(
                            f"g{len(out) + 1}",
                            ClaimStatus.ONLY_IN,
                            (ctx.labels[i],),
                            (_claim(ctx, i, si, start, end),),
                            0.6,
                        )
                    )
    return tuple(out), final_id  # a group's id is its position in reading order
