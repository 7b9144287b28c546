"""Pandera schemas of the topic tables: assignments, topic info, coherence and evaluation.

Column names live here (``DocTopics.topic == "topic"``); :mod:`analysis.topics.model`
and :mod:`analysis.topics.evaluate` validate every table they return against
these models with :func:`analysis.corpus.schema.check_table`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

__all__ = ["DocTopics", "TopicInfo", "TopicCoherence", "TopicEvaluation", "EVALUATED_MODELS"]

#: The models :func:`~analysis.topics.evaluate.evaluate_topics` compares.
EVALUATED_MODELS = ["BERTopic", "LDA", "NMF"]


class DocTopics(pa.DataFrameModel):
    """One row per modelled unit: its topic and HDBSCAN membership probability.

    ``paragraph_id`` is missing when the unit is the post.  ``probability``
    is HDBSCAN's membership strength in the assigned cluster (0 for
    outliers and for units moved out of the outlier topic by outlier
    reduction, which ``outlier_reassigned`` marks).
    """

    paragraph_id: Series[str] = pa.Field(nullable=True)
    post_id: Series[str]
    doc_id: Series[str]
    source: Series[str]
    date: Series[pa.DateTime] = pa.Field(nullable=True)
    topic: Series[int] = pa.Field(ge=-1)
    probability: Series[float] = pa.Field(ge=0, le=1)
    outlier_reassigned: Series[bool]

    class Config:
        strict = True
        ordered = True


class TopicInfo(pa.DataFrameModel):
    """One row per topic (``-1`` is HDBSCAN's outliers), largest first."""

    topic: Series[int] = pa.Field(ge=-1, unique=True)
    size: Series[int] = pa.Field(ge=0)
    share: Series[float] = pa.Field(ge=0, le=1)
    label: Series[str]
    top_words: Series[str]
    representative_ids: Series[str]
    representative_text: Series[str]

    @pa.dataframe_check(name="topic shares do not sum to 1")
    def _shares(cls, df: pd.DataFrame) -> bool:
        return len(df) == 0 or abs(float(df["share"].sum()) - 1.0) <= 1e-6

    class Config:
        strict = True
        ordered = True


class TopicCoherence(pa.DataFrameModel):
    """NPMI coherence per topic (:func:`~analysis.topics.evaluate.npmi_coherence`)."""

    topic: Series[int]
    npmi: Series[float] = pa.Field(nullable=True, ge=-1, le=1)
    n_pairs: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        ordered = True


class TopicEvaluation(pa.DataFrameModel):
    """One row per model (:func:`~analysis.topics.evaluate.evaluate_topics`)."""

    model: Series[str] = pa.Field(isin=EVALUATED_MODELS, unique=True)
    n_topics: Series[int] = pa.Field(ge=0)
    npmi: Series[float] = pa.Field(nullable=True, ge=-1, le=1)
    diversity: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    n_units: Series[int] = pa.Field(ge=0)
    n_vocabulary: Series[int] = pa.Field(ge=0)
    n_words: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = True
