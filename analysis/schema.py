"""Pandera schemas for every table that crosses a module boundary.

Column names live here.  A DataFrameModel attribute returns its column name
(``Posts.post_id == "post_id"``), so code refers to ``Posts.post_id`` rather
than scattering string literals.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
DATE_PRECISIONS = ["day", "month", "year", "unknown"]
KINDS = ["article", "listing"]
FORMATS = ["txt", "html", "jsonl", "csv", "parquet"]
STAGES = ["load", "normalise", "clean", "segment", "language", "dedup"]


class Manifest(pa.DataFrameModel):
    """One row per raw file, as read from ``data/raw/manifest.csv``.

    Required columns are ``id``, ``file``, ``kind`` and ``source``; the rest may
    be empty.  ``manifest_line`` is added by the loader so every later error can
    name the line it came from.
    """

    id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN)
    file: Series[str] = pa.Field(str_length={"min_value": 1})
    kind: Series[str] = pa.Field(isin=KINDS)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    format: Series[str] = pa.Field(isin=FORMATS)
    date: Series[pa.DateTime] = pa.Field(nullable=True)
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS)
    manifest_line: Series[int] = pa.Field(ge=2)

    class Config:
        strict = False
        coerce = True
        coerce = True


class Documents(pa.DataFrameModel):
    """One row per document with its provenance and its decoded raw text."""

    doc_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN)
    file: Series[str]
    record: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    format: Series[str] = pa.Field(isin=FORMATS)
    kind: Series[str] = pa.Field(isin=KINDS)
    source: Series[str]
    title: Series[str] = pa.Field(nullable=True)
    date: Series[pa.DateTime] = pa.Field(nullable=True)
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS)
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    n_bytes: Series[int] = pa.Field(gt=0)
    encoding: Series[str]
    manifest_line: Series[int]
    raw_text: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = False
        coerce = True


class Audit(pa.DataFrameModel):
    """Every removal, repair, rejection and warning, one row each.

    ``start``/``end`` are character offsets: into the raw decoded text for
    stage ``normalise``, into the normalised text for stage ``clean``.
    ``clean_pos`` is where the removal sat in the cleaned text.
    """

    doc_id: Series[str]
    stage: Series[str] = pa.Field(isin=STAGES)
    rule: Series[str]
    start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    clean_pos: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    text: Series[str] = pa.Field(nullable=True)
    replacement: Series[str] = pa.Field(nullable=True)
    detail: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True


class Posts(pa.DataFrameModel):
    """One row per post: an article is one post, a listing page holds several."""

    post_id: Series[str] = pa.Field(unique=True)
    doc_id: Series[str]
    post_no: Series[int] = pa.Field(ge=1)
    source: Series[str]
    title: Series[str] = pa.Field(nullable=True)
    date: Series[pa.DateTime] = pa.Field(nullable=True)
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS)
    date_basis: Series[str]
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    truncated: Series[bool]
    n_paragraphs: Series[int] = pa.Field(ge=1)
    n_words: Series[int] = pa.Field(ge=1)
    language: Series[str] = pa.Field(nullable=True)
    language_confidence: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    group_id: Series[str]
    group_type: Series[str] = pa.Field(
        isin=["singleton", "translation", "near_duplicate", "translation+near_duplicate"]
    )
    is_canonical: Series[bool]

    class Config:
        strict = False
        coerce = True


class Paragraphs(pa.DataFrameModel):
    """One row per paragraph, with stable ids ``doc/pNN/NNN``."""

    paragraph_id: Series[str] = pa.Field(unique=True)
    post_id: Series[str]
    doc_id: Series[str]
    para_no: Series[int] = pa.Field(ge=1)
    source: Series[str]
    date: Series[pa.DateTime] = pa.Field(nullable=True)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    n_words: Series[int] = pa.Field(ge=0)
    language: Series[str] = pa.Field(nullable=True)
    language_confidence: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    language_basis: Series[str] = pa.Field(isin=["detected", "post", "undetermined"])
    group_id: Series[str]
    is_canonical: Series[bool]

    class Config:
        strict = False
        coerce = True


AUDIT_COLUMNS = list(Audit.to_schema().columns)


def audit_frame(rows: list[dict] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit rows (dicts, or frames to concatenate) as a validated :class:`Audit` table."""
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    return _typed_audit(pd.DataFrame(rows or [], columns=AUDIT_COLUMNS))


def _typed_audit(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame of :data:`AUDIT_COLUMNS` the audit's types, and validate it."""
    for col in ("start", "end", "clean_pos"):
        frame[col] = pd.array([None if pd.isna(v) else int(v) for v in frame[col]],
                              dtype="Int64")
    for col in ("doc_id", "stage", "rule", "text", "replacement", "detail"):
        frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
    return Audit.validate(frame)
