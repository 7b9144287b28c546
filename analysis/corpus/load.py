"""Read a manifest and its raw files into a documents table with provenance.

The manifest (``data/raw/manifest.csv``, documented in ``data/README.md``) has
one row per raw file, checked by :mod:`analysis.corpus.manifest`.  A ``.txt``
or ``.html`` file is one document; a ``.jsonl``, ``.csv`` or ``.parquet`` file
holds one document per record (:mod:`analysis.corpus.records`).

Bad input never passes silently.  With ``on_error="raise"`` (the default) every
problem found is collected and raised together as one :class:`CorpusInputError`
whose lines each name the file and the line, e.g.::

    data/raw/manifest.csv line 7: date '2020-13-01' is not a valid ISO date (YYYY, ...)

With ``on_error="record"`` the offending rows are left out and each becomes a
row of the audit table (stage ``load``, rule ``rejected:<reason>``), so every
document that goes in is either in the output or in the audit with a reason.
A file that is not valid UTF-8 is never an error: it is decoded with a
fallback codec and the fallback is recorded in the audit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import CorpusInputError
from .guard import (
    MAX_DOCUMENT_BYTES,
    binary_reason,
    confine,
    decode_bytes,
    display,
    format_bytes,
    is_future,
    parse_date,
)
from .manifest import load_manifest
from .problems import OnError, _date_reason, _Problems
from .records import RECORD_FIELDS, json_type, read_records
from .schema import Documents, audit_frame

__all__ = ["CorpusInputError", "load_manifest", "load_corpus", "load_rows", "assemble_documents",
           "parse_date", "decode_bytes"]

_HTML_TAG = re.compile(r"<\s*(!doctype|html|head|body|div|p|br|span|a\s|script|table|article)\b",
                       re.IGNORECASE)

_display = display  # the name other modules import


def _looks_like_html(text: str) -> list[str]:
    tags = sorted({m.group(1).lower().strip() for m in _HTML_TAG.finditer(text[:20000])})
    return tags if len(tags) >= 2 or any(t in ("!doctype", "html", "body") for t in tags) else []


def load_corpus(manifest: Path | str = config.MANIFEST, *, root: Path | str | None = None,
                on_error: OnError = "raise", allow_roots: Sequence[Path | str] = (),
                max_document_bytes: int = MAX_DOCUMENT_BYTES
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load every document named in a manifest.

    Parameters
    ----------
    manifest : path-like
        The manifest CSV; file paths in it are relative to ``root``.
    root : path-like, optional
        Folder of the raw files; defaults to the manifest's folder.
    on_error : {"raise", "record"}
        See the module docstring.
    allow_roots : sequence of path-like
        Folders besides ``root`` that manifest files may lie in.  A file
        that resolves (after symlinks) outside all of them is rejected
        (``path_outside_corpus``).
    max_document_bytes : int
        Largest document read (:data:`analysis.corpus.guard.MAX_DOCUMENT_BYTES`);
        bigger ones are rejected unread (``too_large``).

    Returns
    -------
    (documents, audit) : tuple of DataFrame
        ``documents`` follows :class:`analysis.corpus.schema.Documents`: manifest
        metadata plus ``raw_text``, ``sha256`` and ``n_bytes`` of the raw bytes,
        ``encoding`` and the ``manifest_line``.  ``audit`` holds rejections and
        warnings (encoding fallbacks, HTML extraction).
    """
    manifest = Path(manifest)
    root = Path(root) if root is not None else manifest.parent
    # Manifest rows and files are checked together, so one run reports every
    # problem of the input at once.
    table, audit = load_manifest(manifest, on_error="record")
    docs, messages, rows = load_rows(table, root=root, manifest=manifest,
                                     allow_roots=allow_roots,
                                     max_document_bytes=max_document_bytes)
    return assemble_documents(table, audit, [(docs, messages, rows)], root=root,
                              on_error=on_error)


def load_rows(table: pd.DataFrame, *, root: Path | str, manifest: Path | str,
              allow_roots: Sequence[Path | str] = (),
              max_document_bytes: int = MAX_DOCUMENT_BYTES
              ) -> tuple[list[dict], list[str], list[dict]]:
    """Read the files of some manifest rows: the per-file part of :func:`load_corpus`.

    It depends on nothing but its rows, so chunks of a manifest can be read
    in parallel (:mod:`analysis.scale.distributed`) and then put together with
    :func:`assemble_documents`, giving what :func:`load_corpus` gives.

    Parameters
    ----------
    table : DataFrame
        Rows of a validated manifest (:func:`load_manifest`).
    root : path-like
        Folder of the raw files.
    manifest : path-like
        The manifest's path, for messages.
    allow_roots, max_document_bytes
        See :func:`load_corpus`.

    Returns
    -------
    (documents, messages, audit_rows)
        Document dicts, problem messages and audit rows (rejections and
        warnings), in row order.
    """
    root = Path(root)
    problems = _Problems("record")
    where_manifest = _display(Path(manifest))
    docs = []
    for row in table.to_dict("records"):
        row = {k: (None if (not isinstance(v, pd.Timestamp) and pd.isna(v)) else v)
               for k, v in row.items()}
        line = f"{where_manifest} line {row['manifest_line']}"
        try:
            path = confine(row["file"], root, allow_roots=allow_roots)
        except (ValueError, OSError, RuntimeError) as err:
            problems.add(line, str(err), doc_id=row["id"], reason="path_outside_corpus")
            continue
        where = _display(path)
        if not path.is_file():
            problems.add(line, f"file '{row['file']}' not found in {_display(root)}",
                         doc_id=row["id"], reason="missing_file")
            continue
        size = path.stat().st_size
        base = {**row, "doc_id": row["id"], "file": row["file"], "record": pd.NA}
        if row["format"] in ("txt", "html"):
            doc = _file_document(path, size, row, base, where, problems,
                                 max_document_bytes=max_document_bytes)
            if doc is not None:
                docs.append(doc)
            continue
        for rec in read_records(path, row["format"], row, problems,
                                max_bytes=max_document_bytes):
            doc = _record_document(rec, base, where, problems)
            if doc is not None:
                docs.append(doc)
    return docs, problems.messages, problems.audit


def _file_document(path: Path, size: int, row: dict, base: dict, where: str,
                   problems: _Problems, *, max_document_bytes: int) -> dict | None:
    """A ``.txt`` or ``.html`` file of ``size`` bytes as one document dict, or ``None``."""
    if size > max_document_bytes:
        problems.add(where, f"file is {format_bytes(size)}, over the limit of "
                     f"{format_bytes(max_document_bytes)} per document "
                     "(max_document_bytes, --max-document-mb)", doc_id=row["id"],
                     reason="too_large")
        return None
    data = path.read_bytes()
    binary = binary_reason(data[:8192])
    if binary:
        problems.add(where, f"not a text file: it {binary}", doc_id=row["id"],
                     reason="binary_file")
        return None
    text, encoding, warning = decode_bytes(data)
    if not text.strip():
        problems.add(where, "file is empty" if not data else "file holds only whitespace",
                     doc_id=row["id"], reason="empty_document")
        return None
    if warning:
        problems.warn(where, warning, doc_id=row["id"], rule="encoding_fallback")
    if row["format"] == "txt":
        tags = _looks_like_html(text)
        if tags:
            problems.add(where, f"text file holds HTML (tags: {', '.join(tags)}); "
                         "rename it .html or set format=html in the manifest",
                         doc_id=row["id"], reason="html_as_text")
            return None
    else:
        text = _extract_html(text, where, row, problems)
        if text is None:
            return None
        base["title"] = row["title"]
    return {**base, "raw_text": text, "encoding": encoding,
            "sha256": hashlib.sha256(data).hexdigest(), "n_bytes": len(data)}


def _record_document(rec: dict, base: dict, where: str, problems: _Problems) -> dict | None:
    """One record of a container file as a document dict, or ``None`` if rejected."""
    doc_id = f"{base['id']}:{rec['record_id']}"
    here = f"{where} {rec['line']}"
    text = rec["text"]
    doc = {**base, "doc_id": doc_id, "record": rec["record"], "raw_text": text,
           "encoding": "utf-8", "sha256": hashlib.sha256(text.encode()).hexdigest(),
           "n_bytes": len(text.encode())}
    for key in RECORD_FIELDS:
        value = rec.get(key)
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            problems.add(here, f"{key} is {json_type(value)}, not a string", doc_id=doc_id,
                         reason="bad_field")
            return None
        value = str(value).strip()
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problems.add(here, f"{key} holds a lone surrogate, not valid Unicode",
                         doc_id=doc_id, reason="invalid_unicode")
            return None
        if value:
            doc[key] = value
    if "date" in rec and doc.get("date") is not None and not isinstance(
            doc["date"], pd.Timestamp):
        try:
            doc["date"], doc["date_precision"] = parse_date(doc["date"])
        except ValueError as err:
            problems.add(here, str(err), doc_id=doc_id, reason=_date_reason(err))
            return None
        if is_future(doc["date"]):
            problems.warn(here, f"date {doc['date'].date()} lies in the future", doc_id=doc_id,
                          rule="future_date")
    if _looks_like_html(text):
        problems.add(here, "text field holds HTML; strip it before loading or save "
                     "the page as .html", doc_id=doc_id, reason="html_as_text")
        return None
    return doc


def assemble_documents(table: pd.DataFrame, audit: pd.DataFrame,
                       chunks: list[tuple[list[dict], list[str], list[dict]]], *,
                       root: Path | str, on_error: OnError = "raise"
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Put the outputs of :func:`load_rows` together, as :func:`load_corpus` returns them.

    Parameters
    ----------
    table, audit : DataFrame
        The manifest and its audit from ``load_manifest(..., on_error="record")``.
    chunks : list of (documents, messages, audit_rows)
        :func:`load_rows` outputs, in manifest order.
    root : path-like
        Folder of the raw files, for messages.
    on_error : {"raise", "record"}
        See :func:`load_corpus`.

    Returns
    -------
    (documents, audit) : tuple of DataFrame
    """
    root = Path(root)
    problems = _Problems(on_error)
    problems.messages.extend(audit["detail"].tolist())
    docs = []
    for chunk_docs, messages, rows in chunks:
        docs.extend(chunk_docs)
        problems.messages.extend(messages)
        problems.audit.extend(rows)
    seen: dict[str, int] = {}
    unique_docs = []
    for doc in docs:
        if doc["doc_id"] in seen:
            problems.add(f"{_display(root / doc['file'])}",
                         f"duplicate document id '{doc['doc_id']}'", doc_id=doc["doc_id"],
                         reason="duplicate_id")
            continue
        seen[doc["doc_id"]] = 1
        unique_docs.append(doc)
    problems.finish()
    columns = ["doc_id", *[c for c in table.columns if c != "id"], "record", "raw_text",
               "encoding", "sha256", "n_bytes"]
    documents = _validated(pd.DataFrame(unique_docs, columns=columns), problems)
    problems.finish()
    audit = audit_frame(audit.to_dict("records") + problems.audit)
    return documents, audit


def _typed(documents: pd.DataFrame) -> pd.DataFrame:
    documents = documents.reset_index(drop=True)
    documents["record"] = documents["record"].astype("Int64")
    documents["date"] = pd.to_datetime(documents["date"])
    documents["n_bytes"] = documents["n_bytes"].astype(int)
    documents["manifest_line"] = documents["manifest_line"].astype(int)
    return Documents.validate(documents)


def _validated(documents: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    """Documents checked against their schema; a row that fails it is rejected alone.

    Every check before this one should have caught bad input, so a failure
    here is a gap in them: it is still one document's problem, reported with
    the schema's own words (``rejected:schema``), never a traceback.
    """
    import pandera.errors

    try:
        return _typed(documents)
    except (pandera.errors.SchemaError, ValueError, TypeError, OverflowError):
        pass
    kept = []
    for i in range(len(documents)):
        row = documents.iloc[[i]]
        try:
            _typed(row.copy())
        except (pandera.errors.SchemaError, ValueError, TypeError, OverflowError) as err:
            detail = " ".join(str(err).split())[:300]
            doc_id = str(row["doc_id"].iloc[0])
            problems.add(f"document {doc_id}", f"fails the documents schema ({detail})",
                         doc_id=doc_id, reason="schema")
            continue
        kept.append(i)
    return _typed(documents.iloc[kept].copy())


def _extract_html(html: str, where: str, row: dict, problems: _Problems) -> str | None:
    """Main text of an HTML page through trafilatura; ``None`` if there is none."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True,
                               favor_recall=True, deduplicate=False)
    if not text or not text.strip():
        problems.add(where, "trafilatura found no main text in this HTML page",
                     doc_id=row["id"], reason="empty_document")
        return None
    if not row.get("title"):
        meta = trafilatura.extract_metadata(html)
        if meta is not None and meta.title:
            row["title"] = meta.title
    problems.warn(where, f"HTML page of {len(html)} characters -> {len(text)} characters of "
                  "main text (trafilatura)", doc_id=row["id"], rule="html_extraction")
    return text
