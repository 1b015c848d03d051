"""A search hit's snippet: a piece of the article's own text around the first word found, cut
at word boundaries (the search page showed 'ents of Deir al-Saqr ...')."""

from __future__ import annotations

from storyline.service.browsing import SNIPPET_CHARS, _snippet

TEXT = ("Residents of Deir al-Saqr have fled to safety after engineers detected cracks in the "
        "Bayt Amir Dam. Some 2,700 families have been moved from their homes in the districts "
        "below the dam, officials said on Friday evening after a long meeting in the capital.")


def test_the_snippet_is_whole_words_of_the_text_around_the_hit():
    snippet = _snippet(TEXT, "families")
    at = TEXT.index(snippet)  # the article's own characters, unchanged
    assert "families" in snippet and len(snippet) <= SNIPPET_CHARS
    assert at == 0 or TEXT[at - 1] == " "
    end = at + len(snippet)
    assert end == len(TEXT) or TEXT[end] == " "


def test_short_texts_and_misses_keep_the_start():
    assert _snippet("short dam text", "dam") == "short dam text"
    assert TEXT.startswith(_snippet(TEXT, "zzqx"))
    assert _snippet("", "dam") == ""
