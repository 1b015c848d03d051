"""Merge entity mentions across articles into entities, keeping each outlet's spellings.

Spellings are merged by the rules of ``nlp.names`` (exact, spelling, transliteration, fuzzy),
then short forms join the one full name they end ("Soleimani" -> "Qasem Soleimani"). A
descriptive phrase ("a top Iranian general") is linked to a person when an aligned sentence of
another outlet names that person next to the same role noun ("Iranian General, Qasem
Soleimani") and the describing sentence names no person itself.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.compare.align import Link
from storyline.compare.context import Context
from storyline.compare.countries import country_names
from storyline.model import EntityVariant, MergedEntity
from storyline.nlp.attributions import KNOWN_MEDIA, MEDIA_WORDS
from storyline.nlp.names import LABEL_GROUPS, fold, match_rule, part_rule

# Rules from most to least certain; an entity reports the least certain rule it needed.
RULE_CONFIDENCE = {
    "exact": 1.0,
    "spelling": 0.95,
    "transliteration": 0.85,
    "part-of-name": 0.8,
    "place-core": 0.8,
    "fuzzy": 0.75,
    "transposition": 0.7,
}
# Rules too loose to merge names the NER labelled as different kinds of thing.
_SAME_KIND_ONLY = {"fuzzy", "transposition"}

# The type of a merged entity is voted: each mention's NER label is one vote, a cue word next
# to a mention is worth CUE_VOTES ("Ain al-Asad airbase" is a place whatever the tagger said),
# a verb of saying after a person-like mention SAID_VOTES (states and bodies "say" too).
CUE_VOTES = 2.0
SAID_VOTES = 0.5
# A mention spelled as a well-known medium's name (nlp.attributions.KNOWN_MEDIA).
KNOWN_MEDIUM_VOTES = 1.0
# Nouns that, written right after a name or as its last word, say what it names.
_CUE_AFTER = {
    **dict.fromkeys(
        "base airbase airfield airport camp compound port harbour harbor bridge embassy "
        "consulate barracks refinery plant dam reservoir canal station prison stadium".split(),
        "FAC",
    ),
    **dict.fromkeys(
        "province city governorate district town village county region capital municipality "
        "township prefecture".split(),
        "GPE",
    ),
    **dict.fromkeys(
        "ministry party agency council militia brigade brigades movement committee company "
        "corporation university organisation organization commission wire courier gazette "
        "tribune herald".split(),
        "ORG",
    ),
}
# A medium's kind written as a name's last word ("Sky News", "Kurdistan 24 TV"); "site" and
# "station" more often end a place ("the test site", "the police station").
_MEDIA_KIND = MEDIA_WORDS - {"site", "station"} - set(_CUE_AFTER)
# Titles written right before a person's name ("Mr", "minister", "Gen.").
_TITLES = frozenset(
    "mr mrs ms dr sir gen general minister president spokesman spokeswoman spokesperson colonel "
    "col lt lieutenant sgt sergeant sheikh ayatollah imam commander chief king prince "
    "princess queen senator sen rep judge premier ambassador envoy cleric secretary".split()
)
_SAID = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|stated|tweeted)\b", re.IGNORECASE)
_WORDS_AFTER = re.compile(r"[A-Za-z](?:[A-Za-z'-]|\.(?=[A-Za-z]))*|,|&")
# Words between a name and its cue noun: "military" base, "air" base, "and Erbil" bases.
_MODIFIERS = frozenset("military air naval army main joint us u.s american and , &".split())
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[.,]?\s*$")
# How many characters around a mention are read for its cue words.
CUE_WINDOW = 30
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
            # FAC in the next), so certain rules merge across labels; loose ones do not.
            if kx[0] == ky[0] or (rule not in _SAME_KIND_ONLY and {kx[0], ky[0]} <= _NAMED):
                union(kx, ky, rule)
    # A place written with its kind or the country it lies in ("Jajarkot district", "Nepal's
    # Jajarkot") is the place written bare, where the bare form is itself a mention.
    places = {k[1] for k in keys if k[0] == "place"}
    for k in keys:
        core = _place_core(k[1], places) if k[0] in _NAMED else k[1]
        if core != k[1] and ("place", core) in parent:
            union(("place", core), k, "place-core")
    # Short forms join the single full name they end.
    persons = [k for k in keys if k[0] == "person"]
    # A cue noun alone ("Municipality", "Ministry") is a common noun, not a person's short name.
    for short in [k for k in keys if k[0] in _NAMED and k[1] not in _CUE_AFTER]:
        fulls = {
            (find(f), rule)
            for f in persons
            if f != short and (rule := part_rule(short[1], f[1]))
        }
        if len({root for root, _ in fulls}) == 1:
            root, rule = min(fulls, key=lambda rr: -RULE_CONFIDENCE[rr[1]])
            union(root, short, rule)

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
        label = vote_label(ctx, mentions)
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


# The words of a place's kind that may follow its name ("district", "province").
_PLACE_KINDS = frozenset(w for w, kind in _CUE_AFTER.items() if kind == "GPE")


def _place_core(folded: str, places: set[str]) -> str:
    """A folded place name without its kind word ("jajarkot district") or a leading place it
    lies in ("nepal jajarkot", from "Nepal's Jajarkot"); the name itself when neither."""
    words = folded.split()
    if len(words) > 1 and words[-1] in _PLACE_KINDS and not (
        words[-1] == "city" and " ".join(words[:-1]) in country_names()
    ):  # "Mexico City" and "Kuwait City" are not their countries
        words = words[:-1]
    for cut in range(1, len(words)):
        if " ".join(words[:cut]) in places and " ".join(words[cut:]) in places:
            words = words[cut:]
            break
    return " ".join(words)


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


def _cue(text: str, m) -> tuple[str, float, bool] | None:
    """The label a cue word next to one mention votes for, its weight, and whether it also
    votes for the label shown (not only for its group), or None."""
    last = m.text.split()[-1].lower() if m.text.split() else ""
    if last in _CUE_AFTER:
        return _CUE_AFTER[last], CUE_VOTES, True  # "Ain al-Asad Airbase", "Ministry" as a last word
    if last in _MEDIA_KIND:
        return "ORG", CUE_VOTES, True  # a medium by its kind word: "Sky News", "Meridian Wire"
    if m.text.lower().removeprefix("the ") in KNOWN_MEDIA:
        # "Yonhap", "Sputnik"; one vote only, as "Bloomberg" may be Michael Bloomberg
        return "ORG", KNOWN_MEDIUM_VOTES, True
    first = m.text.split()[0].lower() if m.text.split() else ""
    if first in {"ministry", "province", "city", "university"}:
        return _CUE_AFTER[first], CUE_VOTES, True  # "Ministry of Defence", "Province of Anbar"
    after = text[m.end : m.end + CUE_WINDOW]
    noun_label = _noun_after(after)
    # "the US base", "the Iraqi parliament": a country or nationality before a noun is its
    # attribute: an organisation's noun says nothing of it, a place's says it is a place.
    if noun_label and m.label in {"GPE", "NORP"}:
        return (m.label, CUE_VOTES, False) if noun_label in {"FAC", "GPE"} else None
    if noun_label:
        return noun_label, CUE_VOTES, True
    before = _WORD_BEFORE.search(text[max(0, m.start - CUE_WINDOW) : m.start])
    # "a chief Iraqi negotiator": a nationality after a title is not the person
    if before and before.group(1).lower() in _TITLES and m.label != "NORP":
        return "PERSON", CUE_VOTES, True
    if m.label in {"PERSON", "ORG", "FAC"} and _SAID.match(after):
        return "PERSON", SAID_VOTES, True
    return None


def _singulars(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif word.endswith("es"):
        forms += [word[:-1], word[:-2]]
    elif word.endswith("s"):
        forms.append(word[:-1])
    return forms


def _noun_after(after: str) -> str | None:
    """The label of the cue noun a name stands before, past modifiers and a coordinated name:
    "Ayn al-Asad and Erbil military bases", "Anbar province", "Ain al-Asad air base"."""
    if not after[:1].isspace():
        return None  # "Washington-based", "Iran-backed": a compound, not a name and its noun
    for word in _WORDS_AFTER.findall(after):
        low = word.lower()
        for form in _singulars(low):  # "bases", "provinces", "cities"
            if form in _CUE_AFTER:
                return _CUE_AFTER[form]
        if low not in _MODIFIERS and not word[:1].isupper():
            return None
    return None


def vote_label(ctx: Context, mentions: list[tuple[int, object]]) -> str:
    """An entity's type by vote: the NER labels of its mentions and the cue words beside them.

    The votes are counted per label group (a base tagged FAC in one article and LOC in another
    is one place); the label shown is the label of the winning group with most votes (NER
    labels and cues alike), so a cue names the label even when no mention was tagged that way.
    """
    votes: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    # Ties go to the label of the fullest name: "Qasem Soleimani" (PERSON) over "Soleimani" (GPE).
    longest: Counter[str] = Counter()
    for i, m in mentions:
        group = LABEL_GROUPS.get(m.label, m.label)
        votes[group] += 1.0
        labels[m.label] += 1
        longest[m.label] = max(longest[m.label], len(m.text.split()))
        cue = _cue(ctx.analyses[i].text, m)
        if cue:
            label, weight, names_label = cue
            votes[LABEL_GROUPS.get(label, label)] += weight
            if names_label:
                labels[label] += weight  # "military bases" makes the place a FAC, not a GPE
    def group_of(label: str) -> str:
        return LABEL_GROUPS.get(label, label)

    span = Counter()
    for label, n in longest.items():
        span[group_of(label)] = max(span[group_of(label)], n)
    winner = max(votes, key=lambda g: (votes[g], span[g], g))
    in_group = [lab for lab in labels if group_of(lab) == winner]
    return max(in_group, key=lambda lab: (labels[lab], longest[lab], lab))
