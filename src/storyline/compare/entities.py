"""Merge entity mentions across articles into entities, keeping each outlet's spellings.

Spellings are merged by the rules of ``nlp.names`` (exact, spelling, transliteration, fuzzy),
then short forms join the one full name they end ("Soleimani" -> "Qasem Soleimani"). A
descriptive phrase ("a top Iranian general") is linked to a person when an aligned sentence of
another outlet names that person next to the same role noun ("Iranian General, Qasem
Soleimani") and the describing sentence names no person itself.
"""

from __future__ import annotations

from collections import Counter

from storyline.compare.align import Link
from storyline.compare.context import Context
from storyline.model import EntityVariant, MergedEntity
from storyline.nlp.names import LABEL_GROUPS, fold, is_part_of, match_rule

# Rules from most to least certain; an entity reports the least certain rule it needed.
RULE_CONFIDENCE = {
    "exact": 1.0,
    "spelling": 0.95,
    "transliteration": 0.85,
    "part-of-name": 0.8,
    "fuzzy": 0.75,
}
# Label groups a name can wander between under NER errors.
_NAMED = {"person", "place", "org"}
# How far (characters) from a person's name a role noun may stand to describe that person
# ("major Iranian General, Qasem Soleimani" has "General" 2 characters before the name).
ROLE_WINDOW = 40


def _forms(ctx: Context) -> dict[tuple[str, str], list[tuple[int, object]]]:
    """Distinct (label group, folded text) forms with their mentions."""
    forms: dict[tuple[str, str], list[tuple[int, object]]] = {}
    for i, a in enumerate(ctx.analyses):
        for m in a.mentions:
            key = (LABEL_GROUPS.get(m.label, m.label), fold(m.text))
            if key[1]:
                forms.setdefault(key, []).append((i, m))
    return forms


def merge_entities(
    ctx: Context, links: list[Link]
) -> tuple[tuple[MergedEntity, ...], dict[tuple[int, int], str]]:
    """The merged entity list, most widely reported first, and each mention's entity id.

    Mentions are keyed by (article index, mention start).
    """
    forms = _forms(ctx)
    keys = list(forms)
    parent = {k: k for k in keys}
    rules: dict[tuple[str, str], set[str]] = {k: {"exact"} for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b, rule):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
            rules[ra] |= rules[rb] | {rule}

    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            kx, ky = keys[x], keys[y]
            rule = match_rule(forms[kx][0][1].text, forms[ky][0][1].text)
            if not rule or (rule == "exact" and kx[0] == ky[0]):
                continue
            # NER labels foreign names inconsistently (a base tagged PERSON in one sentence and
            # FAC in the next), so certain rules merge across labels; fuzzy ones do not.
            if kx[0] == ky[0] or (rule != "fuzzy" and {kx[0], ky[0]} <= _NAMED):
                union(kx, ky, rule)
    # Short forms join the single full name they end.
    persons = [k for k in keys if k[0] == "person"]
    for short in [k for k in keys if k[0] in _NAMED]:
        fulls = {find(f) for f in persons if f != short and is_part_of(short[1], f[1])}
        if len(fulls) == 1:
            union(fulls.pop(), short, "part-of-name")

    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    descriptions = _link_descriptions(ctx, links)

    entities, member_lists = [], []
    for root, members in groups.items():
        member_lists.append(members)
        mentions = [im for k in members for im in forms[k]]
        counts = Counter(m.text for _, m in mentions)
        name = max(counts, key=lambda t: (len(t.split()), counts[t], len(t)))
        label = Counter(m.label for _, m in mentions).most_common(1)[0][0]
        variants, seen = [], set()
        for i, m in sorted(mentions, key=lambda im: (im[0], im[1].start)):
            if (i, m.text) in seen:
                continue
            seen.add((i, m.text))
            variants.append(
                EntityVariant(ctx.labels[i], m.text, ctx.evidence(i, m.start, m.end, m.sentence))
            )
        used = sorted(rules[root] - {"exact"} or {"exact"}, key=lambda r: -RULE_CONFIDENCE[r])
        described = tuple(
            d
            for d, target in descriptions
            if any(fold(target) == fold(v.spelling) for v in variants)
        )
        entities.append(
            MergedEntity(
                id="",
                name=name,
                label=label,
                variants=tuple(variants),
                rule="+".join(used),
                confidence=RULE_CONFIDENCE[used[-1]],
                descriptions=described,
            )
        )
    order = sorted(
        range(len(entities)),
        key=lambda n: (
            -len({v.outlet for v in entities[n].variants}),
            -len(entities[n].variants),
            entities[n].name,
        ),
    )
    final, of_mention = [], {}
    for rank, n in enumerate(order):
        e = entities[n]
        eid = f"e{rank + 1}"
        final.append(
            MergedEntity(eid, e.name, e.label, e.variants, e.rule, e.confidence, e.descriptions)
        )
        for k in member_lists[n]:
            for i, m in forms[k]:
                of_mention[(i, m.start)] = eid
    return tuple(final), of_mention


def _link_descriptions(ctx: Context, links: list[Link]) -> list[tuple[EntityVariant, str]]:
    """(description variant, person name) pairs supported by an aligned sentence."""
    out: list[tuple[EntityVariant, str]] = []
    seen = set()
    for link in links:
        for (i, si), (j, sj) in (
            ((link.i, link.si), (link.j, link.sj)),
            ((link.j, link.sj), (link.i, link.si)),
        ):
            a, b = ctx.analyses[i], ctx.analyses[j]
            descs = [d for d in a.descriptions if d.sentence == si]
            if not descs or any(m.sentence == si and m.label == "PERSON" for m in a.mentions):
                continue
            persons = [m for m in b.mentions if m.sentence == sj and m.label == "PERSON"]
            for d in descs:
                for p in persons:
                    lo = max(b.sentences[sj].start, p.start - ROLE_WINDOW)
                    window = b.text[lo : p.end + ROLE_WINDOW].lower()
                    if d.head.lower() in window and (i, d.start) not in seen:
                        seen.add((i, d.start))
                        out.append(
                            (
                                EntityVariant(
                                    ctx.labels[i], d.text, ctx.evidence(i, d.start, d.end, si)
                                ),
                                p.text,
                            )
                        )
    return out
