"""The spaCy ``attribute_ruler``'s matches, found through an index instead of its Matcher.

The attribute ruler (tag -> POS and morphology, and ~120 word exceptions) ran all 179 patterns
of ``en_core_web_sm`` through spaCy's Matcher over every token: 0.83 CPU s for the 42,267
tokens of NewsWCL50, as much as the parser. Every pattern there is a fixed run of one or two
token specs over TAG, LOWER, DEP and IS_SPACE (equal, IN, NOT_IN, REGEX), so the matches can
be found by looking up each token's LOWER and TAG in an index of the patterns' first specs and
checking only those candidates (and the few patterns keyed otherwise) on the token's row of
``Doc.to_array``. The ruler then sets attributes from the same sorted matches as before
(``tests/unit/test_analysis_attribute_rules.py`` checks the matches equal the Matcher's on real
articles). A pattern outside that subset leaves the spaCy Matcher in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Matcher keys the index supports, in the order of the Doc.to_array columns.
COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_LOWER, _TAG = 0, 1
_NONE: list = []

Check = Callable[[list[int]], bool]


class IndexedMatcher:
    """``AttributeRuler.match`` over an index of its patterns (same output, sorted the same)."""

    def __init__(self, strings: Any, compiled: list[tuple[int, int, dict, list[list[Check]]]]):
        self.by_lower: dict[int, list] = {}
        self.by_tag: dict[int, list] = {}
        self.rest: list = []
        for attr_id, match_id, first, specs in compiled:
            entry = (attr_id, match_id, specs)
            keys = _first_keys(first, strings)
            if keys is None:
                self.rest.append(entry)
            else:
                column, values = keys
                index = self.by_lower if column == _LOWER else self.by_tag
                for value in values:
                    index.setdefault(value, []).append(entry)

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist() if len(doc) else []
        if rows and not isinstance(rows[0], list):  # one column per token if a single attr
            rows = [[r] for r in rows]
        n = len(rows)
        found = []
        candidates: dict[tuple[int, int], list] = {}
        for i, row in enumerate(rows):
            key = (row[_LOWER], row[_TAG])
            entries = candidates.get(key)
            if entries is None:
                entries = candidates[key] = (
                    self.by_lower.get(key[0], _NONE) + self.by_tag.get(key[1], _NONE) + self.rest
                )
            for attr_id, match_id, specs in entries:
                if i + len(specs) <= n and _holds(specs, rows, i):
                    found.append((attr_id, match_id, i, i + len(specs)))
        # The Matcher reports each (pattern key, start, end) once and the ruler sorts by key.
        return sorted(set(found))


def _holds(specs: list[list[Check]], rows: list[list[int]], i: int) -> bool:
    for j, spec in enumerate(specs):
        row = rows[i + j]
        for check in spec:
            if not check(row):
                return False
    return True


def _first_keys(first: dict, strings: Any) -> tuple[int, list[int]] | None:
    """(column, hashes) one of which every match's first token has, if its spec names them."""
    for column, key in ((_LOWER, "LOWER"), (_TAG, "TAG")):
        value = first.get(key)
        if isinstance(value, str):
            return column, [strings.add(value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return column, [strings.add(v) for v in value["IN"]]
    return None


def _check(column: int, value: Any, strings: Any) -> Check | None:
    """One token predicate over a to_array row, or None for a form the index cannot read."""
    if COLUMNS[column] == "IS_SPACE":
        if not isinstance(value, bool):
            return None
        want = int(value)
        return lambda row: row[column] == want
    if isinstance(value, str):
        h = strings.add(value)
        return lambda row: row[column] == h
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        hashes = frozenset(strings.add(a) for a in arg)
        if op == "IN":
            return lambda row: row[column] in hashes
        return lambda row: row[column] not in hashes
    if op == "REGEX" and isinstance(arg, str):
        pattern = re.compile(arg)
        seen: dict[int, bool] = {}

        def search(row: list[int]) -> bool:
            h = row[column]
            if h not in seen:
                seen[h] = bool(pattern.search(strings[h]))
            return seen[h]

        return search
    return None


def compile_ruler(ruler: Any) -> IndexedMatcher | None:
    """An IndexedMatcher for the ruler's patterns, or None when one is outside the subset."""
    strings = ruler.vocab.strings
    compiled = []
    for attr_id, entry in enumerate(ruler.patterns):
        patterns = entry["patterns"]
        # The ruler keys each add() by its ordinal as a string; matches sort by that ordinal.
        match_id = strings.add(str(attr_id))
        for pattern in patterns:  # alternatives under one key
            if not pattern or not all(isinstance(token, dict) for token in pattern):
                return None
            specs = []
            for token in pattern:
                checks = []
                for key, value in token.items():
                    if key not in COLUMNS:  # "OP" and other attributes: left to the Matcher
                        return None
                    check = _check(COLUMNS.index(key), value, strings)
                    if check is None:
                        return None
                    checks.append(check)
                specs.append(checks)
            compiled.append((attr_id, match_id, pattern[0], specs))
    return IndexedMatcher(strings, compiled)


def index_attribute_ruler(nlp: Any) -> bool:
    """Give the pipeline's attribute_ruler the indexed matcher; False if it keeps spaCy's."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    matcher = compile_ruler(ruler)
    if matcher is None:
        return False
    ruler.match = matcher
    return True
