"""The ``entities`` component: named-entity mentions from spaCy's NER, cleaned up.

Spans lose a leading "the" and a trailing possessive ("Iran's" -> "Iran"), never cross a line,
and single characters or spans without a letter are dropped. ``Mention.key`` stays "" (the
``names`` component fills it).
"""

from __future__ import annotations

import re

from storyline.model import Mention
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import locate

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"})
# Shorter names are almost always tagging noise ("U", "-"); "UN", "EU" and "US" survive.
MIN_CHARS = 2

_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’])$|[\s\-–—,.;:!?\"“”()\[\]]+$")
_LEAD_JUNK = re.compile(r"^[\s\-–—,.;:!?\"“”'‘’()\[\]]+")


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim an entity span: first line only, no leading "the", no trailing possessive."""
    newline = text.find("\n", start, end)
    if newline != -1:
        end = newline
    changed = True
    while changed and start < end:
        changed = False
        piece = text[start:end]
        for pattern in (_LEADING, _LEAD_JUNK):
            m = pattern.match(piece)
            if m and m.end() < len(piece):
                start += m.end()
                piece = text[start:end]
                changed = True
        m = _TRAILING.search(piece)
        if m and m.start() > 0:
            end = start + m.start()
            changed = True
    return start, end


class EntitiesComponent(PerArticleComponent):
    """Assigns ``mentions``: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT and LAW spans."""

    name = "entities"
    requires = ("doc", "sentences")
    assigns = ("mentions",)

    def __init__(self, labels: frozenset[str] = LABELS):
        self.labels = labels

    def mentions(self, work: Work) -> list[Mention]:
        text = work.text
        out = []
        for ent in work.doc.ents:
            if ent.label_ not in self.labels:
                continue
            start, end = clean_span(text, ent.start_char, ent.end_char)
            surface = text[start:end]
            if end - start < MIN_CHARS or not any(c.isalpha() for c in surface):
                continue
            sentence = locate(work, start, end)
            if sentence < 0:
                continue
            out.append(Mention(start, end, surface, ent.label_, sentence))
        return out
