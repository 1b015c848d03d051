"""Sentence-embedding paths side by side: speed, CPU cost and faithfulness to fp32.

Run: ``.venv/bin/python benchmarks/embeddings.py [--sentences 500] [--rounds 3]``.

Every path encodes the same real newswcl50 sentences; rounds run round-robin and the best
round counts, because the machine is shared and neighbours' load only ever slows a round down.
Cosine is against sentence-transformers fp32. ONNX Runtime and torch int8 rows are measured
only when their packages are installed (they are candidates, not dependencies).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.filterwarnings("ignore")

from storyline.nlp import embeddings as emb  # noqa: E402

ARTICLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data/newswcl50/articles.jsonl"
SENTENCES_PER_ARTICLE = 34  # newswcl50 average; the analysis goal is stated per article
COMPARE_SENTENCES = 20  # `compare` of two ~10-sentence articles
SPLIT = re.compile(r"(?<=[.!?\u201d])\s+|\n+")


def news_sentences(limit: int) -> list[str]:
    """Up to ``limit`` real sentences from the shared corpus."""
    if not ARTICLES.exists():
        sys.exit(f"corpus not found: {ARTICLES}")
    out: list[str] = []
    with open(ARTICLES, encoding="utf-8") as fh:
        for line in fh:
            out.extend(s.strip() for s in SPLIT.split(json.loads(line)["text"]) if len(s) >= 15)
    return out[:limit]


def timed(make: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    value = make()
    return value, time.perf_counter() - start


class _OnnxEmbedder(emb._BatchedModel):
    """Candidate: the same graph exported to ONNX, run by ONNX Runtime."""

    def __init__(self, path: Path):
        import onnxruntime as ort

        super().__init__()
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask}
        return self.session.run(["last_hidden_state"], feed)[0]


def export_onnx(folder: Path) -> tuple[Path, Path]:
    """fp32 ONNX export plus its dynamic int8 (per-channel) quantisation."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = emb._HiddenStates.wrap(emb._load_bert())
    fp32, int8 = folder / "model.onnx", folder / "model_int8.onnx"
    example = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model,
        example,
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return fp32, int8


class _TorchInt8(emb.TorchEmbedder):
    """Candidate: torch dynamic int8 quantisation of every nn.Linear."""

    def __init__(self) -> None:
        import torch

        super().__init__()
        self.model = torch.ao.quantization.quantize_dynamic(
            self.model, {torch.nn.Linear}, dtype=torch.qint8
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = news_sentences(args.sentences)
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-"))

    from sentence_transformers import SentenceTransformer

    paths: dict[str, Callable[[list[str]], np.ndarray]] = {}
    notes: dict[str, str] = {}
    st, took = timed(lambda: SentenceTransformer(str(emb.model_dir()), device="cpu"))
    notes["sentence-transformers fp32"] = f"load {took:.1f}s"
    paths["sentence-transformers fp32"] = lambda t: st.encode(
        t, batch_size=64, normalize_embeddings=True
    )
    torch32, took = timed(emb.TorchEmbedder)
    notes["torch fp32 sorted (minilm-fp32)"] = f"load {took:.1f}s"
    paths["torch fp32 sorted (minilm-fp32)"] = torch32.encode
    int8, took = timed(_TorchInt8)
    notes["torch dynamic int8"] = f"load+quantise {took:.1f}s"
    paths["torch dynamic int8"] = int8.encode
    ir_dir = work / "ir"
    _, took = timed(lambda: emb.convert_to_openvino(ir_dir))
    fast, load = timed(lambda: emb.OpenVINOEmbedder(ir_dir=ir_dir))
    notes["openvino f32 (minilm-fast)"] = f"convert {took:.1f}s, load cached {load:.1f}s"
    paths["openvino f32 (minilm-fast)"] = fast.encode
    try:
        (onnx32, onnx8), took = timed(lambda: export_onnx(work))
        for label, path in (("onnxruntime fp32", onnx32), ("onnxruntime int8", onnx8)):
            model, load = timed(lambda p=path: _OnnxEmbedder(p))
            notes[label] = f"export+quantise {took:.1f}s, load {load:.1f}s"
            paths[label] = model.encode
    except ImportError as exc:
        print(f"(onnxruntime rows skipped: {exc})")
    hashing, took = timed(emb.HashingEmbedder)
    notes["hashing"] = f"load {took:.2f}s"
    paths["hashing"] = hashing.encode

    results = {name: encode(texts) for name, encode in paths.items()}  # also the warm-up
    best = {name: (float("inf"), float("inf")) for name in paths}
    for _ in range(args.rounds):
        for name, encode in paths.items():
            wall, cpu = time.perf_counter(), time.process_time()
            encode(texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))

    reference = results["sentence-transformers fp32"]
    base = len(texts) / best["sentence-transformers fp32"][0]
    print(f"{len(texts)} newswcl50 sentences, best of {args.rounds} rounds, {os.cpu_count()} CPUs")
    header = f"{'path':34} {'sent/s':>7} {'x fp32':>6} {'cpu ms':>7} {'cos min':>9} {'cos mean':>9}"
    print(header + "  notes")
    for name in paths:
        wall, cpu = best[name]
        rate = len(texts) / wall
        vectors = results[name]
        if vectors.shape == reference.shape:
            cosine = (vectors * reference).sum(axis=1)
            cos = f"{cosine.min():9.6f} {cosine.mean():9.6f}"
        else:
            cos = f"{'-':>9} {'-':>9}"
        row = f"{name:34} {rate:7.0f} {rate / base:6.2f} {1000 * cpu / len(texts):7.2f} {cos}"
        print(f"{row}  {notes[name]}")

    fast_rate = len(texts) / best["openvino f32 (minilm-fast)"][0]
    pair = texts[:COMPARE_SENTENCES]
    fast.encode(pair)
    latency = min(timed(lambda: fast.encode(pair))[1] for _ in range(5))
    print(
        f"minilm-fast: {fast_rate / SENTENCES_PER_ARTICLE:.1f} articles/s at "
        f"{SENTENCES_PER_ARTICLE} sentences/article (goal 20); {COMPARE_SENTENCES} sentences "
        f"warm in {latency * 1000:.0f} ms (goal < 300)"
    )


if __name__ == "__main__":
    main()
