"""The fast encoders' model: all-MiniLM-L6-v2 (or any sentence-transformers BERT-style
mean-pooling model) exported to ONNX, in fp32 and int8-quantised.

Two halves:

* ``export(model_dir, out_dir, ...)`` -- one-off, heavy: imports torch / transformers / onnx
  *inside the function only*, writes ``model.onnx`` (dynamic int8, for onnxruntime),
  ``model_fp32.onnx``, ``tokenizer.json`` and ``onnx_encoder.json`` into a temporary sibling
  folder and renames it into ``out_dir``, so an interrupted export never leaves a half-written
  cache. ``add_openvino_int8(folder)`` adds ``model_int8_openvino.xml`` (static int8, for
  OpenVINO, by NNCF) the first time a CPU without bf16 needs it.
* the encoders in embed.py -- light: ``OpenVinoEncoder`` runs the fp32 graph in bf16 (cosine
  0.99999 to torch) or the static int8 one (mean cosine 0.9978 on the SQuAD sentences),
  ``OnnxEncoder`` the dynamic int8 one on onnxruntime (mean cosine 0.993).

The graph takes ``input_ids``, ``attention_mask``, ``token_type_ids`` (int64, [batch, seq])
and returns ``sentence_embedding`` ([batch, dim], the attention-masked mean of the last
hidden state, *not* normalised; normalisation is done in numpy).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# 2: the fp32 model is kept beside the int8 one, for OpenVINO; 3: the int8 graph is fused
# (by default: `export(fuse=False)` still writes format 3). OpenVINO's static int8 model is
# added to a folder when first needed, so it changes no format: an older export answers
# questions without being made again.
FORMAT_VERSION = 3
SIDECAR = "onnx_encoder.json"
MODEL_FILE = "model.onnx"
OPENVINO_INT8_FILE = "model_int8_openvino.xml"  # its weights are in the .bin beside it
CALIBRATION_FILE = Path(__file__).parent / "data" / "calibration.txt"
TOKENIZER_FILE = "tokenizer.json"
DEFAULT_OPSET = 17

# Quantisation chosen after measurement (docs/speed.md): dynamic int8, signed weights,
# per-channel scales, full 8-bit range, ORT's default op set (the fused Attentions' projections,
# the other weight MatMuls, the embedding Gathers; products of two activations stay fp32).
DEFAULT_QUANT = {"weight_type": "QInt8", "per_channel": True, "reduce_range": False}

# Files whose content determines the exported model's output.
_SOURCE_FILES = (
    "model.safetensors",
    "config.json",
    "tokenizer.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)

log = logging.getLogger("qa")

ProgressFn = Callable[..., object]  # called as progress(fraction, message); gr.Progress fits


# --------------------------------------------------------------------------- fingerprint
def _source_files(model_dir: Path) -> list[Path]:
    return [model_dir / f for f in _SOURCE_FILES if (model_dir / f).is_file()]


def source_stat(model_dir: Path) -> dict:
    """Cheap fingerprint (sizes + mtimes) of the source model files."""
    model_dir = Path(model_dir)
    out = {}
    for p in _source_files(model_dir):
        st = p.stat()
        out[str(p.relative_to(model_dir))] = [st.st_size, st.st_mtime_ns]
    return out


def source_sha256(model_dir: Path) -> str:
    """sha256 over (relative name, content) of the source model files."""
    model_dir = Path(model_dir)
    h = hashlib.sha256()
    for p in _source_files(model_dir):
        h.update(str(p.relative_to(model_dir)).encode() + b"\0")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def read_meta(folder: Path) -> dict | None:
    """The sidecar of an exported folder, or None if the folder is missing/incomplete."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / SIDECAR).read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format_version") != FORMAT_VERSION:
        return None
    if not (folder / meta.get("model_file", MODEL_FILE)).is_file() or not (folder / TOKENIZER_FILE).is_file():
        return None
    return meta


def is_current(folder: Path, model_dir: Path, quantize: bool = True) -> bool:
    """True if ``folder`` holds a complete export of ``model_dir`` with the requested
    quantisation and the fp32 model (OpenVINO runs it). Compares sizes/mtimes first; falls
    back to hashing only if they differ."""
    meta = read_meta(folder)
    if meta is None or (meta.get("quantization") is not None) != bool(quantize):
        return False
    if not (meta.get("fp32_file") and (Path(folder) / meta["fp32_file"]).is_file()):
        return False
    if meta.get("source_stat") == source_stat(model_dir):
        return True
    return meta.get("source_sha256") == source_sha256(model_dir)


def take_over_orphans(folder: Path, siblings: list[Path], model_dir: Path) -> bool:
    """Deal with the exports among `siblings` whose source model folder is gone (an install of
    qa since removed: every install of the bundled model has its own export, 130 MB): one of
    the same model files as model_dir's becomes `folder` (which must not exist yet), recorded as
    model_dir's, so a new install need not export it again (20 s with torch); the others are
    deleted. Returns whether `folder` was made."""
    taken, sha = False, None
    for sibling in siblings:
        meta = read_meta(sibling)
        if meta is None or Path(meta.get("source_model_dir", "")).is_dir():
            continue  # another format, or another install's: not ours to judge
        sha = sha or source_sha256(model_dir)
        if not taken and not folder.exists() and meta.get("source_sha256") == sha:
            meta.update(source_model_dir=str(model_dir), source_stat=source_stat(model_dir))
            written = sibling / f".{SIDECAR}.tmp"
            written.write_text(json.dumps(meta, indent=1))
            os.replace(written, sibling / SIDECAR)
            os.rename(sibling, folder)
            taken = True
        else:
            shutil.rmtree(sibling, ignore_errors=True)
    return taken


# --------------------------------------------------------------------------- export
def _st_settings(model_dir: Path) -> tuple[int, str, int]:
    """(max_seq_length, pooling, dimension) from the sentence-transformers config files."""
    cfg = json.loads((model_dir / "config.json").read_text())
    max_len = cfg.get("max_position_embeddings", 512)
    sbc = model_dir / "sentence_bert_config.json"
    if sbc.is_file():
        max_len = min(max_len, json.loads(sbc.read_text()).get("max_seq_length") or max_len)
    pooling = "mean"
    pc = model_dir / "1_Pooling" / "config.json"
    if pc.is_file():
        p = json.loads(pc.read_text())
        modes = [k for k, v in p.items() if k.startswith("pooling_mode_") and v]
        if modes != ["pooling_mode_mean_tokens"]:
            raise ValueError(f"only mean pooling is supported, got {modes}")
    return int(max_len), pooling, int(cfg["hidden_size"])


def export(
    model_dir: Path,
    out_dir: Path,
    quantize: bool = True,
    progress: ProgressFn | None = None,
    *,
    opset: int = DEFAULT_OPSET,
    quant_options: dict | None = None,
    fuse: bool = True,
) -> Path:
    """Export ``model_dir`` (sentence-transformers layout) to ONNX in ``out_dir``.

    ``quantize``: dynamic int8 quantisation of the MatMul weights (``quant_options``
    overrides ``DEFAULT_QUANT``: weight_type "QInt8"/"QUInt8", per_channel, reduce_range,
    nodes_to_exclude, op_types_to_quantize); the fp32 graph stays beside it as
    ``model_fp32.onnx``, for OpenVINO.
    ``fuse``: apply onnxruntime's offline BERT fusions (Attention, EmbedLayerNorm, BiasGelu)
    to the graph that is quantised; ``model_fp32.onnx`` keeps plain operators.
    ``progress(fraction, message)`` is called between stages (a ``gr.Progress`` works).
    Returns ``out_dir``. Replaces an existing ``out_dir`` atomically-by-rename.
    """
    t0 = time.perf_counter()
    model_dir, out_dir = Path(model_dir).resolve(), Path(out_dir).resolve()

    def step(frac: float, msg: str) -> None:
        if progress is not None:
            progress(frac, msg)

    max_len, pooling, dim = _st_settings(model_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in [*out_dir.parent.glob(f".{out_dir.name}.tmp-*"), *out_dir.parent.glob(f".{out_dir.name}.old-*")]:
        try:  # left behind by a killed export (SIGKILL skips the cleanup below)
            if time.time() - stale.stat().st_mtime > 3600:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        step(0.0, "hashing source model")
        stat_before = source_stat(model_dir)
        sha = source_sha256(model_dir)

        step(0.1, "loading model (torch)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import warnings

        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        bar = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # "Loading weights" tqdm bar
        try:
            # eager attention: the exported pattern is what ORT's Attention fusion recognises
            hf = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
        finally:
            if bar:
                hf_logging.enable_progress_bar()
        hf.eval()

        class _Wrapper(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, input_ids, attention_mask, token_type_ids):
                h = self.m(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(h.dtype)
                return (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

        raw_path = tmp / "model_raw.onnx"
        dummy = torch.ones((2, 8), dtype=torch.long)
        step(0.2, "exporting fp32 ONNX")
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # TracerWarnings from HF mask code; harmless
            torch.onnx.export(
                _Wrapper(hf),
                (dummy, dummy, torch.zeros_like(dummy)),
                str(raw_path),
                dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["sentence_embedding"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "seq"},
                    "attention_mask": {0: "batch", 1: "seq"},
                    "token_type_ids": {0: "batch", 1: "seq"},
                    "sentence_embedding": {0: "batch"},
                },
                opset_version=opset,
                do_constant_folding=True,
            )
        n_heads, hidden = hf.config.num_attention_heads, hf.config.hidden_size
        del hf

        import onnx
        import onnxruntime

        onnx.checker.check_model(str(raw_path))
        fp32_path = tmp / ("model_fp32.onnx" if quantize else MODEL_FILE)
        raw_path.rename(fp32_path)  # plain operators: what OpenVINO reads
        fused = None
        to_quantize = fp32_path
        if quantize and fuse:
            # onnxruntime's offline BERT fusions (Attention, EmbedLayerNormalization, BiasGelu;
            # com.microsoft contrib ops, CPU only) for the int8 graph. Not SkipLayerNormalization:
            # its kernel is slow here (see OnnxEncoder). One question encodes in 0.93 ms against
            # 1.17 unfused, a 64-sentence batch 1.3x faster, equally close to fp32.
            # opt_level=0: pure graph rewrite, no hardware-specific session optimisation baked in.
            step(0.45, "fusing transformer ops")
            from onnxruntime.transformers.fusion_options import FusionOptions
            from onnxruntime.transformers.optimizer import optimize_model

            options = FusionOptions("bert")
            options.enable_skip_layer_norm = False
            opt = optimize_model(
                str(fp32_path),
                model_type="bert",
                num_heads=n_heads,
                hidden_size=hidden,
                optimization_options=options,
                opt_level=0,
            )
            fused = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
            to_quantize = tmp / "model_fused.onnx"
            opt.save_model_to_file(str(to_quantize))

        qmeta = None
        if quantize:
            step(0.6, "quantising to int8")
            opts = {**DEFAULT_QUANT, **(quant_options or {})}
            quantize_int8(to_quantize, tmp / MODEL_FILE, **opts)
            if to_quantize != fp32_path:
                to_quantize.unlink()
            qmeta = {"method": "dynamic", **opts}

        step(0.9, "writing tokenizer and sidecar")
        shutil.copy2(model_dir / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        if source_stat(model_dir) != stat_before:
            raise RuntimeError(f"{model_dir} changed during export")
        meta = {
            "format_version": FORMAT_VERSION,
            "model_file": MODEL_FILE,
            "fp32_file": fp32_path.name,
            "source_model_dir": str(model_dir),
            "source_sha256": sha,
            "source_stat": stat_before,
            "max_seq_length": max_len,
            "pooling": pooling,
            "normalize": True,
            "dimension": dim,
            "opset": opset,
            "onnxruntime_version": onnxruntime.__version__,
            "onnx_version": onnx.__version__,
            "torch_version": torch.__version__,
            "fused_ops": fused,
            "quantization": qmeta,
            "export_seconds": round(time.perf_counter() - t0, 2),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (tmp / SIDECAR).write_text(json.dumps(meta, indent=1))
        _durable(*tmp.iterdir())
        os.chmod(tmp, 0o755)

        # Publish: rename() cannot replace a non-empty dir, so move the old one aside first.
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.rename(out_dir, old / "x")
        os.rename(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    step(1.0, "done")
    return out_dir


class QuantisationFailed(Exception):
    """NNCF could not quantise the model: it would not on another try either."""


def openvino_int8(folder: Path) -> tuple[Path | None, str | None]:
    """An exported folder's static int8 model for OpenVINO, if it has been made; else why it
    could not be, if that has been recorded."""
    meta = read_meta(folder) or {}
    name = meta.get("openvino_int8_file")
    if name and (Path(folder) / name).is_file():
        return Path(folder) / name, None
    return None, meta.get("openvino_int8_error")


def add_openvino_int8(folder: Path) -> tuple[Path | None, str | None]:
    """openvino_int8(folder), the model made now if it is neither made nor known not to be
    (about 10 s, once). A model NNCF cannot quantise is recorded, so later builds do not try
    again; a failure that may pass (nncf not installed, a full disk) is not. The caller holds
    the export lock."""
    folder = Path(folder)
    made, why_not = openvino_int8(folder)
    meta = read_meta(folder)
    if made or why_not or meta is None:
        return made, why_not or (None if meta else f"{folder} is not a complete ONNX export")
    for stale in folder.glob(".*.tmp-*"):  # a killed process's: none is being written, under the lock
        stale.unlink(missing_ok=True)
    log.info("quantising the model to int8 for OpenVINO in %s (once; about 10 s)", folder)
    tmp = folder / f".{OPENVINO_INT8_FILE}.tmp-{os.getpid()}.xml"
    try:
        quantize_openvino_int8(folder / meta["fp32_file"], folder / TOKENIZER_FILE, tmp, int(meta["max_seq_length"]))
        _durable(tmp, tmp.with_suffix(".bin"))
        os.replace(tmp.with_suffix(".bin"), (folder / OPENVINO_INT8_FILE).with_suffix(".bin"))
        os.replace(tmp, folder / OPENVINO_INT8_FILE)  # last: the model is whole once its .xml is there
        meta["openvino_int8_file"] = OPENVINO_INT8_FILE
    except QuantisationFailed as exc:  # a model NNCF cannot quantise: OpenVINO runs its fp32 graph
        log.warning("no int8 model for OpenVINO (delete %s to try again): %s", folder, exc)
        meta["openvino_int8_error"] = str(exc)[:500]
    except Exception as exc:  # nncf missing, a full disk (OpenVINO says RuntimeError): may pass
        log.warning(
            "no int8 model for OpenVINO this time (reinstall qa if nncf is missing): %s; an index "
            "built now keeps fp32 until `qa index --encoder openvino-int8`",
            exc,
        )
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        for left in (tmp, tmp.with_suffix(".bin")):
            left.unlink(missing_ok=True)
    written = folder / f".{SIDECAR}.tmp-{os.getpid()}"
    written.write_text(json.dumps(meta, indent=1))
    _durable(written)
    os.replace(written, folder / SIDECAR)
    return openvino_int8(folder)


def _durable(*paths: Path) -> None:
    """Their content on disk before a rename publishes them."""
    for path in paths:
        with open(path, "rb") as f:
            os.fsync(f.fileno())


def quantize_openvino_int8(fp32: Path, tokenizer_file: Path, dst: Path, max_len: int) -> Path:
    """Static int8 quantisation of the fp32 graph for OpenVINO, by NNCF's post-training
    quantisation: activation ranges are measured once, on the sentences of CALIBRATION_FILE,
    so no batch's vectors depend on another text (onnxruntime's dynamic int8 scales each batch
    its own way)."""
    import contextlib
    import io

    import numpy as np

    os.environ["NNCF_CI"] = "1"  # NNCF's telemetry off (read as nncf is imported): qa sends nothing
    import nncf
    import openvino as ov
    from nncf.common.logging import nncf_logger
    from tokenizers import Tokenizer

    for handler in list(nncf_logger.handlers):  # its own handler writes to standard output
        nncf_logger.removeHandler(handler)
    nncf_logger.propagate = True  # to the application's logging, as qa's own messages go

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(max_length=max_len)
    tokenizer.no_padding()
    lines = CALIBRATION_FILE.read_text(encoding="utf-8").splitlines()
    feeds = []
    for encoding in tokenizer.encode_batch([line for line in lines if line and not line.startswith("#")]):
        ids = np.array([encoding.ids], dtype=np.int64)
        feeds.append({"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
    nncf.set_log_level(logging.ERROR)  # its messages go to the caller's logging, errors only
    model = ov.Core().read_model(str(fp32))
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # NNCF's progress bars: the caller reports progress
            model = nncf.quantize(
                model, nncf.Dataset(feeds), model_type=nncf.ModelType.TRANSFORMER, subset_size=len(feeds)
            )
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise QuantisationFailed(f"{type(exc).__name__}: {exc}") from exc
    ov.save_model(model, str(dst), compress_to_fp16=False)
    return dst


def quantize_int8(
    src: Path,
    dst: Path,
    weight_type: str = "QInt8",
    per_channel: bool = False,
    reduce_range: bool = False,
    nodes_to_exclude: list[str] | None = None,
    op_types_to_quantize: list[str] | None = None,
    extra_options: dict | None = None,
) -> Path:
    """Dynamic int8 quantisation (onnxruntime.quantization.quantize_dynamic)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # quantize_dynamic logs through the root logger, whose first use installs a handler
    # (logging.basicConfig) that would make every library chatty afterwards: undo it.
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    root.setLevel(logging.ERROR)  # and its advice to pre-process the model is noise here
    try:
        quantize_dynamic(
            str(src),
            str(dst),
            weight_type=getattr(QuantType, weight_type),
            per_channel=per_channel,
            reduce_range=reduce_range,
            nodes_to_exclude=nodes_to_exclude or [],
            op_types_to_quantize=op_types_to_quantize,  # None: ORT default set
            # contrib-op graphs (ORT transformer fusions) defeat ONNX shape inference
            extra_options={"DefaultTensorType": 1, **(extra_options or {})},  # 1 = FLOAT
        )
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    return Path(dst)
