"""Validation of the document measure on sites it never saw.

Everything here works from the committed feature tables of the real corpus
(:func:`~analysis.framing.model.training_data`), so it runs in CI without
the texts.  Folds are scikit-learn's ``StratifiedGroupKFold`` grouped by
site: no site is ever in training and evaluation at once.

Headline metric: **pole macro-F1**, the mean F1 of ``anti_us`` and
``all_imperialisms`` over all documents (a pole document labelled ``mixed``
or ``none`` is a miss; a ``none`` document labelled with a pole is a false
alarm).  The four-label macro-F1 is reported beside it.  Intervals come
from the package's cluster bootstrap
(:func:`~analysis.stats.bootstrap.cluster_bootstrap`) resampling sites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

from .. import config
from .._compat import renamed_keywords
from .labels import LABELS
from .model import DEFAULT_PARAMS
from .scorers import LAYOUT, DocumentClassifier, KeywordBaseline, LexiconRule
from .validate import macro_f1_ci

__all__ = ["POLE_LABELS", "scorers", "site_folds", "oof_predictions", "pole_f1",
           "agreement_by_subset", "tuning_table", "learning_curve", "abstention_rate",
           "worst_errors", "evaluate_locked_test"]

POLE_LABELS = ("anti_us", "all_imperialisms")


def scorers(params: Mapping | None = None) -> dict:
    """The measures compared: the keyword baseline, each single method, and the combination."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    ngram_blocks = ((*LAYOUT["word"], "l2", 1.0), (*LAYOUT["char"], "l2", 1.0))
    lexicon_block = ((*LAYOUT["lexicon"], "log", 1.0),)
    return {"keyword baseline": KeywordBaseline(),
            "lexicon rule": LexiconRule(),
            "lexicon regression": DocumentClassifier(blocks=lexicon_block, **params),
            "n-gram regression": DocumentClassifier(blocks=ngram_blocks, **params),
            "combined (default)": DocumentClassifier(**params)}


def site_folds(n_splits: int = 5, seed: int = config.SEED) -> StratifiedGroupKFold:
    """Folds stratified by label and grouped by site."""
    return StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)


def oof_predictions(docs: pd.DataFrame, X, y, estimators: Mapping, *,
                    n_splits: int = 5, seed: int = config.SEED) -> pd.DataFrame:
    """Out-of-fold predictions of every estimator, as a long table.

    Returns
    -------
    DataFrame
        ``doc_id, scorer, label, prediction`` plus ``p_<label>`` where the
        estimator gives probabilities.
    """
    out = []
    cv = site_folds(n_splits, seed)
    groups = docs["site"].to_numpy()
    classes = np.unique(y)
    for name, est in estimators.items():
        if getattr(est, "none_threshold", None) is None:
            # Fixed rules learn nothing; their probabilities are one-hot.  (With
            # method="predict_proba", scikit-learn encodes y as integers, which
            # a rule that names its labels cannot match.)
            pred = cross_val_predict(clone(est), X, y, groups=groups, cv=cv)
            proba = (pred[:, None] == classes[None, :]).astype(float)
        else:
            proba = cross_val_predict(clone(est), X, y, groups=groups, cv=cv,
                                      method="predict_proba")
            pred = _labels_from_proba(est, proba, classes)
        part = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy(), "scorer": name,
                             "label": y, "prediction": pred})
        for j, c in enumerate(classes):
            part[f"p_{c}"] = proba[:, j]
        out.append(part)
    return pd.concat(out, ignore_index=True)


def _labels_from_proba(est, proba, classes) -> np.ndarray:
    from .scorers import _predict_with_none

    return _predict_with_none(proba, np.asarray(classes), est.none_threshold)


def pole_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Mean F1 of the two poles over all documents.

    Examples
    --------
    >>> pole_f1(["anti_us", "all_imperialisms", "none"], ["anti_us", "none", "none"])
    0.5
    """
    from sklearn.metrics import f1_score

    return float(f1_score(np.asarray(y_true, dtype=str), np.asarray(y_pred, dtype=str),
                          labels=list(POLE_LABELS), average="macro", zero_division=0))


def abstention_rate(y_true, y_pred) -> float:
    """Share of documents coded with a pole that the measure labels ``none``."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    framed = np.isin(y_true, POLE_LABELS)
    return float(np.mean(y_pred[framed] == "none")) if framed.any() else np.nan


def _subsets(docs: pd.DataFrame) -> list[tuple[str, str, np.ndarray]]:
    rows = [("overall", "all", np.ones(len(docs), bool)),
            ("language", "non-English", (docs["language"] != "en").to_numpy())]
    for lang, n in docs["language"].value_counts().items():
        if n >= 10:
            rows.append(("language", str(lang), (docs["language"] == lang).to_numpy()))
    for period in sorted(docs["period"].unique()):
        rows.append(("period", str(period), (docs["period"] == period).to_numpy()))
    for topic, n in docs["topic"].value_counts().items():
        if n >= 10:
            rows.append(("topic", str(topic), (docs["topic"] == topic).to_numpy()))
    return rows


@renamed_keywords(seed="random_state")
def agreement_by_subset(predictions: pd.DataFrame, docs: pd.DataFrame, *,
                        n_resamples: int = 1000, confidence_level: float = 0.95,
                        method: str = "percentile",
                        random_state: int = config.SEED) -> pd.DataFrame:
    """Pole macro-F1 (with a site-cluster bootstrap interval) per scorer and subset.

    Subsets: overall, non-English, each language, each period and each topic
    with at least 10 documents.  ``n_resamples``, ``confidence_level``,
    ``method`` and ``random_state`` are those of :func:`macro_f1_ci`; every
    subset uses the same seed.
    """
    meta = docs.set_index("doc_id")
    rows = []
    for scorer, part in predictions.groupby("scorer", sort=False):
        part = part.set_index("doc_id").loc[docs["doc_id"]]
        y, p = part["label"].to_numpy(), part["prediction"].to_numpy()
        sites = meta.loc[part.index, "site"].to_numpy()
        for kind, name, mask in _subsets(docs):
            ci = macro_f1_ci(y[mask], p[mask], groups=sites[mask], labels=POLE_LABELS,
                             n_resamples=n_resamples, confidence_level=confidence_level,
                             method=method, random_state=random_state)
            rows.append({"scorer": scorer, "subset": kind, "value": name, "n": int(mask.sum()),
                         "pole_f1": ci["macro_f1"], "ci_low": ci["ci_low"],
                         "ci_high": ci["ci_high"],
                         "macro_f1_4": float(macro_f1_ci(y[mask], p[mask], labels=LABELS,
                                                         n_resamples=0)["macro_f1"]),
                         "abstain": abstention_rate(y[mask], p[mask])})
    return pd.DataFrame(rows)


def tuning_table(docs: pd.DataFrame, X, y, grid: Sequence[Mapping], *,
                 seed: int = config.SEED) -> pd.DataFrame:
    """Grouped-CV pole macro-F1 and abstention of the combined model per parameter set."""
    rows = []
    for params in grid:
        est = DocumentClassifier(**{**DEFAULT_PARAMS, **params})
        pred = oof_predictions(docs, X, y, {"m": est}, seed=seed)
        rows.append({**params, "pole_f1": pole_f1(y, pred["prediction"]),
                     "abstain": abstention_rate(y, pred["prediction"])})
    return pd.DataFrame(rows)


def learning_curve(docs: pd.DataFrame, X, y, *, fractions=(0.25, 0.5, 0.75, 1.0),
                   n_repeats: int = 3, seed: int = config.SEED) -> pd.DataFrame:
    """Pole macro-F1 on held-out sites against the number of training documents.

    For each fold, the training part is subsampled by whole sites to each
    fraction (``n_repeats`` draws); the held-out fold is unchanged.
    """
    rng = np.random.default_rng(seed)
    cv = site_folds(5, seed)
    sites = docs["site"].to_numpy()
    rows = []
    for frac in fractions:
        for rep in range(n_repeats if frac < 1 else 1):
            pred = np.empty(len(y), dtype=object)
            n_train = []
            for tr, te in cv.split(X, y, sites):
                uniq = np.unique(sites[tr])
                keep = rng.permutation(uniq)[:max(2, int(round(frac * len(uniq))))]
                sub = tr[np.isin(sites[tr], keep)]
                est = DocumentClassifier(**DEFAULT_PARAMS).fit(X[sub], y[sub])
                pred[te] = est.predict(X[te])
                n_train.append(len(sub))
            rows.append({"fraction": frac, "repeat": rep, "n_train": float(np.mean(n_train)),
                         "pole_f1": pole_f1(y, pred)})
    return pd.DataFrame(rows)


def worst_errors(predictions: pd.DataFrame, docs: pd.DataFrame, *, scorer: str,
                 k: int = 20) -> pd.DataFrame:
    """The ``k`` most confident wrong predictions of one scorer, with their metadata."""
    part = predictions[predictions["scorer"] == scorer].copy()
    pcols = [c for c in part.columns if c.startswith("p_")]
    part["confidence"] = part[pcols].max(axis=1)
    wrong = part[part["label"] != part["prediction"]].nlargest(k, "confidence")
    cols = ["doc_id", "site", "language", "year", "topic", "genre", "evidence", "rationale"]
    return wrong.merge(docs[cols], on="doc_id", how="left")


@renamed_keywords(seed="random_state")
def evaluate_locked_test(model, test_docs: pd.DataFrame, X_test, y_test, *,
                         n_resamples: int = 1000,
                         random_state: int = config.SEED) -> pd.DataFrame:
    """Score the locked test split once with a model trained on the development split."""
    pred = pd.DataFrame({"doc_id": test_docs["doc_id"], "scorer": "combined (default)",
                         "label": y_test, "prediction": model.predict(X_test)})
    return agreement_by_subset(pred, test_docs, n_resamples=n_resamples,
                               random_state=random_state)


def entry_precision(evidence: pd.DataFrame, docs: pd.DataFrame, *,
                    lexicon_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each lexicon entry fires on documents of its own pole.

    A document counts once per entry.  ``right``: documents coded with the
    entry's pole; ``wrong``: documents coded with the other pole;
    ``neutral``: ``mixed`` or ``none``.  ``precision = right / (right +
    wrong)``.  Matches flipped by negation or distancing count for the pole
    they were flipped to, so they are reported apart (``flipped``).
    """
    label = docs.set_index("doc_id")["label"]
    ev = evidence[evidence["doc_id"].isin(label.index)]
    direct = ev[~(ev["negated"] | ev["distanced"])]
    hits = direct.drop_duplicates(["doc_id", "entry"])
    hits = hits.assign(label=hits["doc_id"].map(label))
    out = hits.groupby("entry").apply(
        lambda g: pd.Series({"pole": g["pole"].iloc[0], "n_docs": len(g),
                             "right": int((g["label"] == g["pole"]).sum()),
                             "wrong": int(g["label"].isin(POLE_LABELS).sum()
                                          - (g["label"] == g["pole"]).sum()),
                             "neutral": int((~g["label"].isin(POLE_LABELS)).sum())}),
        include_groups=False)
    flipped = ev[ev["negated"] | ev["distanced"]].groupby("entry")["doc_id"].nunique()
    out["flipped"] = flipped.reindex(out.index, fill_value=0)
    denom = out["right"] + out["wrong"]
    out["precision"] = np.where(denom > 0, out["right"] / denom.where(denom > 0, 1), np.nan)
    out = out.reset_index()
    if lexicon_table is not None:
        out = out.merge(lexicon_table[["id", "language", "evidence_type"]]
                        .rename(columns={"id": "entry"}), on="entry", how="left")
    return out.sort_values(["precision", "n_docs"], ascending=[True, False]).reset_index(drop=True)
