"""Pandera schemas of the framing tables: inputs, output and validation tables.

Inputs: the real development corpus (:class:`RealDocumentSchema`,
:class:`CodingSchema`), the gold set (:class:`GoldSchema`), hand labels and
known groups.  Output: :class:`DocumentFramingSchema` and
:class:`ParagraphFramingSchema` (what ``score_framing`` returns).  The
validation tables of ``data/annotations/real/validation/``
(:data:`VALIDATION_SCHEMAS`) and of ``validate_framing``.  Validate with
:func:`analysis.corpus.schema.check_table`, which reports every problem with
the file, line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .labels import LABELS

EVIDENCE_PATTERN = r"^((A[1-5]|B[1-4])(;(A[1-5]|B[1-4]))*)?$"
TOPICS = ["ukraine_russia", "syria", "venezuela", "cuba", "nicaragua", "bolivia", "palestine",
          "china_taiwan", "iran", "libya", "general", "other"]


class RealDocumentSchema(pa.DataFrameModel):
    """One row per document of ``data/annotations/real/documents.csv`` (no text)."""

    doc_id: Series[str] = pa.Field(unique=True, str_matches=r"^real-[0-9a-f]{12}$")
    url: Series[str] = pa.Field(unique=True, str_matches=r"^https?://")
    site: Series[str] = pa.Field(str_length={"min_value": 3})
    source: Series[str]
    title: Series[str]
    date: Series[str] = pa.Field(str_matches=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    date_precision: Series[str] = pa.Field(isin=["day", "month", "year"])
    date_basis: Series[str] = pa.Field(str_length={"min_value": 3})
    year: Series[int] = pa.Field(ge=2014, le=2024)
    period: Series[str] = pa.Field(isin=["-2021", "2022-"])
    language: Series[str] = pa.Field(str_matches=r"^[a-z]{2}$")
    topic: Series[str] = pa.Field(isin=TOPICS)
    genre: Series[str]
    query: Series[str] = pa.Field(str_length={"min_value": 2})
    gatherer: Series[str]
    label: Series[str] = pa.Field(isin=list(LABELS))
    evidence: Series[str] = pa.Field(str_matches=EVIDENCE_PATTERN)
    rationale: Series[str] = pa.Field(str_length={"min_value": 3})
    adjudicated: Series[bool]
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    n_chars: Series[int] = pa.Field(gt=0)
    split: Series[str] = pa.Field(isin=["dev", "test"])

    class Config:
        strict = True
        coerce = True


class CodingSchema(pa.DataFrameModel):
    """One row per document and coder of ``codings.csv``."""

    doc_id: Series[str] = pa.Field(str_matches=r"^real-[0-9a-f]{12}$")
    coder: Series[str] = pa.Field(isin=["coder1", "coder2", "adjudicator"])
    label: Series[str] = pa.Field(isin=[*LABELS, "unsure"])
    evidence: Series[str] = pa.Field(str_matches=EVIDENCE_PATTERN)
    rationale: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["doc_id", "coder"]


class EvidenceSchema(pa.DataFrameModel):
    """Lexicon evidence as a long table: one row per match in a document."""

    doc_id: Series[str]
    entry: Series[str]
    evidence_type: Series[str] = pa.Field(nullable=True)
    pole: Series[str] = pa.Field(isin=["anti_us", "all_imperialisms"])
    weight: Series[float]
    start: Series[int] = pa.Field(ge=0)
    end: Series[int] = pa.Field(ge=0)

    class Config:
        strict = False
        coerce = True


# --------------------------------------------------------------------------- shared checks

#: How far a row's label probabilities may sum from 1 (files hold 6 significant digits).
PROBABILITY_TOLERANCE = 1e-5
#: The document measure's probability columns, one per label.
PROBABILITY_COLUMNS = tuple(f"p_{label}" for label in LABELS)
#: The paragraph measure's classifier probabilities, one per label.
CLASSIFIER_PROBABILITY_COLUMNS = tuple(f"classifier_p_{label}" for label in LABELS)
_CONSTRUCTED = ["True", "False", "true", "false", "1", "0"]


def _sum_to_one(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Rows whose probabilities sum to 1, or are all missing (not scored)."""
    p = df[list(columns)].astype(float)
    return p.isna().all(axis=1) | ((p.sum(axis=1) - 1.0).abs() <= PROBABILITY_TOLERANCE)


def _interval_ordered(df: pd.DataFrame) -> pd.Series:
    return df["ci_low"].isna() | df["ci_high"].isna() | (df["ci_low"] <= df["ci_high"])


def _not_blank(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.len() > 0


# --------------------------------------------------------------------------- gold and hand labels


class GoldSchema(pa.DataFrameModel):
    """The hand-coded gold set (``data/annotations/gold.csv``), as :func:`read_gold` returns it.

    Further columns (``paragraph_id, doc_id, source, note``) are kept unchecked.
    """

    item_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    group: Series[str]
    language: Series[str] = pa.Field(str_matches=r"^[a-z]{2}$")
    label: Series[str] = pa.Field(isin=list(LABELS))
    coder: Series[str] = pa.Field(str_length={"min_value": 1})
    constructed: Series[bool]
    text: Series[str]

    @pa.check("text", name="is blank")
    def _text_not_blank(cls, s: pd.Series) -> pd.Series:
        return _not_blank(s)

    class Config:
        strict = False


class GoldFileSchema(GoldSchema):
    """The gold file as read from disk: every cell a string, ``constructed`` spelled out."""

    constructed: Series[str] = pa.Field(isin=_CONSTRUCTED)

    # pandera drops a parent's check names in a subclass: checks are restated.
    @pa.check("text", name="is blank")
    def _text_not_blank(cls, s: pd.Series) -> pd.Series:
        return _not_blank(s)


class KnownGroupsSchema(pa.DataFrameModel):
    """An expected order of sources (``data/annotations/known_groups.csv``), 1 = most anti-US."""

    source: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    expected_rank: Series[int] = pa.Field(ge=1)

    class Config:
        strict = False
        coerce = True


class HandLabelsSchema(pa.DataFrameModel):
    """A researcher's hand labels of documents (:func:`validate_framing`); missing = unlabelled.

    :func:`validate_framing` checks the caller's id and label columns under
    these names.
    """

    doc_id: Series[Any] = pa.Field(nullable=False)
    label: Series[str] = pa.Field(isin=list(LABELS), nullable=True)

    class Config:
        strict = False


# --------------------------------------------------------------------------- framing output


class DocumentFramingSchema(pa.DataFrameModel):
    """Output of :func:`score_framing` with the document measure (the default): one row per text."""

    framing: Series[str] = pa.Field(isin=list(LABELS))
    framing_score: Series[float] = pa.Field(ge=-1, le=1)
    p_anti_us: Series[float] = pa.Field(ge=0, le=1)
    p_all_imperialisms: Series[float] = pa.Field(ge=0, le=1)
    p_mixed: Series[float] = pa.Field(ge=0, le=1)
    p_none: Series[float] = pa.Field(ge=0, le=1)
    lexicon_anti_us: Series[float] = pa.Field(ge=0)
    lexicon_all_imperialisms: Series[float] = pa.Field(ge=0)
    n_evidence: Series[int] = pa.Field(ge=0)
    evidence_entries: Series[str]
    language: Series[str] = pa.Field(nullable=True)
    unsupported_language: Series[bool]
    n_words: Series[int] = pa.Field(ge=0)
    model_version: Series[str]
    lexicon_version: Series[str]

    @pa.dataframe_check(name="label probabilities do not sum to 1")
    def _probabilities(cls, df: pd.DataFrame) -> pd.Series:
        return _sum_to_one(df, PROBABILITY_COLUMNS)

    class Config:
        strict = True
        ordered = True


class ParagraphFramingSchema(pa.DataFrameModel):
    """Output of :func:`score_framing` with ``measure="paragraph"``: one row per text.

    Method columns are missing where the method did not run.
    """

    framing: Series[str] = pa.Field(isin=list(LABELS))
    framing_score: Series[float] = pa.Field(nullable=True)
    support_all_imperialisms: Series[float] = pa.Field(nullable=True, ge=0)
    support_anti_us: Series[float] = pa.Field(nullable=True, ge=0)
    lexicon_score: Series[float] = pa.Field(nullable=True)
    lexicon_all_imperialisms: Series[float] = pa.Field(nullable=True, ge=0)
    lexicon_anti_us: Series[float] = pa.Field(nullable=True, ge=0)
    lss_score: Series[float] = pa.Field(nullable=True)
    lss_se: Series[float] = pa.Field(nullable=True, ge=0)
    lss_n_terms: Series[Any] = pa.Field(nullable=True, ge=0)  # int when LSS ran, else NaN
    prototype_score: Series[float] = pa.Field(nullable=True)
    classifier_score: Series[float] = pa.Field(nullable=True)
    classifier_p_anti_us: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    classifier_p_all_imperialisms: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    classifier_p_mixed: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    classifier_p_none: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    language: Series[Any] = pa.Field(nullable=True)
    n_paragraphs: Series[int] = pa.Field(ge=0)
    n_framed_paragraphs: Series[int] = pa.Field(ge=0)
    n_words: Series[int] = pa.Field(ge=0)
    methods: Series[str]
    evidence_all_imperialisms: Series[str]
    evidence_anti_us: Series[str]
    lexicon_version: Series[str]

    @pa.dataframe_check(name="classifier probabilities do not sum to 1")
    def _probabilities(cls, df: pd.DataFrame) -> pd.Series:
        return _sum_to_one(df, CLASSIFIER_PROBABILITY_COLUMNS)

    class Config:
        strict = True
        ordered = True


# --------------------------------------------------------------------------- validation tables


class AgreementSchema(pa.DataFrameModel):
    """``agreement.csv`` (grouped cross-validation) and the body of ``locked_test.csv``."""

    scorer: Series[str] = pa.Field(str_length={"min_value": 1})
    subset: Series[str] = pa.Field(isin=["overall", "language", "period", "topic"])
    value: Series[str]
    n: Series[int] = pa.Field(ge=0)
    pole_f1: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    ci_low: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    ci_high: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    macro_f1_4: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    abstain: Series[float] = pa.Field(nullable=True, ge=0, le=1)

    @pa.dataframe_check(name="ci_low is above ci_high")
    def _ordered_interval(cls, df: pd.DataFrame) -> pd.Series:
        return _interval_ordered(df)

    class Config:
        strict = True
        unique = ["scorer", "subset", "value"]


class LockedTestSchema(AgreementSchema):
    """``locked_test.csv``: the agreement table of the locked test split, and the model version."""

    model_version: Series[str] = pa.Field(str_matches=r"^\d+\.\d+\.\d+$")

    @pa.dataframe_check(name="ci_low is above ci_high")
    def _ordered_interval(cls, df: pd.DataFrame) -> pd.Series:
        return _interval_ordered(df)


class PredictionsSchema(pa.DataFrameModel):
    """``predictions.csv``: out-of-fold labels and probabilities of the default measure."""

    doc_id: Series[str] = pa.Field(unique=True, str_matches=r"^real-[0-9a-f]{12}$")
    label: Series[str] = pa.Field(isin=list(LABELS))
    prediction: Series[str] = pa.Field(isin=list(LABELS))
    p_all_imperialisms: Series[float] = pa.Field(ge=0, le=1)
    p_anti_us: Series[float] = pa.Field(ge=0, le=1)
    p_mixed: Series[float] = pa.Field(ge=0, le=1)
    p_none: Series[float] = pa.Field(ge=0, le=1)

    @pa.dataframe_check(name="label probabilities do not sum to 1")
    def _probabilities(cls, df: pd.DataFrame) -> pd.Series:
        return _sum_to_one(df, PROBABILITY_COLUMNS)

    class Config:
        strict = False


class ErrorsSchema(PredictionsSchema):
    """``errors.csv``: the most confident out-of-fold errors, with metadata and rationale."""

    doc_id: Series[str] = pa.Field(str_matches=r"^real-[0-9a-f]{12}$")
    scorer: Series[str]
    confidence: Series[float] = pa.Field(ge=0, le=1)
    language: Series[str] = pa.Field(str_matches=r"^[a-z]{2}$")
    topic: Series[str] = pa.Field(isin=TOPICS)

    @pa.dataframe_check(name="label probabilities do not sum to 1")
    def _probabilities(cls, df: pd.DataFrame) -> pd.Series:
        return _sum_to_one(df, PROBABILITY_COLUMNS)

    @pa.dataframe_check(name="an error whose label equals its prediction")
    def _wrong(cls, df: pd.DataFrame) -> pd.Series:
        return df["label"] != df["prediction"]


class TuningSchema(pa.DataFrameModel):
    """``tuning.csv``: the parameter grid of the default and its cross-validated scores."""

    C: Series[float] = pa.Field(gt=0)
    none_threshold: Series[float] = pa.Field(ge=0, le=1)
    pole_f1: Series[float] = pa.Field(ge=0, le=1)
    abstain: Series[float] = pa.Field(ge=0, le=1)

    class Config:
        strict = True
        coerce = True


class LearningCurveSchema(pa.DataFrameModel):
    """``learning_curve.csv``: pole macro-F1 against the share of training documents."""

    fraction: Series[float] = pa.Field(gt=0, le=1)
    repeat: Series[int] = pa.Field(ge=0)
    n_train: Series[float] = pa.Field(gt=0)
    pole_f1: Series[float] = pa.Field(nullable=True, ge=0, le=1)

    class Config:
        strict = True
        coerce = True


class ConfoundsSchema(pa.DataFrameModel):
    """``confounds.csv``: accuracy within period and topic, next to single-confound rules."""

    predictor: Series[str]
    within: Series[str]
    n: Series[int] = pa.Field(ge=0)
    accuracy: Series[float] = pa.Field(ge=0, le=1)
    pole_f1: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    macro_f1_4: Series[float] = pa.Field(nullable=True, ge=0, le=1)

    class Config:
        strict = True


class ParagraphMethodsSchema(pa.DataFrameModel):
    """``paragraph_methods.csv``: the paragraph methods on real documents against the default."""

    measure: Series[str]
    n: Series[int] = pa.Field(ge=0)
    pole_f1: Series[float] = pa.Field(ge=0, le=1)
    abstain: Series[float] = pa.Field(nullable=True, ge=0, le=1)

    class Config:
        strict = True


#: The schema of each table in ``data/annotations/real/validation/``, by name.
VALIDATION_SCHEMAS = {
    "agreement": AgreementSchema, "locked_test": LockedTestSchema,
    "predictions": PredictionsSchema, "errors": ErrorsSchema, "tuning": TuningSchema,
    "learning_curve": LearningCurveSchema, "confounds": ConfoundsSchema,
    "paragraph_methods": ParagraphMethodsSchema,
}


class HandAgreementSchema(pa.DataFrameModel):
    """``validate_framing(...)["agreement"]``: one row of agreement with the hand labels."""

    macro_f1: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    n: Series[int] = pa.Field(ge=0)
    accuracy: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    n_unlabelled: Series[int] = pa.Field(ge=0)

    class Config:
        strict = False


class HandByPeriodSchema(pa.DataFrameModel):
    """``validate_framing(...)["by_period"]``: package and hand shares per period and label."""

    period: Series[pa.DateTime]
    label: Series[str] = pa.Field(isin=list(LABELS))
    package_share: Series[float] = pa.Field(ge=0, le=1)
    hand_share: Series[float] = pa.Field(ge=0, le=1)
    n: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = True


class HandBySourceSchema(pa.DataFrameModel):
    """``validate_framing(...)["by_source"]``: agreement and mean position per source."""

    source: Series[str]
    n: Series[int] = pa.Field(ge=1)
    accuracy: Series[float] = pa.Field(ge=0, le=1)
    package_ordinal: Series[float] = pa.Field(nullable=True, ge=-1, le=1)
    hand_ordinal: Series[float] = pa.Field(nullable=True, ge=-1, le=1)

    class Config:
        strict = True
        coerce = True


class HandEventSchema(pa.DataFrameModel):
    """``validate_framing(...)["event"]``: before, after and change of three measures."""

    measure: Series[str] = pa.Field(isin=["framing_score", "package_ordinal", "hand_ordinal"])
    before: Series[float] = pa.Field(nullable=True)
    after: Series[float] = pa.Field(nullable=True)
    change: Series[float] = pa.Field(nullable=True)
    n_before: Series[int] = pa.Field(ge=0)
    n_after: Series[int] = pa.Field(ge=0)
    sources_both_sides: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
