"""qa: answers questions about a collection of documents by quoting their sentences.

    import qa
    qa.build_index(seeds="seeds", index="index")
    hits = qa.search("What did Erdoğan offer?", k=5, index="index")
    answer = qa.Conversation(index="index").ask("What did Erdoğan offer?")

Heavy modules (FAISS, the encoder, Gradio) load on first use, so `import qa` is quick.
"""

from __future__ import annotations

import logging
import os
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

# No model hub and no analytics: qa runs offline. Set before anything imports Hugging Face code.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from .errors import IndexNotWritable, IndexProblem, InputError, ModelError, QAError, SeedsError
from .records import Answer, DocumentInfo, Hit

# The library never prints: its warnings (a skipped file) go nowhere until the program using it
# configures logging, as the command line does. Without a handler Python would print them.
logging.getLogger("qa").addHandler(logging.NullHandler())

try:
    __version__ = version("qa")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "unknown"

__all__ = [
    "Answer",
    "Conversation",
    "DocumentInfo",
    "Hit",
    "IndexNotWritable",
    "IndexProblem",
    "InputError",
    "ModelError",
    "QAError",
    "SeedsError",
    "__version__",
    "build_index",
    "documents",
    "found",
    "search",
]

_LAZY = {
    "build_index": "qa.indexer",
    "documents": "qa.store",
    "search": "qa.retrieve",
    "found": "qa.retrieve",
    "Conversation": "qa.conversation",
}

if TYPE_CHECKING:
    from .conversation import Conversation
    from .indexer import build_index
    from .retrieve import found, search
    from .store import documents


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What qa offers, the functions loaded on first use included (not its own imports)."""
    return sorted(__all__)
