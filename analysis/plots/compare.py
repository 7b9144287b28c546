"""Figures of framing over time and by source (notebook 04).

Shares by period and by source reuse :func:`analysis.plots.plot_prevalence`
(dots with cluster-bootstrap intervals, hollow where no interval exists);
this module adds event markers, the source x period heatmap (a seaborn
annotated heatmap), the keyness chart and the topic x framing bars.  The
intervals of :func:`plot_event_difference` are precomputed, so matplotlib's
``errorbar`` draws them (see :mod:`analysis.plots`).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ..stats.compare import EVENTS
from .scale import bounded_figsize, group_order
from .style import FRAMING_COLORS, OKABE_ITO

__all__ = ["mark_events", "plot_event_difference", "plot_heatmap", "plot_keyness",
           "plot_stacked_shares"]

THIN_COLOR = "#DDDDDD"


def _decimal_year(date: pd.Timestamp) -> float:
    # The same placement as plot_prevalence uses for datetime x values.
    return date.year + (date.day_of_year - 1) / 365.25


def mark_events(ax: Axes, events: Mapping[str, str] | None = None, *,
                within_data: bool = True) -> Axes:
    """Draw dashed vertical lines with labels at event dates on a time axis.

    Parameters
    ----------
    ax : Axes
        Axes whose x axis is in decimal years (as drawn by
        :func:`analysis.plots.plot_prevalence` for a datetime column).
    events : mapping of ISO date to label, optional
        Defaults to :data:`analysis.stats.compare.EVENTS` (Maidan, Crimea, the 2022
        invasion).
    within_data : bool
        Widen the x limits so every event shows (False keeps the limits).
    """
    events = EVENTS if events is None else events
    lo, hi = ax.get_xlim()
    for i, (date, label) in enumerate(sorted(events.items())):
        x = _decimal_year(pd.Timestamp(date))
        ax.axvline(x, color="0.35", ls="--", lw=0.8, zorder=0)
        # alternate sides, so labels of events close in time do not overlap
        side = -1 if i % 2 == 0 else 1
        ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                    va="top", ha="right" if side < 0 else "left", fontsize=7, color="0.25",
                    xytext=(2 * side, -2), textcoords="offset points")
        lo, hi = min(lo, x - 0.3), max(hi, x + 0.3)
    if within_data:
        ax.set_xlim(lo, hi)
    return ax


def plot_heatmap(table: pd.DataFrame, *, row: str, col: str, value: str = "mean",
                 n: str = "n_clusters", thin: str | None = "thin", ax: Axes | None = None,
                 vmax: float | None = None, cmap: str = "PuOr") -> Axes:
    """Heatmap of a group estimate with the number of texts in each cell.

    Parameters
    ----------
    table : DataFrame
        Long table (e.g. :func:`analysis.stats.compare.mean_ci` by source and
        period, after :func:`analysis.stats.compare.flag_thin`).
    row, col : str
        Columns giving the heatmap's rows and columns (dates show as years).
    value : str
        Column coloured (diverging around 0: negative anti-US, positive
        all-imperialisms for ``framing_score``).
    n : str
        Count printed in each cell.
    thin : str or None
        Boolean column; thin cells are greyed out and their value not shown.
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    vmax : float, optional
        Symmetric colour limit; the largest absolute value by default.
    cmap : str
        A diverging, colour-blind-safe colormap.
    """
    data = table.copy()
    for key in (row, col):
        if pd.api.types.is_datetime64_any_dtype(data[key]):
            data[key] = data[key].dt.year.astype(str)
        else:
            data[key] = data[key].astype(str)
    rows, cols = group_order(data[row].unique()), group_order(data[col].unique())
    grid = np.full((len(rows), len(cols)), np.nan)
    counts = np.zeros((len(rows), len(cols)), dtype=int)
    is_thin = np.zeros((len(rows), len(cols)), dtype=bool)
    row_at, col_at = {r: i for i, r in enumerate(rows)}, {c: j for j, c in enumerate(cols)}
    for rec in data.to_dict("records"):
        i, j = row_at[rec[row]], col_at[rec[col]]
        grid[i, j], counts[i, j] = rec[value], rec[n]
        is_thin[i, j] = bool(rec[thin]) if thin and thin in rec else False
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(0.8 * len(cols) + 2.5,
                                                     0.45 * len(rows) + 1.4))
    if vmax is not None:
        limit = vmax
    else:
        limit = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
        limit = limit or 1.0
    # Two layers of seaborn heatmaps on one Axes: the estimates (annotated
    # with value and count) and, over them, the thin cells in flat grey with
    # their count only. Empty cells (NaN) are masked by both and stay white.
    text = np.array([[f"{grid[i, j]:+.2f}\nn={counts[i, j]}" for j in range(len(cols))]
                     for i in range(len(rows))], dtype=object).reshape(len(rows), len(cols))
    thin_text = np.array([[f"n={counts[i, j]}" for j in range(len(cols))]
                          for i in range(len(rows))], dtype=object).reshape(len(rows), len(cols))
    missing = np.isnan(grid)
    ax.set_facecolor("white")
    sns.heatmap(grid, mask=missing | is_thin, cmap=cmap, vmin=-limit, vmax=limit,
                annot=text, fmt="", annot_kws={"fontsize": 7}, xticklabels=cols,
                yticklabels=rows, cbar_kws={"label": value, "fraction": 0.05, "pad": 0.03},
                ax=ax)
    if (is_thin & ~missing).any():
        sns.heatmap(np.zeros_like(grid), mask=missing | ~is_thin,
                    cmap=ListedColormap([THIN_COLOR]), annot=thin_text, fmt="",
                    annot_kws={"fontsize": 7, "color": "0.4"}, cbar=False, xticklabels=cols,
                    yticklabels=rows, ax=ax)
    ax.set_yticklabels(rows, rotation=0)
    ax.set_xlabel(col)
    ax.set_ylabel(row)
    if is_thin.any():
        ax.legend(handles=[Patch(color=THIN_COLOR, label="too few texts (grey)")],
                  bbox_to_anchor=(0.0, -0.12), loc="upper left", fontsize=7)
    return ax


def plot_keyness(table: pd.DataFrame, *, n_terms: int = 10, ax: Axes | None = None,
                 labels: tuple[str, str] = ("target", "reference"),
                 colors: tuple[str, str] | None = None, max_p: float = 1.0) -> Axes:
    """Paired bar chart of the terms most key to each side, by log-ratio.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`analysis.discourse.tools.keyness`.
    n_terms : int
        Terms shown per side (the largest G2 on that side).
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    labels : tuple of str
        Names of the target and reference groups for the legend.
    colors : tuple of str, optional
        Bar colours of the two sides; the framing colours of
        ``all_imperialisms`` and ``anti_us`` by default.
    max_p : float
        Show only terms with ``p_value`` at most this.
    """
    colors = colors or (FRAMING_COLORS["all_imperialisms"], FRAMING_COLORS["anti_us"])
    keep = table[table["p_value"] <= max_p]
    sides = []
    for side in ("target", "reference"):
        part = keep[keep["direction"] == side].nlargest(n_terms, ["g2"], keep="first")
        sides.append(part.sort_values(["g2", "term"], ascending=[True, False]))
    target, reference = sides
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(
            6.4, 0.22 * (len(target) + len(reference)) + 1.4))
    y_ref = np.arange(len(reference))
    y_tar = np.arange(len(target)) + len(reference) + 1
    ax.barh(y_ref, reference["log_ratio"], color=colors[1], label=labels[1])
    ax.barh(y_tar, target["log_ratio"], color=colors[0], label=labels[0])
    for ys, part in ((y_ref, reference), (y_tar, target)):
        for y, rec in zip(ys, part.to_dict("records"), strict=True):
            ha = "left" if rec["log_ratio"] >= 0 else "right"
            ax.text(rec["log_ratio"], y, f" {rec['term']} (G²={rec['g2']:.1f}) ", va="center",
                    ha=ha, fontsize=7)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks([])
    span = float(np.nanmax(np.abs(pd.concat([target, reference])["log_ratio"]))) \
        if len(target) + len(reference) else 1.0
    ax.set_xlim(-span * 2.2, span * 2.2)
    ax.set_xlabel("log-ratio (binary log of the ratio of relative frequencies)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_stacked_shares(shares: pd.DataFrame, *, by: str, value: str = "framing",
                        ax: Axes | None = None, colors: Mapping | None = None,
                        labels: Mapping | None = None) -> Axes:
    """Horizontal stacked bars: the distribution of ``value`` within each group.

    Parameters
    ----------
    shares : DataFrame
        Output of :func:`analysis.stats.compare.share_ci` with ``by`` and
        ``value`` columns (e.g. framing within topic).
    by : str
        Group column (a bar per group, labelled with its ``n``).
    value : str
        Category column; framing colours by default.
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    colors, labels : mapping, optional
        Colour per category; display label per group.
    """
    colors = dict(colors) if colors is not None else dict(FRAMING_COLORS)
    labels = dict(labels) if labels is not None else {}
    groups = group_order(shares[by].unique(), reverse=True)
    cats = [c for c in colors if c in set(shares[value])] + sorted(
        set(shares[value]) - set(colors), key=str)
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.4 * len(groups) + 1.3))
    left = np.zeros(len(groups))
    for cat in cats:
        part = shares[shares[value] == cat].set_index(by).reindex(groups)
        widths = part["share"].fillna(0).to_numpy()
        ax.barh(range(len(groups)), widths, left=left, color=colors.get(cat, OKABE_ITO["black"]),
                label=str(cat))
        left += widths
    totals = shares.groupby(by)["n_total"].first()
    ax.set_yticks(range(len(groups)),
                  [f"{labels.get(g, g)} (n={totals[g]})" for g in groups])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of paragraphs")
    ax.legend(bbox_to_anchor=(1.0, 1.0), loc="upper left", fontsize=8)
    return ax


def plot_event_difference(table: pd.DataFrame, *, by: str = "source", min_clusters: int = 2,
                          ax: Axes | None = None, unit: str = "posts",
                          max_rows: int = 20) -> Axes:
    """Change after an event per group, drawn only where both sides have enough texts.

    A change measured from a single post on either side says nothing about
    the source, so such groups are not drawn: the figure refuses them and
    says how many it left out.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`analysis.stats.compare.event_difference`: ``by``,
        ``clusters_before``, ``clusters_after``, ``difference``, ``ci_low``,
        ``ci_high``.
    by : str
        Group column.
    min_clusters : int
        Texts needed on *each* side for a group to be drawn (at least 2).
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    unit : str
        Name of the counted texts, for the note.
    max_rows : int
        At most this many groups are drawn: those with the most texts on
        their thinner side (the title says so when some are left out).

    Returns
    -------
    Axes
        With no group estimable, the axes say so in words and draw nothing.

    Raises
    ------
    ValueError
        For ``min_clusters`` below 2.
    """
    if min_clusters < 2:
        raise ValueError("plot_event_difference: min_clusters must be at least 2; a change "
                         "from a single post cannot be estimated")
    both = (table["clusters_before"] >= 1) & (table["clusters_after"] >= 1)
    ok = (table["clusters_before"] >= min_clusters) & (table["clusters_after"] >= min_clusters)
    data = table[ok]
    shown = len(data)
    if shown > max_rows:
        thinner = data[["clusters_before", "clusters_after"]].min(axis=1)
        data = data.loc[thinner.sort_values(ascending=False, kind="stable").index[:max_rows]]
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.4 * len(data) + 1.6))
    title = (f"{shown} of {len(table)} groups with {min_clusters}+ {unit} on each side "
             f"({int(both.sum())} with any on both)"
             + (f"; the {len(data)} with most {unit} drawn" if len(data) < shown else ""))
    if data.empty:
        # Nothing to estimate: say so in the figure instead of drawing a change.
        ax.text(0.5, 0.5, f"no change drawn: no {by} has {min_clusters} {unit} or more\n"
                f"on both sides of the event", ha="center", va="center",
                transform=ax.transAxes, fontsize=9, color="0.3")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=8)
        return ax
    order = group_order(data[by], reverse=True)
    data = data.set_index(by).loc[order].reset_index()
    y = np.arange(len(data))
    has_ci = data["ci_low"].notna().to_numpy()
    err = np.clip(np.vstack([data["difference"] - data["ci_low"],
                             data["ci_high"] - data["difference"]]), 0, None)
    ax.errorbar(data["difference"].to_numpy()[has_ci], y[has_ci], xerr=err[:, has_ci], fmt="o",
                color=OKABE_ITO["blue"], ms=4, capsize=2, lw=1)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_yticks(y, [f"{g} ({b} / {a})" for g, b, a in
                      zip(data[by], data["clusters_before"], data["clusters_after"],
                          strict=True)])
    ax.set_xlabel(f"change after the event (after minus before); label: {unit} before / after")
    ax.set_title(title, fontsize=8)
    return ax
