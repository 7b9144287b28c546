"""Pandera schemas of the framing tables: the real corpus, codings, evidence and output."""

from __future__ import annotations

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
