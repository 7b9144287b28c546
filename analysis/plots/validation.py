"""Figures of the framing measure's validation on unseen sites."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .style import OKABE_ITO

_COLORS = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange",
                                    "reddish_purple")]

__all__ = ["plot_validation", "plot_subsets", "plot_learning_curve"]


def plot_validation(tables: dict[str, pd.DataFrame], *, ax: Axes | None = None) -> Axes:
    """Pole macro-F1 with its interval, one row per measure, one marker per evaluation.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Evaluation name to an agreement table (``scorer, subset, value,
        pole_f1, ci_low, ci_high``); only the ``overall`` rows are drawn.
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    """
    first = next(iter(tables.values()))
    scorers = list(dict.fromkeys(first["scorer"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.55 * len(scorers) + 1.4))
    offsets = np.linspace(-0.15, 0.15, len(tables)) if len(tables) > 1 else [0.0]
    for (name, table), dy, color in zip(tables.items(), offsets, _COLORS, strict=False):
        rows = table[table["subset"] == "overall"].set_index("scorer").reindex(scorers)
        y = np.arange(len(scorers)) + dy
        ax.hlines(y, rows["ci_low"], rows["ci_high"], color=color, lw=1.4)
        ax.plot(rows["pole_f1"], y, "o", color=color, ms=6, label=name)
    ax.set_yticks(np.arange(len(scorers)), scorers)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("pole macro-F1 (anti-US, all imperialisms), 95% CI resampling sites")
    ax.legend(loc="upper right", fontsize=7)
    return ax


def plot_subsets(table: pd.DataFrame, *, scorers: Sequence[str],
                 subsets: Sequence[str] = ("language", "period", "topic"),
                 ax: Axes | None = None) -> Axes:
    """Pole macro-F1 by language, period and topic for a few measures, with intervals."""
    rows = table[table["subset"].isin(subsets) & table["scorer"].isin(scorers)]
    keys = list(dict.fromkeys(zip(rows["subset"], rows["value"], strict=True)))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, min(0.32 * len(keys) + 1.4, 9.0)))
    offsets = np.linspace(-0.2, 0.2, len(scorers)) if len(scorers) > 1 else [0.0]
    for scorer, dy, color in zip(scorers, offsets, _COLORS, strict=False):
        part = rows[rows["scorer"] == scorer].set_index(["subset", "value"]).reindex(keys)
        y = np.arange(len(keys)) + dy
        ax.hlines(y, part["ci_low"], part["ci_high"], color=color, lw=1.2)
        ax.plot(part["pole_f1"], y, "o", color=color, ms=4.5, label=scorer)
    n = rows.drop_duplicates(["subset", "value"]).set_index(["subset", "value"])["n"]
    ax.set_yticks(np.arange(len(keys)), [f"{s}: {v} (n={n[(s, v)]})" for s, v in keys],
                  fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("pole macro-F1, grouped CV by site, 95% CI")
    ax.legend(loc="lower right", fontsize=7)
    return ax


def plot_learning_curve(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Pole macro-F1 on held-out sites against the number of training documents."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 3.4))
    ax.plot(table["n_train"], table["pole_f1"], "o", color=_COLORS[0], alpha=0.6, ms=4)
    means = table.groupby("fraction").agg(n_train=("n_train", "mean"),
                                          pole_f1=("pole_f1", "mean")).sort_values("n_train")
    ax.plot(means["n_train"], means["pole_f1"], "-", color=_COLORS[0])
    ax.set_ylim(0, 1)
    ax.set_xlabel("training documents per fold")
    ax.set_ylabel("pole macro-F1 (held-out sites)")
    return ax
