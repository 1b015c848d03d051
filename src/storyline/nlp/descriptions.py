"""The ``descriptions`` component: noun phrases that refer to a person without naming them.

"a top Iranian general", "the lawmaker", "senior parliamentary officials": a noun chunk whose
head is a role noun (``ROLE_NOUNS``) and which holds no proper name ("US Secretary of State Mike
Pompeo" names its referent, so it is a mention, not a description).
"""

from __future__ import annotations

from storyline.model import Description
from storyline.nlp.models import lemma
from storyline.nlp.pipeline import PerArticleComponent, Work
from storyline.nlp.sentences import locate

ROLE_NOUNS = frozenset(
    "general minister lawmaker legislator official president leader commander spokesman "
    "spokeswoman spokesperson secretary director chief head senator congressman congresswoman "
    "representative ambassador envoy diplomat officer mp premier chancellor governor mayor "
    "king queen prince monarch dictator ruler strongman cleric ayatollah imam analyst expert "
    "adviser advisor aide negotiator member chairman chairwoman chair speaker judge prosecutor "
    "attorney lawyer candidate nominee politician general commander-in-chief administrator "
    "militant fighter soldier activist critic opponent rival founder executive ceo "
    "official source sources witness survivor victim suspect".split()
)
# Surface forms worth lemmatising (the on-demand lemmatizer is slow on first sight of a word).
_SURFACE = (
    ROLE_NOUNS
    | {n + "s" for n in ROLE_NOUNS}
    | {n[:-3] + "men" for n in ROLE_NOUNS if n.endswith("man")}
    | {n[:-1] + "ies" for n in ROLE_NOUNS if n.endswith("y")}
)
_MODIFIERS = {"det", "amod", "compound", "nmod", "poss", "case", "nummod", "advmod", "quantmod",
              "punct", "predet"}


class DescriptionsComponent(PerArticleComponent):
    """Assigns ``descriptions``."""

    name = "descriptions"
    requires = ("doc", "sentences")
    assigns = ("descriptions",)

    def descriptions(self, work: Work) -> list[Description]:
        text = work.text
        out = []
        doc = work.doc
        for root in doc:
            if root.pos_ != "NOUN" or root.ent_type_ or root.lower_ not in _SURFACE:
                continue
            head = lemma(root)
            if head not in ROLE_NOUNS and root.lower_ not in ROLE_NOUNS:
                continue
            first = root.i
            # The phrase is the run of modifiers right before the head ("a top Iranian").
            while (
                first > 0
                and doc[first - 1].dep_ in _MODIFIERS
                and first - 1 < doc[first - 1].head.i <= root.i
                and "\n" not in doc[first - 1].whitespace_
            ):
                first -= 1
            toks = list(doc[first : root.i + 1])
            if any(t.pos_ == "PROPN" and t.ent_type_ in {"PERSON", "ORG", ""} for t in toks):
                continue  # names its referent (or a title of a name)
            if any(t.pos_ == "PRON" and t.dep_ != "poss" for t in toks):
                continue
            nxt = root.nbor(1) if root.i + 1 < len(root.doc) else None
            if nxt is not None and nxt.ent_type_ == "PERSON" and nxt.pos_ == "PROPN":
                continue  # "General Qasem Soleimani": a title, not a description
            start, end = toks[0].idx, root.idx + len(root)
            sentence = locate(work, start, end)
            if sentence < 0:
                continue
            out.append(Description(start, end, text[start:end], head, sentence))
        return out
