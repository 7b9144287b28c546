"""Comparisons with uncertainty over time and source.

``compare``
    Shares and means with cluster-bootstrap intervals, event differences,
    regressions with cluster-robust errors, thin-cell flags, periods.
"""

from .._lazy import lazy_exports

__all__ = [
    "compare",
    "EVENTS",
    "add_period",
    "event_difference",
    "flag_thin",
    "mean_ci",
    "regress",
    "share_ci",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "compare": "compare",
    "EVENTS": "compare",
    "add_period": "compare",
    "event_difference": "compare",
    "flag_thin": "compare",
    "mean_ci": "compare",
    "regress": "compare",
    "share_ci": "compare",
})
