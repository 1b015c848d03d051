"""A hand-built comparison dict of 13 fictional outlets for the HTML report's tests.

Written for the report, not by the comparison engine, so the report's tests know exactly which
outlet stands where: a number dispute (14 wounded: outlets 0-7, 9 wounded: outlets 8-10, 11 and
12 do not say), a denial dispute (outlets 0-3 report a withdrawal, 4-5 relay a denial), a shared
claim (outlets 0-9), one claim only each outlet tells, page clutter in two articles, a
syndicated copy (outlet 9 of outlet 8), a very long URL and word, and a hostile last outlet
whose title, name, URL and text try to become markup.
"""

from __future__ import annotations

N_OUTLETS = 13
HOSTILE = 12
LONG_URL = "https://outlet-00.example/news/2026/10/18/" + "a-very-long-slug-without-a-break-" * 8
LONG_WORD = "Karvesh" + "x" * 90
CLUTTER = "Leave a comment\nWhat is 5 + 2?"
HOSTILE_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
HOSTILE_OUTLET = '" onmouseover="alert(1)" x="'
HOSTILE_URL = "javascript:alert(document.domain)"
HOSTILE_TEXT = '</p><script>alert("text")</script><a href="javascript:alert(2)">x</a>'


def outlet(n: int) -> str:
    return HOSTILE_OUTLET if n == HOSTILE else f"outlet-{n:02d}.example"


def _evidence(article: dict, snippet: str, within: str | None = None) -> dict:
    """Evidence for the first occurrence of snippet (inside the sentence `within`, if given)."""
    text = article["text"]
    sentence = within or snippet
    s0 = text.index(sentence)
    start = text.index(snippet, s0)
    return {"article_id": article["id"], "outlet": article["outlet"], "sentence": 0,
            "start": start, "end": start + len(snippet), "text": snippet,
            "sentence_start": s0, "sentence_end": s0 + len(sentence)}


def _attack(n: int) -> str:
    return f"Rockets hit the Harir base on Sunday, wounding {14 if n < 8 else 9} people."


WITHDRAW = "Troops have begun withdrawing from the base."
DENY = "The ministry denied that any withdrawal had begun."
SHARED = "The base hosts about 2,500 foreign troops."


def _only(n: int) -> str:
    return f"Only outlet {n} tells this detail number {n}."


def comparison() -> dict:
    """The comparison dict, shaped as storyline.model.to_dict(Comparison) makes it."""
    articles = []
    for n in range(N_OUTLETS):
        parts = [_attack(n)] if n <= 10 else []
        parts += [WITHDRAW] if n < 4 else [DENY] if n in (4, 5) else []
        parts += [SHARED] if n < 10 else []
        parts.append(_only(n))
        if n == 0:
            parts.append(f"A word too long for any column: {LONG_WORD}.")
        if n == HOSTILE:
            parts.append(HOSTILE_TEXT)
        text = "\n\n".join(parts)
        clutter = []
        if n in (2, 5):
            clutter = [{"start": len(text) + 2, "end": len(text) + 2 + len(CLUTTER)}]
            text += "\n\n" + CLUTTER
        articles.append({
            "id": f"art{n:02d}", "outlet": outlet(n),
            "title": HOSTILE_TITLE if n == HOSTILE else f"Report number {n} on the Harir attack",
            "url": LONG_URL if n == 0 else HOSTILE_URL if n == HOSTILE else
            f"https://outlet-{n:02d}.example/2026/10/18/harir.html",
            "published": "2026-10-18T00:00:00+00:00", "language": "en", "text": text,
            "family": "art08" if n == 9 else "", "boilerplate": clutter,
        })
    a = articles
    attack = [_evidence(a[n], _attack(n)) for n in range(11)]
    groups = [
        {"id": "g1", "status": "conflicting", "outlets": [outlet(n) for n in range(11)],
         "claims": [{"id": f"c1-{n}", "evidence": ev} for n, ev in enumerate(attack)],
         "confidence": 0.9, "disputes": ["d1"]},
        {"id": "g2", "status": "conflicting", "outlets": [outlet(n) for n in range(6)],
         "claims": [{"id": f"c2-{n}", "evidence": _evidence(a[n], WITHDRAW if n < 4 else DENY)}
                    for n in range(6)],
         "confidence": 0.8, "disputes": ["d2"]},
        {"id": "g3", "status": "shared", "outlets": [outlet(n) for n in range(10)],
         "claims": [{"id": f"c3-{n}", "evidence": _evidence(a[n], SHARED)} for n in range(10)],
         "confidence": 0.85, "disputes": []},
    ]
    groups += [
        {"id": f"g{4 + n}", "status": "only_in", "outlets": [outlet(n)],
         "claims": [{"id": f"c4-{n}", "evidence": _evidence(a[n], _only(n))}],
         "confidence": 0.7, "disputes": []}
        for n in range(N_OUTLETS)
    ]

    def side(value, normalized, outlets, independent, evidence, credits=()):
        return {"value": value, "normalized": normalized, "outlets": [outlet(n) for n in outlets],
                "independent": independent, "credits": list(credits), "evidence": evidence}

    disputes = [
        {"id": "d1", "kind": "number", "question": "how many people were wounded",
         "group": "g1", "confidence": 0.8, "explanation": "14 against 9 people wounded",
         "sides": [
             side("14 people", "14 people (wound)", range(8), 8,
                  [_evidence(a[n], "14 people", _attack(n)) for n in range(8)], ["officials"]),
             side("9 people", "9 people (wound)", range(8, 11), 2,
                  [_evidence(a[n], "9 people", _attack(n)) for n in range(8, 11)],
                  [HOSTILE_TITLE]),
         ]},
        {"id": "d2", "kind": "denial", "question": "whether the withdrawal began",
         "group": "g2", "confidence": 0.7, "explanation": "",
         "sides": [
             side(WITHDRAW, "affirms", range(4), 4, [_evidence(a[n], WITHDRAW) for n in range(4)]),
             side(DENY, "denies", (4, 5), 2, [_evidence(a[n], DENY) for n in (4, 5)],
                  ["the ministry"]),
         ]},
    ]
    wording = [{"id": "w1", "referent": "the attack", "source": "lexicon", "confidence": 0.6,
                "terms": [{"outlet": outlet(n), "term": "Rockets", "loaded": n == 1,
                           "evidence": _evidence(a[n], "Rockets", _attack(n))} for n in (0, 1)]}]
    provenance = [{"outlet": outlet(n), "article_id": a[n]["id"], "upstream": [],
                   "speakers": [{"name": "the ministry", "kind": "speaker", "cue": "denied",
                                 "evidence": _evidence(a[n], "The ministry", DENY)}]}
                  for n in (4, 5)]
    entities = [{"id": "e1", "name": "Harir", "label": "FAC", "rule": "exact", "confidence": 0.9,
                 "descriptions": [],
                 "variants": [{"outlet": outlet(n), "spelling": "Harir" if n else "Harir base",
                               "evidence": _evidence(a[n], "Harir" if n else "Harir base",
                                                     _attack(n))} for n in (0, 1)]}]
    return {"articles": articles, "same_event": 0.82, "claims": groups, "disputes": disputes,
            "provenance": provenance, "wording": wording, "entities": entities}
