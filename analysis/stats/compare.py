"""Tidy comparisons over time and source, with cluster-bootstrap uncertainty.

Paragraphs are not independent: the paragraphs of one post share an author,
a date and an occasion.  A share computed over paragraphs therefore has a
sampling error driven by the number of *posts* (or documents), not by the
number of paragraphs.  :func:`share_ci` resamples whole clusters (posts by
default) within each group, which is the nonparametric counterpart of what
stm's ``estimateEffect`` reports for R users.  It works for any categorical
column: topics here, framing labels later.  Every interval here comes from
the one cluster bootstrap of :mod:`analysis.stats.bootstrap`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"source": ["a"] * 4 + ["b"] * 4,
...                    "post_id": ["p1", "p1", "p2", "p3", "q1", "q1", "q2", "q2"],
...                    "topic": [0, 1, 0, 0, 1, 1, 1, 0]})
>>> out = share_ci(df, by="source", value="topic", n_resamples=200)
>>> out[["source", "topic", "n", "n_total", "n_clusters", "share"]]
  source  topic  n  n_total  n_clusters  share
0      a      0  3        4           3   0.75
1      a      1  1        4           3   0.25
2      b      0  1        4           2   0.25
3      b      1  3        4           2   0.75
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from .._compat import renamed_keywords
from .bootstrap import _check_options, bootstrap_ratio, cluster_bootstrap, group_rng

__all__ = [
    "EVENTS",
    "INVASION",
    "MEAN_COLUMNS",
    "SHARE_COLUMNS",
    "add_period",
    "event_difference",
    "flag_thin",
    "mean_ci",
    "regress",
    "share_ci",
]

#: Columns :func:`share_ci` adds after the ``by`` and ``value`` columns.
SHARE_COLUMNS = ["n", "n_total", "n_clusters", "share", "ci_low", "ci_high", "se"]

#: ``freq`` aliases of :func:`add_period` that name a period's *start*; pandas
#: periods are named without the ``S``.
_PERIOD_ALIASES = {"YS": "Y", "AS": "Y", "QS": "Q", "MS": "M"}


def add_period(df: pd.DataFrame, *, freq: str = "YS", date: str = "date",
               column: str = "period") -> pd.DataFrame:
    """Add the start of each row's calendar period (year by default).

    Parameters
    ----------
    df : DataFrame
        Table with a datetime column ``date``; not modified.
    freq : str
        Pandas period alias: ``"YS"`` (years), ``"QS"``, ``"MS"``, or a
        period alias such as ``"Y"``.
    date : str
        Name of the datetime column.
    column : str
        Name of the new column; rows without a date get ``NaT``.

    Returns
    -------
    DataFrame
        A copy with ``column`` holding the period's first day.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2020-05-01", None])})
    >>> add_period(d)["period"].dt.year.tolist()
    [2020.0, nan]
    """
    if date not in df.columns:
        raise KeyError(f"add_period: no column {date!r} (columns: {list(df.columns)})")
    values = pd.to_datetime(df[date])
    period = values.dt.to_period(_PERIOD_ALIASES.get(freq, freq)).dt.start_time
    return df.assign(**{column: period.astype("datetime64[ns]")})


def _as_list(columns: str | Sequence[str] | None) -> list[str]:
    if columns is None:
        return []
    return [columns] if isinstance(columns, str) else list(columns)


def _groups(data: pd.DataFrame, by_cols: list[str]):
    """(key tuple, rows) of each group, or one group of everything when ``by_cols`` is empty."""
    grouped = data.groupby(by_cols, sort=True) if by_cols else [((), data)]
    for key, group in grouped:
        yield (key if isinstance(key, tuple) else (key,)), group


def _share_input(df: pd.DataFrame, by_cols: list[str], value: str, cluster: str | None,
                 categories) -> tuple[pd.DataFrame, list, str]:
    """The checked columns of :func:`share_ci`, its categories and its cluster column."""
    needed = [*by_cols, value] + ([cluster] if cluster is not None else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise KeyError(f"share_ci: no column(s) {missing} in the table "
                       f"(columns: {list(df.columns)})")
    if df[value].isna().any():
        raise ValueError(f"share_ci: column {value!r} has {int(df[value].isna().sum())} missing "
                         "values; give them a category of their own or drop them first")
    data = df[needed].dropna(subset=by_cols)
    cats = list(categories) if categories is not None else sorted(data[value].unique())
    unknown = sorted(set(data[value]) - set(cats), key=str)
    if unknown:
        raise ValueError(f"share_ci: values {unknown} of {value!r} are not in categories {cats}")
    if cluster is None:
        return data.assign(__row__=np.arange(len(data))), cats, "__row__"
    return data, cats, cluster


@renamed_keywords(seed="random_state")
def share_ci(df: pd.DataFrame, *, by: str | Sequence[str] | None, value: str,
             cluster: str | None = "post_id", n_resamples: int = 2000,
             confidence_level: float = 0.95, method: str = "percentile",
             random_state: int = config.SEED, categories: Sequence | None = None,
             min_clusters: int = 2) -> pd.DataFrame:
    """Share of each category of ``value`` within groups, with cluster-bootstrap CIs.

    Within each group the clusters (posts, say) are resampled with
    replacement, keeping the group's number of clusters; the share is the
    ratio of the resampled category count to the resampled row count
    (:func:`~analysis.stats.bootstrap.bootstrap_ratio`).  Every category
    appears in every group (zero shares included), so the result is a
    complete long table.

    Parameters
    ----------
    df : DataFrame
        One row per unit (a paragraph, say); not modified.
    by : str, sequence of str or None
        Grouping column(s), e.g. ``"source"`` or ``"period"``; ``None`` gives
        the shares over the whole table.  Rows with a missing group value are
        left out (as ``groupby`` does).
    value : str
        Categorical column whose shares are estimated (``"topic"``,
        ``"framing"``).
    cluster : str or None
        Column identifying the resampled units: ``"post_id"`` or
        ``"doc_id"``.  ``None`` resamples rows, which is only right when rows
        are independent.
    n_resamples : int
        Bootstrap resamples per group.
    confidence_level : float
        Coverage of the interval, in (0, 1).
    method : {"percentile", "bca"}
        Interval method (see :func:`~analysis.stats.bootstrap.cluster_bootstrap`).
    random_state : int
        Seed; each group draws from its own stream derived from the seed and
        the group's value (:func:`~analysis.stats.bootstrap.group_rng`).
    categories : sequence, optional
        Categories to report, in order; defaults to the sorted values found.
    min_clusters : int
        Groups with fewer clusters get ``NaN`` interval bounds: one post
        cannot show how much a share varies between posts.

    Returns
    -------
    DataFrame
        Columns ``*by, value, n, n_total, n_clusters, share, ci_low, ci_high,
        se`` (see :data:`SHARE_COLUMNS`), sorted by group and category.

    Notes
    -----
    Percentile intervals from few clusters are too narrow; with fewer than
    about ten clusters per group read them as a lower bound on uncertainty.
    """
    by_cols = _as_list(by)
    _check_options(n_resamples, confidence_level, method, "share_ci")
    data, cats, cluster_col = _share_input(df, by_cols, value, cluster, categories)

    rows = []
    for key, group in _groups(data, by_cols):
        counts = pd.crosstab(group[cluster_col], group[value]).reindex(columns=cats, fill_value=0)
        counts = counts.sort_index()
        matrix = counts.to_numpy(dtype=float)            # clusters x categories
        totals = matrix.sum(axis=1)                      # rows per cluster
        n_clusters = len(counts)
        res = bootstrap_ratio(matrix, totals, clusters=np.arange(n_clusters),
                              n_resamples=n_resamples, confidence_level=confidence_level,
                              method=method, random_state=group_rng(random_state, key),
                              min_clusters=min_clusters)
        for j, cat in enumerate(cats):
            rows.append((*key, cat, int(matrix[:, j].sum()), int(totals.sum()), n_clusters,
                         float(res.estimate[j]), float(res.ci_low[j]), float(res.ci_high[j]),
                         float(res.se[j])))
    out = pd.DataFrame(rows, columns=[*by_cols, value, *SHARE_COLUMNS])
    for col in by_cols:
        out[col] = out[col].astype(df[col].dtype)
    return out


# --------------------------------------------------------------------------
# Framing over time and by source: means, thin cells, events, regression
# --------------------------------------------------------------------------

#: Columns :func:`mean_ci` adds after the ``by`` columns.
MEAN_COLUMNS = ["n", "n_clusters", "mean", "ci_low", "ci_high", "se"]

#: Default event of :func:`event_difference`: the full-scale Russian invasion
#: of Ukraine.
INVASION = pd.Timestamp("2022-02-24")

#: Dates discourse on imperialism turns on; figures mark them.
EVENTS = {
    "2014-02-22": "Maidan",
    "2014-03-18": "Crimea annexed",
    "2022-02-24": "Invasion of Ukraine",
}


def _cluster_means(group: pd.DataFrame, value: str, cluster: str):
    """Sum and count of ``value`` per cluster, clusters in sorted order."""
    stats_ = group.groupby(cluster, sort=True)[value].agg(["sum", "count"])
    return stats_["sum"].to_numpy(float), stats_["count"].to_numpy(float)


@renamed_keywords(seed="random_state")
def mean_ci(df: pd.DataFrame, *, by: str | Sequence[str] | None, value: str,
            cluster: str | None = "doc_id", n_resamples: int = 2000,
            confidence_level: float = 0.95, method: str = "percentile",
            random_state: int = config.SEED, min_clusters: int = 2) -> pd.DataFrame:
    """Mean of a numeric column within groups, with cluster-bootstrap CIs.

    The counterpart of :func:`share_ci` for a score such as
    ``framing_score``: clusters (documents by default) are resampled with
    replacement within each group and the mean recomputed over their rows.

    Parameters
    ----------
    df : DataFrame
        One row per unit; not modified.
    by : str, sequence of str or None
        Grouping column(s).
    value : str
        Numeric column; rows where it is missing are left out.
    cluster : str or None
        Resampled unit (``"doc_id"``, ``"post_id"``); ``None`` resamples rows.
    n_resamples : int
        Bootstrap resamples per group.
    confidence_level : float
        Coverage of the interval.
    method : {"percentile", "bca"}
        Interval method (see :func:`~analysis.stats.bootstrap.cluster_bootstrap`).
    random_state : int
        Seed; each group has its own stream derived from its value.
    min_clusters : int
        Groups with fewer clusters get ``NaN`` bounds.

    Returns
    -------
    DataFrame
        ``*by, n, n_clusters, mean, ci_low, ci_high, se``
        (:data:`MEAN_COLUMNS`).

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a"] * 4, "doc_id": [1, 1, 2, 3], "x": [1.0, 3.0, 0.0, 2.0]})
    >>> mean_ci(d, by="g", value="x", n_resamples=100)[["g", "n", "n_clusters", "mean"]]
       g  n  n_clusters  mean
    0  a  4           3   1.5
    """
    by_cols = _as_list(by)
    needed = [*by_cols, value] + ([cluster] if cluster else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise KeyError(f"mean_ci: no column(s) {missing} in the table "
                       f"(columns: {list(df.columns)})")
    _check_options(n_resamples, confidence_level, method, "mean_ci")
    data = df[needed].dropna(subset=[*by_cols, value])
    if cluster is None:
        cluster = "__row__"
        data = data.assign(__row__=np.arange(len(data)))
    rows = []
    for key, group in _groups(data, by_cols):
        sums, counts = _cluster_means(group, value, cluster)
        res = bootstrap_ratio(sums, counts, clusters=np.arange(len(sums)),
                              n_resamples=n_resamples, confidence_level=confidence_level,
                              method=method, random_state=group_rng(random_state, key),
                              min_clusters=min_clusters)
        rows.append((*key, int(counts.sum()), len(sums), float(res.estimate[0]),
                     float(res.ci_low[0]), float(res.ci_high[0]), float(res.se[0])))
    out = pd.DataFrame(rows, columns=[*by_cols, *MEAN_COLUMNS])
    for col in by_cols:
        out[col] = out[col].astype(df[col].dtype)
    return out


def flag_thin(table: pd.DataFrame, *, min_n: int = 3, n_col: str = "n_clusters",
              action: str = "flag") -> pd.DataFrame:
    """Apply the minimum-n rule to a table of group estimates.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`share_ci` or :func:`mean_ci`; not modified.
    min_n : int
        Cells with fewer than this many clusters (documents or posts) are
        *thin*: too few independent texts to estimate anything.
    n_col : str
        Column holding the count the rule applies to.
    action : {"flag", "drop"}
        ``"flag"`` adds a boolean ``thin`` column (figures grey such cells
        out); ``"drop"`` removes thin rows.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["a", "b"], "n_clusters": [1, 5]})
    >>> flag_thin(t)["thin"].tolist()
    [True, False]
    """
    if action not in ("flag", "drop"):
        raise ValueError(f"flag_thin: action must be 'flag' or 'drop', not {action!r}")
    thin = table[n_col] < min_n
    if action == "drop":
        return table.loc[~thin].reset_index(drop=True)
    return table.assign(thin=thin.to_numpy())


@renamed_keywords(seed="random_state")
def event_difference(df: pd.DataFrame, *, value: str, by: str | None = "source",
                     date: str = "date", event: str | pd.Timestamp = INVASION,
                     cluster: str = "doc_id", n_resamples: int = 2000,
                     confidence_level: float = 0.95, method: str = "percentile",
                     random_state: int = config.SEED, min_clusters: int = 2) -> pd.DataFrame:
    """Mean of ``value`` before and after an event date, per group, with a CI of the change.

    Rows dated on or after ``event`` are *after*.  Clusters are resampled
    independently before and after (two strata of one
    :func:`~analysis.stats.bootstrap.cluster_bootstrap`); the interval is
    that of the resampled differences (after minus before).
    For a share, pass an indicator column (e.g. ``framing ==
    "all_imperialisms"`` as 0/1).

    Parameters
    ----------
    df : DataFrame
        One row per unit with ``date``, ``value`` and ``cluster``.
    value : str
        Numeric column.
    by : str or None
        Grouping column (``"source"``); ``None`` compares the whole table.
    date : str
        Datetime column.
    event : str or Timestamp
        The event date (default 2022-02-24).
    cluster : str
        Resampled unit.
    n_resamples, confidence_level, method, random_state, min_clusters
        As in :func:`mean_ci`; a side with fewer clusters than
        ``min_clusters`` makes the difference's bounds ``NaN``.  A cluster
        with rows on both sides of the event counts as a cluster on each
        side.

    Returns
    -------
    DataFrame
        ``by, n_before, n_after, clusters_before, clusters_after,
        mean_before, mean_after, difference, ci_low, ci_high, se``.
    """
    _check_options(n_resamples, confidence_level, method, "event_difference")
    event = pd.Timestamp(event)
    by_cols = _as_list(by)
    missing = [c for c in [date, value, cluster, *by_cols] if c not in df.columns]
    if missing:
        raise KeyError(f"event_difference: no column(s) {missing} in the table "
                       f"(columns: {list(df.columns)})")
    data = df.dropna(subset=[date, value, *by_cols])
    after = pd.to_datetime(data[date]) >= event
    rows = []
    for key, group in _groups(data, by_cols):
        is_after = after.loc[group.index]
        sides = [_cluster_means(group[~is_after], value, cluster),
                 _cluster_means(group[is_after], value, cluster)]
        means = [s.sum() / c.sum() if c.sum() else np.nan for s, c in sides]
        low = high = se = np.nan
        if all(len(s) >= max(min_clusters, 1) for s, _ in sides):
            # One row per (side, cluster): the side is the stratum.
            side = np.repeat([0.0, 1.0], [len(sides[0][0]), len(sides[1][0])])
            sums = np.concatenate([sides[0][0], sides[1][0]])
            counts = np.concatenate([sides[0][1], sides[1][1]])

            def change(w, sums=sums, counts=counts, side=side):
                return ((w @ (sums * side)) / (w @ (counts * side))
                        - (w @ (sums * (1 - side))) / (w @ (counts * (1 - side))))

            res = cluster_bootstrap(change, np.arange(len(sums)), weighted=True, strata=side,
                                    n_resamples=n_resamples, confidence_level=confidence_level,
                                    method=method,
                                    random_state=group_rng(random_state, ("event", *key)),
                                    min_clusters=min_clusters)
            low, high, se = res.ci_low[0], res.ci_high[0], res.se[0]
        rows.append((*key, int(sides[0][1].sum()), int(sides[1][1].sum()), len(sides[0][0]),
                     len(sides[1][0]), float(means[0]), float(means[1]),
                     float(means[1] - means[0]), float(low), float(high), float(se)))
    return pd.DataFrame(rows, columns=[*by_cols, "n_before", "n_after", "clusters_before",
                                       "clusters_after", "mean_before", "mean_after",
                                       "difference", "ci_low", "ci_high", "se"])


def regress(df: pd.DataFrame, formula: str, *, cluster: str = "doc_id",
            confidence_level: float = 0.95) -> pd.DataFrame:
    """OLS with cluster-robust standard errors, as a tidy coefficient table.

    The covariate view stm users expect, e.g. ``"framing_score ~ C(period) +
    C(source)"``: each coefficient is the difference from the reference
    level, holding the other covariates fixed; standard errors are robust to
    the correlation of units (paragraphs) within a cluster (document).

    Intervals and p-values use Student's t with G - 1 degrees of freedom (G
    clusters), statsmodels' ``use_t=True`` for cluster-robust covariances,
    with its small-sample correction of the covariance.  With few clusters
    the normal critical value (1.96) gives intervals that are too narrow;
    with many the two agree.

    Parameters
    ----------
    df : DataFrame
        Data with the formula's columns and ``cluster``; rows with missing
        values are dropped.
    formula : str
        A patsy formula for ``statsmodels.formula.api.ols``.
    cluster : str
        Cluster column for the covariance.
    confidence_level : float
        Coverage of the coefficient intervals.

    Returns
    -------
    DataFrame
        ``term, estimate, std_error, ci_low, ci_high, p_value,
        term_clusters, n_obs, n_clusters, df`` (``df``: the degrees of
        freedom of the t distribution, G - 1).  ``term_clusters`` counts the
        clusters in which a term's column is non-zero; a term resting on a
        single cluster (a source with one document) has no valid
        cluster-robust error, so its error, interval and p-value are NaN.

    Raises
    ------
    ValueError
        When the design matrix is rank-deficient (confounded covariates):
        statsmodels would return arbitrary estimates with a warning.
    """
    import statsmodels.formula.api as smf

    model = smf.ols(formula, data=df)
    exog = model.exog
    rank = np.linalg.matrix_rank(exog)
    if rank < exog.shape[1]:
        raise ValueError(
            f"regress: the design of '{formula}' is rank-deficient ({exog.shape[1]} terms, rank "
            f"{rank}): some covariates are confounded in these data (e.g. a period in which "
            "only one source published), so their effects cannot be separated")
    data = model.data.frame.loc[model.data.row_labels]
    groups = pd.factorize(df.loc[data.index, cluster])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # sqrt of a zero variance, handled below
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        bse, pvalues = fit.bse.to_numpy(), fit.pvalues.to_numpy()
        ci = fit.conf_int(alpha=1 - confidence_level)
    # A term that is non-zero in only one cluster (a source with one post) has
    # no cluster-robust standard error: report its estimate, not an interval.
    term_clusters = np.array([len(np.unique(groups[exog[:, j] != 0]))
                              for j in range(exog.shape[1])])
    valid = term_clusters >= 2
    return pd.DataFrame({
        "term": fit.params.index, "estimate": fit.params.to_numpy(),
        "std_error": np.where(valid, bse, np.nan),
        "ci_low": np.where(valid, ci[0].to_numpy(), np.nan),
        "ci_high": np.where(valid, ci[1].to_numpy(), np.nan),
        "p_value": np.where(valid, pvalues, np.nan),
        "term_clusters": term_clusters, "n_obs": int(fit.nobs),
        "n_clusters": int(len(np.unique(groups))), "df": float(fit.df_resid_inference),
    })
