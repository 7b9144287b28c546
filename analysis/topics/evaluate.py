"""Evaluation of a topic fit: NPMI coherence, diversity, and LDA/NMF baselines.

:func:`evaluate_topics` scores BERTopic and two scikit-learn baselines on the
same units and the same vocabulary (:mod:`analysis.topics.vocabulary`);
:func:`adequacy` says in one sentence whether the corpus supports topics at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..corpus.schema import Posts, check_table
from .model import TopicFit
from .schema import TopicCoherence, TopicEvaluation
from .vocabulary import _doc_term

__all__ = [
    "MEANINGFUL_UNITS",
    "adequacy",
    "baseline_topics",
    "evaluate_topics",
    "npmi_coherence",
    "topic_diversity",
]

#: Below this many units the notebook says topics are not interpretable.
#: BERTopic's authors suggest about a thousand documents; a few hundred is a
#: lenient floor.
MEANINGFUL_UNITS = 300


def npmi_coherence(topics: Mapping[int, Sequence[str]], texts: Sequence[str], *,
                   vocabulary: Sequence[str]) -> pd.DataFrame:
    """NPMI coherence of each topic's top words, from co-occurrence in the same unit.

    For words *i*, *j* with document frequencies *p(i)*, *p(j)* and joint
    frequency *p(i, j)* over the units (each unit a boolean bag of words),
    ``NPMI = log(p(i,j) / (p(i) p(j))) / -log p(i,j)``, which is -1 when the
    words never co-occur and 1 when they always do (Bouma 2009).  A topic's
    coherence is the mean over its word pairs; words absent from the
    reference texts are skipped.

    Parameters
    ----------
    topics : mapping of topic -> list of str
        Top words per topic.
    texts : sequence of str
        Reference texts (the modelled units).
    vocabulary : sequence of str
        Tokenisation vocabulary (words outside it are not counted).

    Returns
    -------
    DataFrame
        ``topic, npmi, n_pairs``.

    Examples
    --------
    >>> texts = ["war peace", "war peace", "war", "bread"]
    >>> npmi_coherence({0: ["war", "peace"]}, texts, vocabulary=["bread", "peace", "war"])
       topic      npmi  n_pairs
    0      0  0.415037        1
    """
    vocab = list(vocabulary)
    index = {w: i for i, w in enumerate(vocab)}
    presence = (_doc_term(texts, vocab) > 0).astype(np.int64)
    n_docs = presence.shape[0]
    df = np.asarray(presence.sum(axis=0)).ravel()
    co = (presence.T @ presence).toarray()
    rows = []
    for topic, words in topics.items():
        ids = [index[w] for w in words if w in index and df[index[w]] > 0]
        values = []
        for i, j in combinations(ids, 2):
            p_ij = co[i, j] / n_docs
            if p_ij == 0:
                values.append(-1.0)
            elif p_ij == 1:
                values.append(1.0)
            else:
                pmi = math.log(p_ij / ((df[i] / n_docs) * (df[j] / n_docs)))
                values.append(pmi / -math.log(p_ij))
        rows.append((topic, float(np.mean(values)) if values else np.nan, len(values)))
    table = pd.DataFrame(rows, columns=list(TopicCoherence.to_schema().columns))
    return check_table(TopicCoherence, table, where="npmi_coherence output")


def topic_diversity(topics: Mapping[int, Sequence[str]]) -> float:
    """Share of unique words among all topics' top words (Dieng et al. 2020).

    Examples
    --------
    >>> topic_diversity({0: ["war", "peace"], 1: ["war", "bread"]})
    0.75
    """
    words = [w for ws in topics.values() for w in ws]
    return len(set(words)) / len(words) if words else float("nan")


def baseline_topics(texts: Sequence[str], *, vocabulary: Sequence[str], n_topics: int,
                    method: Literal["lda", "nmf"], seed: int = config.SEED,
                    n_words: int = 10) -> dict[int, list[str]]:
    """Top words of a scikit-learn LDA or NMF fitted on the same units and vocabulary.

    LDA is fitted on counts (batch variational Bayes), NMF on TF-IDF with
    the deterministic NNDSVDa start.  Ties in word weight break by
    vocabulary order.
    """
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = _doc_term(texts, vocabulary)
    if method == "lda":
        model = LatentDirichletAllocation(n_components=n_topics, learning_method="batch",
                                          max_iter=50, random_state=seed)
        model.fit(counts)
    elif method == "nmf":
        model = NMF(n_components=n_topics, init="nndsvda", max_iter=1000, random_state=seed)
        model.fit(TfidfTransformer().fit_transform(counts))
    else:
        raise ValueError(f"method must be 'lda' or 'nmf', got {method!r}")
    vocab = np.asarray(vocabulary)
    out = {}
    for k, weights in enumerate(model.components_):
        top = np.argsort(-weights, kind="stable")[:n_words]
        out[k] = [str(w) for w in vocab[top[weights[top] > 0]]]
    return out


def evaluate_topics(fit: TopicFit, *, n_words: int = 10, seed: int | None = None,
                    n_topics: int | None = None) -> pd.DataFrame:
    """NPMI coherence and topic diversity of BERTopic, LDA and NMF on the same data.

    All three use the fit's units as reference texts and its vocabulary.
    LDA and NMF get as many topics as BERTopic found (``n_topics``
    overrides; at least 2 when BERTopic found none).  BERTopic's outlier
    topic is not scored.

    Returns
    -------
    DataFrame
        One row per model: ``model, n_topics, npmi, diversity, n_units,
        n_vocabulary, n_words`` (``npmi`` is the mean over topics; ``NaN``
        when a model has no topic with two scored words), checked by
        :class:`~analysis.topics.schema.TopicEvaluation`.
    """
    seed = fit.params.get("seed", config.SEED) if seed is None else seed
    texts = fit.units[Posts.text].tolist()
    k = n_topics if n_topics is not None else max(fit.n_topics, 1)
    k = max(k, 2) if fit.n_topics == 0 and n_topics is None else k
    models = {
        "BERTopic": fit.top_words(n_words),
        "LDA": baseline_topics(texts, vocabulary=fit.vocabulary, n_topics=k, method="lda",
                               seed=seed, n_words=n_words),
        "NMF": baseline_topics(texts, vocabulary=fit.vocabulary, n_topics=k, method="nmf",
                               seed=seed, n_words=n_words),
    }
    rows = []
    for name, words in models.items():
        scores = npmi_coherence(words, texts, vocabulary=fit.vocabulary) if words else None
        npmi = float(scores["npmi"].mean()) if scores is not None and scores["npmi"].notna().any() \
            else float("nan")
        rows.append({"model": name, "n_topics": len(words), "npmi": npmi,
                     "diversity": topic_diversity(words), "n_units": len(texts),
                     "n_vocabulary": len(fit.vocabulary), "n_words": n_words})
    return check_table(TopicEvaluation, pd.DataFrame(rows), where="evaluate_topics output")


def adequacy(fit: TopicFit) -> str:
    """One plain sentence on whether the corpus can support topics at all."""
    n, k = len(fit.units), fit.n_topics
    outliers = fit.outlier_share["after"]
    if k == 0:
        return (f"BERTopic found no topic in {n} units (all outliers): the corpus is too small "
                "or too homogeneous for topics at this min_topic_size.")
    if n < MEANINGFUL_UNITS:
        return (f"{n} units and {k} topic(s), {outliers:.0%} outliers: far too few units for "
                "topics to be meaningful; read the topics as a test of the pipeline, not as "
                "findings.")
    return f"{n} units and {k} topics, {outliers:.0%} outliers."
