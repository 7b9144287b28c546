"""Topic models: BERTopic on cached embeddings, tidy topic tables, evaluation.

The pipeline a notebook runs::

    units, excluded = select_units(corpus, unit="paragraph", languages=["en"])
    embeddings = embed(units["text"])                   # analysis.text.embeddings, cached
    fit = fit_topics(units, embeddings, unit="paragraph", seed=42, min_topic_size=5)
    fit.doc_topics, fit.topic_info, fit.outlier_share
    evaluate_topics(fit)                                # BERTopic vs LDA vs NMF

Decisions that matter for the results
-------------------------------------
Language policy.
    The packaged all-MiniLM-L6-v2 is an English model: on a mixed corpus it
    places a Spanish and an English paragraph on the same subject far apart,
    and c-TF-IDF then lists the same word in several languages.  By default
    :func:`select_units` keeps English units only, and only the canonical
    member of each translation group, so a statement published in three
    languages counts once, through its English text.  Every unit left out is
    listed in the ``excluded`` table with its reason; nothing disappears
    silently.  Other languages can be asked for explicitly
    (``languages=None`` or a list), with a :class:`LanguagePolicyWarning`.
Determinism.
    UMAP is seeded, HDBSCAN is deterministic, and embeddings are the plain
    ``encode`` output (re-normalising changes topics).  UMAP's result still
    depends on the order of its input, so :func:`fit_topics` sorts the units
    by their id before fitting and maps the results back: shuffled input
    gives the same topic for each unit, with the same labels.
Vocabulary.
    One vocabulary (:func:`build_vocabulary`) is fitted on the units, with
    ``min_df``/``max_df`` counted over units, and then fixed for BERTopic's
    c-TF-IDF, for LDA and NMF, and for NPMI.  BERTopic would otherwise fit
    its vectorizer on one concatenated pseudo-document per topic, where
    ``min_df=2`` means "in two topics", and the three models would not share
    a vocabulary.
Outliers.
    HDBSCAN leaves outliers (topic -1).  ``reduce_outliers`` applies
    BERTopic's outlier reduction; the share before and after is reported in
    :attr:`TopicFit.outlier_share`.
"""

from __future__ import annotations

import contextlib
import logging
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .. import config
from ..corpus.schema import Paragraphs, Posts, check_table
from ..text.tokenize import topic_tokens
from .schema import DocTopics, TopicCoherence, TopicEvaluation, TopicInfo

__all__ = [
    "DocTopics",
    "LanguagePolicyWarning",
    "LazyEncoder",
    "TopicFit",
    "TopicInfo",
    "UNIT_ID",
    "VECTORIZER_DEFAULTS",
    "adequacy",
    "baseline_topics",
    "build_vocabulary",
    "embed_units",
    "evaluate_topics",
    "fit_topics",
    "load_topic_model",
    "make_topic_model",
    "make_vectorizer",
    "npmi_coherence",
    "save_topic_model",
    "saved_topic_info",
    "select_units",
    "topic_diversity",
    "topic_words",
]

Unit = Literal["paragraph", "post"]
OutlierStrategy = Literal["embeddings", "c-tf-idf", "distributions"]

#: Column that identifies a modelling unit, by unit of analysis.
UNIT_ID = {"paragraph": Paragraphs.paragraph_id, "post": Posts.post_id}

#: Vocabulary settings by unit of analysis: ``min_df``/``max_df`` counted over
#: units.  A word must recur in two units to be a topic word; words in more
#: than half of all paragraphs (or 80% of posts) say nothing about topics.
VECTORIZER_DEFAULTS = {
    "paragraph": {"min_df": 2, "max_df": 0.5},
    "post": {"min_df": 2, "max_df": 0.8},
}

# Topic words are analysis.text.tokenize.topic_tokens: the package's tokens with
# two letters or more and no digit (numbers and years are not topic words);
# "U.S." and "US" are one word, "US", which the stop word "us" does not remove.

#: Smallest number of units a topic model is fitted on; below it UMAP's
#: neighbour graph is not meaningful.
MIN_UNITS = 10

#: Below this many units the notebook says topics are not interpretable.
#: BERTopic's authors suggest about a thousand documents; a few hundred is a
#: lenient floor.
MEANINGFUL_UNITS = 300

TOPIC, PROBABILITY, REASSIGNED = (DocTopics.topic, DocTopics.probability,
                                  DocTopics.outlier_reassigned)
UNIT_COLUMNS = [Paragraphs.paragraph_id, Posts.post_id, Posts.doc_id, Posts.source, Posts.date,
                Posts.language, Posts.n_words, Posts.text]


class LanguagePolicyWarning(RuntimeWarning):
    """Texts outside the embedding model's language enter a topic model.

    A ``RuntimeWarning`` subclass, because ``import bertopic`` silences every
    ``UserWarning`` in the process.
    """


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


# --------------------------------------------------------------------------- embedding


class LazyEncoder:
    """The packaged MiniLM, loaded only when a text actually needs embedding.

    :func:`analysis.text.embeddings.embed` loads its default encoder before looking in
    the cache, which costs about 9 s (torch and sentence-transformers)
    even when every text is cached.  Passed as ``encoder=`` together with
    :func:`analysis.text.embeddings.model_key`, this object keeps the same cache but
    loads the model on the first ``encode`` call only, and counts the calls
    and texts so a re-run can show that it embedded nothing.

    Parameters
    ----------
    encoder : object with ``encode``, optional
        Wrap this encoder instead of loading the packaged one (tests).
    """

    def __init__(self, encoder=None):
        self.encoder = encoder
        self.n_calls = 0
        self.n_texts = 0

    def encode(self, texts, **kwargs):
        """Embed ``texts`` with the wrapped encoder, loading it first if needed."""
        from ..text.embeddings import load_encoder

        if self.encoder is None:
            self.encoder = load_encoder()
        self.n_calls += 1
        self.n_texts += len(texts)
        return self.encoder.encode(texts, **kwargs)


def embed_units(units: pd.DataFrame, *, encoder=None, model_key: str | None = None,
                cache_dir: Path | str | None = config.CACHE / "embeddings",
                batch_size: int = 32) -> np.ndarray:
    """Embed the units' text through the shared cache, loading the model only if needed.

    Parameters
    ----------
    units : DataFrame
        With a ``text`` column (see :func:`select_units`); not modified.
    encoder : LazyEncoder or object with ``encode``, optional
        Defaults to a new :class:`LazyEncoder` of the packaged model; pass
        your own :class:`LazyEncoder` to read its counters afterwards.
    model_key : str, optional
        Cache namespace; defaults to the packaged model's key.  Give one
        whenever ``encoder`` wraps a different model.
    cache_dir : path-like or None
        Passed to :func:`analysis.text.embeddings.embed`.
    batch_size : int
        Passed to :func:`analysis.text.embeddings.embed`.

    Returns
    -------
    ndarray of shape (n_units, 384), float32
        Plain ``encode`` output, in the order of ``units``.
    """
    from ..text import embeddings as embedding

    if encoder is None or (isinstance(encoder, LazyEncoder) and encoder.encoder is None):
        model_key = model_key or embedding.model_key()
    elif model_key is None:
        raise ValueError("give a model_key for a custom encoder, so its cache stays separate")
    return embedding.embed(units[Posts.text].tolist(), encoder=encoder or LazyEncoder(),
                           model_key=model_key, cache_dir=cache_dir, batch_size=batch_size)


# --------------------------------------------------------------------------- units


def select_units(corpus, *, unit: Unit = "paragraph",
                 languages: Sequence[str] | None = ("en",), canonical_only: bool = True,
                 min_words: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Choose the texts to model, and say which were left out and why.

    Parameters
    ----------
    corpus : Corpus
        From :func:`analysis.corpus.build.read_corpus` or ``build_corpus``.
    unit : {"paragraph", "post"}
        Unit of analysis.  Paragraphs are the default: MiniLM reads at most
        256 word pieces, so it embeds only the opening of a long post.
    languages : sequence of str or None
        ISO 639-1 codes to keep; ``None`` keeps all.  Anything beyond
        ``["en"]`` warns (:class:`LanguagePolicyWarning`): the model is
        English-only.
    canonical_only : bool
        Keep only the canonical member of each translation or
        near-duplicate group, so a statement counts once.
    min_words : int
        Leave out units shorter than this (datelines, headings, sign-offs).

    Returns
    -------
    units : DataFrame
        Columns ``paragraph_id`` (missing for posts), ``post_id``,
        ``doc_id``, ``source``, ``date``, ``language``, ``n_words``,
        ``text``; one row per unit, in corpus order.
    excluded : DataFrame
        The units left out: ``unit_id``, ``post_id``, ``source``,
        ``language``, ``n_words`` and ``reason``, the first that applies:
        ``"not_canonical"`` (a translation or near-duplicate of a kept
        post), ``"language"`` or ``"short"``.
    """
    if unit not in UNIT_ID:
        raise ValueError(f"unit must be one of {sorted(UNIT_ID)}, got {unit!r}")
    if languages is None or set(languages) - {"en"}:
        shown = "all" if languages is None else list(languages)
        warnings.warn(f"languages={shown}: all-MiniLM-L6-v2 is an English model; "
                      "texts in other languages will cluster by language, not by topic",
                      LanguagePolicyWarning, stacklevel=2)
    table = corpus.paragraphs if unit == "paragraph" else corpus.posts
    if unit == "post":
        table = table.assign(**{Paragraphs.paragraph_id: pd.Series(pd.NA, index=table.index,
                                                                   dtype="string")})
    key = UNIT_ID[unit]
    language = table[Posts.language]
    reason = pd.Series(pd.NA, index=table.index, dtype="string")
    if canonical_only:
        reason = reason.mask(~table[Posts.is_canonical].astype(bool), "not_canonical")
    if languages is not None:
        reason = reason.mask(reason.isna() & ~language.isin(list(languages)), "language")
    reason = reason.mask(reason.isna() & (table[Posts.n_words] < min_words), "short")
    keep = reason.isna()
    units = table.loc[keep, UNIT_COLUMNS].reset_index(drop=True)
    excluded = pd.DataFrame({
        "unit_id": table[key], Posts.post_id: table[Posts.post_id],
        Posts.source: table[Posts.source], Posts.language: language,
        Posts.n_words: table[Posts.n_words], "reason": reason.astype(object),
    }).loc[~keep].reset_index(drop=True)
    return units, excluded


# --------------------------------------------------------------------------- vocabulary


def make_vectorizer(*, unit: Unit = "paragraph", vocabulary: Sequence[str] | None = None,
                    min_df: int | float | None = None, max_df: int | float | None = None,
                    stop_words: str | list[str] | None = "english"):
    """A CountVectorizer for the unit of analysis (unigrams: the package's topic words).

    Parameters
    ----------
    unit : {"paragraph", "post"}
        Chooses ``min_df``/``max_df`` from :data:`VECTORIZER_DEFAULTS`.
    vocabulary : sequence of str, optional
        A fixed vocabulary; ``min_df``/``max_df`` are then ignored.
    min_df, max_df : int or float, optional
        Override the unit's defaults.
    stop_words : "english", list of str or None
        Stop words to drop.

    Returns
    -------
    sklearn.feature_extraction.text.CountVectorizer
        Tokenized by :func:`analysis.text.tokenize.topic_tokens`, which
        lower-cases all but acronyms itself.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if unit not in VECTORIZER_DEFAULTS:
        raise ValueError(f"unit must be one of {sorted(VECTORIZER_DEFAULTS)}, got {unit!r}")
    defaults = VECTORIZER_DEFAULTS[unit]
    return CountVectorizer(
        vocabulary=list(vocabulary) if vocabulary is not None else None,
        min_df=defaults["min_df"] if min_df is None else min_df,
        max_df=defaults["max_df"] if max_df is None else max_df,
        stop_words=stop_words, tokenizer=topic_tokens, token_pattern=None, lowercase=False,
    )


def build_vocabulary(texts: Sequence[str], *, unit: Unit = "paragraph",
                     min_df: int | float | None = None, max_df: int | float | None = None,
                     stop_words: str | list[str] | None = "english") -> list[str]:
    """The shared vocabulary: words passing ``min_df``/``max_df`` over the units, sorted.

    Falls back to ``min_df=1, max_df=1.0`` when the thresholds leave no
    word (a handful of units), so downstream steps still run.

    Examples
    --------
    >>> build_vocabulary(["war and peace", "war on want", "peace now"], min_df=2, max_df=1.0)
    ['peace', 'war']
    """
    texts = list(texts)
    vectorizer = make_vectorizer(unit=unit, min_df=min_df, max_df=max_df, stop_words=stop_words)
    try:
        vectorizer.fit(texts)
    except ValueError:
        vectorizer = make_vectorizer(unit=unit, min_df=1, max_df=1.0, stop_words=stop_words)
        vectorizer.fit(texts)
    return sorted(vectorizer.vocabulary_)


# --------------------------------------------------------------------------- model


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
    vocab = list(vocabulary) if vocabulary is not None else build_vocabulary(docs, unit=unit)
    # A word absent from every unit would get an infinite c-TF-IDF idf.
    present = np.asarray(_doc_term(docs, vocab).sum(axis=0)).ravel() > 0
    vocab = [w for w, ok in zip(vocab, present, strict=True) if ok]
    if not vocab:
        raise ValueError("no word of the vocabulary occurs in the units; check the vocabulary "
                         "and the units' language")
    params = dict(unit=unit, seed=seed, min_topic_size=min_topic_size,
                  reduce_outliers=reduce_outliers, outlier_threshold=outlier_threshold,
                  n_neighbors=min(n_neighbors, len(units) - 1), n_components=n_components,
                  min_samples=min_samples, allow_single_cluster=allow_single_cluster,
                  top_n_words=top_n_words)
    model = make_topic_model(seed=seed, min_topic_size=min_topic_size, unit=unit,
                             vocabulary=vocab, n_neighbors=params["n_neighbors"],
                             n_components=n_components, min_samples=min_samples,
                             allow_single_cluster=allow_single_cluster, top_n_words=top_n_words)
    topics, probs = model.fit_transform(docs, embeddings=sorted_emb)
    topics = np.asarray(topics, dtype=int)
    probs = np.zeros(len(docs)) if probs is None else np.asarray(probs, dtype=float)
    before = float(np.mean(topics == -1))
    reassigned = np.zeros(len(docs), dtype=bool)
    if reduce_outliers is not None and before > 0 and (topics >= 0).any():
        new = np.asarray(model.reduce_outliers(docs, topics.tolist(), strategy=reduce_outliers,
                                               threshold=outlier_threshold,
                                               embeddings=sorted_emb), dtype=int)
        reassigned = (topics == -1) & (new != -1)
        topics = new
        model.update_topics(docs, topics=topics.tolist(), top_n_words=top_n_words,
                            vectorizer_model=make_vectorizer(unit=unit, vocabulary=vocab))
        # update_topics keeps stale topic embeddings; recompute the centroids
        # so a saved model's transform() matches the new assignments.
        model.topic_embeddings_ = np.stack([sorted_emb[topics == t].mean(axis=0)
                                            for t in sorted(set(topics.tolist()))])
    after = float(np.mean(topics == -1))

    representatives = _representatives(sorted_units[key].tolist(), docs, topics, sorted_emb,
                                       n=n_representative)
    model.representative_docs_ = {t: [text for _, text in reps]
                                  for t, reps in representatives.items()}
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
    topic_info = _topic_info(model, topics, representatives, n_words=top_n_words)
    return TopicFit(model=model, unit=unit, units=units.copy(), embeddings=embeddings,
                    vocabulary=vocab,
                    doc_topics=check_table(DocTopics, doc_topics, where="fit_topics doc_topics"),
                    topic_info=check_table(TopicInfo, topic_info, where="fit_topics topic_info"),
                    outlier_share={"before": before, "after": after}, params=params)


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


# --------------------------------------------------------------------------- saving


@contextlib.contextmanager
def _quiet_bertopic():
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def save_topic_model(fit: TopicFit, path: Path | str) -> Path:
    """Save the fitted BERTopic with safetensors (never pickle), plus its tables.

    Writes BERTopic's safetensors folder (topic embeddings, c-TF-IDF, the
    vectorizer's vocabulary as JSON) and ``doc_topics.parquet`` and
    ``topic_info.parquet`` next to it.  UMAP and HDBSCAN are not saved: the
    reloaded model assigns new texts by similarity to topic embeddings.

    Returns
    -------
    Path
        The folder.
    """
    folder = Path(path)
    # BERTopic warns that no embedding-model pointer is saved: the model is
    # the packaged one, passed to load_topic_model() when needed.
    with _quiet_bertopic():
        fit.model.save(folder, serialization="safetensors", save_ctfidf=True,
                       save_embedding_model=False)
    fit.doc_topics.to_parquet(folder / "doc_topics.parquet", index=False)
    fit.topic_info.to_parquet(folder / "topic_info.parquet", index=False)
    return folder


def load_topic_model(path: Path | str, *, embedding_model=None):
    """Reopen a model saved by :func:`save_topic_model`, offline.

    Parameters
    ----------
    path : path-like
        The folder.
    embedding_model : optional
        Encoder for ``transform`` on raw text, e.g.
        :func:`analysis.text.embeddings.load_encoder`; without it, pass embeddings.

    Returns
    -------
    bertopic.BERTopic
    """
    from bertopic import BERTopic

    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder}: no saved topic model (config.json missing)")
    if any(folder.glob("*.pkl")) or any(folder.glob("*.pickle")):
        raise ValueError(f"{folder}: holds pickle files; only safetensors models are loaded")
    # Without an embedding model BERTopic warns on every load; that is the
    # intended use here (transform() with precomputed embeddings).
    with _quiet_bertopic():
        model = BERTopic.load(str(folder), embedding_model=embedding_model)
    # BERTopic saves the vectorizer's parameters without its tokenizer (a function).
    if model.vectorizer_model.token_pattern is None:
        model.vectorizer_model.set_params(tokenizer=topic_tokens)
    return model


def saved_topic_info(path: Path | str) -> pd.DataFrame:
    """Topic, size and name of a model saved by :func:`save_topic_model`, without BERTopic.

    Reads the ``topics.json`` that BERTopic's safetensors save writes (what
    :func:`load_topic_model` rebuilds ``get_topic_info`` from), so a notebook
    can show what it saved without importing BERTopic, UMAP or torch.

    Returns
    -------
    DataFrame
        ``Topic, Count, Name`` as in ``BERTopic.get_topic_info()``, by topic.
    """
    import json

    folder = Path(path)
    file = folder / "topics.json"
    if not file.is_file():
        raise FileNotFoundError(f"{folder}: no saved topic model (topics.json missing)")
    saved = json.loads(file.read_text(encoding="utf-8"))
    sizes = {int(k): int(v) for k, v in saved["topic_sizes"].items()}
    names = {int(k): str(v) for k, v in saved["topic_labels"].items()}
    topics = sorted(set(sizes) | set(names))
    return pd.DataFrame({"Topic": topics, "Count": [sizes.get(t, 0) for t in topics],
                         "Name": [names.get(t, "") for t in topics]})


# --------------------------------------------------------------------------- evaluation


def _doc_term(texts: Sequence[str], vocabulary: Sequence[str]) -> sparse.csr_matrix:
    vectorizer = make_vectorizer(vocabulary=vocabulary, stop_words=None)
    return vectorizer.transform(list(texts)).tocsr()


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
