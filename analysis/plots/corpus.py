"""Figures of the corpus overview (notebook 01)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from .scale import bounded_figsize, group_order, lump_tail
from .style import source_colors


def plot_counts(counts: pd.DataFrame, *, x: str, hue: str, value: str = "n",
                ax: Axes | None = None, colors: dict[str, str] | None = None) -> Axes:
    """Stacked horizontal bars of a tidy count table.

    Parameters
    ----------
    counts : DataFrame
        Long table with columns ``x``, ``hue`` and ``value``.
    x, hue, value : str
        Column of the bars, of the stacked segments and of the counts.
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    colors : dict, optional
        Colour per ``hue`` value; sources get their fixed colours by default.

    Notes
    -----
    More than 40 bars or 20 segments would not be readable: the smallest
    are then lumped as ``"other (k ...)"`` (:func:`lump_tail`).  Lump
    sources before counting (``lump_tail(posts)``) to choose how many.
    """
    # Past these many bars or segments labels overlap; the smallest are lumped.
    if counts[x].nunique() > 40:
        counts = lump_tail(counts, column=x, n=39, weight=value, noun=f"{x} values")
    if counts[hue].nunique() > 20:
        counts = lump_tail(counts, column=hue, n=19, weight=value,
                           noun="sources" if hue == "source" else f"{hue} values")
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.45 * counts[x].nunique() + 1.2))
    wide = counts.pivot_table(index=x, columns=hue, values=value, aggfunc="sum", fill_value=0)
    wide = wide.loc[group_order(wide.index, reverse=True), group_order(wide.columns)]
    colors = colors or source_colors(wide.columns)
    left = pd.Series(0, index=wide.index, dtype=float)
    for col in wide.columns:
        ax.barh([str(i) for i in wide.index], wide[col], left=left, label=str(col),
                color=colors.get(col))
        left += wide[col]
    ax.set_xlabel(value)
    ax.legend(title=hue, bbox_to_anchor=(1.0, 1.0), loc="upper left")
    return ax


def plot_audit(audit_summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Characters removed per cleaning rule, one bar per rule and source.

    Parameters
    ----------
    audit_summary : DataFrame
        Columns ``rule``, ``source`` and ``chars``.
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(
            6.4, 0.3 * audit_summary["rule"].nunique() + 1.2))
    return plot_counts(audit_summary, x="rule", hue="source", value="chars", ax=ax)
