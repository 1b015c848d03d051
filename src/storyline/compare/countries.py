"""Country names as the CLDR writes them in English (babel), read once."""

from __future__ import annotations

from functools import cache

from babel import Locale

from storyline.nlp.names import fold


@cache
def country_names() -> dict[str, str]:
    """Country names, folded, to the name as written ("mexico" -> "Mexico")."""
    return {fold(n): n for code, n in Locale("en").territories.items()
            if code.isalpha() and len(code) == 2}
