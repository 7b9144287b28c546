"""Figures of the corpus overview (notebook 01)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

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
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.45 * counts[x].nunique() + 1.2))
    wide = counts.pivot_table(index=x, columns=hue, values=value, aggfunc="sum", fill_value=0)
    wide = wide.loc[sorted(wide.index, reverse=True)]
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
        _, ax = plt.subplots(figsize=(6.4, 0.3 * audit_summary["rule"].nunique() + 1.2))
    return plot_counts(audit_summary, x="rule", hue="source", value="chars", ax=ax)
