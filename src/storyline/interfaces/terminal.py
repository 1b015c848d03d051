"""Article-derived strings made safe for the terminal: the one helper every Rich output uses.

Titles, outlets, texts, URLs and file names come from whoever wrote the feed. Printed as Rich
markup, a ``[/]`` in a title ends the report in a MarkupError and ``[link=...]`` forges a link;
printed raw, an ESC sequence in an outlet moves the cursor, recolours or clears the screen. So
every such value goes through ``safe`` (a ``rich.text.Text``, which Rich never parses as markup)
or, where a plain string is needed (CSV, a progress description), ``clean``.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the Unicode
# bidirectional embeddings, overrides and isolates, which reorder what the terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\u2028\u2029]")


def clean(value: object) -> str:
    """The value as a string without control characters (tab and newline kept; Unicode line
    and paragraph separators become newlines)."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", text))


def safe(value: object, style: str = "") -> Text:
    """The value as Rich Text printed exactly as it reads: no markup, no control characters."""
    return Text(clean(value), style=style)
