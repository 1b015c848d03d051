"""Who said it and which medium carried it: the credit checks (speaker and source kinds).

A speaker is a person or body that can make a statement, never a pronoun, number, fragment or
medium; two credits name one speaker however they are spelled, and a credit that describes
rather than names ("health officials") cannot be told apart from any named official. Two quotes
are one statement when they keep most of their words and give no different figures; crediting
one statement to two speakers, or one person's statement to two media, is a dispute.
"""

from __future__ import annotations

import re

from storyline.compare.amounts import PLACE_LABELS, number_slots_meet, number_values, numbers_agree
from storyline.compare.context import BODY, Context, content_words
from storyline.compare.values import Value, in_sentence, value
from storyline.nlp.names import fold, is_part_of, match_rule, same_medium_name, without_titles

# The quotes of a speaker dispute must say the same thing: this share of content words shared
# (one quote credited to two people keeps most of its words; a leader's announcement and a
# tweet relaying it share a third of them).
SAME_STATEMENT_JACCARD = 0.5
SAME_QUOTE_COSINE = 0.70
# A figure this large identifies a statement ("174 dead"); "two soldiers" does not.
FIGURE_MIN = 10

# Speakers that are never people: pronouns, relative pronouns, generic nouns.
_NOT_SPEAKERS = {
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "which", "who", "that",
    "this", "these", "those", "one", "officials", "sources", "source", "reports", "report",
    "statement", "the statement", "witnesses", "residents", "people", "some", "others",
}
_MEDIA_WORDS = re.compile(
    r"\b(?:news|agency|press|tv|television|radio|channel|times|post|daily|herald|journal|"
    r"gazette|tribune|network|media|wire|broadcast(?:er|ing)?|newspaper|magazine|reuters|"
    r"afp|ap|bbc|cnn|xinhua|tass|ria|irna|isna|al jazeera|sky|dpa|efe|ansa|kyodo|yonhap)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "some", "several", "many", "both", "all", "most", "few"}

def valid_speaker(ctx: Context, name: str) -> bool:
    """A person or body that can make a statement: not a pronoun, number, fragment or medium."""
    words = name.split()
    if not words or len(words) > 6 or any(c.isdigit() for c in name) or "\n" in name:
        return False
    if words[0][:1].islower() and words[0] not in {"the", "a", "an"}:
        return False  # "among them two soldiers": a fragment
    if name.lower() in _NOT_SPEAKERS or not any(w[:1].isupper() for w in words):
        return False
    if words[0].lower() in _NUMBER_WORDS or " of the " in f" {name.lower()} ":
        return False  # "Two of the people": a fragment, not a name
    if _MEDIA_WORDS.search(name) or fold(name) in ctx.outlet_keys:
        return False  # an outlet or an upstream medium is a source, never a speaker
    return not any(same_medium_name(name, m) for m in ctx.media_names)


def bare_description(name: str) -> bool:
    """A credit that only describes, with no name in it: "The minister", "The individual",
    "Initial reports" (capitalised as a sentence's first word). A body ("The police") names
    itself. Such a credit is no entry of who an outlet quotes."""
    words = name.split()
    if not words or any(w[:1].isupper() for w in words[1:]) or BODY.search(name):
        return False
    return words[0].lower() in {"the", "a", "an"} or words[-1].lower() in _NOT_SPEAKERS


def speaker_values(ctx: Context, i: int, si: int) -> list[Value]:
    a = ctx.analyses[i]
    out = []
    for q in in_sentence(a.quotes, si):
        if not q.speaker or not valid_speaker(ctx, q.speaker):
            continue
        if q.content_start <= q.speaker_start < q.content_end:
            continue  # a name inside the quoted words is what was said, not who said it
        if any(m.start <= q.speaker_start < m.end and m.label in PLACE_LABELS
               for m in a.mentions) or (q.speaker.isupper() and len(q.speaker) > 4):
            continue  # a dateline ("SEOUL") or a place
        key = ctx.entity_of(i, q.speaker_start, q.speaker_end) or fold(q.speaker)
        words = frozenset(content_words(a.text[q.content_start : q.content_end]))
        # A person and a body are never two answers: the colonel of the state police and
        # "Lewiston Police" both told people to keep away from one gunman (held out).
        # (the tagger's ORG is no guide: it calls "Sergeant Ivo Marsh" one)
        body = ctx.entity_labels.get(key, "") in _BODIES or bool(
            BODY.search(q.speaker.split(" of ")[0]))
        out.append(value(ctx, i, si, q.speaker_start, q.speaker_end, q.speaker,
                          "speaker|body" if body else "speaker|person", key=key, words=words))
    return out



def same_speaker(x: Value, y: Value) -> bool:
    if x.key == y.key:
        return True
    a, b = without_titles(x.text), without_titles(y.text)
    if match_rule(a, b) or is_part_of(a, b) or is_part_of(b, a):
        return True
    return described(a) or described(b)  # "the lawmaker": cannot be told apart from a name


def same_statement(x: Value, y: Value) -> bool:
    """Two quotes that say the same thing (so crediting them differently is a dispute)."""
    if not x.words or not y.words:
        return False
    return len(x.words & y.words) / len(x.words | y.words) >= SAME_STATEMENT_JACCARD


def different_figures(ctx: Context, x: Value, y: Value) -> bool:
    """Two sentences giving different figures of one count ("the toll rose to 233, X said" /
    "has risen to 261, Y said"): two statements, whoever made them."""
    return any(number_slots_meet(a, b) and not numbers_agree(a, b)
               for a in number_values(ctx, x.article, x.sentence)
               for b in number_values(ctx, y.article, y.sentence))


def same_figure(ctx: Context, x: Value, y: Value) -> bool:
    """Two sentences giving one exact figure of one count ("the toll is 174, X said" / "174
    died, Y said"): crediting it to different people is a dispute of who gave it."""
    for a in number_values(ctx, x.article, x.sentence):
        for b in number_values(ctx, y.article, y.sentence):
            # the stated number itself: 92 in "92", "at least 92" and "more than 92"
            if a.low == b.low >= FIGURE_MIN and number_slots_meet(a, b):
                return True
    return False


# Lower-case words that end people's names ("Ludwig van", "Abu Bakr bin"): no common noun.
_PARTICLES = frozenset({"bin", "ibn", "bint", "van", "von", "de", "da", "di", "du", "der", "den",
                        "la", "le", "ben", "abu", "al", "el"})


def described(name: str) -> bool:
    """A credit that describes rather than names: "the lawmaker", "health officials", and a
    group named by its common noun ("Palestinian health officials", "Health authorities in
    Gaza", "Israeli military officials"), which any named official of it may be."""
    words = name.split()
    first = words[0] if words else ""
    before = re.split(r"\s+(?:in|of|at|from|for)\s+", name)[0].split()
    head = before[-1:]
    return (first.lower() in {"the", "a", "an"} or first[:1].islower()
            or bool(head and re.fullmatch(r"[a-z]+", head[0]) and head[0] not in _PARTICLES)
            # capitalised as a sentence's first word: "Officials in Bhubaneswar said ..."
            or (len(before) == 1 and first.lower() in _NOT_SPEAKERS))


def source_values(ctx: Context, i: int, si: int) -> list[Value]:
    a = ctx.analyses[i]
    out = []
    for r in in_sentence(a.attributions, si):
        if not ctx.is_medium(i, r.source) or ctx.is_own_outlet(i, r.source):
            continue  # "an official told USA TODAY" in USA Today is its own reporting
        out.append(value(ctx, i, si, r.source_start, r.source_end, r.source, "source",
                          key=fold(r.source)))
    return out


_STATEMENT_MAKERS = frozenset({"PERSON", "ORG"})
_BODIES = frozenset({"GPE", "NORP"})  # "Iran said", "the Israelis said"


def _named(name: str) -> bool:
    """A credited body's name, not a pronoun, fragment or number ("the Security Media Cell",
    whose "Media" keeps it out of ``valid_speaker``)."""
    words = name.split()
    return (0 < len(words) <= 6 and name.lower() not in _NOT_SPEAKERS
            and not any(c.isdigit() for c in name)
            and all(w[:1].isupper() for w in words if w.lower() not in {"the", "of", "a"}))


def one_speaker(ctx: Context, x: Value, y: Value) -> bool:
    """Whether two sentences quote one named person: only then is crediting them to different
    media a source dispute. Two outlets that carry one toll ("rose to 93, reports Geo News" /
    "the state-run Radio Pakistan reported") each credit a medium that did report it."""
    sx, sy = _speakers(ctx, x.article, x.sentence), _speakers(ctx, y.article, y.sentence)
    return any(same_speaker(a, b) for a in sx for b in sy)


def _speakers(ctx: Context, i: int, si: int) -> list[Value]:
    """Who a sentence's statement may be of: its quotes' speakers, and the people and bodies
    it names ("the Security Media Cell told Sawt al-Sahel"), media aside."""
    a = ctx.analyses[i]
    named = []
    for m in in_sentence(a.mentions, si):
        entity = ctx.entity_of(i, m.start, m.end)
        # the story's vote on what the name is: "Bir Salma" tagged a person once is a village
        if ctx.entity_labels.get(entity, m.label) not in _STATEMENT_MAKERS or not _named(m.text):
            continue
        if fold(m.text) in ctx.outlet_keys or any(
            same_medium_name(m.text, n) for n in ctx.media_names
        ):
            continue
        named.append(value(ctx, i, si, m.start, m.end, m.text, "speaker",
                           key=entity or fold(m.text)))
    return speaker_values(ctx, i, si) + named


def same_medium(x: Value, y: Value) -> bool:
    """Two credited media that are one ("Ska News Arabia" / "Sky News Arabia", "AFP" / "Agence
    France-Presse"); "BBC News" and "NBC News" are two (``names.same_medium_name``)."""
    return x.key == y.key or same_medium_name(x.text, y.text)
