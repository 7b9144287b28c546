"""The planted ground truth of the simulated corpora: sources and their framing trajectories.

Each :class:`Source` has a logistic trend of its ``anti_us`` share with an
*event shift* on :data:`EVENT_DATE` (24 February 2022, the full-scale
invasion of Ukraine); :func:`planted_share` and :func:`planted_shares` give
the probabilities that :func:`analysis.scale.simulate.simulate_corpus`
draws from, to compare with what the pipeline recovers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "FRAMINGS",
    "EVENT_DATE",
    "Source",
    "DEFAULT_SOURCES",
    "planted_share",
    "planted_shares",
]

#: The two framings, the package's poles (:data:`analysis.framing.labels.LABELS`);
#: the planted share is the share of ``anti_us`` posts.
FRAMINGS = ("anti_us", "all_imperialisms")
#: The date of the planted event shift.
EVENT_DATE = pd.Timestamp("2022-02-24")
START, END = pd.Timestamp("2014-01-01"), pd.Timestamp("2024-12-31")


@dataclass(frozen=True)
class Source:
    """A simulated source and its planted framing trajectory.

    The probability that a post is ``anti_us`` at time *t* (in years since
    2014-01-01) is ``sigmoid(base + trend * t + shift * [t >= event])``.

    Attributes
    ----------
    key : str
        Short source key (as in a manifest's ``source`` column).
    name : str
        Display name.
    base, trend, shift : float
        Logit at the start, change of logit per year, and jump of the logit
        at :data:`EVENT_DATE`.
    weight : float
        Relative volume of posts.
    listing_share : float
        Share of its posts published as excerpts on archive listing pages.
    """

    key: str
    name: str
    base: float
    trend: float
    shift: float
    weight: float = 1.0
    listing_share: float = 0.15


#: Five fictional sources spanning both framings and several trajectories.
DEFAULT_SOURCES: tuple[Source, ...] = (
    Source("red-dawn", "Red Dawn Weekly", base=1.5, trend=0.0, shift=0.8, weight=1.4),
    Source("workers-voice", "Workers' Voice", base=-1.8, trend=-0.05, shift=-0.6, weight=1.0),
    Source("peoples-front", "People's Front Online", base=1.2, trend=0.05, shift=-2.6,
           weight=1.2, listing_share=0.3),
    Source("solidarity-net", "Solidarity Network", base=0.3, trend=-0.25, shift=-0.5,
           weight=0.8),
    Source("left-review", "Left Review Daily", base=-0.2, trend=0.12, shift=0.0, weight=0.6,
           listing_share=0.0),
)

def _years(date: pd.Timestamp) -> float:
    return (date - START).days / 365.25


def planted_share(source: Source, date: pd.Timestamp | str) -> float:
    """Planted probability that a post of ``source`` on ``date`` is ``anti_us``.

    Examples
    --------
    >>> src = Source("x", "X", base=0.0, trend=0.0, shift=-2.0)
    >>> round(planted_share(src, "2020-01-01"), 3), round(planted_share(src, "2023-01-01"), 3)
    (0.5, 0.119)
    """
    date = pd.Timestamp(date)
    logit = source.base + source.trend * _years(date) + source.shift * (date >= EVENT_DATE)
    return 1.0 / (1.0 + math.exp(-logit))


def planted_shares(sources: Sequence[Source] = DEFAULT_SOURCES, *, freq: str = "YS"
                   ) -> pd.DataFrame:
    """Planted ``anti_us`` share per source and period (mean of the daily probability).

    Parameters
    ----------
    sources : sequence of Source
        The sources.
    freq : str
        pandas period start frequency (``"YS"`` years, ``"QS"`` quarters).

    Returns
    -------
    DataFrame
        ``source, period, planted_share`` (tidy, one row per source and period).
    """
    days = pd.date_range(START, END, freq="D")
    periods = days.to_series().dt.to_period(freq.rstrip("S")).dt.start_time.to_numpy()
    rows = []
    for src in sources:
        probs = np.array([planted_share(src, d) for d in days])
        frame = pd.DataFrame({"period": periods, "p": probs}).groupby("period")["p"].mean()
        rows += [{"source": src.key, "period": p, "planted_share": float(v)}
                 for p, v in frame.items()]
    return pd.DataFrame(rows)
