"""Read and validate a manifest: one checked row per raw file of the corpus.

The manifest (``data/raw/manifest.csv``, documented in ``data/README.md``)
names each raw file with its ``id``, ``file``, ``kind`` and ``source``, and
optionally its format, title, date and more (:data:`OPTIONAL_COLUMNS`).  Every
bad row is reported with its line (see :mod:`analysis.corpus.problems`);
:func:`analysis.corpus.load.load_corpus` then reads the files.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import CorpusInputError
from .guard import decode_bytes, display, is_future, parse_date
from .problems import OnError, _date_reason, _Problems
from .schema import FORMATS, ID_PATTERN, KINDS, Manifest, audit_frame

__all__ = ["REQUIRED_COLUMNS", "OPTIONAL_COLUMNS", "EXTENSIONS", "load_manifest"]

REQUIRED_COLUMNS = ("id", "file", "kind", "source")
OPTIONAL_COLUMNS = (
    "format",
    "source_name",
    "url",
    "title",
    "author",
    "date",
    "date_precision",
    "languages",
    "notes",
    "id_col",
    "text_col",
)
EXTENSIONS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html",
              ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def load_manifest(path: Path | str = config.MANIFEST, *, on_error: OnError = "raise"):
    """Read and validate a manifest.

    Parameters
    ----------
    path : path-like
        The manifest CSV.
    on_error : {"raise", "record"}
        Raise one :class:`CorpusInputError` listing every bad row, or leave bad
        rows out and return them as audit rows.

    Returns
    -------
    (manifest, audit) : tuple of DataFrame
        The valid rows (validated by :class:`analysis.corpus.schema.Manifest`), with
        the line each came from in ``manifest_line``; and the audit rows of
        rejected rows.
    """
    path = Path(path)
    where = display(path)
    problems = _Problems(on_error)
    reader, header = _manifest_reader(path, where)
    rows, seen = [], {}
    line = 2
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.add(f"{where} line {line}", f"unreadable CSV row ({err})",
                         doc_id=f"{where}:{line}", reason="broken_manifest_row")
            break
        start, line = line, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        here = f"{where} line {start}"
        if len(fields) != len(header):
            problems.add(here, f"expected {len(header)} fields, found {len(fields)} "
                         "(a missing comma or an unclosed quote?)",
                         doc_id=fields[0].strip() or f"{where}:{start}",
                         reason="broken_manifest_row")
            continue
        row = {k: v.strip() for k, v in zip(header, fields, strict=True)}
        row = _checked_manifest_row(row, here, start=start, seen=seen, problems=problems,
                                    doc_id=row["id"] or f"{where}:{start}")
        if row is not None:
            rows.append(row)
    problems.finish()
    return _manifest_frame(rows, header), audit_frame(problems.audit)


def _manifest_reader(path: Path, where: str):
    """A CSV reader past the manifest's header, and the header; raises if there is none."""
    if not path.is_file():
        raise CorpusInputError([f"{where}: manifest not found"])
    text, _, warning = decode_bytes(path.read_bytes())
    if warning:
        raise CorpusInputError([f"{where}: manifest is {warning}; save it as UTF-8"])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CorpusInputError([f"{where}: manifest is empty"]) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CorpusInputError(
            [f"{where} line 1: missing required column(s) {', '.join(map(repr, missing))}"]
        )
    return reader, header


def _checked_manifest_row(row: dict, here: str, *, start: int, seen: dict[str, int],
                          problems: _Problems, doc_id: str) -> dict | None:
    """One manifest row checked and completed (format, date, precision), or ``None``."""
    bad = [c for c in REQUIRED_COLUMNS if not row[c]]
    if bad:
        problems.add(here, f"empty required field(s) {', '.join(map(repr, bad))}",
                     doc_id=doc_id, reason="broken_manifest_row")
        return None
    if not re.fullmatch(ID_PATTERN, row["id"]):
        problems.add(here, f"id '{row['id']}' may only hold letters, digits and . _ : -",
                     doc_id=doc_id, reason="broken_manifest_row")
        return None
    if row["id"] in seen:
        problems.add(here, f"duplicate id '{row['id']}' (first on line {seen[row['id']]})",
                     doc_id=doc_id, reason="duplicate_id")
        return None
    seen[row["id"]] = start
    if row["kind"] not in KINDS:
        problems.add(here, f"kind '{row['kind']}' must be one of {', '.join(KINDS)}",
                     doc_id=doc_id, reason="broken_manifest_row")
        return None
    fmt = row.get("format") or EXTENSIONS.get(Path(row["file"]).suffix.lower(), "")
    if fmt not in FORMATS:
        problems.add(here, f"cannot tell the format of '{row['file']}': use one of "
                     f"{', '.join(EXTENSIONS)} or set the format column",
                     doc_id=doc_id, reason="broken_manifest_row")
        return None
    try:
        date, precision = parse_date(row.get("date"))
    except ValueError as err:
        problems.add(here, str(err), doc_id=doc_id, reason=_date_reason(err))
        return None
    if is_future(date):
        problems.warn(here, f"date {row['date']} lies in the future", doc_id=doc_id,
                      rule="future_date")
    stated = row.get("date_precision") or precision
    if stated not in ("day", "month", "year", "unknown"):
        problems.add(here, f"date_precision '{stated}' must be day, month, year or unknown",
                     doc_id=doc_id, reason="broken_manifest_row")
        return None
    row.update(format=fmt, date=date, date_precision=stated, manifest_line=start)
    return row


def _manifest_frame(rows: list[dict], header: list[str]) -> pd.DataFrame:
    """The checked manifest rows as a table validated by :class:`Manifest`."""
    columns = list(dict.fromkeys([*header, *OPTIONAL_COLUMNS, "manifest_line"]))
    manifest = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col not in ("date", "manifest_line"):
            manifest[col] = manifest[col].replace("", None).astype("object")
    manifest["date"] = pd.to_datetime(manifest["date"])
    manifest["manifest_line"] = manifest["manifest_line"].astype(int)
    manifest["date_precision"] = manifest["date_precision"].fillna("unknown")
    return Manifest.validate(manifest)
