"""Writing framing scores safely: neutralised CSV cells, atomic files, language summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..corpus.outputs import write_file_atomically

__all__ = ["FORMULA_PREFIXES", "neutralise_cell", "neutralise_formulas",
           "write_csv_atomically", "summarise_languages"]

#: A cell beginning with one of these is read as a formula by spreadsheets
#: (OWASP "CSV injection"); tab and carriage return can hide one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a string that a spreadsheet would run as a formula with ``'`` (OWASP).

    Numbers are left alone, so a negative score stays a number.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise_cell(-0.5), neutralise_cell("plain")
    (-0.5, 'plain')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot start a formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def write_csv_atomically(df: pd.DataFrame, path: Path | str) -> Path:
    """Write ``df`` as CSV through a temporary file beside ``path``, then rename it.

    A reader never sees a half-written file, and a failed write leaves the
    previous file (if any) as it was.

    Raises
    ------
    CorpusOutputError
        When the folder cannot be written.
    """
    safe = neutralise_formulas(df)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            safe.to_csv(fh, index=False)

    return write_file_atomically(path, write)


def summarise_languages(scores: pd.DataFrame, *, readable: Iterable[str]) -> str | None:
    """One line on the texts in languages no method reads, or ``None`` when there are none.

    Uses the ``unsupported_language`` column when the scores have one, else
    compares ``language`` with the lexicon's languages.

    Examples
    --------
    >>> scores = pd.DataFrame({"language": ["en", "zh", None],
    ...                        "unsupported_language": [False, True, True]})
    >>> summarise_languages(scores, readable=["en"])[:60]
    '2 of 3 texts are in languages no method reads (undetected 1,'

    """
    readable = set(readable)
    if "unsupported_language" in scores.columns:
        flagged = scores["unsupported_language"].astype(bool).to_numpy()
    else:
        flagged = ~scores["language"].isin(readable).to_numpy()
    if not flagged.any():
        return None
    langs = scores.loc[flagged, "language"].fillna("undetected").astype(str).value_counts()
    shown = ", ".join(f"{lang} {n}" for lang, n in sorted(langs.items()))
    return (f"{int(flagged.sum())} of {len(scores)} texts are in languages no method reads "
            f"({shown}): their framing is 'none' by default, not a finding")
