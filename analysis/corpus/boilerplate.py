"""Site boilerplate found by repetition: lines that recur across a source's documents.

The named cleaning rules (:data:`analysis.corpus.rules.RULES`) know the noise of the
sites they were written for.  Every other site has its own: a menu
("Home | About | Donate"), "Skip to content", a comment-login form, a share
bar, a paywall or sidebar notice.  What these have in common is that they
recur, word for word, on many pages of the same site, while the writing
does not.  :func:`repeated_lines` finds them and :func:`clean_with_boilerplate`
removes them under their own rule, ``site_boilerplate``, audited span by span
like every other rule, so the cleaned text plus the audit still gives back
the original.

A line counts as boilerplate of a source when, after whitespace is
collapsed, it is at most ``max_words`` words long and appears in at least
``min_docs`` of the source's documents and in at least ``min_share`` of
them.  A source with fewer than ``min_docs`` documents has none, so the
sample corpus (one document per source) is cleaned exactly as before.

Examples
--------
>>> docs = pd.DataFrame({"source": ["s"] * 3, "raw_text": [
...     f"Skip to content\\n\\nText number {i} about the strike.\\n\\nLog in to comment"
...     for i in range(3)]})
>>> sorted(repeated_lines(docs)["s"])
['Log in to comment', 'Skip to content']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from .clean import clean_documents
from .normalise import _shared_lines, normalise_text
from .rules import RULES, Rule

__all__ = ["repeated_lines", "site_boilerplate_rule", "clean_with_boilerplate",
           "MIN_DOCS", "MIN_SHARE", "MAX_WORDS"]

#: A line must recur in at least this many documents of a source ...
MIN_DOCS = 3
#: ... and in at least this share of them ...
MIN_SHARE = 0.3
#: ... and be at most this many words long (menus, forms and notices are
#: short; a paragraph a site repeats in full is left to the duplicate groups).
MAX_WORDS = 40
_LINE = re.compile(r"[^\n]+")


def _key(line: str) -> str:
    return " ".join(line.split())


def repeated_lines(documents: pd.DataFrame, *, min_docs: int = MIN_DOCS,
                   min_share: float = MIN_SHARE, max_words: int = MAX_WORDS
                   ) -> dict[str, frozenset[str]]:
    """The boilerplate lines of each source.

    Parameters
    ----------
    documents : DataFrame
        With ``source`` and ``raw_text``; not modified.
    min_docs, min_share, max_words
        The thresholds (module docstring).

    Returns
    -------
    dict of str to frozenset of str
        For each source with boilerplate, its lines (whitespace collapsed).
    """
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, raw in zip(documents["source"], documents["raw_text"], strict=True):
        by_source[source].append(raw)
    out = {}
    for source, texts in by_source.items():
        if len(texts) < min_docs:
            continue
        counts: Counter[str] = Counter()
        for raw in texts:
            normalised, _ = normalise_text(raw)
            counts.update({k for k in map(_key, normalised.split("\n"))
                           if k and len(k.split()) <= max_words})
        need = max(min_docs, min_share * len(texts))
        lines = frozenset(k for k, n in counts.items() if n >= need)
        if lines:
            out[source] = lines
    return out


def site_boilerplate_rule(lines: Iterable[str]) -> Rule:
    """A cleaning rule removing whole lines equal to one of ``lines``."""
    keys = frozenset(_key(line) for line in lines)

    def find(text: str):
        for m in _LINE.finditer(text):
            if _key(m.group()) in keys:
                yield m.span()

    return Rule("site_boilerplate",
                f"lines recurring across a source's documents ({len(keys)} for this source; "
                f"thresholds: {MIN_DOCS} documents, {MIN_SHARE:.0%} of them)", find)


def clean_with_boilerplate(documents: pd.DataFrame, *, rules: Iterable[Rule] = RULES,
                           boilerplate: Mapping[str, Iterable[str]] | None = None,
                           min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                           max_words: int = MAX_WORDS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`analysis.corpus.clean.clean_documents` plus each source's repeated lines.

    Parameters
    ----------
    documents : DataFrame
        Documents with ``doc_id``, ``source`` and ``raw_text``; not modified.
    rules : iterable of Rule
        The named rules; the source's ``site_boilerplate`` rule comes last,
        so a named rule wins where both match.
    boilerplate : mapping of source to lines, optional
        Precomputed :func:`repeated_lines` (the Dask path computes them once
        for the whole corpus); by default computed from ``documents``.
    min_docs, min_share, max_words
        Thresholds of :func:`repeated_lines`.

    Returns
    -------
    (documents, audit) : tuple of DataFrame
        As :func:`analysis.corpus.clean.clean_documents` returns them.
    """
    rules = tuple(rules)
    with _shared_lines():  # each distinct line is normalised once, not once per pass
        if boilerplate is None:
            boilerplate = repeated_lines(documents, min_docs=min_docs, min_share=min_share,
                                         max_words=max_words)
        per_source = {s: rules + (site_boilerplate_rule(lines),)
                      for s, lines in boilerplate.items()}
        return clean_documents(documents, rules=rules, rules_by_source=per_source)


def _reference_clean_with_boilerplate(documents: pd.DataFrame, *, rules: Iterable[Rule] = RULES,
                                      boilerplate: Mapping[str, Iterable[str]] | None = None,
                                      min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                                      max_words: int = MAX_WORDS
                                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`clean_with_boilerplate` as before: every line normalised in each pass (tests)."""
    rules = tuple(rules)
    if boilerplate is None:
        boilerplate = repeated_lines(documents, min_docs=min_docs, min_share=min_share,
                                     max_words=max_words)
    per_source = {s: rules + (site_boilerplate_rule(lines),) for s, lines in boilerplate.items()}
    return clean_documents(documents, rules=rules, rules_by_source=per_source)
