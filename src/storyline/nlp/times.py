"""The ``times`` component: date expressions, resolved against the article's published date.

Rules (``published`` is the article's publication date; P below):

- absolute with a year ("5 January 2020", "January 5, 2020") -> that date, even without P;
- day and month ("on 5 January", "Jan. 5") -> that day in P's year; if that lands more than
  ``FUTURE_TOLERANCE_DAYS`` after P the report meant the previous year;
- weekday ("on Monday") -> the most recent such day on or before P; "last Monday" -> strictly
  before P; "next Monday" -> strictly after P (relative=True);
- "today", "yesterday", "tomorrow", "N days/weeks ago" -> from P (relative=True);
- "three days later", "a week earlier", "the next day", "the following day" -> from the most
  recent date resolved before it in the text (relative=True), None when there is none;
- any other spaCy DATE entity ("last week", "in recent weeks", "2019") is kept with value None.

Without P every non-absolute expression has value None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Any

from storyline.model import TimeExpression
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import locate

# Reports speak of the recent past: a day-month date more than this far after publication is
# last year's ("on 28 December" in a 3 January article).
FUTURE_TOLERANCE_DAYS = 62

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "thirty": 30, "several": None, "few": None, "a few": None,
}
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_NUM = r"(?P<n>\d+|" + "|".join(k for k in NUMBER_WORDS if k != "a few") + r")"
_UNIT = r"(?P<unit>days?|weeks?|fortnights?)"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}", re.I)),
    # "three days after the strike" counts from an event, not a date: left out.
    ("shift", re.compile(
        rf"\b{_NUM}\s+{_UNIT}\s+(?:(?P<dir>later|earlier)|(?P<dir2>after|before)"
        r"(?!\s+(?:the|a|an|his|her|its|their|he|she|it|they)\b))\b", re.I)),
    ("shift", re.compile(
        r"\b(?:the\s+)?(?P<dir>next|following|previous)\s+(?P<unit>day|week)\b", re.I)),
    ("ago", re.compile(rf"\b{_NUM}\s+{_UNIT}\s+ago\b", re.I)),
    ("deictic", re.compile(r"\b(?P<word>today|yesterday|tomorrow)\b", re.I)),
    ("weekday", re.compile(
        r"\b(?:(?P<which>last|next|this|on|since|until|by)\s+)?(?P<weekday>"
        + "|".join(WEEKDAYS) + r")\b", re.I)),
)
# Case matters for month names that are also words ("may", "march"): they must be capitalised.
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "jun", "jul", "aug", "sep", "oct", "nov",
                     "dec", "sept", "feb", "apr"}


def _clock_part(n: str) -> str:
    return (rf"(?P<h{n}>2[0-3]|[01]?\d)(?![\d,])(?:[:.](?P<m{n}>[0-5]\d)(?![\d.,]\d))?"
            rf"(?:\s*(?P<ap{n}>[ap]\.?\s?m\b\.?))?")


# Clock times and ranges: "1:20 am", "at 22:30 GMT", "between 1:30 and 2:15 a.m.". A clock
# needs minutes or am/pm ("at 2" is no time); a range's am/pm also applies to its start.
CLOCK = re.compile(
    rf"\b(?:(?:between|from)\s+)?{_clock_part('1')}"
    rf"(?:\s*(?:-|–|to|and|until)\s*{_clock_part('2')})?"
    r"(?:\s*\(?(?P<zone>GMT|UTC|local time|[ECMP][SD]T|BST|CET|CEST|[+-]\d{2}:?\d{2})\)?)?",
    re.IGNORECASE,
)


def _minutes(h: str | None, m: str | None, ap: str | None) -> int | None:
    if h is None:
        return None
    hour, minute = int(h), int(m or 0)
    ap = (ap or "").lower().replace(".", "").replace(" ", "")
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap == "pm" else 0)
    return hour * 60 + minute


def clock_times(text: str) -> list[tuple[int, int, int, int, str]]:
    """(start, end, first minute, last minute, zone) of every clock time or range in text."""
    out = []
    for m in CLOCK.finditer(text):
        g = m.groupdict()
        ap1, ap2 = g["ap1"], g["ap2"]
        if not (g["m1"] or ap1 or (g["h2"] and (g["m2"] or ap2))):
            continue
        if g["h2"] is None or not (g["m2"] or ap2):  # a single time: drop a dangling "to 5"
            end = m.end("ap1") if ap1 else m.end("m1") if g["m1"] else m.end("h1")
            first = last = _minutes(g["h1"], g["m1"], ap1)
        else:
            end = m.end()
            first = _minutes(g["h1"], g["m1"], ap1 or ap2)
            last = _minutes(g["h2"], g["m2"], ap2)
        if first is None or last is None or (not g["m1"] and not (ap1 or ap2)):
            continue
        if g["m1"] and not (ap1 or ap2 or g["zone"]) and text[m.start("m1") - 1] == ".":
            continue  # "15.45": a decimal, not a time, unless am/pm or a zone says so
        zone = ""
        if g["zone"] and m.end("zone") <= m.end() and m.start("zone") >= end - 1:
            zone, end = g["zone"].upper().replace("LOCAL TIME", "local"), m.end()
        start = m.start("h1") if not text[m.start() : m.start("h1")].strip() else m.start()
        out.append((start, end, first, last, zone))
    return out


def _published_date(published: datetime | date | None) -> date | None:
    if published is None:
        return None
    return published.date() if isinstance(published, datetime) else published


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def resolve(kind: str, m: re.Match[str], pub: date | None, anchor: date | None
            ) -> tuple[date | None, bool] | None:
    """Resolve one regex match: (date or None, relative), or None when the match is no date."""
    g = m.groupdict()
    if kind in {"day_month", "month_day"}:
        month_word = g["month"]
        if month_word.lower() in _AMBIGUOUS_MONTHS and not month_word[0].isupper():
            return None
        month, day = MONTHS[month_word.lower()], int(g["day"])
        if not 1 <= day <= 31:
            return None
        if g.get("year"):
            return _safe_date(int(g["year"]), month, day), False
        if pub is None:
            return None, False
        value = _safe_date(pub.year, month, day)
        if value is not None and value > pub + timedelta(days=FUTURE_TOLERANCE_DAYS):
            value = _safe_date(pub.year - 1, month, day)
        return value, False
    if kind == "weekday":
        if not g["weekday"][0].isupper():
            return None
        if pub is None:
            return None, True
        target = WEEKDAYS[g["weekday"].lower()]
        which = (g.get("which") or "").lower()
        back = (pub.weekday() - target) % 7
        if which == "last":
            back = back or 7
        if which == "next":
            return pub + timedelta(days=((target - pub.weekday()) % 7) or 7), True
        return pub - timedelta(days=back), True
    if kind == "deictic":
        if pub is None:
            return None, True
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[g["word"].lower()]
        return pub + timedelta(days=shift), True
    unit_days = UNIT_DAYS[g["unit"].lower().rstrip("s")]
    if kind == "ago":
        n = _count(g["n"])
        if pub is None or n is None:
            return None, True
        return pub - timedelta(days=n * unit_days), True
    # "shift": relative to the last date the text resolved
    direction = (g.get("dir") or g.get("dir2") or "").lower()
    n = _count(g["n"]) if g.get("n") else 1
    sign = -1 if direction in {"earlier", "before", "previous"} else 1
    if anchor is None or n is None:
        return None, True
    return anchor + timedelta(days=sign * n * unit_days), True


class TimesComponent(PerArticleComponent):
    """Assigns ``times``."""

    name = "times"
    requires = ("doc", "sentences")
    assigns = ("times",)

    def times(self, work: Work) -> list[TimeExpression]:
        text = work.text
        pub = _published_date(work.analysis.article.published)
        found: list[tuple[int, int, str, re.Match[str] | None]] = []
        taken: list[tuple[int, int]] = []
        for kind, pattern in PATTERNS:
            for m in pattern.finditer(text):
                start, end = m.span()
                word = m.group("word") if kind == "deictic" else ""
                if word[:1].isupper() and _mid_sentence(text, start):
                    continue  # "Baghdad Today": part of a name
                if kind == "weekday" and (m.group("which") or "").lower() in {"on", "since",
                                                                              "until", "by"}:
                    start = m.start("weekday")
                if any(start < e and s < end for s, e in taken):
                    continue
                found.append((start, end, kind, m))
                taken.append((start, end))
        for ent in _date_entities(work.doc, text):
            start, end = ent
            if any(start < e and s < end for s, e in taken):
                continue
            found.append((start, end, "entity", None))
            taken.append((start, end))
        found.sort(key=lambda f: f[0])

        out: list[TimeExpression] = []
        anchor: date | None = None
        for start, end, kind, m in found:
            if kind == "entity":
                value, relative = None, False
            else:
                resolved = resolve(kind, m, pub, anchor)
                if resolved is None:
                    continue
                value, relative = resolved
            sentence = locate(work, start, end)
            if sentence < 0:
                continue
            if value is not None:
                anchor = value
            weekday = WEEKDAYS[m.group("weekday").lower()] if kind == "weekday" else None
            out.append(TimeExpression(start, end, text[start:end], value, sentence, relative,
                                      weekday=weekday))
        for start, end, first, last, zone in clock_times(text):
            sentence = locate(work, start, end)
            if sentence < 0 or any(start < t.end and t.start < end for t in out):
                continue
            out.append(TimeExpression(start, end, text[start:end], None, sentence,
                                      clock_start=first, clock_end=last, zone=zone))
        return sorted(out, key=lambda t: t.start)


_TIME_WORD = re.compile(
    r"\d|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + "|" + "|".join(WEEKDAYS)
    + r"|days?|weeks?|weekends?|months?|years?|decades?|century|centuries|today|yesterday"
    r"|tomorrow|tonight|spring|summer|autumn|fall|winter)\b",
    re.I,
)


def _mid_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" \t\"“‘'(")
    return bool(before) and before[-1] not in ".!?:\n"


def _date_entities(doc: Any, text: str) -> list[tuple[int, int]]:
    """Character spans of spaCy DATE entities that name a time.

    Dropped: ages ("33-year-old"), frequencies ("daily") and anything without a number, month,
    weekday or time word (the tagger calls "Today" in "Baghdad Today" a date).
    """
    spans = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or "year-old" in ent.text or "years old" in ent.text:
            continue
        if not _TIME_WORD.search(ent.text) or ent.text[:1].isupper() and ent.start > 0 and (
            doc[ent.start - 1].is_title and doc[ent.start - 1].pos_ == "PROPN"
        ):
            continue
        start, end = ent.start_char, ent.end_char
        newline = text.find("\n", start, end)
        if newline != -1:
            end = newline
        piece = text[start:end]
        if piece.lower().startswith("the "):
            start += 4
        end = start + len(text[start:end].rstrip(" ,.;:'’"))
        if end - start >= 2:
            spans.append((start, end))
    return spans
