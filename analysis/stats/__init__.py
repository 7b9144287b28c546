"""Comparisons with uncertainty over time and source.

``bootstrap``
    The one cluster bootstrap every interval of the package comes from:
    resample posts, documents or sites with replacement; percentile or BCa.
``compare``
    Shares and means with cluster-bootstrap intervals, event differences,
    regressions with cluster-robust errors, thin-cell flags, periods.
"""

from .._lazy import lazy_exports

__all__ = [
    "bca",
    "bootstrap",
    "compare",
    "EVENTS",
    "add_period",
    "bootstrap_ratio",
    "cluster_bootstrap",
    "event_difference",
    "flag_thin",
    "mean_ci",
    "regress",
    "share_ci",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "bca": "bca",
    "bootstrap": "bootstrap",
    "compare": "compare",
    "EVENTS": "compare",
    "add_period": "compare",
    "bootstrap_ratio": "bootstrap",
    "cluster_bootstrap": "bootstrap",
    "event_difference": "compare",
    "flag_thin": "compare",
    "mean_ci": "compare",
    "regress": "compare",
    "share_ci": "compare",
})
