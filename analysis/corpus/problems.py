"""Problems of the corpus input: collected, then raised together or recorded.

Every check of :mod:`analysis.corpus.manifest`, :mod:`analysis.corpus.load`
and :mod:`analysis.corpus.records` reports through one collector:
``problems.add(where, message, doc_id=..., reason=...)`` for a rejection and
``problems.warn(...)`` for a warning.  With ``on_error="raise"`` the
rejections are raised together as one
:class:`~analysis.errors.CorpusInputError`; with
``on_error="record"`` they become audit rows (stage ``load``, rule
``rejected:<reason>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..errors import CorpusInputError
from .schema import AUDIT_COLUMNS

__all__ = ["OnError"]

OnError = Literal["raise", "record"]


@dataclass
class _Problems:
    """Collects problems; raises them together or turns them into audit rows."""

    on_error: OnError
    messages: list[str] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)

    def add(self, where: str, message: str, *, doc_id: str, reason: str) -> None:
        text = f"{where}: {message}"
        self.messages.append(text)
        self.audit.append(_audit_row(doc_id, f"rejected:{reason}", detail=text))

    def warn(self, where: str, message: str, *, doc_id: str, rule: str) -> None:
        self.audit.append(_audit_row(doc_id, rule, detail=f"{where}: {message}"))

    def finish(self) -> None:
        if self.messages and self.on_error == "raise":
            raise CorpusInputError(self.messages)


def _audit_row(doc_id: str, rule: str, *, detail: str) -> dict:
    row = dict.fromkeys(AUDIT_COLUMNS)
    row.update(doc_id=doc_id, stage="load", rule=rule, detail=detail)
    return row


def _date_reason(err: ValueError) -> str:
    return "date_out_of_range" if "outside the range" in str(err) else "bad_date"
