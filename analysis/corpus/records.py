"""Read container files (JSON lines, CSV, Parquet) into checked records.

What the format says is what is read:

* JSON lines are split on ``\\n`` only (U+2028, U+0085 and lone ``\\r`` may sit
  inside a JSON string), and line numbers are those of the file;
* a record without its text, or with text that is not a string (a number,
  a list, an object, ``true``), is rejected alone, with the type named,
  never turned into text with ``str()``;
* generated ids (for records without one) never collide with given ids;
* a record id must make a valid document id (``<manifest id>:<record id>``);
* a record's text over the size limit is rejected.

Every rejection goes through ``problems.add(where, message, doc_id=..., reason=...)``
(see :mod:`analysis.corpus.problems`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .guard import binary_reason, decode_bytes, display, format_bytes
from .schema import ID_PATTERN

__all__ = ["read_records", "json_type"]

RECORD_FIELDS = ("title", "date", "url", "author", "source")


def json_type(value: object) -> str:
    """How a value's type is named in messages (JSON's names where there is one).

    Examples
    --------
    >>> json_type(12345), json_type(["a"]), json_type(True), json_type({})
    ('a number', 'a list', 'a boolean', 'an object')
    """
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA


def _jsonl(path: Path, data: bytes, row: dict, problems) -> list[dict]:
    where = display(path)
    text, _, warning = decode_bytes(data)
    if warning:
        problems.warn(where, warning, doc_id=row["id"], rule="encoding_fallback")
    records = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            problems.add(f"{where} line {n}", f"invalid JSON ({err.msg})",
                         doc_id=f"{row['id']}:line{n}", reason="broken_record")
            continue
        except RecursionError:
            problems.add(f"{where} line {n}", "JSON nested too deeply",
                         doc_id=f"{row['id']}:line{n}", reason="broken_record")
            continue
        if not isinstance(obj, dict):
            problems.add(f"{where} line {n}", f"expected a JSON object, got {json_type(obj)}",
                         doc_id=f"{row['id']}:line{n}", reason="broken_record")
            continue
        records.append({**obj, "_line": f"line {n}"})
    return records


def read_records(path: Path, fmt: str, row: dict, problems, *,
                 max_bytes: int) -> list[dict]:
    """Read a container file into checked records.

    Returns
    -------
    list of dict
        ``record_id`` (given or generated), ``record`` (its number in the
        file), ``text`` (a non-empty string), ``line`` (``"line N"`` or
        ``"row N"``) and the :data:`RECORD_FIELDS` the record holds.
    """
    where = display(path)
    id_col, text_col = row.get("id_col") or "id", row.get("text_col") or "text"
    records = _raw_records(path, fmt, row, problems, where=where)
    if records is None:
        return []
    if records and not any(text_col in rec for rec in records):
        columns = list(dict.fromkeys(k for rec in records for k in rec if k != "_line"))
        problems.add(where, f"no text column '{text_col}' (columns: {', '.join(columns)}); "
                     "set text_col in the manifest", doc_id=row["id"], reason="missing_column")
        return []
    given = set()
    for rec in records:
        value = rec.get(id_col)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            given.add(str(value).strip())
    out, used = [], set()
    for i, rec in enumerate(records):
        here = f"{where} {rec['_line']}"
        fallback_id = f"{row['id']}:{rec['_line'].replace(' ', '')}"
        value = rec.get(id_col)
        if _missing(value) or (isinstance(value, str) and not value.strip()):
            rec_id = str(i)
            while rec_id in given or rec_id in used:  # never take a given id
                rec_id += "_"
        elif isinstance(value, str | int) and not isinstance(value, bool):
            rec_id = str(value).strip()
        else:
            problems.add(here, f"id is {json_type(value)}, not a string or integer",
                         doc_id=fallback_id, reason="bad_id")
            continue
        doc_id = f"{row['id']}:{rec_id}"
        if not re.fullmatch(ID_PATTERN, doc_id):
            problems.add(here, f"record id {rec_id[:60]!r} may only hold letters, digits "
                         "and . _ : -", doc_id=fallback_id, reason="bad_id")
            continue
        used.add(rec_id)
        text = _checked_text(rec, text_col, here, doc_id, problems, max_bytes=max_bytes)
        if text is None:
            continue
        out.append({"record_id": rec_id, "record": i, "text": text, "line": rec["_line"],
                    **{k: rec.get(k) for k in RECORD_FIELDS if k in rec}})
    return out


def _raw_records(path: Path, fmt: str, row: dict, problems, *, where: str) -> list[dict] | None:
    """The file's records as dicts with their ``_line``, or ``None`` if it cannot be read."""
    if fmt != "parquet":
        with path.open("rb") as fh:
            head = fh.read(8192)
        reason = binary_reason(head)
        if reason:
            problems.add(where, f"not a {fmt} text file: it {reason}", doc_id=row["id"],
                         reason="binary_file")
            return None
    if fmt == "jsonl":
        return _jsonl(path, path.read_bytes(), row, problems)
    try:
        if fmt == "csv":
            encoding = decode_bytes(head[:4])[1] if head[:2] in (b"\xff\xfe", b"\xfe\xff") \
                else "utf-8-sig"
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        else:
            frame = pd.read_parquet(path)
    except Exception as err:  # noqa: BLE001 - any reader failure is reported
        detail = " ".join(str(err).split())[:200]
        problems.add(where, f"cannot read {fmt} ({type(err).__name__}: {detail})",
                     doc_id=row["id"], reason="unreadable_file")
        return None
    offset, unit = (2, "line") if fmt == "csv" else (0, "row")
    return [{**{str(k): v for k, v in rec.items()}, "_line": f"{unit} {i + offset}"}
            for i, rec in enumerate(frame.to_dict("records"))]


def _checked_text(rec: dict, text_col: str, here: str, doc_id: str, problems, *,
                  max_bytes: int) -> str | None:
    """The record's text if it is a non-empty string of valid Unicode within the limit."""
    if text_col not in rec:
        problems.add(here, f"no '{text_col}' field", doc_id=doc_id, reason="missing_text")
        return None
    text = rec[text_col]
    if _missing(text) or (isinstance(text, str) and not text.strip()):
        problems.add(here, "empty text", doc_id=doc_id, reason="empty_document")
        return None
    if not isinstance(text, str):
        problems.add(here, f"text is {json_type(text)} ({str(text)[:40]}), not a string",
                     doc_id=doc_id, reason="non_string_text")
        return None
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as err:
        problems.add(here, f"text holds a lone surrogate ({text[err.start]!r} at character "
                     f"{err.start}), not valid Unicode", doc_id=doc_id,
                     reason="invalid_unicode")
        return None
    if size > max_bytes:
        problems.add(here, f"text is {format_bytes(size)}, over the limit of "
                     f"{format_bytes(max_bytes)} per document", doc_id=doc_id,
                     reason="too_large")
        return None
    return text
