"""Topic models: BERTopic on cached embeddings, fitted into tidy topic tables.

The pipeline a notebook runs::

    units, excluded = select_units(corpus, unit="paragraph", languages=["en"])  # .units
    embeddings = embed_units(units)                     # .units, cached
    fit = fit_topics(units, embeddings, unit="paragraph", seed=42, min_topic_size=5)
    fit.doc_topics, fit.topic_info, fit.outlier_share
    evaluate_topics(fit)                                # .evaluate: BERTopic vs LDA vs NMF
    save_topic_model(fit, folder)                       # .persist

This module builds (:func:`make_topic_model`) and fits (:func:`fit_topics`)
the model; the language policy of the units is :mod:`analysis.topics.units`,
the shared vocabulary :mod:`analysis.topics.vocabulary`.

Decisions that matter for the results
-------------------------------------
Determinism.
    UMAP is seeded, HDBSCAN is deterministic, and embeddings are the plain
    ``encode`` output (re-normalising changes topics).  UMAP's result still
    depends on the order of its input, so :func:`fit_topics` sorts the units
    by their id before fitting and maps the results back: shuffled input
    gives the same topic for each unit, with the same labels.
Outliers.
    HDBSCAN leaves outliers (topic -1).  ``reduce_outliers`` applies
    BERTopic's outlier reduction; the share before and after is reported in
    :attr:`TopicFit.outlier_share`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..corpus.schema import Paragraphs, Posts, check_table
from .schema import DocTopics, TopicInfo
from .units import UNIT_COLUMNS, UNIT_ID, Unit
from .vocabulary import _doc_term, build_vocabulary, make_vectorizer

__all__ = [
    "DocTopics",
    "MIN_UNITS",
    "TopicFit",
    "TopicInfo",
    "fit_topics",
    "make_topic_model",
    "topic_words",
]

OutlierStrategy = Literal["embeddings", "c-tf-idf", "distributions"]

#: Smallest number of units a topic model is fitted on; below it UMAP's
#: neighbour graph is not meaningful.
MIN_UNITS = 10

TOPIC, PROBABILITY, REASSIGNED = (DocTopics.topic, DocTopics.probability,
                                  DocTopics.outlier_reassigned)


@dataclass
class TopicFit:
    """A fitted topic model and its tables.

    Attributes
    ----------
    model : bertopic.BERTopic
        The fitted model (fitted on the units in sorted id order).
    unit : {"paragraph", "post"}
    units : DataFrame
        The modelled units in input order (see :func:`select_units`).
    embeddings : ndarray
        Their embeddings, input order.
    vocabulary : list of str
        The shared vocabulary (BERTopic, LDA, NMF and NPMI).
    doc_topics : DataFrame
        :class:`DocTopics`, input order.
    topic_info : DataFrame
        :class:`TopicInfo`.
    outlier_share : dict
        ``{"before": ..., "after": ...}``: share of units in topic -1 before
        and after outlier reduction (equal without reduction).
    params : dict
        The parameters of :func:`fit_topics`.
    """

    model: object
    unit: str
    units: pd.DataFrame
    embeddings: np.ndarray
    vocabulary: list[str]
    doc_topics: pd.DataFrame
    topic_info: pd.DataFrame
    outlier_share: dict[str, float]
    params: dict = field(default_factory=dict)

    @property
    def n_topics(self) -> int:
        """Number of topics, outliers not counted."""
        return int((self.topic_info[TOPIC] >= 0).sum())

    def top_words(self, n_words: int = 10) -> dict[int, list[str]]:
        """Top words of each topic (outliers left out), by c-TF-IDF weight."""
        return topic_words(self.model, n_words=n_words)


def make_topic_model(*, seed: int = config.SEED, min_topic_size: int = 5,
                     unit: Unit = "paragraph", vocabulary: Sequence[str] | None = None,
                     n_neighbors: int = 15, n_components: int = 5, min_samples: int | None = None,
                     allow_single_cluster: bool = False, top_n_words: int = 10):
    """Build an unfitted BERTopic with seeded UMAP, HDBSCAN and a unit-specific vectorizer.

    Parameters
    ----------
    seed : int
        UMAP's ``random_state`` (which also makes UMAP single-threaded, the
        price of reproducibility).
    min_topic_size : int
        HDBSCAN's ``min_cluster_size``: the smallest group of units that can
        be a topic.
    unit : {"paragraph", "post"}
        Chooses the vectorizer's defaults.
    vocabulary : sequence of str, optional
        Fixed vocabulary for c-TF-IDF (see :func:`build_vocabulary`).
    n_neighbors, n_components : int
        UMAP's neighbourhood size and output dimension.
    min_samples : int, optional
        HDBSCAN's ``min_samples`` (defaults to ``min_topic_size``).
    allow_single_cluster : bool
        Let HDBSCAN return one topic.  Without it HDBSCAN finds either no
        topic or at least two, which on a one-theme corpus means "all
        outliers".
    top_n_words : int
        Words kept per topic representation.

    Returns
    -------
    bertopic.BERTopic
        With no embedding model: pass embeddings to ``fit_transform``.
    """
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    if min_topic_size < 2:
        raise ValueError(f"min_topic_size must be at least 2, got {min_topic_size}")
    umap_model = UMAP(n_neighbors=n_neighbors, n_components=n_components, min_dist=0.0,
                      metric="cosine", random_state=seed, low_memory=False, n_jobs=1)
    hdbscan_model = HDBSCAN(min_cluster_size=min_topic_size, min_samples=min_samples,
                            metric="euclidean", cluster_selection_method="eom",
                            allow_single_cluster=allow_single_cluster, prediction_data=True)
    return BERTopic(
        embedding_model=None,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=make_vectorizer(unit=unit, vocabulary=vocabulary),
        top_n_words=top_n_words,
        min_topic_size=min_topic_size,
        calculate_probabilities=False,
        # language=None turns off BERTopic's "english" preprocessing, which
        # deletes every non-ASCII character before c-TF-IDF ("García" ->
        # "Garca"); tokenising is left to the vectorizer.  The language only
        # matters for choosing an embedding model, and embeddings are given.
        language=None,
        verbose=False,
    )


def _check_units(units: pd.DataFrame, embeddings: np.ndarray, unit: str) -> str:
    """Check the units table and its embeddings before a fit; return the id column."""
    if unit not in UNIT_ID:
        raise ValueError(f"unit must be one of {sorted(UNIT_ID)}, got {unit!r}")
    key = UNIT_ID[unit]
    missing = [c for c in UNIT_COLUMNS if c not in units.columns]
    if missing:
        raise KeyError(f"units table lacks column(s) {missing}; build it with select_units()")
    ids = units[key]
    if ids.isna().any() or ids.duplicated().any():
        raise ValueError(f"units[{key!r}] must be unique and present for unit={unit!r} "
                         f"({int(ids.isna().sum())} missing, {int(ids.duplicated().sum())} "
                         "duplicated)")
    if embeddings.ndim != 2 or len(embeddings) != len(units):
        raise ValueError(f"embeddings have shape {embeddings.shape}; expected one row per unit "
                         f"({len(units)} units)")
    if len(units) < MIN_UNITS:
        raise ValueError(f"{len(units)} units are too few to fit a topic model "
                         f"(at least {MIN_UNITS}); widen the language set or the corpus")
    return key


def fit_topics(units: pd.DataFrame, embeddings: np.ndarray, *, unit: Unit = "paragraph",
               seed: int = config.SEED, min_topic_size: int = 5,
               reduce_outliers: OutlierStrategy | None = None, outlier_threshold: float = 0.0,
               vocabulary: Sequence[str] | None = None, n_neighbors: int = 15,
               n_components: int = 5, min_samples: int | None = None,
               allow_single_cluster: bool = False, top_n_words: int = 10,
               n_representative: int = 3) -> TopicFit:
    """Fit BERTopic on precomputed embeddings, independently of input order.

    The units are sorted by their id (``paragraph_id`` or ``post_id``)
    before fitting, and every result is mapped back to the input order, so
    a shuffled table gives the same topic per unit with the same labels.

    Parameters
    ----------
    units : DataFrame
        From :func:`select_units`; not modified.
    embeddings : ndarray of shape (n_units, dim)
        Plain ``encode`` output (:func:`analysis.text.embeddings.embed`), one row per
        unit in the order of ``units``.
    unit : {"paragraph", "post"}
        Unit of analysis of ``units``.
    seed, min_topic_size, min_samples, allow_single_cluster, top_n_words
        See :func:`make_topic_model`.
    n_neighbors, n_components
        See :func:`make_topic_model`; ``n_neighbors`` is capped at
        ``n_units - 1``.
    reduce_outliers : {"embeddings", "c-tf-idf", "distributions"} or None
        BERTopic's outlier reduction, or ``None`` to keep outliers as
        topic -1.  Skipped (with nothing reassigned) when there are no
        outliers or no topics.
    outlier_threshold : float
        Minimum similarity for reassigning an outlier.
    vocabulary : sequence of str, optional
        Defaults to :func:`build_vocabulary` on the units.
    n_representative : int
        Representative units per topic in ``topic_info``: those closest
        (cosine) to the topic's mean embedding.

    Returns
    -------
    TopicFit
    """
    key = _check_units(units, embeddings, unit)
    embeddings = np.asarray(embeddings)
    order = np.argsort(units[key].to_numpy(dtype=str), kind="stable")
    sorted_units = units.iloc[order].reset_index(drop=True)
    sorted_emb = embeddings[order]
    docs = sorted_units[Posts.text].tolist()
    vocab = _present_vocabulary(docs, vocabulary, unit)
    params = dict(unit=unit, seed=seed, min_topic_size=min_topic_size,
                  reduce_outliers=reduce_outliers, outlier_threshold=outlier_threshold,
                  n_neighbors=min(n_neighbors, len(units) - 1), n_components=n_components,
                  min_samples=min_samples, allow_single_cluster=allow_single_cluster,
                  top_n_words=top_n_words)
    model, topics, probs = _fit_bertopic(docs, sorted_emb, vocab, params)
    before = float(np.mean(topics == -1))
    topics, reassigned = _reduce_outliers(model, docs, topics, sorted_emb, vocab, params)
    after = float(np.mean(topics == -1))

    representatives = _representatives(sorted_units[key].tolist(), docs, topics, sorted_emb,
                                       n=n_representative)
    model.representative_docs_ = {t: [text for _, text in reps]
                                  for t, reps in representatives.items()}
    doc_topics = _doc_topics(sorted_units, topics, probs, reassigned, order)
    topic_info = _topic_info(model, topics, representatives, n_words=top_n_words)
    return TopicFit(model=model, unit=unit, units=units.copy(), embeddings=embeddings,
                    vocabulary=vocab,
                    doc_topics=check_table(DocTopics, doc_topics, where="fit_topics doc_topics"),
                    topic_info=check_table(TopicInfo, topic_info, where="fit_topics topic_info"),
                    outlier_share={"before": before, "after": after}, params=params)


def _present_vocabulary(docs: list[str], vocabulary: Sequence[str] | None,
                        unit: Unit) -> list[str]:
    """The given (or built) vocabulary, less the words that occur in no unit."""
    vocab = list(vocabulary) if vocabulary is not None else build_vocabulary(docs, unit=unit)
    # A word absent from every unit would get an infinite c-TF-IDF idf.
    present = np.asarray(_doc_term(docs, vocab).sum(axis=0)).ravel() > 0
    vocab = [w for w, ok in zip(vocab, present, strict=True) if ok]
    if not vocab:
        raise ValueError("no word of the vocabulary occurs in the units; check the vocabulary "
                         "and the units' language")
    return vocab


def _fit_bertopic(docs: list[str], embeddings: np.ndarray, vocabulary: list[str],
                  params: Mapping) -> tuple[object, np.ndarray, np.ndarray]:
    """Build the BERTopic of ``params`` and fit it: the model, its topics and probabilities."""
    model = make_topic_model(seed=params["seed"], min_topic_size=params["min_topic_size"],
                             unit=params["unit"], vocabulary=vocabulary,
                             n_neighbors=params["n_neighbors"],
                             n_components=params["n_components"],
                             min_samples=params["min_samples"],
                             allow_single_cluster=params["allow_single_cluster"],
                             top_n_words=params["top_n_words"])
    topics, probs = model.fit_transform(docs, embeddings=embeddings)
    topics = np.asarray(topics, dtype=int)
    probs = np.zeros(len(docs)) if probs is None else np.asarray(probs, dtype=float)
    return model, topics, probs


def _reduce_outliers(model, docs: list[str], topics: np.ndarray, embeddings: np.ndarray,
                     vocabulary: list[str], params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``params["reduce_outliers"]`` if asked and possible: new topics, which were moved."""
    reassigned = np.zeros(len(docs), dtype=bool)
    strategy = params["reduce_outliers"]
    if strategy is None or not (topics == -1).any() or not (topics >= 0).any():
        return topics, reassigned
    new = np.asarray(model.reduce_outliers(docs, topics.tolist(), strategy=strategy,
                                           threshold=params["outlier_threshold"],
                                           embeddings=embeddings), dtype=int)
    reassigned = (topics == -1) & (new != -1)
    topics = new
    model.update_topics(docs, topics=topics.tolist(), top_n_words=params["top_n_words"],
                        vectorizer_model=make_vectorizer(unit=params["unit"],
                                                         vocabulary=vocabulary))
    # update_topics keeps stale topic embeddings; recompute the centroids
    # so a saved model's transform() matches the new assignments.
    model.topic_embeddings_ = np.stack([embeddings[topics == t].mean(axis=0)
                                        for t in sorted(set(topics.tolist()))])
    return topics, reassigned


def _doc_topics(sorted_units: pd.DataFrame, topics: np.ndarray, probs: np.ndarray,
                reassigned: np.ndarray, order: np.ndarray) -> pd.DataFrame:
    """The :class:`DocTopics` table of the units fitted in ``order``, back in input order."""
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    doc_topics = pd.DataFrame({
        Paragraphs.paragraph_id: sorted_units[Paragraphs.paragraph_id].astype("string"),
        Posts.post_id: sorted_units[Posts.post_id],
        Posts.doc_id: sorted_units[Posts.doc_id],
        Posts.source: sorted_units[Posts.source],
        Posts.date: sorted_units[Posts.date],
        TOPIC: topics,
        PROBABILITY: np.clip(np.where(topics == -1, 0.0, probs), 0.0, 1.0),
        REASSIGNED: reassigned,
    }).iloc[back].reset_index(drop=True)
    doc_topics.loc[doc_topics[REASSIGNED], PROBABILITY] = 0.0
    return doc_topics


def _representatives(ids: list[str], texts: list[str], topics: np.ndarray,
                     embeddings: np.ndarray, *, n: int) -> dict[int, list[tuple[str, str]]]:
    """Per topic, the ``n`` units closest (cosine) to the topic's mean embedding.

    BERTopic's own choice samples candidates and uses c-TF-IDF; this one is
    exact, cheap at this size, and ties break by id.
    """
    norm = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    out = {}
    for topic in sorted(set(topics.tolist())):
        idx = np.flatnonzero(topics == topic)
        centre = norm[idx].mean(axis=0)
        sims = norm[idx] @ centre
        ranked = sorted(zip(-np.round(sims, 6), [ids[i] for i in idx], idx, strict=True))
        out[topic] = [(ids[i], texts[i]) for _, _, i in ranked[:n]]
    return out


def topic_words(model, *, n_words: int = 10, include_outliers: bool = False
                ) -> dict[int, list[str]]:
    """Top words of each topic of a fitted BERTopic, by c-TF-IDF weight.

    Padding entries (BERTopic fills short topics with empty words) and
    zero-weight words are left out.
    """
    out = {}
    for topic, pairs in sorted(model.get_topics().items()):
        if topic == -1 and not include_outliers:
            continue
        out[int(topic)] = [w for w, weight in pairs if w and weight > 1e-4][:n_words]
    return out


def _topic_info(model, topics: np.ndarray, representatives: Mapping[int, list[tuple[str, str]]],
                *, n_words: int) -> pd.DataFrame:
    """The :class:`TopicInfo` table: size, label, top words and representatives per topic."""
    words = topic_words(model, n_words=n_words, include_outliers=True)
    labels, sizes = np.unique(topics, return_counts=True)
    rows = []
    for topic, size in zip(labels.tolist(), sizes.tolist(), strict=True):
        top = words.get(topic, [])
        reps = representatives.get(topic, [])
        name = "outliers" if topic == -1 else "_".join([str(topic), *top[:3]])
        rows.append({
            TOPIC: topic, "size": size, "share": size / len(topics), "label": name,
            "top_words": ", ".join(top),
            "representative_ids": "; ".join(i for i, _ in reps),
            "representative_text": reps[0][1] if reps else "",
        })
    info = pd.DataFrame(rows, columns=list(TopicInfo.to_schema().columns))
    # Topics first by size (BERTopic's own numbering), outliers last.
    return (info.assign(_outlier=info[TOPIC] == -1)
            .sort_values(["_outlier", "size", TOPIC], ascending=[True, False, True])
            .drop(columns="_outlier").reset_index(drop=True))
