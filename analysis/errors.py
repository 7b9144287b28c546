"""The package's named error types.

Every problem with a user's input or output folder is raised as one of these,
never as a bare ``ValueError``/``OSError`` from deep inside pandas or pandera,
so a caller (or the command line) can tell bad input from a bug:

* :class:`CorpusInputError` (a ``ValueError``): bad corpus input; ``problems``
  lists one message per problem, each naming the file and line.
  :class:`analysis.framing.lexicon.FramingInputError` is its framing-input
  subclass.
* :class:`CorpusOutputError` (an ``OSError``): an output folder that cannot be
  used: a file in its place, not writable, holding files that are not a
  built corpus, or locked by another build (:class:`BuildLockedError`).
* :class:`IncompleteCorpusError` (also a ``FileNotFoundError``): a corpus
  folder without its completion marker, or whose tables no longer match it.
"""

from __future__ import annotations

__all__ = ["CorpusInputError", "CorpusOutputError", "BuildLockedError",
           "IncompleteCorpusError", "ERROR_TYPES"]


class CorpusInputError(ValueError):
    """Raised for bad corpus input; ``problems`` holds one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n > 1 else ''} in the corpus input:\n  "
        super().__init__(head + "\n  ".join(self.problems))


class CorpusOutputError(OSError):
    """An output folder that cannot be written as asked; the message names it and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BuildLockedError(CorpusOutputError):
    """Another build is writing to the same output folder."""


class IncompleteCorpusError(CorpusOutputError, FileNotFoundError):
    """A corpus folder without its completion marker, or with tables that do not match it."""


#: Everything the package raises on purpose for bad input or unusable outputs.
ERROR_TYPES = (CorpusInputError, CorpusOutputError)
