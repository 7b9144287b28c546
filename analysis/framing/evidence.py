"""Lexicon evidence as tables: matches per text, lexicon scores, keyword in context.

The tidy views of :meth:`analysis.framing.lexicon.Lexicon.match` over many
texts: :func:`lexicon_matches` (one row per match, the evidence the
document model sums), :func:`score_lexicon` (one row per text, the
paragraph measure's lexicon score and evidence strings) and
:func:`match_context` (a keyword-in-context view of the matches).

Examples
--------
>>> table = lexicon_matches(["Neither Washington nor Moscow!"], language="en")
>>> table[["entry_pole", "match"]].values.tolist()
[['all_imperialisms', 'Neither Washington nor Moscow']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._compat import renamed_keywords
from .lexicon import Lexicon, load_lexicon

__all__ = ["lexicon_matches", "score_lexicon", "match_context"]


def _as_languages(languages, n: int) -> list[str | None]:
    """One language (or ``None``) per text, from one code or a sequence of codes."""
    if languages is None or isinstance(languages, str):
        return [languages] * n
    out = [None if (x is None or (isinstance(x, float) and np.isnan(x))) else str(x)
           for x in languages]
    if len(out) != n:
        raise ValueError(f"got {len(out)} languages for {n} texts")
    return out


@renamed_keywords(languages="language")
def lexicon_matches(texts: Sequence[str], *, ids: Sequence | None = None,
                    language: str | Sequence[str | None] | None = None,
                    lexicon: Lexicon | None = None,
                    scans: Sequence | None = None) -> pd.DataFrame:
    """All lexicon evidence in ``texts`` as a tidy table, one row per match.

    Parameters
    ----------
    texts : sequence of str
        Cleaned texts (paragraphs, usually).
    ids : sequence, optional
        An id per text (defaults to positions).
    language : str or sequence of str, optional
        One language for all texts or one per text.
    lexicon : Lexicon, optional
        Defaults to :func:`load_lexicon`.
    scans : sequence, optional
        :func:`~analysis.framing.prefilter.folded_words` of each text, when
        already computed.

    Returns
    -------
    DataFrame
        ``id`` plus the fields of :meth:`Lexicon.match`.
    """
    lexicon = lexicon or load_lexicon()
    texts = list(texts)
    ids = list(ids) if ids is not None else list(range(len(texts)))
    langs = _as_languages(language, len(texts))
    scans = list(scans) if scans is not None else [None] * len(texts)
    rows = [{"id": i, **m} for i, text, lang, scan in zip(ids, texts, langs, scans, strict=True)
            for m in lexicon.match(text, language=lang, scan=scan)]
    columns = ["id", "entry_id", "entry_pole", "pole", "weight", "contribution", "start", "end",
               "match", "negated", "distanced", "contrast", "language", "rationale"]
    return pd.DataFrame(rows, columns=columns)


def _evidence_string(matches: list[dict], pole: str) -> str:
    """The evidence of ``pole`` in ``matches``: "term [entry] contribution; ...", largest first."""
    counts: dict[tuple[str, str], list[float]] = {}
    for m in matches:
        if m["pole"] != pole or m["contribution"] <= 0:
            continue
        flag = "~" if m["pole"] != m["entry_pole"] else ""
        key = (flag + " ".join(m["match"].lower().split()), m["entry_id"])
        counts.setdefault(key, []).append(m["contribution"])
    parts = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return "; ".join(f"{term} [{eid}] {sum(v):g}" for (term, eid), v in parts)


@renamed_keywords(languages="language")
def score_lexicon(texts: Sequence[str], *,
                  language: str | Sequence[str | None] | None = None,
                  lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Lexicon scores of each text.

    Parameters
    ----------
    texts : sequence of str
        Cleaned texts.
    language : str or sequence of str, optional
        One language for all texts or one per text.
    lexicon : Lexicon, optional
        Defaults to :func:`load_lexicon`.

    Returns
    -------
    DataFrame
        One row per text: ``lexicon_all_imperialisms`` (A) and
        ``lexicon_anti_us`` (U), the summed contributions of each pole;
        ``lexicon_score`` = (A - U) / (A + U + 1), in (-1, 1), positive for
        all-imperialisms; ``lexicon_n_matches``; and the evidence strings
        ``evidence_all_imperialisms`` and ``evidence_anti_us`` (term [entry]
        contribution; a leading ``~`` marks a flipped match).

    Examples
    --------
    >>> scores = score_lexicon(["Against all imperialisms!"], language="en")
    >>> scores["lexicon_score"].round(2).tolist()
    [0.75]
    """
    lexicon = lexicon or load_lexicon()
    texts = list(texts)
    langs = _as_languages(language, len(texts))
    rows = []
    for text, lang in zip(texts, langs, strict=True):
        matches = lexicon.match(text, language=lang)
        a = sum(m["contribution"] for m in matches if m["pole"] == "all_imperialisms")
        u = sum(m["contribution"] for m in matches if m["pole"] == "anti_us")
        rows.append({"lexicon_all_imperialisms": float(a), "lexicon_anti_us": float(u),
                     "lexicon_score": float((a - u) / (a + u + 1.0)),
                     "lexicon_n_matches": len(matches),
                     "evidence_all_imperialisms": _evidence_string(matches, "all_imperialisms"),
                     "evidence_anti_us": _evidence_string(matches, "anti_us")})
    return pd.DataFrame(rows, columns=["lexicon_all_imperialisms", "lexicon_anti_us",
                                       "lexicon_score", "lexicon_n_matches",
                                       "evidence_all_imperialisms", "evidence_anti_us"])


def match_context(matches: pd.DataFrame, texts: Mapping, *, width: int = 60) -> pd.DataFrame:
    """Keyword-in-context view of lexicon matches.

    For a search by word or pattern, see :func:`analysis.discourse.tools.kwic`.

    Parameters
    ----------
    matches : DataFrame
        Output of :func:`lexicon_matches`; not modified.
    texts : mapping
        The text of each ``id`` in ``matches``.
    width : int
        Characters of context on each side.

    Returns
    -------
    DataFrame
        ``matches`` with ``left``, ``keyword`` and ``right`` columns.
    """
    out = matches.copy()
    left, right = [], []
    for i, start, end in zip(out["id"], out["start"], out["end"], strict=True):
        text = texts[i]
        left.append(" ".join(text[max(0, start - width):start].split()))
        right.append(" ".join(text[end:end + width].split()))
    out["left"], out["keyword"], out["right"] = left, out["match"], right
    return out
