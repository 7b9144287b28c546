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
from .combine import combine_scores
from .labels import _P, _PROTO_LABELS, LABELS, MODEL_LANGUAGES
from .lexicon import Lexicon
from .paragraph import FramingClassifier, FramingModel, _embed

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


def macro_f1_ci(y_true: Sequence[str], y_pred: Sequence[str], *,
                groups: Sequence | None = None, n_boot: int = 2000, level: float = 0.95,
                seed: int = config.SEED, labels: Sequence[str] | None = None) -> dict:
    """Macro-F1 with a percentile bootstrap confidence interval.

    Macro-F1 averages the F1 of every label present in the truth or the
    predictions.  With ``groups`` the bootstrap resamples whole groups
    (cluster bootstrap), so paragraphs of one post or paraphrases of one
    idea do not count as independent evidence.  With ``labels`` the F1 is
    averaged over those labels only (e.g. the two poles).

    Returns
    -------
    dict
        ``macro_f1``, ``low``, ``high``, ``n``, ``accuracy``.

    Examples
    --------
    >>> r = macro_f1_ci(["a", "b", "a", "b"], ["a", "b", "a", "a"], n_boot=200)
    >>> round(r["macro_f1"], 3), r["n"]
    (0.733, 4)
    """
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    n = len(y_true)
    if n == 0:
        return {"macro_f1": np.nan, "low": np.nan, "high": np.nan, "n": 0, "accuracy": np.nan}
    point = _macro_f1(y_true, y_pred, labels)
    if n_boot <= 0:
        return {"macro_f1": point, "low": np.nan, "high": np.nan, "n": n,
                "accuracy": float(np.mean(y_true == y_pred))}
    rng = np.random.default_rng(seed)
    groups = np.arange(n) if groups is None else np.asarray(groups)
    uniq, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    stats = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(uniq), len(uniq))
        idx = np.concatenate([members[g] for g in pick])
        stats.append(_macro_f1(y_true[idx], y_pred[idx], labels))
    alpha = (1 - level) / 2
    low, high = np.quantile(stats, [alpha, 1 - alpha])
    return {"macro_f1": point, "low": float(low), "high": float(high), "n": n,
            "accuracy": float(np.mean(y_true == y_pred))}


def agreement_table(gold: pd.DataFrame, labels: pd.DataFrame, *, n_boot: int = 2000,
                    seed: int = config.SEED) -> pd.DataFrame:
    """Macro-F1 (with cluster-bootstrap CI) of each method against the gold labels.

    Parameters
    ----------
    gold : DataFrame
        Gold items with ``label``, ``group`` and ``constructed``; not modified.
    labels : DataFrame
        One column per method (see :func:`method_labels`), aligned with
        ``gold`` by index; missing values are left out for that method.
    n_boot, seed
        Bootstrap settings.

    Returns
    -------
    DataFrame
        Tidy: ``method``, ``subset`` (all, corpus, constructed), ``n``,
        ``macro_f1``, ``low``, ``high``, ``accuracy``.
    """
    rows = []
    subsets = {"all": np.ones(len(gold), bool), "corpus": ~gold["constructed"].to_numpy(bool),
               "constructed": gold["constructed"].to_numpy(bool)}
    for method in labels.columns:
        pred = labels[method]
        for subset, mask in subsets.items():
            keep = mask & pred.notna().to_numpy()
            res = macro_f1_ci(gold["label"].to_numpy()[keep], pred.to_numpy()[keep],
                              groups=gold["group"].to_numpy()[keep], n_boot=n_boot, seed=seed)
            rows.append({"method": method, "subset": subset, **res})
    return pd.DataFrame(rows)[["method", "subset", "n", "macro_f1", "low", "high", "accuracy"]]


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


def bootstrap_framing(paragraph_scores: pd.DataFrame, *, by: str, model: FramingModel,
                      n_boot: int = 500, level: float = 0.95,
                      seed: int = config.SEED) -> pd.DataFrame:
    """Aggregate framing per group with a bootstrap CI over its paragraphs.

    Paragraphs are resampled with replacement within each group.  A
    resample is not materialised: the number of times each paragraph is
    drawn is a weight, and every aggregate the combined score needs
    (lexicon supports, classifier and prototype supports, LSS sums) is a
    weighted sum, so all resamples of a group are one matrix product.  The
    draws are the ones the row-copying bootstrap made, so the bounds are
    the same up to floating-point rounding; the cost is linear in the
    number of groups and paragraphs.

    Parameters
    ----------
    paragraph_scores : DataFrame
        Output of :meth:`FramingModel.score_paragraphs` plus ``by``.
    by : str
        Grouping column (e.g. ``source`` or ``doc_id``).
    model : FramingModel
        The fitted model that scored the paragraphs.
    n_boot, level, seed
        Bootstrap settings: paragraphs are resampled within each group.

    Returns
    -------
    DataFrame
        :meth:`FramingModel.aggregate` output with ``low`` and ``high``
        bounds of ``framing_score``.
    """
    point = model.aggregate(paragraph_scores, by=by)
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    bounds = []
    for key, group in paragraph_scores.groupby(by, sort=True):
        n = len(group)
        idx = np.arange(n)
        weights = np.empty((n_boot, n))
        for b in range(n_boot):
            weights[b] = np.bincount(rng.choice(idx, size=n, replace=True), minlength=n)
        boot = _weighted_framing_scores(group, weights, model)
        low, high = np.quantile(boot, [alpha, 1 - alpha])
        bounds.append({by: key, "low": float(low), "high": float(high)})
    bounds = pd.DataFrame(bounds, columns=[by, "low", "high"])
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
