"""The exceptions qa raises; each message names the bad value and what to do about it."""

import difflib
from collections.abc import Sequence
from pathlib import PurePosixPath


def first_few(items: Sequence[str], most: int, separator: str = ", ") -> str:
    """The first few of a list for a message, and how many more: "a, b, c and 4 more"."""
    shown = separator.join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def unknown_document(doc_id: str, known: Sequence[str], where: str = "the index") -> str:
    """The message for a document id that is not there: the ids it may have meant (the same
    file name in a subfolder, or in another case; a near spelling, closest first), else a few
    of the ids there are."""
    name = PurePosixPath(doc_id).name.casefold()
    meant = sorted(d for d in known if PurePosixPath(d).name.casefold() == name)
    if not meant:
        by_folded = {d.casefold(): d for d in known}
        meant = [by_folded[d] for d in difflib.get_close_matches(doc_id.casefold(), list(by_folded), n=3, cutoff=0.6)]
    if meant:
        return f"no document {doc_id!r} in {where}; did you mean {first_few(meant, 3, ' or ')}?"
    if not known:
        return f"no document {doc_id!r} in {where}, which holds none"
    listed = first_few(sorted(known), 5)
    more = "; `qa documents` or the chat's side panel lists them all" if len(known) > 5 else ""
    return f"no document {doc_id!r} in {where}; its documents are {listed}{more}"


class QAError(Exception):
    """Base class: the CLI prints the message on one line, the chat shows it as a reply."""


class SeedsError(QAError):
    """The seeds folder is missing, empty, or holds nothing readable."""


class IndexProblem(QAError):
    """The index folder is missing, damaged, or was built differently."""


class IndexNotWritable(IndexProblem):
    """The index folder cannot be created or written (a file of that name, no permission)."""


class ModelError(QAError):
    """The embedding model cannot be loaded."""


class InputError(QAError):
    """A question, a number or a file given to qa is not usable."""
