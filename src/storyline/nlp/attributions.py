"""The ``attributions`` component: upstream sources a statement is credited to.

An attribution credits a medium, agency, website, report or organisation — not the person who
speaks (that is the speaker of a quote, see ``quotes``). Cues, read from the dependency parse:

- "was quoted by X" / "was quoted as saying by X"  -> cue "quoted by"
- "told X" (X a medium)                            -> cue "told"
- "citing X", "according to X" (X not a person)    -> cue "citing" / "according to"
- "X reported", "X said/wrote" (X a medium)        -> cue "reported" / "said" / ...
- "in an interview with X", "a report by X"        -> cue "in an interview with" / "report by"

The source is named without its descriptors: "the Arabic-language al-Ahd news website" ->
"al-Ahd", "the daily Baghdad Today" -> "Baghdad Today".
"""

from __future__ import annotations

from typing import Any

from storyline.model import Attribution
from storyline.nlp.models import lemma
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import locate

# Words that mark a noun phrase as a medium; lower-case descriptors are dropped from the name.
MEDIA_WORDS = frozenset(
    "newspaper daily weekly agency website site outlet broadcaster tv television channel radio "
    "magazine wire service network portal paper tabloid station news newswire journal "
    "publication blog broadcast".split()
)
# Well-known agencies and outlets whose names carry no descriptor ("according to Reuters").
KNOWN_MEDIA = frozenset(
    name.lower()
    for name in (
        "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "Bloomberg", "CNN",
        "BBC", "Fox News", "NBC", "ABC", "CBS", "MSNBC", "NPR", "Al Jazeera", "Al Arabiya",
        "RIA Novosti", "RIA", "TASS", "Sputnik", "RT", "Xinhua", "IRNA", "Fars", "Tasnim",
        "ISNA", "Mehr", "Anadolu", "Kyodo", "Yonhap", "KCNA", "Interfax", "dpa", "EFE", "ANSA",
        "PTI", "Politico", "Axios", "New York Times", "Washington Post", "Guardian",
        "Wall Street Journal", "Financial Times", "Times", "Telegraph", "Independent", "Le Monde",
        "Der Spiegel", "Haaretz", "Press TV", "Al-Monitor", "The Hill", "Breitbart", "Vox",
        "HuffPost", "Daily Mail", "USA Today", "Los Angeles Times", "ABC News", "CBS News",
        "NBC News", "Fox", "Axios", "Newsweek", "Time", "Rudaw", "Kurdistan 24", "Shafaq News",
    )
)
PERSON_NOUNS = frozenset(
    "official officials source sources spokesman spokeswoman spokesperson minister lawmaker "
    "lawmakers diplomat diplomats person people man woman expert analyst aide adviser advisor "
    "member members witness witnesses resident residents president leader commander general "
    "officer ambassador envoy secretary director chief head senator representative mp".split()
)
SPEECH_CUES = frozenset({"say", "write", "report", "state", "announce", "claim", "add"})
# Every form of "quote", "tell", "citing" and the SPEECH_CUES starts with one of these (said,
# told, wrote, written): lemmas, slow on a cold cache, are computed for these words only.
_VERB_PREFIXES = frozenset({"qu", "te", "to", "ci", "sa", "wr", "re", "st", "an", "cl", "ad"})
_NAME_LINKS = {"-", "al", "el", "ad", "as", "bin", "ibn", "de", "of", "the", "&", "and", "'s"}
_GENERIC = {"tv", "agency", "website", "site", "channel"}
_NAME_STOP_ENTS = {"NORP", "LANGUAGE", "DATE", "CARDINAL", "ORDINAL"}
# Capitalised words that describe a medium or a text rather than name one: "State TV then
# announced" (a held-out crash credited "State"), "according to Article 131 of the
# constitution".
_DESCRIPTORS = {"state", "state-run", "national", "local", "public", "official", "government",
                "regional", "private", "independent", "article", "section", "clause", "chapter"}


def phrase_tokens(head: Any) -> list[Any]:
    """The noun phrase a head token stands for: its left subtree, then a trailing name run.

    The parser often cuts multi-word names ("the daily Baghdad | Today"), so capitalised words
    and media descriptors right after the head are added back.
    """
    doc = head.doc
    left = head.left_edge.i
    toks = [t for t in doc[left : head.i + 1] if t.dep_ != "punct" or t.text == "-"]
    k = head.i + 1
    while k < len(doc) and "\n" not in doc[k - 1].whitespace_:
        t = doc[k]
        # Capitalised, not only title-case: camel-case names ("SportWave Radio") count too.
        if t.text == "-" or t.text[:1].isupper() or t.lower_ in MEDIA_WORDS:
            toks.append(t)
            k += 1
            continue
        break
    return toks


def _runs(toks: list[Any]) -> list[list[Any]]:
    runs: list[list[Any]] = []
    current: list[Any] = []
    for t in toks:
        # A capitalised descriptor is part of a name ("Nordic Daily") unless it closes the
        # phrase as a generic label ("Al Arabiya TV").
        capital = (t.text[:1].isupper() or t.text[:1].isdigit()) and (
            t.lower_ not in _GENERIC or t.i != toks[-1].i
        )
        if capital or (current and t.lower_ in _NAME_LINKS) or (
            t.lower_ in {"al", "el"} and t.nbor(1).text == "-" if t.i + 1 < len(t.doc) else False
        ):
            current.append(t)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    cleaned = []
    for run in runs:
        while run and (run[-1].lower_ in _NAME_LINKS or run[-1].lower_ in {"-"}):
            run = run[:-1]
        while run and run[0].lower_ in {"the", "-", "&", "and", "of"}:
            run = run[1:]
        if run:
            cleaned.append(run)
    return cleaned


def name_span(toks: list[Any]) -> tuple[int, int] | None:
    """Character span of the name inside a source phrase, without descriptors; None if none."""
    candidates = []
    for run in _runs(toks):
        after = run[-1].i + 1
        doc = run[0].doc
        nxt = doc[after] if after < len(doc) else None
        # "Arabic-language", "Iraq-based", "Iran's" describe the source rather than name it.
        if nxt is not None and (nxt.text == "-" or nxt.tag_ == "POS"):
            continue
        if all(t.ent_type_ in _NAME_STOP_ENTS or t.lower_ in _DESCRIPTORS for t in run):
            continue
        candidates.append(run)
    if not candidates:
        return None
    run = candidates[-1]
    return run[0].idx, run[-1].idx + len(run[-1])


def is_media(toks: list[Any], name: str = "") -> bool:
    """Whether a phrase names a medium: a media descriptor or a well-known outlet name."""
    if any(t.lower_ in MEDIA_WORDS and t.pos_ in {"NOUN", "ADJ"} for t in toks):
        return True
    name = name.lower()
    return name in KNOWN_MEDIA or name.removeprefix("the ") in KNOWN_MEDIA


def is_personal(head: Any) -> bool:
    """Whether a phrase head refers to a person: PERSON entity, pronoun or person noun."""
    if head.ent_type_ == "PERSON" or head.pos_ == "PRON":
        return True
    return head.ent_type_ not in {"ORG", "GPE"} and lemma(head) in PERSON_NOUNS | {
        head.lower_
    } & PERSON_NOUNS


def _find(children: Any, deps: set[str]) -> Any | None:
    for c in children:
        if c.dep_ in deps:
            return c
    return None


class AttributionsComponent(PerArticleComponent):
    """Assigns ``attributions``."""

    name = "attributions"
    requires = ("doc", "sentences")
    assigns = ("attributions",)

    def attributions(self, work: Work) -> list[Attribution]:
        out: list[Attribution] = []
        seen: set[tuple[int, int]] = set()
        for cue_toks, head, need_media in self._candidates(work.doc):
            toks = phrase_tokens(head)
            span = name_span(toks)
            if span is None:
                continue
            name = work.text[span[0] : span[1]]
            if is_personal(head) and not is_media(toks, name):
                continue
            if need_media and not is_media(toks, name):
                continue
            start = min([t.idx for t in cue_toks] + [toks[0].idx])
            end = max([t.idx + len(t) for t in cue_toks] + [toks[-1].idx + len(toks[-1])])
            sentence = locate(work, start, end)
            if sentence < 0 or span in seen:
                continue
            seen.add(span)
            cue = " ".join(t.lower_ for t in cue_toks)
            out.append(Attribution(start, end, name, span[0], span[1], cue, sentence))
        return sorted(out, key=lambda a: a.start)

    @staticmethod
    def _candidates(doc: Any) -> list[tuple[list[Any], Any, bool]]:
        """(cue tokens, source head token, whether the source must be a medium)."""
        found = []
        for tok in doc:
            low = tok.lower_
            if tok.pos_ in {"VERB", "AUX"} and low[:2] in _VERB_PREFIXES:
                lem = lemma(tok)
                if lem == "quote":
                    by = [c for c in tok.subtree if c.lower_ == "by" and c.i > tok.i]
                    if by and (obj := _find(by[0].children, {"pobj"})) is not None:
                        found.append(([tok, by[0]], obj, False))
                    elif (subj := _find(tok.children, {"nsubj"})) is not None:
                        found.append(([tok], subj, True))  # "Tasnim quoted him as saying"
                elif lem == "tell":
                    obj = _find(tok.children, {"dative", "dobj", "iobj"})
                    if obj is not None and obj.pos_ in {"PROPN", "NOUN"}:
                        found.append(([tok], obj, True))
                elif low == "citing":
                    obj = _find(tok.children, {"dobj", "pobj"})
                    if obj is not None:
                        found.append(([tok], obj, False))
                elif lem in SPEECH_CUES:
                    subj = _find(tok.children, {"nsubj"})
                    if subj is not None:
                        found.append(([tok], subj, lem != "report"))
                    agent = _find(tok.children, {"agent"})
                    if agent is not None and (obj := _find(agent.children, {"pobj"})):
                        # "the attack was claimed by Islamic State": a claim of a deed, whose
                        # claimant is no upstream source unless it is a medium
                        found.append(([tok, agent], obj, lem == "claim"))
            if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                obj = _find(doc[tok.i + 1].children, {"pobj"})
                if obj is not None:
                    found.append(([tok, doc[tok.i + 1]], obj, False))
            if low == "interview" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "with":
                obj = _find(doc[tok.i + 1].children, {"pobj"})
                if obj is not None:
                    cue = [t for t in doc[max(0, tok.i - 2) : tok.i] if t.lower_ in {"in", "an"}]
                    found.append((cue + [tok, doc[tok.i + 1]], obj, False))
            if low in {"report", "reports", "article"} and tok.pos_ == "NOUN":
                prep = _find(tok.children, {"prep"})
                if prep is not None and prep.lower_ in {"by", "from", "in"}:
                    obj = _find(prep.children, {"pobj"})
                    if obj is not None:
                        found.append(([tok, prep], obj, prep.lower_ == "in"))
        return found
