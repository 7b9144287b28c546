"""Checks that keep hostile input out: confined paths, binary files, codecs, sizes, dates.

Each check returns a value or raises ``ValueError`` with a message that
:mod:`analysis.corpus.load` turns into a named rejection (``rejected:<reason>`` in the
audit, or a :class:`~analysis.errors.CorpusInputError`).  The limits are
documented in ``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import config

__all__ = ["display", "MAX_DOCUMENT_BYTES", "DATE_MIN", "DATE_MAX", "parse_date", "decode_bytes",
           "binary_reason", "confine", "is_future", "format_bytes"]

#: Largest document (a raw ``.txt``/``.html`` file, or one record's text) a
#: build reads; bigger ones are rejected before they are read.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: The dates a table can hold: pandas stores dates as nanoseconds since 1970,
#: which reach from 1677-09-21 to 2262-04-11; whole years inside that range.
DATE_MIN = dt.date(1678, 1, 1)
DATE_MAX = dt.date(2261, 12, 31)
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
#: Byte-order marks, longest first (the UTF-32 LE mark begins with UTF-16 LE's).
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: File signatures of formats that are never text.
MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\x1f\x8b", "gzip data"),
         (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
         (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
         (b"GIF89a", "a GIF image"), (b"\x7fELF", "an executable"), (b"BZh", "bzip2 data"),
         (b"\xfd7zXZ\x00", "xz data"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
         (b"PAR1", "a Parquet file"), (b"\x28\xb5\x2f\xfd", "zstd data"),
         (b"SQLite format 3\x00", "an SQLite database"), (b"RIFF", "a RIFF media file"),
         (b"OggS", "an Ogg media file"), (b"\xd0\xcf\x11\xe0", "an old Office document"))
#: Share of control bytes (other than tab, newlines, form feed, escape) above
#: which a file is binary: text has next to none.
CONTROL_SHARE = 0.05
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
HEAD = 8192


def display(path: Path | str) -> str:
    """Show a path relative to the project root when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(config.ROOT))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def format_bytes(n: int) -> str:
    """A size for messages.

    Examples
    --------
    >>> format_bytes(20 * 1024 * 1024), format_bytes(1536)
    ('20.0 MB', '1.5 kB')
    """
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def parse_date(value: object) -> tuple[pd.Timestamp, str]:
    """Parse an ISO date of day, month or year precision.

    Parameters
    ----------
    value : object
        ``"YYYY-MM-DD"``, ``"YYYY-MM"``, ``"YYYY"``, or empty / ``"unknown"``.

    Returns
    -------
    (Timestamp or NaT, precision)
        The first day of the period and ``"day"``, ``"month"``, ``"year"`` or
        ``"unknown"``.

    Raises
    ------
    ValueError
        For anything else, and for dates outside :data:`DATE_MIN` to
        :data:`DATE_MAX` (which a table cannot store).

    Examples
    --------
    >>> parse_date("2022-02")
    (Timestamp('2022-02-01 00:00:00'), 'month')
    >>> parse_date("")
    (NaT, 'unknown')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return pd.NaT, "unknown"
    text = str(value).strip()
    if text in ("", "unknown", "NA", "nan", "NaT"):
        return pd.NaT, "unknown"
    forms = (
        (r"\d{4}-\d{2}-\d{2}", "day", lambda t: t),
        (r"\d{4}-\d{2}", "month", lambda t: t + "-01"),
        (r"\d{4}", "year", lambda t: t + "-01-01"),
    )
    for pattern, precision, complete in forms:
        if re.fullmatch(pattern, text, flags=re.ASCII):
            try:
                date = dt.date.fromisoformat(complete(text))
            except ValueError:
                break
            if not DATE_MIN <= date <= DATE_MAX:
                raise ValueError(f"date '{text}' is outside the range a table can store "
                                 f"({DATE_MIN} to {DATE_MAX})")
            return pd.Timestamp(date), precision
    raise ValueError(f"date '{text[:40]}' is not a valid ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def is_future(date: object, *, today: dt.date | None = None) -> bool:
    """Whether a parsed date lies after today (a typo, or a scheduled post).

    Examples
    --------
    >>> is_future(pd.Timestamp("2099-01-01")), is_future(pd.NaT)
    (True, False)
    """
    if not isinstance(date, pd.Timestamp) or pd.isna(date):
        return False
    return date.date() > (today or dt.date.today())


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """Decode bytes: by their byte-order mark, else UTF-8, else cp1252 then latin-1.

    Returns
    -------
    (text, encoding, warning)
        ``warning`` is ``None`` for clean UTF-8 or a clean BOM-marked
        UTF-16/32 text, else it says where decoding failed and what was
        done instead.

    Examples
    --------
    >>> decode_bytes("Suẽ".encode())[:2]
    ('Suẽ', 'utf-8')
    >>> decode_bytes("Suẽ".encode("utf-16"))[:2]
    ('Suẽ', 'utf-16-le')
    >>> decode_bytes(b"caf\\xe9")
    ('café', 'cp1252', 'not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252')
    """
    for bom, codec in BOMS:
        if data.startswith(bom) and codec != "utf-8-sig":
            body = data[len(bom):]
            try:
                return body.decode(codec), codec, None
            except UnicodeDecodeError as err:
                return (body.decode(codec, errors="replace"), codec,
                        f"byte-order mark says {codec} but byte {err.start + len(bom)} is not "
                        "valid there; undecodable bytes replaced by U+FFFD")
    try:
        return data.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError as err:
        where = f"byte 0x{data[err.start]:02x} at offset {err.start}"
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, encoding, f"not valid UTF-8 ({where}); decoded as {encoding}"
    raise AssertionError("latin-1 decodes any byte string")  # pragma: no cover


def binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file say it is not text, or ``None`` if they look like text.

    Checks file signatures (PNG, gzip, PDF, ZIP ...), then NUL bytes and the
    share of control bytes.  A text marked UTF-16/32 by its byte-order mark
    holds NUL bytes and is text.

    Examples
    --------
    >>> binary_reason(b"\\x89PNG\\r\\n\\x1a\\n...")
    'starts like a PNG image'
    >>> binary_reason("Against all imperialisms".encode("utf-16")) is None
    True
    >>> binary_reason(b"plain text\\n") is None
    True
    """
    head = head[:HEAD]
    if any(head.startswith(bom) for bom, _ in BOMS):
        return None
    for magic, what in MAGIC:
        if head.startswith(magic):
            return f"starts like {what}"
    if not head:
        return None
    nul = head.count(0)
    if nul:
        return (f"holds NUL bytes ({nul} in the first {len(head)}): binary, or UTF-16/32 "
                "without a byte-order mark")
    control = sum(head.count(bytes([b])) for b in _CONTROL)
    if control / len(head) > CONTROL_SHARE:
        return f"{control / len(head):.0%} of its first {len(head)} bytes are control characters"
    return None


def confine(file: str, root: Path | str, *, allow_roots: Sequence[Path | str] = ()) -> Path:
    """Resolve a manifest's ``file`` inside ``root`` (or an allowed root), after symlinks.

    Raises
    ------
    ValueError
        For an absolute path, ``..`` leading out, or a symlink pointing out of
        every allowed folder.

    Examples
    --------
    >>> confine("../../etc/passwd", "/srv/corpus")
    Traceback (most recent call last):
    ...
    ValueError: file '../../etc/passwd' resolves to /etc/passwd, outside the manifest's ...
    """
    root = Path(root).resolve()
    path = (root / file).resolve()
    roots = [root, *(Path(r).resolve() for r in allow_roots)]
    if any(path == r or r in path.parents for r in roots):
        return path
    where = "the manifest's folder" + (" or an allowed root" if allow_roots else "")
    raise ValueError(f"file '{file}' resolves to {path}, outside {where} {root} "
                     "(allow other folders with --allow-root)")
