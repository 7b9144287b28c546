"""Figures of the topic model (notebook 02): sizes, prevalence with CIs, evaluation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .scale import bounded_figsize, group_order
from .style import OKABE_ITO

#: Colour of HDBSCAN's outlier topic (-1).
OUTLIER_COLOR = "#999999"
_TOPIC_CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                       "reddish_purple", "sky_blue", "yellow", "black")]


def topic_colors(topics: Iterable[int]) -> dict[int, str]:
    """Colour per topic: Okabe-Ito in topic order, grey for outliers (-1).

    Examples
    --------
    >>> topic_colors([1, -1, 0])
    {-1: '#999999', 0: '#0072B2', 1: '#E69F00'}
    """
    out = {}
    for topic in sorted(set(int(t) for t in topics)):
        out[topic] = OUTLIER_COLOR if topic == -1 else _TOPIC_CYCLE[topic % len(_TOPIC_CYCLE)]
    return out


def topic_labels(topic_info: pd.DataFrame, *, n_words: int = 3) -> dict[int, str]:
    """Short label per topic from a ``topic_info`` table: ``"0: war, peace, bread"``.

    Examples
    --------
    >>> info = pd.DataFrame({"topic": [0, -1], "top_words": ["war, peace, bread, land", "x"]})
    >>> topic_labels(info)
    {0: '0: war, peace, bread', -1: 'outliers'}
    """
    labels = {}
    for topic, words in zip(topic_info["topic"], topic_info["top_words"], strict=True):
        top = ", ".join([w for w in str(words).split(", ") if w][:n_words])
        labels[int(topic)] = "outliers" if topic == -1 else f"{topic}: {top}"
    return labels


def plot_topic_sizes(topic_info: pd.DataFrame, *, ax: Axes | None = None, n_words: int = 5,
                     unit: str = "paragraphs") -> Axes:
    """Horizontal bars of topic sizes, each labelled with its top words.

    Parameters
    ----------
    topic_info : DataFrame
        Columns ``topic``, ``size``, ``share`` and ``top_words`` (as made by
        :func:`analysis.topics.model.fit_topics`).
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    n_words : int
        Top words shown per topic.
    unit : str
        Name of the counted units, for the axis label.
    """
    info = topic_info.assign(_out=topic_info["topic"] == -1).sort_values(
        ["_out", "size", "topic"], ascending=[True, False, True])
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.5 * len(info) + 1.2))
    labels = topic_labels(info, n_words=n_words)
    colors = topic_colors(info["topic"])
    y = np.arange(len(info))[::-1]
    ax.barh(y, info["size"], color=[colors[int(t)] for t in info["topic"]])
    ax.set_yticks(y, [labels[int(t)] for t in info["topic"]])
    for yi, size, share in zip(y, info["size"], info["share"], strict=True):
        ax.text(size, yi, f" {size} ({share:.0%})", va="center", fontsize=8)
    ax.set_xlabel(unit)
    ax.set_xlim(0, info["size"].max() * 1.25 if len(info) else 1)
    return ax


def _positions(values: pd.Series) -> tuple[np.ndarray, list, list[str]]:
    """Positions along x, tick positions and tick labels for dates (as years) or categories."""
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = pd.to_datetime(values)
        x = (dates.dt.year + (dates.dt.day_of_year - 1) / 365.25).to_numpy(dtype=float)
        ticks = sorted(set(x.tolist()))
        return x, ticks, [str(int(t)) if float(t).is_integer() else f"{t:.2f}" for t in ticks]
    cats = group_order(values.astype(str).unique())
    index = {c: i for i, c in enumerate(cats)}
    return values.astype(str).map(index).to_numpy(dtype=float), list(range(len(cats))), cats


def plot_prevalence(shares: pd.DataFrame, *, x: str, value: str = "topic",
                    ax: Axes | None = None, labels: Mapping | None = None,
                    colors: Mapping | None = None, dodge: float = 0.12,
                    connect: bool | None = None) -> Axes:
    """Shares with confidence intervals, one colour per category, dodged along x.

    Parameters
    ----------
    shares : DataFrame
        Long table from :func:`analysis.stats.compare.share_ci`: columns ``x``,
        ``value``, ``share``, ``ci_low``, ``ci_high``, ``n_clusters``.
    x : str
        Group column: a datetime column (placed by date, labelled by year)
        or a categorical one (placed in sorted order).
    value : str
        Category column (topic, framing).
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    labels, colors : mapping, optional
        Legend label and colour per category; topics get
        :func:`topic_colors` by default.
    dodge : float
        Horizontal offset between categories, in x units.
    connect : bool, optional
        Join a category's points with a line; defaults to True for dates.

    Notes
    -----
    Points without an interval (a group with fewer clusters than
    ``share_ci``'s ``min_clusters``) are drawn hollow.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6))
    pos, ticks, ticklabels = _positions(shares[x])
    cats = sorted(shares[value].unique())
    colors = dict(colors) if colors is not None else topic_colors(cats)
    labels = dict(labels) if labels is not None else {c: str(c) for c in cats}
    connect = pd.api.types.is_datetime64_any_dtype(shares[x]) if connect is None else connect
    offsets = (np.arange(len(cats)) - (len(cats) - 1) / 2) * dodge
    hollow = False
    for cat, offset in zip(cats, offsets, strict=True):
        mask = (shares[value] == cat).to_numpy()
        part = shares[mask]
        xs = pos[mask] + offset
        order = np.argsort(xs)
        xs, part = xs[order], part.iloc[order]
        color = colors.get(cat, OUTLIER_COLOR)
        has_ci = part["ci_low"].notna().to_numpy()
        # A percentile interval of a ratio can sit a hair off the point
        # estimate; errorbar() refuses negative lengths.
        yerr = np.clip(np.vstack([part["share"] - part["ci_low"],
                                  part["ci_high"] - part["share"]]), 0, None)
        ax.errorbar(xs[has_ci], part["share"].to_numpy()[has_ci], yerr=yerr[:, has_ci],
                    fmt="o", color=color, ms=4, capsize=2, lw=1,
                    label=labels.get(cat, cat) if has_ci.any() else "_nolegend_")
        if (~has_ci).any():
            hollow = True
            ax.plot(xs[~has_ci], part["share"].to_numpy()[~has_ci], "o", ms=4, mfc="white",
                    color=color, **({} if has_ci.any() else {"label": labels.get(cat, cat)}))
        if connect and len(xs) > 1:
            ax.plot(xs, part["share"], "-", color=color, lw=0.8, alpha=0.6)
    # Many category names along x turn so that they do not overlap.
    ax.set_xticks(ticks, ticklabels, **({"rotation": 45, "ha": "right"}
                                        if len(ticks) > 6 and not connect else {}))
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("share")
    ax.set_xlabel(x)
    handles, names = ax.get_legend_handles_labels()
    if hollow:
        handles.append(Line2D([], [], marker="o", ls="", mfc="white", color="0.3", ms=4))
        names.append("hollow: one cluster, no interval")
    ax.legend(handles, names, bbox_to_anchor=(1.0, 1.0), loc="upper left", fontsize=8)
    return ax


def plot_evaluation(evaluation: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """NPMI coherence and topic diversity per model, as a dot chart.

    Parameters
    ----------
    evaluation : DataFrame
        Columns ``model``, ``n_topics``, ``npmi`` and ``diversity`` (from
        :func:`analysis.topics.evaluate.evaluate_topics`), one row per model.
    ax : Axes, optional
        Axes to draw on; a new figure when ``None``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=bounded_figsize(6.4, 0.45 * len(evaluation) + 1.4))
    y = np.arange(len(evaluation))[::-1]
    metrics = {"npmi": ("NPMI coherence", OKABE_ITO["blue"], "o"),
               "diversity": ("topic diversity", OKABE_ITO["orange"], "s")}
    for column, (name, color, marker) in metrics.items():
        values = evaluation[column].to_numpy(dtype=float)
        ax.plot(values, y, marker, color=color, label=name, ms=6)
        for xi, yi in zip(values, y, strict=True):
            if np.isfinite(xi):
                ax.annotate(f"{xi:.2f}", (xi, yi), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=7, color=color)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_yticks(y, [f"{m} (k={k})" for m, k in zip(evaluation["model"],
                                                     evaluation["n_topics"], strict=True)])
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-0.6, len(evaluation) - 0.3)
    ax.set_xlabel("score (NPMI in [-1, 1], diversity in [0, 1]; higher is better)")
    ax.legend(bbox_to_anchor=(1.0, 1.0), loc="upper left", fontsize=8)
    return ax


def topic_word_barchart(topics: Mapping[int, Iterable], *, n_words: int = 8,
                        n_topics: int | None = None, n_cols: int = 4):
    """Interactive bars of each topic's top words and c-TF-IDF weights (plotly).

    The view of BERTopic's ``visualize_barchart``, drawn from the words and
    weights alone (``fit.model.get_topics()``, which a cached fit holds), so
    exploring a cached fit needs neither BERTopic nor the fitted model.

    Parameters
    ----------
    topics : mapping of topic -> sequence of (word, weight)
        As ``BERTopic.get_topics()``; topic -1 (outliers) is left out.
    n_words : int
        Words per topic.
    n_topics : int, optional
        Show the first this many topics (all by default).
    n_cols : int
        Panels per row.

    Returns
    -------
    PlotlyView
        Shown in Jupyter as plotly's own ``plotly_mimetype`` renderer shows
        a figure; the plotly ``Figure`` itself is its ``figure`` attribute.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    shown = [t for t in sorted(int(k) for k in topics) if t != -1][:n_topics]
    if not shown:
        raise ValueError("topic_word_barchart: no topic to show (only outliers)")
    n_cols = min(n_cols, len(shown))
    n_rows = -(-len(shown) // n_cols)
    fig = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=[f"Topic {t}" for t in shown],
                        horizontal_spacing=0.12, vertical_spacing=0.4 / n_rows)
    colors = topic_colors(shown)
    for i, topic in enumerate(shown):
        pairs = [(str(w), float(x)) for w, x in topics[topic] if w and x > 1e-4][:n_words]
        words, weights = [w for w, _ in pairs][::-1], [x for _, x in pairs][::-1]
        fig.add_trace(go.Bar(x=weights, y=words, orientation="h", marker_color=colors[topic],
                             name=f"Topic {topic}"), row=i // n_cols + 1, col=i % n_cols + 1)
    fig.update_layout(template="plotly_white", showlegend=False, title="Topic word scores",
                      width=250 * n_cols, height=250 * n_rows, margin={"t": 80})
    return PlotlyView(fig)


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


class PlotlyView:
    """A plotly figure that Jupyter shows without importing ``plotly.io``.

    Displaying a ``plotly.graph_objects.Figure`` in a kernel imports plotly's
    renderers, which import nbformat and jsonschema (about 1.5 s measured
    here); this gives Jupyter the same ``application/vnd.plotly.v1+json``
    bundle that the default ``plotly_mimetype`` renderer gives.
    """

    def __init__(self, figure):
        self.figure = figure

    def _repr_mimebundle_(self, include=None, exclude=None):
        import json

        spec = json.loads(json.dumps(self.figure.to_plotly_json(), default=_plain))
        return {"application/vnd.plotly.v1+json": {**spec, "config": {}},
                "text/plain": f"<plotly figure: {len(spec['data'])} trace(s)>"}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.figure, name)
