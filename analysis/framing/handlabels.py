"""Validate framing scores on a user's own corpus: hand labels and known groups.

:func:`validate_framing` compares the package's document labels and scores
with a researcher's hand labels (document id, label) of the same documents;
:func:`read_known_groups` reads an expected order of sources (from anti-US
to against all imperialisms) for the known-groups check, or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .._compat import renamed_keywords
from ..corpus.schema import check_table
from . import LABELS, macro_f1_ci
from .schema import (
    HandAgreementSchema,
    HandByPeriodSchema,
    HandBySourceSchema,
    HandEventSchema,
    HandLabelsSchema,
    KnownGroupsSchema,
)

__all__ = ["validate_framing", "read_known_groups", "ORDINAL"]

#: Hand labels on the framing scale: anti-US -1, neither or both 0, all imperialisms +1.
ORDINAL = {"anti_us": -1.0, "none": 0.0, "mixed": 0.0, "all_imperialisms": 1.0}


def read_known_groups(value: str | Path | Sequence[str] | None) -> pd.DataFrame:
    """An expected order of sources, or an empty table when none is given.

    Parameters
    ----------
    value : path-like, sequence of str or None
        A CSV with columns ``source`` and ``expected_rank`` (1 = most
        anti-US), or the sources themselves from most anti-US to most
        against all imperialisms, or ``None``.

    Returns
    -------
    DataFrame
        ``source`` and ``expected_rank``.

    Examples
    --------
    >>> read_known_groups(["saru", "essf"])["expected_rank"].tolist()
    [1, 2]
    >>> read_known_groups(None).empty
    True
    """
    if value is None:
        return pd.DataFrame({"source": pd.Series(dtype=object),
                             "expected_rank": pd.Series(dtype=int)})
    if isinstance(value, (str, Path)):
        path = Path(value)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no known-groups file")
        table = pd.read_csv(path, dtype={"source": str}, comment="#")
        missing = {"source", "expected_rank"} - set(table.columns)
        if missing:
            raise ValueError(f"{path} line 1: missing column(s) {sorted(missing)}")
        table = check_table(KnownGroupsSchema, table, where=str(path))
        return table[["source", "expected_rank"]].reset_index(drop=True)
    sources = list(value)
    table = pd.DataFrame({"source": sources, "expected_rank": range(1, len(sources) + 1)})
    return check_table(KnownGroupsSchema, table, where="known groups")


@renamed_keywords(n_boot="n_resamples", level="confidence_level", seed="random_state")
def validate_framing(scores: pd.DataFrame, labels: pd.DataFrame, *, id_col: str = "doc_id",
                     label_col: str = "label", event: str | pd.Timestamp = "2022-02-24",
                     freq: str = "YS", n_resamples: int = 1000,
                     confidence_level: float = 0.95, method: str = "percentile",
                     random_state: int = config.SEED) -> dict[str, pd.DataFrame]:
    """Agreement of the package's framing with hand labels of the same documents.

    Parameters
    ----------
    scores : DataFrame
        One row per document: ``id_col``, ``framing``, ``framing_score``,
        and ``source`` and ``date`` for the breakdowns (where absent, those
        tables are empty).
    labels : DataFrame
        Hand labels: ``id_col`` and ``label_col`` (``anti_us``,
        ``all_imperialisms``, ``mixed``, ``none``).
    id_col, label_col : str
        Column of the document ids (in both tables) and of the hand labels.
    event : str or Timestamp
        Date splitting before from after for the event shift.
    freq : str
        Period of the shares (pandas offset alias, e.g. ``"YS"``).
    n_resamples, confidence_level, method, random_state
        Bootstrap of the macro-F1 interval (:func:`macro_f1_ci`; documents
        resampled).

    Returns
    -------
    dict of str to DataFrame
        ``agreement`` (one row: ``macro_f1``, ``ci_low``, ``ci_high``,
        ``se``, ``n``, ``n_clusters``, ``accuracy``, ``n_unlabelled``
        scored documents without a hand label); ``by_period`` (per period
        and label: ``package_share``, ``hand_share``, ``n``); ``by_source``
        (``n``, ``accuracy``, mean ``package_ordinal`` and
        ``hand_ordinal``); ``event`` (before,
        after and change of the mean ``framing_score``, of the package's
        labels on the hand scale (:data:`ORDINAL`) and of the hand labels,
        with the documents and sources on each side).

    Examples
    --------
    >>> scores = pd.DataFrame({"doc_id": ["a", "b", "c"], "framing": ["anti_us", "none",
    ...                        "all_imperialisms"], "framing_score": [-0.8, 0.0, 0.6]})
    >>> labels = pd.DataFrame({"doc_id": ["a", "b", "c"], "label": ["anti_us", "mixed",
    ...                        "all_imperialisms"]})
    >>> validate_framing(scores, labels, n_resamples=0)["agreement"]["accuracy"].item()
    0.6666666666666666
    """
    for table, name in ((scores, "scores"), (labels, "labels")):
        if id_col not in table.columns:
            raise KeyError(f"validate_framing: {name} have no id column {id_col!r}")
    hand_schema = HandLabelsSchema.to_schema().rename_columns({"doc_id": id_col,
                                                              "label": label_col})
    check_table(hand_schema, labels, where="validate_framing labels")
    hand = labels[[id_col, label_col]].rename(columns={label_col: "hand"})
    both = scores.merge(hand, on=id_col, how="inner")
    agreement = macro_f1_ci(both["hand"], both["framing"], n_resamples=n_resamples,
                            confidence_level=confidence_level, method=method,
                            random_state=random_state)
    agreement["n_unlabelled"] = int((~scores[id_col].isin(hand[id_col])).sum())
    both = both.assign(package_ordinal=both["framing"].map(ORDINAL),
                       hand_ordinal=both["hand"].map(ORDINAL),
                       agree=both["framing"] == both["hand"])
    tables = {"agreement": pd.DataFrame([agreement]), "by_period": _by_period(both, freq),
              "by_source": _by_source(both), "event": _event(both, pd.Timestamp(event))}
    schemas = {"agreement": HandAgreementSchema, "by_period": HandByPeriodSchema,
               "by_source": HandBySourceSchema, "event": HandEventSchema}
    return {name: check_table(schemas[name], table, where=f"validate_framing {name} table")
            for name, table in tables.items()}


def _by_period(both: pd.DataFrame, freq: str) -> pd.DataFrame:
    columns = ["period", "label", "package_share", "hand_share", "n"]
    if "date" not in both or both["date"].isna().all():
        return pd.DataFrame(columns=columns)
    dated = both.dropna(subset=["date"])
    period = pd.to_datetime(dated["date"]).dt.to_period(freq.rstrip("S")).dt.start_time
    rows = []
    for when, group in dated.groupby(period, sort=True):
        for label in LABELS:
            rows.append({"period": when, "label": label,
                         "package_share": float((group["framing"] == label).mean()),
                         "hand_share": float((group["hand"] == label).mean()),
                         "n": len(group)})
    return pd.DataFrame(rows, columns=columns)


def _by_source(both: pd.DataFrame) -> pd.DataFrame:
    if "source" not in both:
        return pd.DataFrame(columns=["source", "n", "accuracy", "package_ordinal",
                                     "hand_ordinal"])
    return (both.groupby("source", sort=True)
            .agg(n=("agree", "size"), accuracy=("agree", "mean"),
                 package_ordinal=("package_ordinal", "mean"),
                 hand_ordinal=("hand_ordinal", "mean"))
            .reset_index())


def _event(both: pd.DataFrame, event: pd.Timestamp) -> pd.DataFrame:
    rows = []
    dated = both.dropna(subset=["date"]) if "date" in both else both.iloc[:0]
    after = pd.to_datetime(dated["date"]) >= event if len(dated) else pd.Series(dtype=bool)
    sides = {"before": dated[~after], "after": dated[after]}
    for measure in ("framing_score", "package_ordinal", "hand_ordinal"):
        before_v = float(sides["before"][measure].mean()) if len(sides["before"]) else np.nan
        after_v = float(sides["after"][measure].mean()) if len(sides["after"]) else np.nan
        rows.append({"measure": measure, "before": before_v, "after": after_v,
                     "change": after_v - before_v,
                     "n_before": len(sides["before"]), "n_after": len(sides["after"]),
                     "sources_both_sides": int(len(
                         set(sides["before"].get("source", ())) &
                         set(sides["after"].get("source", ()))))})
    return pd.DataFrame(rows)
