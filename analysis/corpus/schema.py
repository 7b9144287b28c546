"""Pandera schemas for every table that crosses a module boundary.

Column names live here.  A DataFrameModel attribute returns its column name
(``Posts.post_id == "post_id"``), so code refers to ``Posts.post_id`` rather
than scattering string literals.
"""

from __future__ import annotations

from collections.abc import Sequence

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


# --------------------------------------------------------------------------- error reports

#: Built-in pandera checks, as the plain reason an error message gives.
_REASONS = (
    (r"^isin\((?P<arg>.*)\)$", lambda a: "is not one of " + ", ".join(
        s.strip().strip("'\"") for s in a.strip("[]").split(","))),
    (r"^str_matches\('?(?P<arg>.*?)'?\)$", lambda a: f"does not match {a}"),
    (r"^str_length\(1, None\)$", lambda a: "is empty"),
    (r"^greater_than_or_equal_to\((?P<arg>.*)\)$", lambda a: f"is below {a}"),
    (r"^greater_than\((?P<arg>.*)\)$", lambda a: f"is not above {a}"),
    (r"^less_than_or_equal_to\((?P<arg>.*)\)$", lambda a: f"is above {a}"),
    (r"^less_than\((?P<arg>.*)\)$", lambda a: f"is not below {a}"),
    (r"^in_range\((?P<arg>.*)\)$", lambda a: f"is outside [{a}]"),
    (r"^(field_uniqueness|unique|multiple_fields_uniqueness)$", lambda a: "is a duplicate"),
    (r"^not_nullable$", lambda a: "is missing"),
)


def _reason(check: str) -> str:
    import re

    for pattern, say in _REASONS:
        found = re.match(pattern, check)
        if found:
            return say(found.groupdict().get("arg", ""))
    return check  # a custom check: its name is the reason ("must sum to 1")


def describe_failures(err, *, where: str, first_line: int | Sequence[int] | None = None,
                      max_cases: int = 5) -> str:
    """A readable report of a pandera ``SchemaErrors`` that names the place.

    Parameters
    ----------
    err : pandera.errors.SchemaErrors
        The lazy validation error.
    where : str
        What was validated, e.g. a file path or ``"score_framing output"``.
    first_line : int or sequence of int, optional
        The file line of the first row (an int: rows are consecutive lines),
        or the line of each row; rows are named by position otherwise.
    max_cases : int
        Failure cases listed per column and check.

    Returns
    -------
    str
        One line per problem: ``"<where> line 3: label 'pro_china' is not
        one of anti_us, ..."``, missing and unexpected columns first.

    Examples
    --------
    >>> try:
    ...     check_table(Manifest, pd.DataFrame({"id": ["a"]}), where="manifest.csv")
    ... except ValueError as e:
    ...     print(str(e).splitlines()[0])
    manifest.csv: missing column(s) file, kind, source, format, date, date_precision, manifest_line
    """
    cases = err.failure_cases
    lines: list[str] = []

    def position(index) -> str:
        if index is None or pd.isna(index):
            return ""
        if first_line is None:
            return f" row {int(index)}"
        if isinstance(first_line, int):
            return f" line {int(index) + first_line}"
        return f" line {first_line[int(index)]}"

    missing = cases.loc[cases["check"] == "column_in_dataframe", "failure_case"].tolist()
    if missing:
        lines.append(f"{where}: missing column(s) {', '.join(map(str, missing))}")
    extra = cases.loc[cases["check"] == "column_in_schema", "failure_case"].tolist()
    if extra:
        lines.append(f"{where}: unexpected column(s) {', '.join(map(str, extra))}")
    rest = cases[~cases["check"].isin(["column_in_dataframe", "column_in_schema"])]
    frame_level = rest["schema_context"] == "DataFrameSchema"
    for check, group in rest[frame_level].groupby("check", sort=False):
        rows = list(dict.fromkeys(group["index"].dropna()))
        shown = ", ".join(position(i).strip() for i in rows[:max_cases])
        more = f" and {len(rows) - max_cases} more" if len(rows) > max_cases else ""
        lines.append(f"{where}: {check} ({shown}{more})")
    for (column, check), group in rest[~frame_level].groupby(["column", "check"], sort=False):
        if str(check).startswith("dtype("):
            lines.append(f"{where}: column {column!r} has type {group['failure_case'].iloc[0]}, "
                         f"expected {str(check)[6:-1]}")
            continue
        for case in group.head(max_cases).itertuples(index=False):
            value = case.failure_case
            shown = "missing" if value is None or (isinstance(value, float) and pd.isna(value)) \
                else repr(value)
            lines.append(f"{where}{position(case.index)}: {column} {shown} {_reason(str(check))}")
        if len(group) > max_cases:
            lines.append(f"{where}: {column}: {len(group) - max_cases} more value(s) "
                         f"{_reason(str(check))}")
    return "\n".join(lines)


def check_table(model, df: pd.DataFrame, *, where: str, error: type[Exception] = ValueError,
                first_line: int | Sequence[int] | None = None) -> pd.DataFrame:
    """Validate ``df`` against a pandera model, all problems at once, naming the place.

    Parameters
    ----------
    model : pandera DataFrameModel or DataFrameSchema
        The schema.
    df : DataFrame
        The table; not modified.
    where : str
        The file or function the table comes from, for the message.
    error : exception class
        Raised with :func:`describe_failures`'s report (``ValueError`` by default).
    first_line : int or sequence of int, optional
        See :func:`describe_failures`.

    Returns
    -------
    DataFrame
        The validated (and, where the schema coerces, converted) table.
    """
    try:
        return model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        report = describe_failures(err, where=where, first_line=first_line)
        # pandera's own report is long JSON: keep it as an attribute, not in the traceback.
        from ..errors import CorpusInputError

        takes_list = issubclass(error, CorpusInputError) and \
            error.__init__ is CorpusInputError.__init__
        exc = error(report.splitlines() if takes_list else report)
        exc.failure_cases = err.failure_cases
        raise exc from None
