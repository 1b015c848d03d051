"""The words of an explicit rejection: what makes a sentence a denial, not a negation."""

from __future__ import annotations

import re

# Explicit rejections of a claim. Ordinary negation ("will not back down") is not a denial.
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)(?!\s+(?:\w+\s+)?(?:entry|access|bail|permission|visas?|"
    r"requests?|the\s+request|a\s+request))|refut(?:e|es|ed|ing)|disprov(?:e|es|ed|ing)|"
    r"disput(?:e|es|ed|ing)\s+(?:that\b|(?:the|this|these|those|such|his|her|their|its)\s+"
    r"(?:[\w'’-]+\s+)?(?:claims?|accounts?|reports?|allegations?|version|figures?|findings?|"
    r"assertions?|suggestions?|characteri[sz]ation|(?:death\s+|casualty\s+)?(?:tolls?|numbers)))|"
    r"(?:reject(?:ed|s|ing)?|dismiss(?:ed|es|ing)?|rebuff(?:ed|s|ing)?)\s+"
    r"(?:the\s+|these\s+|those\s+|such\s+)?(?:[\w'’-]+\s+)?"
    r"(?:reports?|claims?|allegations?|accusations?|accounts?|rumou?rs?|suggestions?|"
    r"(?:death\s+|casualty\s+)?tolls?)|"
    r"called\s+(?:[\w'’-]+\s+){0,25}?(?:an?\s+)?(?:absolute\s+|outright\s+|complete\s+)?"
    r"[\"“']?(?:nonsense|hoax|lies?|fake\s+news|fabrication)\b|"
    r"(?:dismiss(?:ed|es|ing)?|described|branded|labell?ed)\s+(?:[\w'’-]+\s+){0,6}?as\s+"
    r"(?:(?:a|an|complete|total|utter)\s+)?(?:nonsense|false|baseless|untrue|fake|fabricat\w+|"
    r"lies|a\s+lie|hoax|ridiculous|absurd|implausible|groundless|unfounded|propaganda)|"
    r"(?:branded|labell?ed|described|called)\s+(?:the\s+)?(?:claims?|reports?|allegations?|"
    r"accusations?)\s+(?:[\w'’-]+\s+){0,20}?as\s+(?:an?\s+)?(?:[\w-]+\s+)?"
    r"(?:provocations?|lies|fabrications?|fakes?|hoax(?:es)?|propaganda|nonsense)|"
    r"(?:is|was|are|were|as|been)\s+[\"“'‘]?(?:(?:completely|totally|entirely|absolutely|utterly|"
    r"an?)\s+)?[\"“'‘]?"
    r"(?:(?:absolute|complete|total|outright|blatant|utter)\s+)?"
    r"(?:false|untrue|baseless|unfounded|fabricated|fake|lies|a\s+lie|lie|groundless|a\s+hoax|"
    r"hoax)|"
    r"not\s+true|never\s+happened|no\s+truth|fake\s+news|no\s+such\s+\w+|"
    # "a second reported explosion ... did not occur", "the girl did not exist"
    r"(?:did\s+not|didn['’]t|never)\s+(?:occur(?:red)?|happen(?:ed)?|t(?:ake|ook)\s+place|"
    r"exist(?:ed)?)|"
    # "ruled out collision with a flock of birds"; "have not ruled out any possibilities" is no
    r"(?<!\bnot\s)(?<!n['’]t\s)(?<!never\s)rul(?:ed|es|ing)\s+out)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without)\b|n't\b", re.IGNORECASE
)

# A denial of the toll itself ("dismissed the casualty toll", "disputed the casualty numbers",
# "denied the death toll"): it rejects the sentences that give a toll, which share no other
# word with it (a held-out aid-convoy killing: "the IDF disputed the casualty numbers").
_TOLL_NOUN = r"(?:(?:death|casualty)\s+)?tolls?|(?:death|casualty)\s+(?:numbers|figures|counts?)"
TOLL_DENIED = re.compile(rf"\b(?:{_TOLL_NOUN})\b", re.IGNORECASE)
TOLL_OBJECT = re.compile(
    rf"(?:(?:the|this|that|its|their|official|latest|reported)\s+)*(?:{_TOLL_NOUN})\b",
    re.IGNORECASE,
)
TOLL = "#toll"  # the word a toll denial and every sentence giving a toll share
