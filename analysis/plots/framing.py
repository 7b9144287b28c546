"""Figures of the framing measurement (notebook 03).

The confusion matrix is a seaborn annotated heatmap and the points coloured
by framing are seaborn scatterplots; the precomputed bootstrap intervals are
drawn with matplotlib (``errorbar``, ``hlines``), which seaborn's
``pointplot`` cannot take (see :mod:`analysis.plots`).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .scale import bounded_figsize, group_order
from .style import FRAMING_COLORS, OKABE_ITO

_LABELS = ("anti_us", "all_imperialisms", "mixed", "none")
_SUBSET_COLORS = {"corpus": OKABE_ITO["black"], "constructed": OKABE_ITO["sky_blue"],
                  "all": OKABE_ITO["orange"]}


def _framing_palette(labels: Sequence[str]) -> dict[str, str]:
    """The fixed framing colours for ``labels``; grey for any other label."""
    return {lab: FRAMING_COLORS.get(lab, "#999999") for lab in labels}


def plot_confusion(table: pd.DataFrame, *, ax: Axes | None = None,
                   labels: Sequence[str] = _LABELS, title: str | None = None) -> Axes:
    """Confusion matrix from a tidy table of counts.

    Cells are shaded by the share of their row (the gold label), and show
    the count.

    Parameters
    ----------
    table : DataFrame
        Columns ``true``, ``predicted`` and ``n``
        (:func:`analysis.framing.confusion_table`).
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    labels : sequence of str
        Row and column order.
    title : str, optional
        Axes title.
    """
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.2))
    wide = (table.pivot_table(index="true", columns="predicted", values="n", aggfunc="sum",
                              fill_value=0)
            .reindex(index=list(labels), columns=list(labels), fill_value=0))
    counts = wide.to_numpy(dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    short = [lb.replace("all_imperialisms", "all_imp.") for lb in labels]
    # seaborn picks the text colour of each cell from its shade (white on dark).
    sns.heatmap(share, annot=counts.astype(int), fmt="d", cmap="Greys", vmin=0, vmax=1.4,
                cbar=False, square=True, xticklabels=short, yticklabels=short,
                annot_kws={"fontsize": 8}, ax=ax)
    ax.set_xticklabels(short, rotation=45, ha="right")
    ax.set_yticklabels(short, rotation=0)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.spines[:].set_visible(True)
    if title:
        ax.set_title(title)
    return ax


def plot_agreement(table: pd.DataFrame, *, ax: Axes | None = None,
                   subsets: Sequence[str] = ("corpus", "constructed", "all")) -> Axes:
    """Macro-F1 of each method with its confidence interval, per gold subset.

    Parameters
    ----------
    table : DataFrame
        Columns ``method``, ``subset``, ``macro_f1``, ``ci_low``,
        ``ci_high`` and ``n`` (:func:`analysis.framing.agreement_table`).
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    subsets : sequence of str
        Subsets to draw, in order.
    """
    methods = list(dict.fromkeys(table["method"]))
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.45 * len(methods) + 1.3))
    offsets = np.linspace(-0.22, 0.22, len(subsets))
    for offset, subset in zip(offsets, subsets, strict=True):
        part = table[table["subset"] == subset].set_index("method").reindex(methods)
        y = np.arange(len(methods)) + offset
        ok = part["macro_f1"].notna().to_numpy()
        lower = (part["macro_f1"] - part["ci_low"])[ok]
        upper = (part["ci_high"] - part["macro_f1"])[ok]
        ax.errorbar(part["macro_f1"][ok], y[ok], xerr=[lower, upper],
                    fmt="o", ms=4, capsize=2, lw=1, color=_SUBSET_COLORS.get(subset),
                    label=f"{subset} (n = {int(part['n'].max())})")
    ax.set_yticks(range(len(methods)), methods)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("macro-F1 against the gold labels (95% cluster-bootstrap CI)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(subsets), fontsize=7)
    return ax


def plot_known_groups(table: pd.DataFrame, *, ax: Axes | None = None, label: str = "source",
                      score: str = "framing_score") -> Axes:
    """Aggregate framing score per group with its interval, coloured by label.

    Parameters
    ----------
    table : DataFrame
        One row per group with ``label`` (the group name), ``score``,
        ``ci_low``, ``ci_high`` and ``framing``
        (:func:`analysis.framing.bootstrap_framing`, or
        :func:`analysis.stats.mean_ci` with ``mean`` renamed).
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    label : str
        Column naming the groups.
    score : str
        Column of the score (in [-1, 1]).
    """
    import seaborn as sns

    data = table.sort_values(score, kind="stable").reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.45 * len(data) + 1.3))
    y = np.arange(len(data))
    ax.axvline(0, color="#999999", lw=0.8, zorder=0)
    # The interval is precomputed (bootstrap), which seaborn cannot draw: matplotlib's hlines.
    ax.hlines(y, data["ci_low"], data["ci_high"], color="#555555", lw=1.2)
    present = set(data["framing"])
    order = [k for k in _LABELS if k in present] + sorted(present - set(_LABELS), key=str)
    sns.scatterplot(x=data[score].to_numpy(), y=y, hue=data["framing"].to_numpy(),
                    hue_order=order, palette=_framing_palette(order), s=64, linewidth=0,
                    zorder=3, ax=ax)
    sns.move_legend(ax, "lower right", title="framing", fontsize=7)
    ax.set_yticks(y, data[label])
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("framing score  (\u2190 anti-US  |  all imperialisms \u2192)")
    return ax


def plot_paragraph_scores(table: pd.DataFrame, *, ax: Axes | None = None, group: str = "source",
                          score: str = "framing_score", seed: int = 0) -> Axes:
    """Paragraph framing scores per group, coloured by their label.

    Parameters
    ----------
    table : DataFrame
        One row per paragraph with ``group``, ``score`` and ``framing``.
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    group : str
        Column of the groups (rows of the plot).
    score : str
        Column of the scores.
    seed : int
        Seed of the vertical jitter (fixed, so the figure is reproducible).
    """
    import seaborn as sns

    groups = group_order(table[group].unique())
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.5 * len(groups) + 1.3))
    # Jitter drawn here from the function's own seed: seaborn's stripplot
    # jitters with numpy's global random state, so its figure would change
    # from run to run unless the global state were seeded.
    rng = np.random.default_rng(seed)
    parts = []
    for i, name in enumerate(groups):
        part = table[table[group] == name]
        parts.append(part.assign(_y=i + rng.uniform(-0.18, 0.18, len(part))))
    data = pd.concat(parts) if parts else table.assign(_y=[])
    data = data[data["framing"].isin(_LABELS)]
    order = [k for k in _LABELS if k in set(data["framing"])]
    ax.axvline(0, color="#999999", lw=0.8, zorder=0)
    if order:
        sns.scatterplot(x=data[score].to_numpy(), y=data["_y"].to_numpy(),
                        hue=data["framing"].to_numpy(), hue_order=order,
                        palette=_framing_palette(order), s=16, alpha=0.85, linewidth=0, ax=ax)
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.0, 1.0), title="paragraph label",
                        fontsize=7)
    ax.set_yticks(range(len(groups)), groups)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("paragraph framing score  (\u2190 anti-US  |  all imperialisms \u2192)")
    return ax


def plot_seed_diagnostics(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """LSS seed words: fitted polarity and leave-one-out influence.

    Parameters
    ----------
    table : DataFrame
        :meth:`analysis.framing.lss.LatentSemanticScaler.seed_table` output.
    ax : Axes, optional
        Axes to draw on; a new figure is made when missing.
    """
    data = table.sort_values(["pole", "polarity"], kind="stable").reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.22 * len(data) + 1.2))
    y = np.arange(len(data))
    colors = [FRAMING_COLORS[p] for p in data["pole"]]
    ax.barh(y, data["polarity"].fillna(0), color=colors, alpha=0.85)
    for i, row in data.iterrows():
        note = ("not in vocabulary" if not row["in_vocabulary"]
                else f"n={int(row['frequency'])}, shift={row['loo_shift']:.2f}")
        ax.text(0, i, "  " + note if row["polarity"] <= 0 or not row["in_vocabulary"]
                else note + "  ", va="center", fontsize=6.5,
                ha="left" if row["polarity"] <= 0 or not row["in_vocabulary"] else "right")
    ax.axvline(0, color="#999999", lw=0.8)
    ax.set_yticks(y, data["seed"])
    ax.set_xlabel("fitted polarity of the seed (+ all imperialisms, - anti-US)")
    return ax
