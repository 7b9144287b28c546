"""Reading framing inputs: the gold set and texts to score (JSON lines, CSV, Parquet)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus.schema import check_table
from .labels import DEFAULT_GOLD
from .lexicon import FramingInputError
from .schema import GoldFileSchema, GoldSchema

# --------------------------------------------------------------------------
# Gold labels and input text
# --------------------------------------------------------------------------


def read_gold(path: Path | str = DEFAULT_GOLD) -> pd.DataFrame:
    """Read and check the hand-coded gold set.

    Parameters
    ----------
    path : path-like
        CSV with at least ``item_id, group, language, label, coder,
        constructed, text`` (see ``data/annotations/codebook.md``).

    Returns
    -------
    DataFrame
        One row per item; ``constructed`` as bool.

    Raises
    ------
    FramingInputError
        For an unreadable file, and for every missing column, unknown label,
        blank text, duplicate id or bad ``constructed`` value at once
        (:class:`~analysis.framing.schema.GoldFileSchema`), naming the file,
        line and column.
    """
    path = Path(path)
    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False)
        lines = _record_lines(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, csv.Error) as err:
        raise FramingInputError(f"{path}: cannot read the gold file ({err})") from err
    where = str(path)
    gold = check_table(GoldFileSchema, gold, where=where, error=FramingInputError,
                       first_line=lines if len(lines) == len(gold) else 2)
    gold = gold.assign(constructed=gold["constructed"].isin(["True", "true", "1"]))
    return check_table(GoldSchema, gold, where=where, error=FramingInputError)


def _record_lines(path: Path) -> list[int]:
    """The line each CSV record starts on (texts may span several lines)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        starts, start = [], 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
    return starts[1:]


#: Input formats of :func:`read_texts`, by file suffix.
INPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                 ".pq": "parquet"}


def _read_jsonl(path: Path) -> pd.DataFrame:
    """Records of a JSON-lines file, split on ``\\n`` only (JSON strings may hold U+2028)."""
    import json

    from ..corpus.guard import BOMS, binary_reason

    data = path.read_bytes()
    reason = binary_reason(data[:8192])
    if reason:
        raise FramingInputError(f"{path}: not a JSON-lines text file: it {reason}")
    codec = next((c for bom, c in BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as err:
        raise FramingInputError(f"{path}: not {codec.upper()} text ({err.reason} at byte "
                                f"{err.start})") from err
    if codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = text.removeprefix("\ufeff")
    records, lines = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise FramingInputError(f"{path} line {number}: not valid JSON "
                                    f"({err.msg})") from err
        except RecursionError as err:
            raise FramingInputError(f"{path} line {number}: JSON nested too deeply") from err
        if not isinstance(record, dict):
            raise FramingInputError(f"{path} line {number}: expected a JSON object, "
                                    f"got {type(record).__name__}")
        records.append(record)
        lines.append(number)
    return pd.DataFrame.from_records(records).assign(_where=[f"line {n}" for n in lines])


def read_texts(path: Path | str, *, id_col: str = "id", text_col: str = "text",
               language_col: str | None = None) -> pd.DataFrame:
    """Read texts to score from a JSON-lines, CSV or Parquet file.

    Parameters
    ----------
    path : path-like
        ``.jsonl`` (one JSON object per line), ``.csv`` (with a header) or
        ``.parquet``.
    id_col, text_col : str
        Columns holding each text's id and raw text.
    language_col : str, optional
        A column of ISO 639-1 codes, if the languages are known.

    Returns
    -------
    DataFrame
        ``id``, ``text`` (and ``language``), one row per record, in file order.

    Raises
    ------
    FramingInputError
        For a missing, unreadable or binary file, an unsupported format,
        invalid JSON, a missing column, a record without id or text, a text
        that is not a string (its type is named), or a duplicate id; the
        message names the file and the line (JSON lines) or row (CSV, Parquet).
    """
    path = Path(path)
    fmt = INPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FramingInputError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                                f"use .jsonl, .csv or .parquet")
    if not path.is_file():
        raise FramingInputError(f"{path}: no such file")
    table = _read_table(path, fmt)
    if table.empty:
        raise FramingInputError(f"{path}: the file holds no records")
    wanted = [id_col, text_col] + ([language_col] if language_col else [])
    for col in wanted:
        if col not in table.columns:
            have = ", ".join(str(c) for c in table.columns if c != "_where") or "none"
            raise FramingInputError(f"{path}: no column {col!r} (columns: {have}); "
                                    f"choose others with --id-col/--text-col")
    for col in (id_col, text_col):
        missing = table[col].isna()
        if missing.any():
            where = table["_where"][missing].iloc[0]
            raise FramingInputError(f"{path} {where}: missing {col!r}")
    _check_types(path, table, id_col=id_col, text_col=text_col)
    ids = table[id_col].map(lambda v: v if isinstance(v, str) else str(int(v)))
    dupes = ids.duplicated(keep=False)
    if dupes.any():
        first = ids[dupes].iloc[0]
        where = ", ".join(table["_where"][ids == first].head(5))
        raise FramingInputError(f"{path}: duplicate id {first!r} ({where}); "
                                f"{int(ids.duplicated().sum())} duplicate(s) in all; ids must "
                                "be unique so scores can be joined back")
    if language_col:
        _check_languages(path, table, language_col)
    out = pd.DataFrame({"id": ids.to_numpy(), "text": table[text_col].to_numpy()})
    if language_col:
        out["language"] = table[language_col].to_numpy()
    return out


def _read_table(path: Path, fmt: str) -> pd.DataFrame:
    """The file as a table with each record's place (``line N``, ``row N``) in ``_where``."""
    try:
        if fmt == "jsonl":
            table = _read_jsonl(path)
        elif fmt == "csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            table["_where"] = [f"row {i}" for i in range(1, len(table) + 1)]
        else:
            table = pd.read_parquet(path)
            table["_where"] = [f"row {i}" for i in range(1, len(table) + 1)]
    except FramingInputError:
        raise
    except UnicodeDecodeError as err:
        raise FramingInputError(f"{path}: not UTF-8 text ({err.reason})") from err
    except pd.errors.EmptyDataError as err:
        raise FramingInputError(f"{path}: the file is empty") from err
    except (pd.errors.ParserError, OSError, ValueError) as err:
        detail = " ".join(str(err).split())[:200]
        raise FramingInputError(f"{path}: cannot read as {fmt} ({detail})") from err
    return table


def _check_types(path: Path, table: pd.DataFrame, *, id_col: str, text_col: str) -> None:
    """Raise unless every text is a string and every id a string or integer, valid Unicode."""
    from ..corpus.records import json_type

    for col, allowed in ((text_col, (str,)), (id_col, (str, int, np.integer))):
        for value, where in zip(table[col], table["_where"], strict=True):
            if not isinstance(value, allowed) or isinstance(value, bool | np.bool_):
                raise FramingInputError(f"{path} {where}: {col!r} is {json_type(value)} "
                                        f"({str(value)[:40]}), not a string")
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as err:
                    raise FramingInputError(f"{path} {where}: {col!r} holds a lone surrogate, "
                                            "not valid Unicode") from err


def _check_languages(path: Path, table: pd.DataFrame, language_col: str) -> None:
    """Raise unless every language is a string or missing."""
    from ..corpus.records import json_type

    for value, where in zip(table[language_col], table["_where"], strict=True):
        if not (value is None or isinstance(value, str)
                or (isinstance(value, float) and np.isnan(value))):
            raise FramingInputError(f"{path} {where}: {language_col!r} is "
                                    f"{json_type(value)}, not a language code")


def split_text(raw: str) -> list[str]:
    """Clean a raw text with the corpus rules and split it into paragraphs.

    Examples
    --------
    >>> split_text("First paragraph.\\n\\nSecond one. Continue reading\\n\\nShare this:")
    ['First paragraph.', 'Second one.']
    """
    from ..corpus.clean import clean_text

    text = clean_text(raw if isinstance(raw, str) else "").text
    return [p.strip() for p in text.split("\n\n") if p.strip()]


