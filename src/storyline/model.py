"""The central data model: articles, annotation layers, stories and comparisons.

Every annotation is a span: character offsets ``[start, end)`` into ``Article.text``, the
article's stored (Unicode-normalised) text, which never changes after ingest. Every finding of
a ``Comparison`` carries ``Evidence`` pointing at the sentence it rests on.

This module does no I/O. ``to_dict`` turns any model object into plain JSON-ready data.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# --------------------------------------------------------------------------- articles


# ``extra`` key ingest sets ("true") on a titled page with less than a paragraph of text besides
# its page clutter (ingest.normalize.THIN_TEXT_WORDS; none at all on a page of a captcha or
# sign-in prompt and a share box): such a text cannot tell the page from another, so its title
# joins the text in its identity. On GVA dev 52 of its 62 exact repeats were such pages of
# other incidents, stored once and so scored in the first page's story.
THIN_TEXT = "thin_text"


@dataclass(frozen=True)
class Article:
    """One news report as ingested: metadata plus its normalised text."""

    id: str  # content hash of its identity (the normalised text), see ingest.normalize
    text: str
    title: str = ""
    url: str = ""
    outlet: str = ""  # display name or host; "" when unknown
    published: datetime | None = None
    language: str = ""  # ISO 639-1 code, "" when unknown
    author: str = ""
    source: str = ""  # where it was read from: a file path or a feed URL
    extra: tuple[tuple[str, str], ...] = ()  # other fields kept from the input (e.g. gold labels)

    @property
    def label(self) -> str:
        """A short human label: the outlet, else the source file name, else the id."""
        if self.outlet:
            return self.outlet
        if self.source:
            return self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return self.id

    def get(self, key: str, default: str = "") -> str:
        """An extra field by name."""
        return dict(self.extra).get(key, default)

    @property
    def identity(self) -> str:
        """What makes two articles one: the text, or the title and text of a page of thin text
        (two pages sharing nothing but a sign-in prompt are two pages)."""
        if (THIN_TEXT, "true") in self.extra:
            return f"{self.title}\n{self.text}"
        return self.text


# --------------------------------------------------------------------------- annotation layers


@dataclass(frozen=True)
class Span:
    """A character range in an article's text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The covered text."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    # Page clutter (comment and captcha forms, cookie and ad-block notices, share prompts,
    # bylines and datelines on lines of their own): kept in the text so spans still index it,
    # but it takes no part in claims, alignment or "only in".
    boilerplate: bool = False


@dataclass(frozen=True)
class Mention:
    """A named-entity mention. ``key`` is the spelling-insensitive name key (nlp.names)."""

    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, ...
    sentence: int
    key: str = ""


@dataclass(frozen=True)
class Quantity:
    """A counted or measured amount: "15 military bases" -> value 15, unit "base"."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # lemma of the counted noun ("base", "people", "percent", "usd"); "" if none
    sentence: int
    # The interval the text commits to: "more than 20" -> (20, None) open below, "about 80" ->
    # (72, 88), "dozens" -> (24, 99), "none" -> (0, 0). None for an unbounded end; both None
    # means the point ``value`` itself.
    low: float | None = None
    high: float | None = None
    qualifier: str = ""  # "more than", "at least", "about", "up to", "dozens", "none", ...

    @property
    def interval(self) -> tuple[float, float]:
        """(low, high) with unbounded ends as -inf / +inf; a bare amount is (value, value)."""
        if self.low is None and self.high is None and not self.qualifier:
            return (self.value, self.value)
        lo = float("-inf") if self.low is None else self.low
        hi = float("inf") if self.high is None else self.high
        return (lo, hi)


@dataclass(frozen=True)
class TimeExpression:
    """A date expression, resolved against the published date where possible."""

    start: int
    end: int
    text: str
    value: date | None  # resolved calendar date, None when it cannot be resolved
    sentence: int
    relative: bool = False  # "on Monday", "three days later": resolved from context
    # A clock time or range as minutes after midnight, as written (local to ``zone``):
    # "1:20 am" -> (80, 80), "between 1:30 and 2:15" -> (90, 135). None for a date only.
    clock_start: int | None = None
    clock_end: int | None = None
    zone: str = ""  # "GMT", "local", "+03:00", "" when not said
    weekday: int | None = None  # 0 = Monday, when the text names the day of the week


@dataclass(frozen=True)
class Quote:
    """A direct quote or reported speech, with its speaker when one is named."""

    start: int  # the whole quoting construction
    end: int
    content_start: int  # what was said
    content_end: int
    speaker: str  # "" when unnamed
    speaker_start: int
    speaker_end: int
    cue: str  # the reporting verb or phrase: "said", "was quoted as saying", "according to"
    direct: bool  # True for quotation marks, False for reported speech
    sentence: int


@dataclass(frozen=True)
class Attribution:
    """An upstream source a statement is credited to: "quoted by the daily Baghdad Today"."""

    start: int  # the attribution phrase
    end: int
    source: str  # the credited source's name, "Baghdad Today"
    source_start: int
    source_end: int
    cue: str  # "quoted by", "told", "citing", "according to", "reported"
    sentence: int


@dataclass(frozen=True)
class Statement:
    """One source–cue–content relation: who said, wrote, found or showed what (PolNeAR's sense).

    Spans are ``-1``/``-1`` when the part is absent (an unnamed source).
    """

    start: int  # the whole construction
    end: int
    source: str  # as written, title and apposition included: "Attorney General Loretta Lynch"
    source_start: int
    source_end: int
    entity: str  # whom the source stands for: a pronoun's antecedent, else the source itself
    entity_start: int  # the antecedent's span (may lie in an earlier sentence)
    entity_end: int
    cue: str  # as written: "said", "according to", "has learned", ":"
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    kind: str  # direct, indirect, mixed, according-to, colon, headline
    source_role: str  # "person", "medium" (a medium speaks: "Reuters reported"), "other", ""
    channel: str  # a medium the statement was made to, an upstream credit ("told CNN"); or ""
    channel_start: int
    channel_end: int
    sentence: int
    confidence: float  # probability of a gold relation (PolNeAR train classifier/precision)


@dataclass(frozen=True)
class Description:
    """A descriptive phrase that refers to a named entity ("a top Iranian general")."""

    start: int
    end: int
    text: str
    head: str  # head noun lemma: "general"
    sentence: int


@dataclass(frozen=True)
class AnalyzedArticle:
    """An article with every annotation layer the pipeline assigned."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quotes: tuple[Quote, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    statements: tuple[Statement, ...] = ()
    descriptions: tuple[Description, ...] = ()
    # Per-sentence embedding vectors (numpy float32, shape [n_sentences, dim]); not serialised
    # into JSON, kept by the store as a blob.
    vectors: Any = field(default=None, compare=False, repr=False)
    layers: tuple[str, ...] = ()  # names of the layers assigned, in pipeline order

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.article.text[s.start : s.end]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding a character offset (-1 if none)."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s.index
        return -1


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True)
class Story:
    """A group of articles that report the same event."""

    id: str
    label: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    # its articles' languages (ISO 639-1, sorted), derived from them when a story is listed
    languages: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.article_ids)


class CorrectionKind(enum.StrEnum):
    MERGE = "merge"  # every article of the other stories joins the kept one
    SPLIT = "split"  # chosen articles of a story leave it for a new story
    MOVE = "move"  # one article goes to another story, or out to a new one


@dataclass(frozen=True)
class Correction:
    """A user's correction of the stories: which articles left which stories for which one."""

    kind: CorrectionKind
    story_id: str  # the story that took the articles (a merge's kept story)
    from_ids: tuple[str, ...]  # the stories the articles left
    article_ids: tuple[str, ...]  # the articles that changed story
    removed: tuple[str, ...]  # stories the correction emptied (a merge's others)
    new_story: bool  # story_id was opened by this correction
    at: datetime
    id: int = 0  # the store's number for it, 0 until stored


# --------------------------------------------------------------------------- comparisons


class ClaimStatus(enum.StrEnum):
    SHARED = "shared"
    ONLY_IN = "only_in"
    CONFLICTING = "conflicting"


class DisputeKind(enum.StrEnum):
    NUMBER = "number"
    DATE = "date"  # the day (calendar date or weekday) of one event or statement
    TIME = "time"  # the clock time of one event or statement
    DENIAL = "denial"
    CHARACTERISATION = "characterisation"
    SPEAKER = "speaker"
    SOURCE = "source"


@dataclass(frozen=True)
class Evidence:
    """Where a finding comes from: the article, its sentence, and the exact span."""

    article_id: str
    outlet: str
    sentence: int  # sentence index in the article
    start: int  # span of the evidence in the article text (a value, a phrase or the sentence)
    end: int
    text: str  # article.text[start:end], kept so a reader can check without the article
    sentence_start: int  # span of the whole sentence holding the evidence
    sentence_end: int


@dataclass(frozen=True)
class Claim:
    """A checkable unit of an article: a sentence or a clause of one."""

    id: str  # "<article_id>:<start>-<end>"
    evidence: Evidence


@dataclass(frozen=True)
class ClaimGroup:
    """Claims aligned across articles as statements of the same fact."""

    id: str
    status: ClaimStatus
    outlets: tuple[str, ...]
    claims: tuple[Claim, ...]
    confidence: float
    disputes: tuple[str, ...] = ()  # ids of the disputes about this group's fact


@dataclass(frozen=True)
class DisputeSide:
    """One answer to a disputed question, with every outlet that gives it."""

    value: str  # as the first carrying outlet writes it ("more than 20 missiles", "denied")
    normalized: str  # its comparable form ("> 20 missile", "2020-01-08", "denies")
    outlets: tuple[str, ...]
    independent: int  # outlets counted once per syndication family (a copy with its original)
    credits: tuple[str, ...]  # who the carrying outlets credit for it (speakers, upstream media)
    evidence: tuple[Evidence, ...]  # one span per carrying outlet, in outlet order


@dataclass(frozen=True)
class Dispute:
    """One disputed question about one claim group, with two or more sides."""

    id: str
    kind: DisputeKind
    question: str  # "how many missiles were fired", "whether it happened", "who said it"
    group: str  # the claim group the question is about
    sides: tuple[DisputeSide, ...]  # most independent outlets first
    confidence: float  # see compare/disputes.py: the measured precision of such a dispute
    explanation: str

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(o for side in self.sides for o in side.outlets)


@dataclass(frozen=True)
class SourceCredit:
    name: str
    kind: str  # "upstream" (a medium or agency credited) or "speaker" (a person quoted)
    cue: str
    evidence: Evidence


@dataclass(frozen=True)
class Provenance:
    """Per outlet: the upstream sources and the speakers it relies on."""

    outlet: str
    article_id: str
    upstream: tuple[SourceCredit, ...]
    speakers: tuple[SourceCredit, ...]


@dataclass(frozen=True)
class Term:
    outlet: str
    term: str
    loaded: bool
    evidence: Evidence


@dataclass(frozen=True)
class WordingDifference:
    """How outlets name the same referent: neutral vs loaded terms."""

    id: str
    referent: str  # "the killing of Soleimani" / lexicon category "killing"
    terms: tuple[Term, ...]
    source: str  # "alignment", "lexicon" or "model" (the BABE-learned word model)
    confidence: float


@dataclass(frozen=True)
class EntityVariant:
    outlet: str
    spelling: str
    evidence: Evidence


@dataclass(frozen=True)
class MergedEntity:
    """One real-world entity with each outlet's spellings and the rule that merged them."""

    id: str
    name: str
    label: str
    variants: tuple[EntityVariant, ...]
    rule: str  # "exact", "spelling", "transliteration", "fuzzy", "part-of-name"
    confidence: float
    descriptions: tuple[EntityVariant, ...] = ()  # "a top Iranian general" -> this entity

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.spelling for v in self.variants))


@dataclass(frozen=True)
class ArticleRef:
    id: str
    outlet: str
    title: str
    url: str
    published: datetime | None
    language: str
    text: str
    family: str = ""  # id of its syndication family's original ("" when it is its own)
    boilerplate: tuple[Span, ...] = ()  # page clutter spans, shown dimmed, never claims


@dataclass(frozen=True)
class Comparison:
    """The claim-by-claim comparison of N >= 2 articles on one event.

    Pairwise checks are an internal step of ``compare``: what a reader sees are disputes, one
    per disputed question of one claim group, each side with the outlets that carry it.
    """

    articles: tuple[ArticleRef, ...]
    same_event: float  # 0..1: how sure we are these articles report one event
    disputes: tuple[Dispute, ...]  # ranked: most independent outlets and confidence first
    claims: tuple[ClaimGroup, ...]
    provenance: tuple[Provenance, ...]
    wording: tuple[WordingDifference, ...]
    entities: tuple[MergedEntity, ...]

    def claims_with(self, status: ClaimStatus) -> tuple[ClaimGroup, ...]:
        return tuple(g for g in self.claims if g.status == status)


# --------------------------------------------------------------------------- serialisation


def to_dict(obj: Any) -> Any:
    """Plain JSON-ready data for any model object (dates as ISO strings, enums as values)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            if f.name == "vectors":
                continue
            out[f.name] = to_dict(getattr(obj, f.name))
        return out
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    return obj
