"""Full-text search of the PostgreSQL store: the ``search`` tsvector of migration 3 in its GIN
index, with the answers of the SQLite store's FTS5 search (browse.py). Methods of
``PostgresStore``."""

from __future__ import annotations

import re
import unicodedata

from storyline.store import browse, codec

_WORD = re.compile(r"\w+", re.UNICODE)
# The combining marks the index strips after decomposing (postgres_migrations.SEARCH_VECTOR).
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Text as the index holds it: lower case, decomposed, without combining marks."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))


def tsquery(text: str) -> str:
    """The to_tsquery text for what a user typed: every word, quoted, as a prefix ("" if none).

    Words are ``\\w+`` runs, so no character a user types is read as tsquery syntax."""
    words = _WORD.findall(fold(text))[: browse.MAX_TERMS]
    return " & ".join(f"'{w}':*" for w in words)


def search_articles(store, text: str, outlet: str = "", offset: int = 0,
                    limit: int = 50) -> tuple[int, list]:
    """(how many latest revisions match, at most browse.COUNT_CAP; one page of them newest
    first, undated last) for words in the title or text, optionally of one outlet
    (case-insensitive), as browse.search_articles answers on SQLite."""
    query = tsquery(text)
    where, params = ["a.latest"], []
    if query:
        where.append("a.search @@ to_tsquery('simple', ?)")
        params.append(query)
    if outlet:
        where.append("lower(a.outlet) = lower(?)")
        params.append(outlet)
    joined = f"FROM articles a WHERE {' AND '.join(where)}"
    total = store._scalar(f"SELECT COUNT(*) AS n FROM (SELECT 1 {joined} LIMIT ?) AS hits",
                          (*params, browse.COUNT_CAP))
    columns = ", ".join(f"a.{c}" for c in codec.ARTICLE_COLUMNS)
    # the order of the articles_newest index, so a page needs no sort of every match
    rows = store._all(
        f"SELECT {columns} {joined} ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC "
        "LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return total, [codec.article_from_row(r) for r in rows]


def articles_matching(store, text: str) -> set[str]:
    """The ids of the latest revisions whose title or text holds every word of ``text``, as
    browse.articles_matching answers on SQLite; none when it has no word."""
    query = tsquery(text)
    if not query:
        return set()
    # the ids in one value, from the narrow words table (migration 5): at 100k articles, a
    # word all of them hold, load ~6: 127-163 ms from the articles' rows; as their stories
    # through story_articles 220-258 ms, as 100k rows 238-263 ms
    ids = store._scalar("SELECT string_agg(id, ' ') AS ids FROM article_words "
                        "WHERE words @@ to_tsquery('simple', ?)", (query,))
    return set(ids.split(" ")) if ids else set()
