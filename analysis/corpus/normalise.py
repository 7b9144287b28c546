"""Normalise text line by line: ``str -> str`` normalisers and their pipeline.

In the manner of textacy's ``preprocessing``, each normaliser is a small
``str -> str`` function (:func:`fix_unicode`, :func:`replace_special_spaces`,
:func:`remove_invisible`, :func:`fix_mixed_scripts`); :func:`make_pipeline`
composes them once into :data:`normalise_line`.  :func:`normalise_text`
applies it to each line of a text and returns one audit row (stage
``normalise``) per changed line.  Cleaning (:mod:`analysis.corpus.clean`)
starts from this normalised text.

A build normalises every document twice (to find a site's repeated lines,
then to clean it); within :func:`_shared_lines` each distinct line is
normalised once.

Examples
--------
>>> text, audit = normalise_text("13\\u00a0countries\\nplain")
>>> text
'13 countries\\nplain'
>>> [(row["start"], row["end"], row["replacement"]) for row in audit]
[(0, 12, '13 countries')]
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable

import ftfy

__all__ = [
    "make_pipeline",
    "fix_unicode",
    "replace_special_spaces",
    "remove_invisible",
    "fix_mixed_scripts",
    "normalise_line",
    "normalise_text",
]

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_LAT2CYR = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
_CYR2LAT = {v: k for k, v in _LAT2CYR.items()}
_WORD = re.compile(r"\w+")


def make_pipeline(*funcs: Callable[[str], str]) -> Callable[[str], str]:
    """Compose ``str -> str`` functions, applied left to right.

    Examples
    --------
    >>> make_pipeline(str.strip, str.lower)("  Hello ")
    'hello'
    """

    def pipeline(text: str) -> str:
        for func in funcs:
            text = func(text)
        return text

    return pipeline


def fix_unicode(text: str) -> str:
    """Repair mojibake, straighten curly quotes and apply NFC (ftfy).

    Examples
    --------
    >>> fix_unicode("SueÃ±os Repetidos â€” â€œliveâ€\x9d")
    'Sueños Repetidos — "live"'
    """
    return ftfy.fix_text(text, uncurl_quotes=True, normalization="NFC")


def replace_special_spaces(text: str) -> str:
    """Turn no-break and other typographic spaces into plain spaces.

    Examples
    --------
    >>> replace_special_spaces("13\\u00a0countries")
    '13 countries'
    """
    return _SPACES.sub(" ", text)


def remove_invisible(text: str) -> str:
    """Drop soft hyphens, zero-width characters and stray byte-order marks."""
    return _INVISIBLE.sub("", text)


def fix_mixed_scripts(text: str) -> str:
    """Repair words that mix Latin and Cyrillic look-alike letters.

    Scrapes and copy-pasted statements often hold words such as ``Pоссия``
    with a Latin ``P``.  In a word that mixes the two scripts, look-alike
    letters of the minority script are replaced by those of the majority.

    Examples
    --------
    >>> fix_mixed_scripts("Pоссия and Russiа")
    'Россия and Russia'
    """
    if text.isascii():  # no Cyrillic letter, nothing to repair
        return text

    def repair(match: re.Match) -> str:
        word = match.group()
        if word.isascii():
            return word
        cyr = sum("CYRILLIC" in unicodedata.name(c, "") for c in word)
        lat = sum("LATIN" in unicodedata.name(c, "") for c in word)
        if not cyr or not lat:
            return word
        table = _LAT2CYR if cyr >= lat else _CYR2LAT
        return "".join(table.get(c, c) for c in word)

    return _WORD.sub(repair, text)


#: The normaliser applied to every line before the removal rules run.
normalise_line = make_pipeline(fix_unicode, replace_special_spaces, remove_invisible,
                               fix_mixed_scripts)


def _is_plain(line: str) -> bool:
    """True when :data:`normalise_line` cannot change ``line``.

    Printable ASCII without ``&`` is left alone by every normaliser: ftfy
    only changes ASCII text through HTML entities (``&``), terminal escapes
    and control characters, and the other normalisers act on non-ASCII
    characters only.  Skipping ftfy on such lines is the main saving of
    cleaning at scale; ``tests/test_fastpaths.py`` checks the equivalence.
    """
    return line.isascii() and line.isprintable() and "&" not in line


#: Normalised lines by raw line while :func:`_shared_lines` is active (a
#: build normalises every document twice: to find repeated lines, then to
#: clean it).  ``None`` outside.
_LINE_CACHE: dict[str, str] | None = None


@contextlib.contextmanager
def _shared_lines():
    """Normalise each distinct line once within the block, then forget them."""
    global _LINE_CACHE
    outer = _LINE_CACHE
    if outer is None:
        _LINE_CACHE = {}
    try:
        yield
    finally:
        _LINE_CACHE = outer


def _normalised_line(line: str) -> str:
    """``normalise_line(line)``, through the line cache when one is active."""
    cache = _LINE_CACHE
    if cache is None:
        return normalise_line(line)
    fixed = cache.get(line)
    if fixed is None:
        fixed = cache[line] = normalise_line(line)
    return fixed


def normalise_text(raw: str) -> tuple[str, list[dict]]:
    """Normalise line endings and then each line; return text and audit rows.

    Offsets in the audit rows are into the raw text with its line endings
    turned into ``\\n``.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    out, rows, pos = [], [], 0
    for line in text.split("\n"):
        fixed = _normalised_line(line) if line and not _is_plain(line) else line
        if fixed != line:
            rows.append({"stage": "normalise", "rule": "normalise_unicode", "start": pos,
                         "end": pos + len(line), "text": line, "replacement": fixed})
        out.append(fixed)
        pos += len(line) + 1
    return "\n".join(out), rows
