"""The exceptions qa raises; each message names the bad value and what to do about it."""

from collections.abc import Sequence


def first_few(items: Sequence[str], most: int, separator: str = ", ") -> str:
    """The first few of a list for a message, and how many more: "a, b, c and 4 more"."""
    shown = separator.join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


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
