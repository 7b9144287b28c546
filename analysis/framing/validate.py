"""Validation of framing measures.

Cross-validation, agreement with intervals, confusion tables, bootstraps and
inter-coder reliability.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .._compat import renamed_keywords
from ..stats.bootstrap import _check_options, cluster_bootstrap, group_rng
from .combine import combine_scores
from .labels import _P, _PROTO_LABELS, LABELS, MODEL_LANGUAGES
from .lexicon import Lexicon
from .paragraph import FramingModel
from .paragraph_scorers import FramingClassifier, _embed

# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def cross_validate_classifier(gold: pd.DataFrame, *, features: str = "embedding",
                              n_splits: int = 5, seed: int = config.SEED,
                              languages: Sequence[str] = MODEL_LANGUAGES, encoder=None,
                              model_key: str | None = None,
                              cache_dir: Path | str | None = config.CACHE / "embeddings"
                              ) -> pd.DataFrame:
    """Out-of-fold classifier predictions for the gold items, grouped folds.

    Folds are made with scikit-learn's ``StratifiedGroupKFold`` on the
    ``group`` column: a post's paragraphs and its translations stay in one
    fold, and so do constructed paraphrases of one idea, so no near-copy of
    a test item is seen in training.  Training folds mix corpus and
    constructed items.

    Parameters
    ----------
    gold : DataFrame
        From :func:`read_gold`; not modified.
    features : {"embedding", "tfidf", "both"}
        Classifier features (see :class:`FramingClassifier`).
    n_splits : int
        Number of folds.
    seed : int
        Seed of the fold assignment and of the solver.
    languages : sequence of str
        Items in these languages are used (the model is English-only).
    encoder, model_key, cache_dir
        Passed to :func:`analysis.text.embeddings.embed`.

    Returns
    -------
    DataFrame
        ``item_id``, ``fold`` and the classifier columns, one row per item
        used, in gold order.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    data = gold[gold["language"].isin(languages)].reset_index(drop=True)
    texts = data["text"].tolist()
    emb = (_embed(texts, encoder, model_key, cache_dir)
           if features in ("embedding", "both") else None)
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    parts = []
    for k, (train, test) in enumerate(folds.split(texts, data["label"], data["group"])):
        clf = FramingClassifier(features=features, seed=seed, encoder=encoder,
                                model_key=model_key, cache_dir=cache_dir)
        clf.fit([texts[i] for i in train], data["label"].iloc[train].tolist(),
                embeddings=emb[train] if emb is not None else None)
        pred = clf.predict_proba([texts[i] for i in test],
                                 embeddings=emb[test] if emb is not None else None)
        pred.insert(0, "item_id", data["item_id"].iloc[test].to_numpy())
        pred.insert(1, "fold", k)
        pred.index = test
        parts.append(pred)
    return pd.concat(parts).sort_index().reset_index(drop=True)


def transfer_predictions(gold: pd.DataFrame, *, features: str = "embedding",
                         seed: int = config.SEED, languages: Sequence[str] = MODEL_LANGUAGES,
                         encoder=None, model_key: str | None = None,
                         cache_dir: Path | str | None = config.CACHE / "embeddings"
                         ) -> pd.DataFrame:
    """Train on the constructed items only and predict the corpus items.

    The strictest test of the constructed paraphrases: does a model that has
    seen no real paragraph label real ones?

    Returns
    -------
    DataFrame
        ``item_id`` and the classifier columns for each corpus item.
    """
    data = gold[gold["language"].isin(languages)]
    train, test = data[data["constructed"]], data[~data["constructed"]]
    clf = FramingClassifier(features=features, seed=seed, encoder=encoder, model_key=model_key,
                            cache_dir=cache_dir)
    clf.fit(train["text"].tolist(), train["label"].tolist())
    pred = clf.predict_proba(test["text"].tolist())
    pred.insert(0, "item_id", test["item_id"].to_numpy())
    return pred


def method_labels(scores: pd.DataFrame, *, lexicon: Lexicon | None = None,
                  lss_cut: float = 1.0) -> pd.DataFrame:
    """Each method's own label, for agreement with the gold labels.

    * lexicon: the combination rule applied to the lexicon alone;
    * lss: ``all_imperialisms`` if z >= ``lss_cut``, ``anti_us`` if
      z <= -``lss_cut``, else ``none`` (LSS cannot say ``mixed``);
    * prototypes: the most probable of anti_us, all_imperialisms, none;
    * classifier: the most probable label;
    * combined: ``framing``.

    Parameters
    ----------
    scores : DataFrame
        Output of :meth:`FramingModel.score_paragraphs` (with or without
        classifier columns from cross-validation); not modified.
    lexicon : Lexicon, optional
        Source of the combination settings used for the lexicon label.
    lss_cut : float
        The |z| an LSS score needs to count as a pole.

    Returns
    -------
    DataFrame
        One column per method present, missing where it does not apply.
    """
    out = pd.DataFrame(index=scores.index)
    lex_cols = [c for c in ("lexicon_all_imperialisms", "lexicon_anti_us",
                            "lexicon_support_all_imperialisms", "lexicon_support_anti_us")
                if c in scores.columns]
    lex_only = combine_scores(scores[lex_cols],
                              lexicon=lexicon,
                              settings={"weights": {"classifier": 0, "prototypes": 0,
                                                    "lss": 0, "lexicon": 1}})
    out["lexicon"] = lex_only["framing"]
    if "lss_score" in scores:
        z = scores["lss_score"].to_numpy(dtype=float)
        lab = np.where(z >= lss_cut, "all_imperialisms",
                       np.where(z <= -lss_cut, "anti_us", "none")).astype(object)
        out["lss"] = np.where(np.isfinite(z), lab, None)
    if "prototype_p_anti_us" in scores:
        cols = [f"prototype_p_{lb}" for lb in _PROTO_LABELS]
        p = scores[cols].to_numpy(dtype=float)
        ok = np.isfinite(p).all(axis=1)
        lab = np.array(_PROTO_LABELS, dtype=object)[np.nan_to_num(p, nan=-1).argmax(axis=1)]
        out["prototypes"] = np.where(ok, lab, None)
    if "classifier_p_anti_us" in scores:
        p = scores[[_P[lb] for lb in LABELS]].to_numpy(dtype=float)
        ok = np.isfinite(p).all(axis=1)
        lab = np.array(LABELS, dtype=object)[np.nan_to_num(p, nan=-1).argmax(axis=1)]
        out["classifier"] = np.where(ok, lab, None)
    if "framing" in scores:
        out["combined"] = scores["framing"]
    return out


def _macro_f1(y_true, y_pred, labels: Sequence[str] | None = None) -> float:
    """Macro-F1 (as scikit-learn's, zero_division=0).

    Over ``labels`` when given, else over the labels present in either vector.
    """
    present, codes = np.unique(np.concatenate([y_true, y_pred]).astype(str),
                               return_inverse=True)
    t, p = codes[:len(y_true)], codes[len(y_true):]
    k = len(present)
    tp = np.bincount(t[t == p], minlength=k).astype(float)
    support, predicted = np.bincount(t, minlength=k), np.bincount(p, minlength=k)
    denom = support + predicted
    f1 = np.divide(2 * tp, denom, out=np.zeros(k), where=denom > 0)
    if labels is None:
        return float(f1.mean())
    index = {lab: i for i, lab in enumerate(present)}
    return float(np.mean([f1[index[lab]] if lab in index else 0.0 for lab in labels]))


def _macro_f1_statistic(y_true: np.ndarray, y_pred: np.ndarray,
                        labels: Sequence[str] | None):
    """Macro-F1 of weighted rows, for :func:`~analysis.stats.bootstrap.cluster_bootstrap`.

    ``statistic(weights)`` takes m x rows weights (how often each row is
    drawn) and returns m macro-F1 values, each equal to :func:`_macro_f1`
    of the rows copied as often as their weight says: the labels averaged
    over are those present in the weighted rows (or ``labels``).
    """
    present, codes = np.unique(np.concatenate([y_true, y_pred]).astype(str),
                               return_inverse=True)
    t, p = codes[:len(y_true)], codes[len(y_true):]
    k = len(present)
    truth = np.eye(k)[t]                                  # rows x labels
    pred = np.eye(k)[p]
    hit = truth * (t == p)[:, None]
    if labels is not None:
        index = {lab: i for i, lab in enumerate(present)}
        chosen = [index[lab] for lab in labels if lab in index]
        n_labels = len(labels)

    def statistic(weights: np.ndarray) -> np.ndarray:
        tp, denom = weights @ hit, weights @ truth + weights @ pred
        f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
        if labels is None:
            return f1.sum(axis=1) / (denom > 0).sum(axis=1)
        return f1[:, chosen].sum(axis=1) / n_labels

    return statistic


@renamed_keywords(n_boot="n_resamples", level="confidence_level", seed="random_state")
def macro_f1_ci(y_true: Sequence[str], y_pred: Sequence[str], *,
                groups: Sequence | None = None, n_resamples: int = 2000,
                confidence_level: float = 0.95, method: str = "percentile",
                random_state=config.SEED, labels: Sequence[str] | None = None) -> dict:
    """Macro-F1 with a cluster-bootstrap confidence interval.

    Macro-F1 averages the F1 of every label present in the truth or the
    predictions.  With ``groups`` the bootstrap resamples whole groups
    (:func:`~analysis.stats.bootstrap.cluster_bootstrap`), so paragraphs of
    one post, documents of one site or paraphrases of one idea do not count
    as independent evidence; without, every item is its own cluster.  With
    ``labels`` the F1 is averaged over those labels only (e.g. the two
    poles).

    Parameters
    ----------
    y_true, y_pred : sequence of str
        Gold and predicted labels, one per item.
    groups : sequence, optional
        Cluster of each item (post, site, paraphrase group).
    n_resamples : int
        Bootstrap resamples; 0 gives the point estimate only.
    confidence_level : float
        Coverage of the interval.
    method : {"percentile", "bca"}
        Interval method.
    random_state : int
        Seed of the draws.
    labels : sequence of str, optional
        Labels to average the F1 over.

    Returns
    -------
    dict
        ``macro_f1``, ``ci_low``, ``ci_high``, ``se``, ``n``,
        ``n_clusters``, ``accuracy``.

    Examples
    --------
    >>> r = macro_f1_ci(["a", "b", "a", "b"], ["a", "b", "a", "a"], n_resamples=200)
    >>> round(r["macro_f1"], 3), r["n"]
    (0.733, 4)
    """
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    n = len(y_true)
    if n == 0:
        return {"macro_f1": np.nan, "ci_low": np.nan, "ci_high": np.nan, "se": np.nan, "n": 0,
                "n_clusters": 0, "accuracy": np.nan}
    groups = np.arange(n) if groups is None else np.asarray(groups)
    res = cluster_bootstrap(_macro_f1_statistic(y_true, y_pred, labels), groups, weighted=True,
                            n_resamples=n_resamples, confidence_level=confidence_level,
                            method=method, random_state=random_state, min_clusters=1)
    return {"macro_f1": _macro_f1(y_true, y_pred, labels), "ci_low": float(res.ci_low[0]),
            "ci_high": float(res.ci_high[0]), "se": float(res.se[0]), "n": n,
            "n_clusters": res.n_clusters, "accuracy": float(np.mean(y_true == y_pred))}


@renamed_keywords(n_boot="n_resamples", seed="random_state")
def agreement_table(gold: pd.DataFrame, labels: pd.DataFrame, *, n_resamples: int = 2000,
                    confidence_level: float = 0.95, method: str = "percentile",
                    random_state=config.SEED) -> pd.DataFrame:
    """Macro-F1 (with cluster-bootstrap CI) of each method against the gold labels.

    Parameters
    ----------
    gold : DataFrame
        Gold items with ``label``, ``group`` and ``constructed``; not modified.
    labels : DataFrame
        One column per method (see :func:`method_labels`), aligned with
        ``gold`` by index; missing values are left out for that method.
    n_resamples, confidence_level, method, random_state
        Bootstrap settings (:func:`macro_f1_ci`); the clusters are the gold
        ``group`` column.

    Returns
    -------
    DataFrame
        Tidy: ``method``, ``subset`` (all, corpus, constructed), ``n``,
        ``macro_f1``, ``ci_low``, ``ci_high``, ``accuracy``.
    """
    rows = []
    subsets = {"all": np.ones(len(gold), bool), "corpus": ~gold["constructed"].to_numpy(bool),
               "constructed": gold["constructed"].to_numpy(bool)}
    ci_method = method
    for name in labels.columns:
        pred = labels[name]
        for subset, mask in subsets.items():
            keep = mask & pred.notna().to_numpy()
            res = macro_f1_ci(gold["label"].to_numpy()[keep], pred.to_numpy()[keep],
                              groups=gold["group"].to_numpy()[keep], n_resamples=n_resamples,
                              confidence_level=confidence_level, method=ci_method,
                              random_state=random_state)
            rows.append({"method": name, "subset": subset, **res})
    return pd.DataFrame(rows)[["method", "subset", "n", "macro_f1", "ci_low", "ci_high",
                               "accuracy"]]


def confusion_table(y_true: Sequence[str], y_pred: Sequence[str], *,
                    labels: Sequence[str] = LABELS) -> pd.DataFrame:
    """Tidy confusion matrix: ``true``, ``predicted``, ``n`` for every label pair.

    Examples
    --------
    >>> t = confusion_table(["none", "mixed"], ["none", "none"])
    >>> int(t.query("true == 'mixed' and predicted == 'none'")["n"].iloc[0])
    1
    """
    counts = pd.crosstab(pd.Categorical(y_true, categories=labels),
                         pd.Categorical(y_pred, categories=labels), dropna=False)
    counts.index.name, counts.columns.name = "true", "predicted"
    return counts.stack().rename("n").reset_index().astype({"true": str, "predicted": str})


@renamed_keywords(n_boot="n_resamples", level="confidence_level", seed="random_state")
def bootstrap_framing(paragraph_scores: pd.DataFrame, *, by: str, model: FramingModel,
                      cluster: str | None = "post_id", n_resamples: int = 500,
                      confidence_level: float = 0.95, method: str = "percentile",
                      random_state: int = config.SEED, min_clusters: int = 2) -> pd.DataFrame:
    """Aggregate framing per group with a cluster-bootstrap CI over its posts.

    Within each group the clusters (posts by default, the package's rule:
    the paragraphs of one post are not independent) are resampled with
    replacement, keeping all paragraphs of every drawn post
    (:func:`~analysis.stats.bootstrap.cluster_bootstrap`).  A resample is
    not materialised: the number of times each paragraph is drawn is a
    weight, and every aggregate the combined score needs (lexicon supports,
    classifier and prototype supports, LSS sums) is a weighted sum, so all
    resamples of a group are a few matrix products.

    Parameters
    ----------
    paragraph_scores : DataFrame
        Output of :meth:`FramingModel.score_paragraphs` plus ``by`` and
        ``cluster``.
    by : str
        Grouping column (e.g. ``source`` or ``period``).
    model : FramingModel
        The fitted model that scored the paragraphs.
    cluster : str or None
        Column of the resampled unit (``"post_id"``, ``"doc_id"``); ``None``
        resamples paragraphs, which is only right when they are independent.
    n_resamples, confidence_level, method, random_state, min_clusters
        Bootstrap settings (see
        :func:`~analysis.stats.bootstrap.cluster_bootstrap`); each group
        draws from its own stream derived from ``random_state`` and the
        group's value, and a group with fewer than ``min_clusters`` posts
        gets ``NaN`` bounds.

    Returns
    -------
    DataFrame
        :meth:`FramingModel.aggregate` output with ``n_clusters``,
        ``ci_low``, ``ci_high`` and ``se`` of ``framing_score``.
    """
    _check_options(n_resamples, confidence_level, method, "bootstrap_framing")
    needed = [by] + ([cluster] if cluster is not None else [])
    missing = [c for c in needed if c not in paragraph_scores.columns]
    if missing:
        raise KeyError(f"bootstrap_framing: no column(s) {missing} in the paragraph scores; "
                       "add the post (or document) id of each paragraph, or pass cluster=None "
                       "if paragraphs are independent")
    point = model.aggregate(paragraph_scores, by=by)
    bounds = []
    for key, group in paragraph_scores.groupby(by, sort=True):
        clusters = group[cluster].to_numpy() if cluster is not None else np.arange(len(group))
        res = cluster_bootstrap(
            lambda weights, group=group: _weighted_framing_scores(group, weights, model),
            clusters, weighted=True, n_resamples=n_resamples,
            confidence_level=confidence_level, method=method,
            random_state=group_rng(random_state, (key,)), min_clusters=min_clusters)
        bounds.append({by: key, "n_clusters": res.n_clusters, "ci_low": float(res.ci_low[0]),
                       "ci_high": float(res.ci_high[0]), "se": float(res.se[0])})
    bounds = pd.DataFrame(bounds, columns=[by, "n_clusters", "ci_low", "ci_high", "se"])
    return point.merge(bounds, on=by, how="left")


def _weighted_framing_scores(group: pd.DataFrame, weights: np.ndarray,
                             model: FramingModel) -> np.ndarray:
    """``framing_score`` of each weighted resample of a group's paragraphs.

    ``weights`` is resamples x paragraphs (how often each paragraph is
    drawn).  Mirrors :meth:`FramingModel._aggregate_group` followed by
    :func:`combine_scores`, with sums over copied rows replaced by weighted
    sums.
    """
    from .combine import _method_supports

    n = len(group)
    words = group["n_words"].to_numpy(dtype=float) if "n_words" in group else np.ones(n)
    words = np.where(words > 0, words, 1.0)
    framed = ((group["framing"] != "none").to_numpy() if "framing" in group
              else np.zeros(n, bool))
    supports = _method_supports(group, model.settings_)
    rows = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for method in ("lexicon", "prototypes", "classifier"):
            for pole, values in zip(("all_imperialisms", "anti_us"), supports[method],
                                    strict=True):
                ok = np.isfinite(values)
                v = np.nan_to_num(values)
                num_f = weights @ np.where(ok & framed, words * v, 0.0)
                den_f = weights @ np.where(ok & framed, words, 0.0)
                num = weights @ np.where(ok, words * v, 0.0)
                den = weights @ np.where(ok, words, 0.0)
                # The framed paragraphs when the resample has any, else all.
                rows[f"{method}_support_{pole}"] = np.where(
                    den_f > 0, num_f / den_f, np.where(den > 0, num / den, np.nan))
    if model.lss_ is not None and "lss_sum" in group:
        stats = group[["lss_sum", "lss_sumsq", "lss_n_terms", "lss_n"]]
        ok = stats.notna().all(axis=1).to_numpy()
        w = weights[:, ok]
        sums = {c: w @ stats[c].to_numpy(dtype=float)[ok] for c in stats.columns}
        n_terms = sums["lss_n_terms"]
        lss_n = np.where(n_terms > 0, np.maximum(sums["lss_n"], model.lss_.min_n), 0)
        lss = model.lss_._finish(sums["lss_sum"], sums["lss_sumsq"], n_terms, lss_n)
        # A resample without a scored paragraph has no LSS score.
        rows["lss_score"] = np.where(w.sum(axis=1) > 0, lss["lss_score"].to_numpy(), np.nan)
    table = pd.DataFrame(rows)
    combined = combine_scores(table, lexicon=model.lexicon_, settings=model.settings_)
    return combined["framing_score"].to_numpy(dtype=float)


def krippendorff_alpha(codings: pd.DataFrame, *, item_col: str = "item_id",
                       coder_col: str = "coder", label_col: str = "label") -> float:
    """Nominal Krippendorff's alpha of several coders' labels.

    Parameters
    ----------
    codings : DataFrame
        Long table: one row per (item, coder) with the label given.
    item_col, coder_col, label_col : str
        Column names.

    Returns
    -------
    float

    Examples
    --------
    >>> df = pd.DataFrame({"item_id": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                    "coder": ["a", "b"] * 4,
    ...                    "label": ["none", "none", "mixed", "mixed", "anti_us", "anti_us",
    ...                              "none", "mixed"]})
    >>> round(krippendorff_alpha(df), 3)
    0.667
    """
    import krippendorff

    values = sorted(codings[label_col].dropna().unique())
    codes = {v: i for i, v in enumerate(values)}
    table = codings.pivot_table(index=coder_col, columns=item_col, values=label_col,
                                aggfunc="first")
    data = table.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
