"""Figures that stay readable on a corpus of many sources.

A corpus of 150 sources gives a legend of 150 entries, a heatmap of 150 rows
and colours that repeat.  Two rules keep every figure readable whatever the
corpus:

* :func:`lump_tail` keeps the ``n`` largest groups (sources, say) and groups
  the rest as ``"other (k sources)"`` *before* estimates are computed, so the
  pooled tail is estimated like any other group;
* :func:`bounded_figsize` caps the size a plot function asks for, so no
  figure grows past :data:`MAX_FIGSIZE` however many rows it has.

Both are no-ops on a corpus small enough (the sample's five sources), so its
figures keep their bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["MAX_FIGSIZE", "MAX_GROUPS", "MAX_PNG_PIXELS", "OTHER_PREFIX", "bounded_figsize",
           "group_order", "is_other", "lump_tail", "png_size"]

#: Largest figure any plot function creates, in inches (width, height): at
#: the saved 200 dpi at most 2,400 x 2,000 pixels.
MAX_FIGSIZE = (12.0, 10.0)

#: Largest saved PNG (width, height) in pixels: the figure at 200 dpi plus
#: what ``bbox_inches="tight"`` adds for a legend outside the axes.
MAX_PNG_PIXELS = (3200, 2400)

#: Default number of groups shown by name (the Okabe-Ito palette has eight
#: colours; the tail is grey).
MAX_GROUPS = 8

#: How the lumped tail is named: ``"other (k sources)"``.
OTHER_PREFIX = "other ("


def bounded_figsize(width: float, height: float, *,
                    limit: tuple[float, float] = MAX_FIGSIZE) -> tuple[float, float]:
    """The requested figure size, capped at ``limit`` (inches).

    Examples
    --------
    >>> bounded_figsize(6.4, 3.0)
    (6.4, 3.0)
    >>> bounded_figsize(6.4, 70.0)
    (6.4, 10.0)
    """
    return (min(float(width), limit[0]), min(float(height), limit[1]))


def png_size(path) -> tuple[int, int]:
    """Width and height in pixels of a PNG file (from its header)."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def is_other(value) -> bool:
    """True for the name of a lumped tail (``"other (k sources)"``)."""
    return isinstance(value, str) and value.startswith(OTHER_PREFIX)


def group_order(values: Iterable, *, reverse: bool = False) -> list:
    """Sorted distinct values with the lumped tail last (first when ``reverse``).

    Examples
    --------
    >>> group_order(["b", "other (3 sources)", "a"])
    ['a', 'b', 'other (3 sources)']
    """
    distinct = set(values)
    try:
        distinct = sorted(distinct)
    except TypeError:  # mixed types: order by their text
        distinct = sorted(distinct, key=str)
    named = [v for v in distinct if not is_other(v)]
    tail = [v for v in distinct if is_other(v)]
    if reverse:
        return tail + named[::-1]
    return named + tail


def lump_tail(df: pd.DataFrame, *, column: str = "source", n: int = MAX_GROUPS,
              weight: str | None = None, noun: str = "sources") -> pd.DataFrame:
    """Keep the ``n`` largest groups of ``column`` by name; call the rest ``other (k ...)``.

    Parameters
    ----------
    df : DataFrame
        Any table with ``column``; not modified.
    column : str
        The grouping column (``"source"``).
    n : int
        Groups kept by name.  With ``n + 1`` groups or fewer nothing changes
        (lumping one group would only rename it).
    weight : str, optional
        Column whose sum measures a group's size; the number of rows by
        default.  Ties go to the name that sorts first.
    noun : str
        Word in the tail's name.

    Returns
    -------
    DataFrame
        A copy with the tail renamed, ``column`` as plain strings.

    Examples
    --------
    >>> d = pd.DataFrame({"source": list("aaabbcde")})
    >>> lump_tail(d, n=2)["source"].tolist()
    ['a', 'a', 'a', 'b', 'b', 'other (3 sources)', 'other (3 sources)', 'other (3 sources)']
    """
    if column not in df.columns:
        raise KeyError(f"lump_tail: no column {column!r} (columns: {list(df.columns)})")
    values = df[column]
    sizes = (df[weight] if weight is not None else pd.Series(1, index=df.index))
    sizes = sizes.groupby(values).sum()
    if len(sizes) <= n + 1:
        return df.copy()
    order = sorted(sizes.index, key=lambda v: (-sizes[v], str(v)))
    keep = set(order[:n])
    tail = f"{OTHER_PREFIX}{len(order) - n} {noun})"
    out = df.copy()
    mask = values.notna() & ~values.isin(keep)
    out[column] = np.where(mask, tail, values.astype(object))
    return out
