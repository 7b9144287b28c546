"""The BCa interval of :func:`analysis.stats.bootstrap.cluster_bootstrap`.

Efron's bias-corrected and accelerated interval: the bias correction from
the share of bootstrap replicates below the estimate, the acceleration from
the jackknife over clusters (leave one cluster out, within each stratum).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri


def _bca_levels(boot: np.ndarray, estimate: np.ndarray, jack: list[np.ndarray],
                alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """BCa quantile levels per component (Efron & Tibshirani 1993, 14.3; scipy's formula).

    ``jack`` holds, per stratum, the leave-one-cluster-out statistics
    (clusters of the stratum x components).
    """
    n = len(boot)
    below = (boot < estimate).sum(axis=0) + (boot <= estimate).sum(axis=0)
    z0 = ndtri(below / (2 * n))
    nums, dens = 0.0, 0.0
    for theta in jack:
        g = float(len(theta))
        u = (g - 1) * (theta.mean(axis=0) - theta)
        nums = nums + (u ** 3).sum(axis=0) / g ** 3
        dens = dens + (u ** 2).sum(axis=0) / g ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        # No jackknife spread (a share that is 0 in every cluster): no acceleration.
        accel = np.where(dens > 0, nums / (6 * dens ** 1.5), 0.0)
        z = ndtri(alpha)
        lo, hi = z0 + z, z0 - z
        return ndtr(z0 + lo / (1 - accel * lo)), ndtr(z0 + hi / (1 - accel * hi))


def jackknife(plan, step: int) -> list[np.ndarray]:
    """Leave-one-cluster-out statistics, per stratum, a chunk of clusters at a time."""
    jack = []
    for members in plan.strata:
        parts = []
        for i in range(0, len(members), step):
            out = members[i:i + step]
            leave_out = np.ones((len(out), plan.n_clusters))
            leave_out[np.arange(len(out)), out] = 0.0
            parts.append(plan.evaluate(leave_out))
        jack.append(np.vstack(parts))
    return jack


def bca_interval(boot: np.ndarray, estimate: np.ndarray, jack: list[np.ndarray],
                  alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """BCa bounds per component: quantiles of ``boot`` at the corrected levels."""
    lo_level, hi_level = _bca_levels(boot, estimate, jack, alpha)
    low, high = np.full(len(estimate), np.nan), np.full(len(estimate), np.nan)
    for j in range(len(estimate)):
        if np.isfinite(lo_level[j]) and np.isfinite(hi_level[j]):
            low[j], high[j] = np.quantile(boot[:, j], [lo_level[j], hi_level[j]])
    return low, high
