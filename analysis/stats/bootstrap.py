"""One cluster bootstrap for every interval in the package.

Paragraphs are not independent: the paragraphs of one post share an author,
a date and an occasion, and the documents of one site share an editorial
line.  An interval must therefore come from resampling the *cluster* (post,
document, site) with replacement, never the rows inside it.  This module is
the one place where that happens; :func:`~analysis.stats.compare.share_ci`,
:func:`~analysis.stats.compare.mean_ci`,
:func:`~analysis.stats.compare.event_difference`,
:func:`~analysis.framing.validate.macro_f1_ci` and
:func:`~analysis.framing.validate.bootstrap_framing` all call
:func:`cluster_bootstrap`.

The vocabulary is scipy's (:func:`scipy.stats.bootstrap`): ``n_resamples``,
``confidence_level``, ``method`` (``"percentile"`` or ``"bca"``) and
``random_state``; results carry ``ci_low`` and ``ci_high``.  With clusters of
one row each and a mean, :func:`cluster_bootstrap` and
:func:`scipy.stats.bootstrap` estimate the same interval (checked in
``tests/test_bootstrap.py``).

Two ways to give the statistic:

* ``weighted=True`` (vectorised): the statistic takes a matrix of row
  weights, resamples x rows, each entry the number of times the row's
  cluster was drawn, and returns one value (or one vector) per resample.
  Every ratio of sums (a share, a mean, a macro-F1, the aggregate framing
  score) is a function of weighted sums, so all resamples are a few matrix
  products.  :func:`bootstrap_ratio` is the shortcut for ratios of sums.
* ``weighted=False`` (generic): the statistic takes the positions of the
  rows of one resample (the drawn clusters' rows, concatenated, repeats
  included) and returns one value or one vector.  It is called once per
  resample, so any statistic works.

Both draw the same clusters from the same ``random_state``, so they give the
same interval for the same statistic.

Percentile intervals from few clusters are too narrow; with fewer than
about ten clusters read them as a lower bound on the uncertainty.  A
resample whose statistic is ``NaN`` (a mean over no rows) makes the bounds
``NaN`` rather than being dropped silently.

Examples
--------
>>> import numpy as np
>>> x = np.array([1.0, 3.0, 0.0, 2.0, 5.0, 4.0])
>>> post = np.array([1, 1, 2, 3, 3, 4])
>>> res = cluster_bootstrap(lambda rows: x[rows].mean(), post, n_resamples=500)
>>> float(res.estimate[0]), res.n_clusters, bool(res.ci_low[0] < 2.5 < res.ci_high[0])
(2.5, 4, True)
>>> fast = bootstrap_ratio(x, np.ones(6), clusters=post, n_resamples=500)
>>> bool(np.allclose(fast.ci_low, res.ci_low) and np.allclose(fast.ci_high, res.ci_high))
True
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import config
from .bca import bca_interval, jackknife

__all__ = [
    "METHODS",
    "RESULT_COLUMNS",
    "BootstrapResult",
    "bootstrap_ratio",
    "cluster_bootstrap",
    "group_rng",
]

#: Interval methods, as :func:`scipy.stats.bootstrap` names them.
METHODS = ("percentile", "bca")

#: Columns of :meth:`BootstrapResult.to_frame`, one row per component.
RESULT_COLUMNS = ["estimate", "ci_low", "ci_high", "se", "n_clusters", "method",
                  "confidence_level", "n_resamples"]

# Resamples are drawn and evaluated in chunks of at most this many weight
# entries (about 32 MB of float64), so a large group does not need a
# resamples x rows matrix at once.  Chunking does not change the draws.
_CHUNK_ENTRIES = 1 << 22


@dataclass(frozen=True)
class BootstrapResult:
    """Estimate and interval of one statistic from :func:`cluster_bootstrap`.

    Every array has one entry per component of the statistic (one for a
    scalar statistic, one per category for a vector of shares).

    Attributes
    ----------
    estimate : ndarray
        The statistic on the data as observed.
    ci_low, ci_high : ndarray
        Bounds of the interval; ``NaN`` when there is no interval (fewer
        clusters than ``min_clusters``, no resamples, or a resampled
        statistic that is ``NaN``).
    se : ndarray
        Standard deviation of the bootstrap distribution (``ddof=1``).
    n_clusters : int
        Number of clusters resampled.
    method : str
        ``"percentile"`` or ``"bca"``.
    confidence_level : float
        Nominal coverage of the interval.
    n_resamples : int
        Resamples drawn (0 when there is no interval).
    bootstrap_distribution : ndarray
        The resampled statistic, ``n_resamples`` x components.
    """

    estimate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    se: np.ndarray
    n_clusters: int
    method: str
    confidence_level: float
    n_resamples: int
    bootstrap_distribution: np.ndarray = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The result as a tidy table, one row per component (:data:`RESULT_COLUMNS`)."""
        k = len(self.estimate)
        return pd.DataFrame({
            "estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "se": self.se, "n_clusters": np.full(k, self.n_clusters),
            "method": [self.method] * k, "confidence_level": np.full(k, self.confidence_level),
            "n_resamples": np.full(k, self.n_resamples),
        }, columns=RESULT_COLUMNS)

    def to_dict(self) -> dict:
        """The result of a scalar statistic as a dict of plain values (:data:`RESULT_COLUMNS`)."""
        if len(self.estimate) != 1:
            raise ValueError(f"BootstrapResult.to_dict: the statistic has {len(self.estimate)} "
                             "components; use to_frame()")
        return {"estimate": float(self.estimate[0]), "ci_low": float(self.ci_low[0]),
                "ci_high": float(self.ci_high[0]), "se": float(self.se[0]),
                "n_clusters": int(self.n_clusters), "method": self.method,
                "confidence_level": float(self.confidence_level),
                "n_resamples": int(self.n_resamples)}


def group_rng(random_state: int, key: Hashable) -> np.random.Generator:
    """A random stream for one group, derived from the seed and the group's value.

    Grouped intervals (one per source, say) each draw from their own stream,
    derived from the group's value rather than its position, so a group's
    interval does not change when other groups are added or removed.

    Examples
    --------
    >>> a = group_rng(42, ("saru",)).integers(1000)
    >>> b = group_rng(42, ("saru",)).integers(1000)
    >>> bool(a == b)
    True
    """
    return np.random.default_rng([int(random_state), zlib.crc32(repr(key).encode("utf-8"))])


def _check_options(n_resamples: int, confidence_level: float, method: str,
                   where: str = "cluster_bootstrap") -> None:
    """Refuse bad bootstrap settings, naming the function they were given to."""
    if not 0 < confidence_level < 1:
        raise ValueError(f"{where}: confidence_level must lie in (0, 1), "
                         f"got {confidence_level}")
    if n_resamples < 0 or int(n_resamples) != n_resamples:
        raise ValueError(f"{where}: n_resamples must be a non-negative integer, "
                         f"got {n_resamples}")
    if method not in METHODS:
        raise ValueError(f"{where}: method must be one of {', '.join(METHODS)}, "
                         f"not {method!r}")


def _codes(values, what: str) -> tuple[np.ndarray, int]:
    """Integer codes 0..k-1 of ``values`` in sorted order of the values."""
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(f"cluster_bootstrap: {what} must be one label per row (1-D), "
                         f"got shape {values.shape}")
    if values.dtype.kind in "iu" and np.array_equal(values, np.arange(len(values))):
        return values, len(values)          # already codes: one row per cluster
    codes, uniques = pd.factorize(values, sort=True)
    if (codes < 0).any():
        raise ValueError(f"cluster_bootstrap: {what} has {int((codes < 0).sum())} missing "
                         "labels; every row needs one")
    return codes, len(uniques)


def _as_matrix(values, m: int, what: str) -> np.ndarray:
    """The statistic's output as m x components."""
    out = np.asarray(values, dtype=float)
    if out.ndim == 0 or (out.ndim == 1 and m == 1 and out.shape[0] != 1):
        out = out.reshape(1, -1)
    elif out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2 or out.shape[0] != m:
        raise ValueError(f"cluster_bootstrap: {what} returned shape {np.shape(values)}; "
                         f"expected {m} value(s) or {m} x components")
    return out


class _Plan:
    """Rows, clusters and strata of one bootstrap, and how to evaluate the statistic."""

    def __init__(self, statistic: Callable, clusters, strata, weighted: bool):
        self.statistic, self.weighted = statistic, weighted
        self.codes, self.n_clusters = _codes(clusters, "clusters")
        self.n_rows = len(self.codes)
        self.identity = (self.n_rows == self.n_clusters
                         and np.array_equal(self.codes, np.arange(self.n_rows)))
        if not weighted:
            # Rows of each cluster, in row order: the rows a drawn cluster contributes.
            order = np.argsort(self.codes, kind="stable")
            bounds = np.searchsorted(self.codes[order], np.arange(self.n_clusters + 1))
            self.members = [order[bounds[g]:bounds[g + 1]] for g in range(self.n_clusters)]
        if strata is None:
            self.strata = [np.arange(self.n_clusters)]
        else:
            s_codes, n_strata = _codes(strata, "strata")
            if len(s_codes) != self.n_rows:
                raise ValueError(f"cluster_bootstrap: strata has {len(s_codes)} labels for "
                                 f"{self.n_rows} rows")
            of_cluster = np.full(self.n_clusters, -1)
            of_cluster[self.codes] = s_codes
            if not np.array_equal(of_cluster[self.codes], s_codes):
                raise ValueError("cluster_bootstrap: a cluster spans several strata; each "
                                 "cluster must lie in one stratum")
            self.strata = [np.flatnonzero(of_cluster == s) for s in range(n_strata)]

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Drawn clusters of ``n`` resamples: n x clusters, each stratum keeping its size."""
        parts = [members[rng.integers(0, len(members), size=(n, len(members)))]
                 for members in self.strata]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def evaluate(self, cluster_weights: np.ndarray) -> np.ndarray:
        """Statistic for each row of cluster weights (m x clusters): m x components."""
        m = len(cluster_weights)
        if self.weighted:
            rows = cluster_weights if self.identity else cluster_weights[:, self.codes]
            return _as_matrix(self.statistic(rows), m, "statistic")
        out = []
        for w in cluster_weights:
            picked = np.repeat(np.arange(self.n_clusters), w.astype(int))
            out.append(_as_matrix(self.statistic(self._rows(picked)), 1, "statistic")[0])
        return np.vstack(out)

    def evaluate_draws(self, drawn: np.ndarray, *, with_estimate: bool = False) -> np.ndarray:
        """Statistic of each resample given as drawn clusters (n x clusters).

        ``with_estimate`` puts the statistic of the data as observed (every
        cluster once) in the first row, in the same call of a weighted
        statistic.
        """
        if not self.weighted:
            # Rows in the order the clusters were drawn, as a row-copying
            # bootstrap would concatenate them.
            out = [_as_matrix(self.statistic(self._rows(d)), 1, "statistic")[0] for d in drawn]
            if with_estimate:
                out.insert(0, _as_matrix(self.statistic(np.arange(self.n_rows)), 1,
                                         "statistic")[0])
            return np.vstack(out)
        n, g = drawn.shape
        flat = (drawn + g * np.arange(n)[:, None]).ravel()
        weights = np.bincount(flat, minlength=n * g).reshape(n, g).astype(float)
        if with_estimate:
            weights = np.vstack([np.ones((1, g)), weights])
        return self.evaluate(weights)

    def _rows(self, picked: np.ndarray) -> np.ndarray:
        if len(picked) == 0:
            return np.empty(0, dtype=int)
        return np.concatenate([self.members[c] for c in picked])

    def chunk(self) -> int:
        width = self.n_rows if self.weighted else self.n_clusters
        return max(1, _CHUNK_ENTRIES // max(width, 1))


def _no_interval(plan: _Plan, method: str, confidence_level: float) -> BootstrapResult:
    """The estimate alone: no resamples asked for, or too few clusters."""
    estimate = plan.evaluate_draws(np.empty((0, plan.n_clusters), dtype=int),
                                   with_estimate=True)[0]
    nan = np.full(len(estimate), np.nan)
    return BootstrapResult(estimate, nan, nan.copy(), nan.copy(), plan.n_clusters, method,
                           confidence_level, 0, np.empty((0, len(estimate))))


def _replicates(plan: _Plan, n_resamples: int, rng: np.random.Generator,
                step: int) -> tuple[np.ndarray, np.ndarray]:
    """The estimate and the resamples' statistics, drawn a chunk of ``step`` at a time."""
    # The estimate rides along with the first chunk: one call of the statistic.
    boot = np.vstack([plan.evaluate_draws(plan.draw(min(step, n_resamples - start), rng),
                                          with_estimate=start == 0)
                      for start in range(0, n_resamples, step)])
    return boot[0], boot[1:]


def cluster_bootstrap(statistic: Callable, clusters, *, weighted: bool = False,
                      strata=None, n_resamples: int = 2000, confidence_level: float = 0.95,
                      method: str = "percentile", random_state=config.SEED,
                      min_clusters: int = 2) -> BootstrapResult:
    """Bootstrap interval of a statistic by resampling whole clusters with replacement.

    Each resample draws as many clusters as there are (per stratum), with
    replacement, and keeps all rows of every drawn cluster.

    Parameters
    ----------
    statistic : callable
        With ``weighted=False``: ``statistic(rows)`` gets the positions
        (ints) of the rows of one resample and returns a number or a 1-D
        array.  With ``weighted=True``: ``statistic(weights)`` gets an
        m x rows float matrix (how often each row is drawn in each of m
        resamples) and returns m values or an m x components array; it
        must treat a row of weight 2 like two copies of the row.
    clusters : array-like
        One label per row: the resampled unit (post, document, site).
    weighted : bool
        Which form ``statistic`` takes (see above).
    strata : array-like, optional
        One label per row; clusters are resampled within each stratum (e.g.
        before and after an event).  A cluster must lie in one stratum.
    n_resamples : int
        Bootstrap resamples; 0 gives the estimate without an interval.
    confidence_level : float
        Nominal coverage of the two-sided interval, in (0, 1).
    method : {"percentile", "bca"}
        Percentile, or bias-corrected and accelerated (jackknife over clusters).
    random_state : int, Generator or SeedSequence
        Seed of the draws (:func:`numpy.random.default_rng`).  The same
        seed draws the same clusters in both forms of ``statistic``.
    min_clusters : int
        With fewer clusters (in any stratum), the bounds and ``se`` are ``NaN``.

    Returns
    -------
    BootstrapResult
        ``estimate, ci_low, ci_high, se`` per component and the settings;
        :meth:`BootstrapResult.to_frame` gives the tidy table.

    Raises
    ------
    ValueError
        For a ``confidence_level`` outside (0, 1), an unknown ``method``, a negative
        ``n_resamples``, missing cluster labels, or a cluster in several strata.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0, 0, 1, 1, 1, 0])
    >>> doc = np.array(["a", "a", "b", "b", "c", "c"])
    >>> res = cluster_bootstrap(lambda w: (w @ y) / w.sum(axis=1), doc, weighted=True,
    ...                         n_resamples=200, method="bca")
    >>> res.to_frame()[["estimate", "n_clusters", "method", "n_resamples"]]
       estimate  n_clusters method  n_resamples
    0       0.5           3    bca          200
    """
    _check_options(n_resamples, confidence_level, method)
    plan = _Plan(statistic, clusters, strata, weighted)
    enough = min(len(s) for s in plan.strata) >= max(min_clusters, 1)
    if n_resamples == 0 or not enough:
        return _no_interval(plan, method, confidence_level)
    step = plan.chunk()
    estimate, boot = _replicates(plan, n_resamples, np.random.default_rng(random_state), step)
    alpha = (1 - confidence_level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # ddof=1 with one resample
        se = boot.std(axis=0, ddof=1)
    if method == "percentile":
        low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
    else:
        low, high = bca_interval(boot, estimate, jackknife(plan, step), alpha)
    return BootstrapResult(estimate, np.asarray(low, float), np.asarray(high, float), se,
                           plan.n_clusters, method, confidence_level, int(n_resamples), boot)


def bootstrap_ratio(numerator, denominator, *, clusters, strata=None,
                    n_resamples: int = 2000, confidence_level: float = 0.95,
                    method: str = "percentile", random_state=config.SEED,
                    min_clusters: int = 2) -> BootstrapResult:
    """Cluster-bootstrap interval of a ratio of sums: a share or a mean.

    The statistic is ``sum(numerator) / sum(denominator)`` over the rows of
    the resample.  Rows are summed per cluster first, so the cost is
    resamples x clusters, whatever the number of rows.

    Parameters
    ----------
    numerator : array-like
        One value per row (a score; 1 where a paragraph has a category), or
        rows x components (one column per category) for several ratios with
        one denominator.
    denominator : array-like
        One value per row (1 for a mean over rows; a paragraph's words for a
        word-weighted mean).
    clusters, strata, n_resamples, confidence_level, method, random_state, min_clusters
        As in :func:`cluster_bootstrap`.

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> category = np.array([1, 0, 1, 1, 0, 0])
    >>> post = np.array([1, 1, 2, 2, 3, 3])
    >>> r = bootstrap_ratio(category, np.ones(6), clusters=post, n_resamples=300)
    >>> round(float(r.estimate[0]), 3), float(r.ci_low[0]) >= 0, float(r.ci_high[0]) <= 1
    (0.5, True, True)
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    num2 = num[:, None] if num.ndim == 1 else num
    if len(num2) != len(den) or den.ndim != 1:
        raise ValueError(f"bootstrap_ratio: numerator has {len(num2)} rows and denominator "
                         f"shape {den.shape}; both need one entry per row")
    codes, n_clusters = _codes(clusters, "clusters")
    if len(codes) != len(den):
        raise ValueError(f"bootstrap_ratio: {len(codes)} cluster labels for {len(den)} rows")
    sums = np.zeros((n_clusters, num2.shape[1]))
    np.add.at(sums, codes, num2)
    totals = np.bincount(codes, weights=den, minlength=n_clusters)
    cluster_strata = None
    if strata is not None:
        s = np.asarray(strata)
        first = np.full(n_clusters, -1)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        cluster_strata = s[first]
        if not np.array_equal(cluster_strata[codes], s):
            raise ValueError("bootstrap_ratio: a cluster spans several strata; each cluster "
                             "must lie in one stratum")

    def ratio(weights: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return (weights @ sums) / (weights @ totals)[:, None]

    res = cluster_bootstrap(ratio, np.arange(n_clusters), weighted=True, strata=cluster_strata,
                            n_resamples=n_resamples, confidence_level=confidence_level,
                            method=method, random_state=random_state,
                            min_clusters=min_clusters)
    return res
