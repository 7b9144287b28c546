"""The documented rule that combines per-method scores into one framing."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .labels import _P, METHODS
from .lexicon import Lexicon, load_lexicon

# --------------------------------------------------------------------------
# The combined decision
# --------------------------------------------------------------------------


def _settings(lexicon: Lexicon | None, overrides: Mapping | None = None) -> dict:
    """The combination settings: the packaged lexicon's, then the lexicon's own, then overrides.

    The defaults live in one place, the ``combination`` block of the packaged
    ``data/lexicons/framing.yaml``; a user lexicon may set some of them.
    """
    packaged = load_lexicon().config["combination"]
    own = (lexicon.config.get("combination", {}) if lexicon is not None else {})
    settings = {**packaged, **own, "weights": {**packaged["weights"], **own.get("weights", {})}}
    for key, value in (overrides or {}).items():
        if key == "weights":
            settings["weights"] = {**settings["weights"], **value}
        else:
            settings[key] = value
    return settings


def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    return df[name].to_numpy(dtype=float) if name in df.columns else np.full(len(df), np.nan)


def _method_supports(scores: pd.DataFrame, settings: Mapping) -> dict[str, tuple]:
    """Each method's support for each pole; precomputed ``<method>_support_<pole>`` win."""
    scale = float(settings["lexicon_scale"])
    out = {}
    a, u = _col(scores, "lexicon_all_imperialisms"), _col(scores, "lexicon_anti_us")
    out["lexicon"] = (1 - np.exp(-a / scale), 1 - np.exp(-u / scale))
    mixed = np.nan_to_num(_col(scores, _P["mixed"]), nan=0.0)
    pa, pu = _col(scores, _P["all_imperialisms"]), _col(scores, _P["anti_us"])
    out["classifier"] = (pa + mixed / 2, pu + mixed / 2)
    out["prototypes"] = (_col(scores, "prototype_p_all_imperialisms"),
                         _col(scores, "prototype_p_anti_us"))
    z = np.tanh(_col(scores, "lss_score") / 2)
    out["lss"] = (np.clip(z, 0, None), np.clip(-z, 0, None))
    for method in METHODS:
        cols = (f"{method}_support_all_imperialisms", f"{method}_support_anti_us")
        if all(c in scores.columns for c in cols):
            out[method] = (_col(scores, cols[0]), _col(scores, cols[1]))
    return out


def _decide(s_all: np.ndarray, s_us: np.ndarray, threshold: float, ratio: float) -> np.ndarray:
    hi, lo = np.fmax(s_all, s_us), np.fmin(s_all, s_us)
    label = np.where(s_all >= s_us, "all_imperialisms", "anti_us").astype(object)
    label = np.where((lo >= threshold) & (lo >= ratio * hi), "mixed", label)
    label = np.where(~(hi >= threshold), "none", label)
    return label


def combine_scores(scores: pd.DataFrame, *, lexicon: Lexicon | None = None,
                   settings: Mapping | None = None) -> pd.DataFrame:
    """Combine per-method scores into supports, ``framing_score`` and ``framing``.

    Parameters
    ----------
    scores : DataFrame
        Any of the columns ``lexicon_all_imperialisms``,
        ``lexicon_anti_us``, ``classifier_p_<label>``,
        ``prototype_p_<label>``, ``lss_score``; or a method's supports
        directly as ``<method>_support_all_imperialisms`` and
        ``<method>_support_anti_us`` (as aggregates carry them).  Missing
        columns or values mean the method is not available for that row.
        Not modified.
    lexicon : Lexicon, optional
        Source of the ``combination`` settings (default lexicon otherwise).
    settings : mapping, optional
        Overrides of the settings: ``lexicon_scale``, ``threshold``,
        ``mixed_ratio`` and ``weights`` (per method).

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``support_all_imperialisms``,
        ``support_anti_us``, ``framing_score`` (in [-1, 1]), ``framing`` and
        ``methods`` (the methods that contributed, joined by '+').

    Examples
    --------
    >>> df = pd.DataFrame({"lexicon_all_imperialisms": [3.0, 0.0, 3.0, 0.4],
    ...                    "lexicon_anti_us": [0.0, 3.0, 3.0, 0.0]})
    >>> combine_scores(df)["framing"].tolist()
    ['all_imperialisms', 'anti_us', 'mixed', 'none']
    """
    settings = _settings(lexicon, settings)
    weights = settings["weights"]
    supports = _method_supports(scores, settings)
    num_all, num_us, den = (np.zeros(len(scores)) for _ in range(3))
    used = [[] for _ in range(len(scores))]
    for method in METHODS:
        w = float(weights.get(method, 0.0))
        if w <= 0:
            continue
        s_all, s_us = supports[method]
        ok = np.isfinite(s_all) & np.isfinite(s_us)
        num_all += np.where(ok, w * np.nan_to_num(s_all), 0.0)
        num_us += np.where(ok, w * np.nan_to_num(s_us), 0.0)
        den += np.where(ok, w, 0.0)
        for i in np.flatnonzero(ok):
            used[i].append(method)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_all = np.where(den > 0, num_all / den, 0.0)
        s_us = np.where(den > 0, num_us / den, 0.0)
    out = scores.copy()
    out["support_all_imperialisms"] = s_all
    out["support_anti_us"] = s_us
    out["framing_score"] = s_all - s_us
    out["framing"] = _decide(s_all, s_us, float(settings["threshold"]),
                             float(settings["mixed_ratio"]))
    out["methods"] = ["+".join(m) for m in used]
    return out


