"""The ``quotes`` component: direct quotes and reported speech, with speaker and cue.

Direct quotes are text in matched quotation marks (“…” or "…", at least ``MIN_QUOTE_WORDS``
words, so scare quotes around one word are left out); reported speech is the clausal
complement of a reporting verb ("X said (that) …", "…, X was quoted as saying"). The speaker is
the subject of the reporting verb — its PERSON mention, a PERSON in apposition ("member of the
commission, Ali al-Qameni, was quoted…"), or else its noun phrase ("senior parliamentary
officials in Baghdad"). "he/she said" is resolved to the last PERSON mention of the sentence or
the ``PRONOUN_WINDOW`` sentences before it when they all name one person; the speaker span then
points at that mention (which may lie in an earlier sentence), else it stays the pronoun.
"according to X" with a person X is reported speech too. Media credited as sources ("Reuters
said", "according to Reuters") are attributions, not speakers: see ``attributions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.model import Mention, Quote, Sentence
from storyline.nlp.attributions import is_media, is_personal, name_span, phrase_tokens
from storyline.nlp.models import lemma
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import quote_regions

# Quoted passages shorter than this are scare quotes or titles ("interminably"), not quotes.
MIN_QUOTE_WORDS = 3
# Sentences before a pronoun searched for the person it refers to.
PRONOUN_WINDOW = 2

SPEECH_VERBS = frozenset(
    "say tell state add reveal claim announce note insist warn explain deny confirm argue "
    "declare stress emphasise emphasize admit acknowledge suggest assert report write tweet "
    "quote allege predict promise vow read respond reply comment testify remark disclose "
    "maintain contend concede recall reiterate caution inform".split()
)
# Reporting verbs that only introduce a direct quote, never reported speech ("the text read").
DIRECT_ONLY = frozenset({"read"})
# Cheap pre-filter before lemmatising: a reporting verb starts like one of these.
_PREFIXES = tuple({v[:3] for v in SPEECH_VERBS} | {"sai", "tol", "wro", "wri"})
_SUBJECTS = {"nsubj", "nsubjpass"}
_NP_CUT = {"appos", "relcl", "acl", "punct", "advcl", "cc", "conj", "parataxis"}
_RESOLVABLE = {"he", "she", "him", "her"}


def _span_of(toks: Sequence[Any]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def np_span(head: Any) -> tuple[int, int]:
    """The noun phrase of ``head``: its subtree minus appositions, clauses and punctuation."""
    drop: set[int] = set()
    for tok in head.subtree:
        if tok.i != head.i and tok.dep_ in _NP_CUT and tok.i not in drop:
            drop.update(t.i for t in tok.subtree)
    keep = {t.i for t in head.subtree} - drop
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    doc = head.doc
    return _span_of(doc[lo : hi + 1])


def _subject(verb: Any) -> Any | None:
    """The subject of a reporting verb, climbing through "adding", "as saying", "and said"."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in _SUBJECTS:
                return child
        if node.dep_ in {"advcl", "conj", "xcomp", "pcomp", "prep"} and node.head is not node:
            node = node.head
        else:
            return None
    return None


def _cue(verb: Any) -> list[Any]:
    """Cue tokens: auxiliaries and negation, the verb, and "as saying" after "quoted"."""
    toks = [c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < verb.i]
    toks.append(verb)
    for c in verb.children:
        if c.lower_ == "as" and any(lemma(g) == "say" for g in c.children):
            toks += [c] + [g for g in c.children if lemma(g) == "say"]
    return sorted(toks, key=lambda t: t.i)


class QuotesComponent(PerArticleComponent):
    """Assigns ``quotes``."""

    name = "quotes"
    requires = ("doc", "sentences", "mentions")
    assigns = ("quotes",)

    def quotes(self, work: Work) -> list[Quote]:
        text, doc = work.text, work.doc
        regions = [
            (s, e)
            for s, e in quote_regions(text)
            if len(text[s + 1 : e - 1].split()) >= MIN_QUOTE_WORDS
        ]
        out: list[Quote | None] = []
        for sent in work.analysis.sentences:
            span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            if span is None:
                continue
            inside = [(s, e) for s, e in regions if sent.start <= s and e <= sent.end]

            def quoted(tok: Any, inside: list[tuple[int, int]] = inside) -> bool:
                return any(s <= tok.idx < e for s, e in inside)

            verbs = [
                t for t in span
                if t.pos_ in {"VERB", "AUX"} and t.lower_.startswith(_PREFIXES)
                and lemma(t) in SPEECH_VERBS and not quoted(t)
                and not (t.dep_ == "pcomp" and t.head.lower_ == "as")  # "quoted as saying"
            ]
            used: set[int] = set()
            for s, e in inside:
                verb = min(verbs, key=lambda t: min(abs(t.idx - s), abs(t.idx - e)), default=None)
                if verb is not None:
                    used.add(verb.i)
                out.append(self._make(work, sent, verb, (s + 1, e - 1), (s, e), direct=True))
            for verb in verbs:
                if verb.i in used or lemma(verb) in DIRECT_ONLY:
                    continue
                content = self._content(verb, sent)
                if content is None or any(s < content[1] and content[0] < e for s, e in inside):
                    continue
                quote = self._make(work, sent, verb, content, content, direct=False)
                if quote is not None and quote.speaker:
                    out.append(quote)
            out.extend(self._according_to(work, sent, span))
        unique: dict[tuple, Quote] = {}
        for q in out:
            if q is not None:
                unique.setdefault((q.content_start, q.content_end, q.speaker), q)
        return list(unique.values())

    # ---------------------------------------------------------------- parts of a quote

    def _make(self, work: Work, sent: Sentence, verb: Any | None, content: tuple[int, int],
              outer: tuple[int, int], direct: bool) -> Quote | None:
        speaker, s_start, s_end, cue_toks = "", outer[0], outer[0], []
        if verb is not None:
            cue_toks = _cue(verb)
            subj = self._speaker_token(verb)
            if subj is not None:
                found = self._speaker(work, sent, subj)
                if found is None:  # the "speaker" is a medium: an attribution, not a quote
                    if not direct:
                        return None
                else:
                    speaker, s_start, s_end = found
        points = [outer[0], outer[1]] + [t.idx for t in cue_toks] + [
            t.idx + len(t) for t in cue_toks
        ]
        if sent.start <= s_start and s_end <= sent.end and speaker:
            points += [s_start, s_end]
        start, end = max(sent.start, min(points)), min(sent.end, max(points))
        cue = " ".join(t.lower_ for t in cue_toks)
        return Quote(start, end, content[0], content[1], speaker, s_start, s_end, cue, direct,
                     sent.index)

    @staticmethod
    def _speaker_token(verb: Any) -> Any | None:
        if lemma(verb) == "quote" and verb.tag_ != "VBN":
            # "Tasnim quoted him as saying": the object speaks, the subject is the medium.
            for child in verb.children:
                if child.dep_ == "dobj":
                    return child
        return _subject(verb)

    def _speaker(self, work: Work, sent: Sentence, subj: Any
                 ) -> tuple[str, int, int] | None:
        """(name, start, end) of the speaker; None when the subject is a medium."""
        text = work.text
        if subj.lower_ in _RESOLVABLE:
            m = self._antecedent(work.analysis.mentions, sent.index, subj.idx)
            if m is not None:
                return m.text, m.start, m.end
            return subj.text, subj.idx, subj.idx + len(subj)
        for tok in [subj] + [c for c in subj.children if c.dep_ == "appos"]:
            m = _mention_at(work.analysis.mentions, tok.idx, "PERSON")
            if m is not None:
                return m.text, m.start, m.end
        toks = phrase_tokens(subj)
        name = name_span(toks)
        if is_media(toks, text[name[0] : name[1]] if name else "") and not is_personal(subj):
            return None
        start, end = np_span(subj)
        return text[start:end], start, end

    @staticmethod
    def _antecedent(mentions: Sequence[Mention], sentence: int, offset: int) -> Mention | None:
        persons = [
            m for m in mentions
            if m.label == "PERSON" and sentence - PRONOUN_WINDOW <= m.sentence <= sentence
            and m.end <= offset
        ]
        if not persons:
            return None
        surnames = {m.text.split()[-1].lower() for m in persons}
        return persons[-1] if len(surnames) == 1 else None

    @staticmethod
    def _content(verb: Any, sent: Sentence) -> tuple[int, int] | None:
        """What was said: the verb's clausal complement, or the clause before "…, X said"."""
        targets = [verb] + [g for c in verb.children if c.lower_ == "as" for g in c.children]
        complements = [
            c for node in targets for c in node.children
            if c.dep_ in {"ccomp", "parataxis"} and c.i != verb.i
        ]
        # A complement after the verb ("stated that …") beats a clause the parser hung before it.
        complements.sort(key=lambda c: (c.dep_ != "ccomp", c.i < verb.i))
        for child in complements:
            toks = [
                t for t in child.subtree
                if sent.start <= t.idx < sent.end
                and not (t.dep_ == "mark" and t.i == child.left_edge.i)
            ]
            while toks and toks[0].is_punct:
                toks = toks[1:]
            while toks and toks[-1].is_punct and toks[-1].text not in {"%", "”", '"'}:
                toks = toks[:-1]
            if len(toks) >= 2:
                return _span_of([toks[0], toks[-1]])
        # "S, X was quoted as saying": the reported clause precedes the speaker.
        subj = _subject(verb)
        left = subj.left_edge if subj is not None else verb
        doc = verb.doc
        k = left.i - 1
        while k >= 0 and doc[k].is_punct and doc[k].idx >= sent.start:
            k -= 1
        if k >= 0 and doc[k].idx >= sent.start and doc[k + 1].text == ",":
            first = doc.char_span(sent.start, sent.end, alignment_mode="expand")[0]
            toks = doc[first.i : k + 1]
            if len(toks) >= 4 and any(t.pos_ in {"VERB", "AUX"} for t in toks):
                return toks[0].idx, toks[-1].idx + len(toks[-1])
        return None

    def _according_to(self, work: Work, sent: Sentence, span: Any) -> list[Quote]:
        out = []
        for tok in span:
            if tok.lower_ != "according" or tok.i + 1 >= len(span.doc):
                continue
            to = span.doc[tok.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if to.lower_ != "to" or obj is None:
                continue
            toks = phrase_tokens(obj)
            name = name_span(toks)
            if is_media(toks, work.text[name[0] : name[1]] if name else "") or not (
                is_personal(obj) or obj.ent_type_ == "PERSON"
            ):
                continue
            speaker = self._speaker(work, sent, obj)
            if speaker is None:
                continue
            p_start, p_end = tok.idx, max(t.idx + len(t) for t in obj.subtree)
            before = work.text[sent.start : p_start].rstrip(" ,")
            after = work.text[p_end : sent.end].lstrip(" ,")
            if len(before) >= len(after):
                c_start, c_end = sent.start, sent.start + len(before)
            else:
                c_start = sent.end - len(after)
                c_end = c_start + len(after.rstrip(" ."))
            if c_end <= c_start:
                continue
            out.append(Quote(sent.start, sent.end, c_start, c_end, speaker[0], speaker[1],
                             speaker[2], "according to", False, sent.index))
        return out


def _mention_at(mentions: Sequence[Mention], offset: int, label: str) -> Mention | None:
    for m in mentions:
        if m.label == label and m.start <= offset < m.end:
            return m
    return None
