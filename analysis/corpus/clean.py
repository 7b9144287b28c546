"""Clean texts: normalise, remove scraping noise, tidy, auditing every change.

Two layers, in the manner of textacy's ``preprocessing``:

* **Normalisers** (:mod:`analysis.corpus.normalise`) are small ``str -> str``
  functions composed once with
  :func:`~analysis.corpus.normalise.make_pipeline`.  They are applied line by
  line; each changed line is one audit row (stage ``normalise``).
* **Removal rules** (:data:`analysis.corpus.rules.RULES`) each find spans of
  noise in the normalised text: WordPress footers, comment forms, photo
  credits, camera file names, truncation markers and so on.  Every span
  removed is one audit row (stage ``clean``) with the rule's name, the
  removed text and its position.  Whitespace is then tidied and paragraphs
  broken by the page layout are re-joined; each join is an audit row too.

The guarantee, checked by ``tests/test_clean.py`` on the sample corpus and by
property tests: apart from whitespace, the cleaned text is exactly the
normalised text minus the audited spans.  Rules run until nothing more
matches, so cleaning is idempotent.

Examples
--------
>>> result = clean_text("We are back. Continue reading\\n\\nPosted in News | Leave a comment")
>>> result.text
'We are back.'
>>> [r["rule"] for r in result.audit]
['continue_reading', 'post_footer']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .normalise import normalise_text
from .rules import BOUNDARY_RULES, RULES, Rule
from .schema import audit_frame

__all__ = [
    "CleanResult",
    "clean_text",
    "clean_documents",
]

_CLOSING = ".!?:;\"')]»"  # a break after any other character may be a layout break


@dataclass
class CleanResult:
    """Cleaned text plus the audit rows that account for every change."""

    text: str
    audit: list[dict]
    normalised: str


def _find_spans(text: str, rules: Iterable[Rule]) -> list[tuple[int, int, str]]:
    """All rule matches, made non-overlapping (earlier rules win ties)."""
    found = []
    for priority, rule in enumerate(rules):
        for start, end in rule.find(text):
            found.append((start, -(end - start), priority, end, rule.name))
    found.sort()
    spans, last = [], 0
    for start, _, _, end, name in found:
        start = max(start, last)
        if end > start and text[start:end].strip():
            spans.append((start, end, name))
            last = end
    return spans


def _delete(text: str, origin: np.ndarray, spans: list[tuple[int, int, str]]):
    """Remove ``spans`` from ``text``, keeping ``origin`` aligned with what is left."""
    keep = np.ones(len(text), dtype=bool)
    for start, end, _ in spans:
        keep[start:end] = False
    pieces, last = [], 0
    for start, end, _ in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), origin[keep]


def _sub(text: str, origin: np.ndarray, pattern: re.Pattern, repl: Callable[[re.Match], str]):
    """``re.sub`` that keeps ``origin`` (each character's normalised offset) aligned."""
    pieces, origins, last = [], [], 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new == m.group():
            continue
        pieces.append(text[last:m.start()])
        origins.append(origin[last:m.start()])
        pieces.append(new)
        origins.append(np.full(len(new), origin[m.start()], dtype=origin.dtype))
        last = m.end()
    if not pieces:
        return text, origin
    pieces.append(text[last:])
    origins.append(origin[last:])
    return "".join(pieces), np.concatenate(origins)


# Runs of horizontal space other than a lone " ", and newlines with a space
# beside them: matching only what changes keeps _sub's Python loop short.
_HSPACE = re.compile(r" [^\S\n]+|[^\S\n ][^\S\n]*")
_EDGE_SPACE = re.compile(r" \n ?|\n ")
_BLANK_RUN = re.compile(r"\n{3,}")
_BREAK = re.compile(r"\n\n?")


def _tidy(text: str, origin: np.ndarray, barriers: np.ndarray, rows: list[dict], *,
          join_breaks: bool = True):
    """Tidy whitespace and join lines/paragraphs broken by the page layout.

    A break is joined when the text before it lacks closing punctuation and
    the text after it starts with a lowercase letter.  Joins do not look at
    removed post boundaries (that would make cleaning depend on text no
    longer there, and so not idempotent); segmentation cuts posts at the
    boundary's exact position instead (``clean_pos``).
    """
    text, origin = _sub(text, origin, _HSPACE, lambda m: " ")
    text, origin = _sub(text, origin, _EDGE_SPACE, lambda m: "\n")
    text, origin = _sub(text, origin, _BLANK_RUN, lambda m: "\n\n")

    def join(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not before or before in _CLOSING or not after.islower():
            return m.group()
        rule = "join_broken_paragraph" if m.group() == "\n\n" else "join_broken_line"
        rows.append({"stage": "clean", "rule": rule, "start": int(origin[m.start()]),
                     "end": int(origin[m.end() - 1]) + 1, "text": m.group(), "replacement": " "})
        return " "

    if join_breaks:
        text, origin = _sub(text, origin, _BREAK, join)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    return stripped, origin[lead:lead + len(stripped)]


def clean_text(raw: str, *, rules: Iterable[Rule] = RULES, max_passes: int = 10) -> CleanResult:
    """Normalise and clean one text, returning the cleaned text and its audit.

    Parameters
    ----------
    raw : str
        Decoded raw text.
    rules : iterable of Rule
        Removal rules in priority order; :data:`~analysis.corpus.rules.RULES` by default.
    max_passes : int
        Rules and joins re-run on their own output until nothing changes
        (removing one span, or joining two lines, can expose another match),
        at most this many times.

    Returns
    -------
    CleanResult
        ``text``; ``audit`` rows (stage, rule, start, end, text, replacement,
        clean_pos); and the ``normalised`` text that clean-stage offsets
        refer to.
    """
    rules = tuple(rules)
    normalised, rows = normalise_text(raw)
    text, origin = normalised, np.arange(len(normalised), dtype=np.int64)
    removals: list[dict] = []
    barriers = np.empty(0, dtype=np.int64)
    text, origin = _tidy(text, origin, barriers, removals, join_breaks=False)
    for _ in range(max_passes):
        spans = _find_spans(text, rules)
        for start, end, name in spans:
            removals.append({"stage": "clean", "rule": name, "start": int(origin[start]),
                             "end": int(origin[end - 1]) + 1, "text": text[start:end],
                             "replacement": None})
        barriers = np.array(sorted(r["start"] for r in removals if r["rule"] in BOUNDARY_RULES),
                            dtype=np.int64)
        text, origin = _delete(text, origin, spans)
        n_rows = len(removals)
        text, origin = _tidy(text, origin, barriers, removals)
        if not spans and len(removals) == n_rows:
            break  # nothing removed and nothing joined: a fixed point
    for row in removals:
        row["clean_pos"] = int(np.searchsorted(origin, row["end"], side="left"))
    removals.sort(key=lambda r: (r["start"], r["end"]))
    return CleanResult(text=text, audit=rows + removals, normalised=normalised)


def clean_documents(documents: pd.DataFrame, *, rules: Iterable[Rule] = RULES,
                    rules_by_source: Mapping[str, Iterable[Rule]] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the ``raw_text`` of every document.

    Parameters
    ----------
    documents : DataFrame
        A documents table (:class:`analysis.corpus.schema.Documents`); not modified.
    rules : iterable of Rule
        Removal rules; :data:`~analysis.corpus.rules.RULES` by default.
    rules_by_source : mapping of source to iterable of Rule, optional
        Rules for the documents of some sources instead of ``rules`` (needs a
        ``source`` column; :func:`analysis.corpus.boilerplate.clean_with_boilerplate`
        adds each site's repeated lines this way).

    Returns
    -------
    (documents, audit) : tuple of DataFrame
        A copy of ``documents`` with the cleaned ``text``, and the audit rows
        (:class:`analysis.corpus.schema.Audit`).  A document left empty by cleaning
        keeps its row, with an audit row of rule ``empty_after_cleaning``.
    """
    rules = tuple(rules)
    by_source = {s: tuple(r) for s, r in (rules_by_source or {}).items()}
    out = documents.copy()
    sources = out["source"] if by_source else [None] * len(out)
    texts, audit = [], []
    for doc_id, source, raw in zip(out["doc_id"], sources, out["raw_text"], strict=True):
        result = clean_text(raw, rules=by_source.get(source, rules))
        texts.append(result.text)
        audit.extend({**row, "doc_id": doc_id} for row in result.audit)
        if not result.text:
            audit.append({"doc_id": doc_id, "stage": "clean", "rule": "empty_after_cleaning",
                          "detail": "every line of the document was removed as noise"})
    out["text"] = texts
    return out, audit_frame(audit)
