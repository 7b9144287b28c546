r"""The framing lexicon's pattern language: readable patterns compiled to regular expressions.

An entry of ``data/lexicons/framing.yaml`` is written as words separated by
spaces, with globs (``imperialis*``), optional words and groups
(``(the)?``), alternatives (``(a|b c)``), gaps (``...``) and camp
placeholders (``{WEST}``); :func:`compile_pattern` turns it into a
case-insensitive, whole-word regular expression (see its docstring for the
syntax).  :func:`_cue_regex` compiles the cue lists of the lexicon's rules
(negation, contrast, distancing).  Both are part of the framing model
2.0.0: changing what a pattern compiles to changes its evidence.

Examples
--------
>>> compile_pattern("(US|NATO) proxy war").search("a NATO proxy-war").group()
'NATO proxy-war'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["PatternError", "compile_pattern"]

# A space in a pattern: whitespace (after an optional comma, semicolon or colon), or a
# hyphen; either may be followed by an elided French/Italian article ("l'OTAN").
_SEP = r"(?:\s*[,;:]?\s+|\s*[-‐–]\s*)(?:[lLdD]['’]|(?:[dD]e|[aA]|[nN]e|[dD]a|[sS]u)ll['’])?"
_GAP_WORD = r"[^\s.!?]+"
_TOKEN = re.compile(r"\.\.\.|\{[A-Z]+\}|[()|?]|\s+|[^\s()|{}?]+")


class PatternError(ValueError):
    """A lexicon pattern that cannot be compiled."""


def _word_regex(word: str) -> str:
    """The regex of one pattern word: glob, optional inner hyphen, case-sensitive capitals."""
    glob = word.endswith("*")
    core = word[:-1] if glob else word
    if not core:
        raise PatternError(f"empty word in pattern near {word!r}")
    parts = []
    for ch in core:
        if ch == "-":
            parts.append(r"[-‐\s]?")
        elif ch in "'’":
            parts.append(r"['’]")
        else:
            parts.append(re.escape(ch))
    regex = "".join(parts) + (r"\w*" if glob else "")
    if core.isalpha() and core.isupper() and len(core) >= 2:
        regex = f"(?-i:{regex})"
    return regex


def _join(items: list[tuple[str, str, bool]]) -> str:
    """Join parsed items: spaced items get a separator, optional items and gaps absorb it."""
    if not items:
        raise PatternError("empty alternative in pattern")
    out, consumed = "", False
    for i, (rx, kind, _) in enumerate(items):
        sep = _SEP if i and items[i - 1][2] and not consumed else ""
        consumed = False
        if kind == "gap":
            if i == 0 or i == len(items) - 1:
                raise PatternError("a '...' gap needs words on both sides")
            out += sep + rx
            consumed = True
        elif kind == "optional" and i == 0:
            out += f"(?:{rx}{_SEP if items[0][2] else ''})?"
            consumed = True
        elif kind == "optional":
            out += f"(?:{sep}{rx})?"
        else:
            out += sep + rx
    return out


def _parse(tokens: list[str], pos: int, camps: Mapping[str, str], gap: int,
           depth: int) -> tuple[str, int]:
    """Parse alternatives until ')' or the end; return (regex, next position)."""
    alternatives: list[str] = []
    items: list[tuple[str, str, bool]] = []  # (regex, kind, followed by a space)
    while pos < len(tokens):
        tok = tokens[pos]
        if tok == ")":
            if depth == 0:
                raise PatternError("unbalanced ')' in pattern")
            alternatives.append(_join(_trim(items)))
            return "(?:" + "|".join(alternatives) + ")", pos + 1
        if tok == "|":
            alternatives.append(_join(_trim(items)))
            items = []
        elif tok.isspace():
            if items:
                items[-1] = (items[-1][0], items[-1][1], True)
        elif tok == "?":
            if not items or items[-1][1] == "gap" or items[-1][2]:
                raise PatternError("'?' must directly follow a word or a group")
            items[-1] = (items[-1][0], "optional", False)
        elif tok == "(":
            rx, pos = _parse(tokens, pos + 1, camps, gap, depth + 1)
            items.append((rx, "atom", False))
            continue
        elif tok == "...":
            items.append((f"(?:{_GAP_WORD}{_SEP}){{0,{gap}}}?", "gap", False))
        elif tok.startswith("{"):
            name = tok[1:-1]
            if name not in camps:
                known = ", ".join("{" + k + "}" for k in sorted(camps)) or "none"
                raise PatternError(f"unknown placeholder {tok} (known: {known})")
            items.append((camps[name], "atom", False))
        else:
            items.append((_word_regex(tok), "atom", False))
        pos += 1
    if depth:
        raise PatternError("unbalanced '(' in pattern")
    alternatives.append(_join(_trim(items)))
    return "(?:" + "|".join(alternatives) + ")", pos


def _trim(items: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    """Drop the trailing-space flag of the last item (space before ')' or '|')."""
    if items:
        items[-1] = (items[-1][0], items[-1][1], False)
    return items


def compile_pattern(pattern: str, *, camps: Mapping[str, Sequence[str]] | None = None,
                    gap: int = 6) -> re.Pattern:
    r"""Compile a lexicon pattern to a case-insensitive, whole-word regular expression.

    Parameters
    ----------
    pattern : str
        Words separated by spaces.  A space also matches a comma or colon plus
        space, or a hyphen, and absorbs an elided article ("l'OTAN").
        ``word*`` is a glob; a hyphen inside a word is optional; ``(a|b c)``
        are alternatives; a trailing ``?`` makes a word or group optional;
        ``...`` is a gap of up to ``gap`` words inside the sentence;
        ``{NAME}`` stands for the camp terms ``camps[NAME]``.
        Words in capitals (``US``, ``NATO``) are case-sensitive.
    camps : mapping of str to sequence of str, optional
        Regex fragments for each placeholder name.
    gap : int
        Most words a ``...`` gap spans.

    Returns
    -------
    re.Pattern

    Raises
    ------
    PatternError
        For unbalanced parentheses, unknown placeholders or misplaced gaps.

    Examples
    --------
    >>> rx = compile_pattern("{WEST} backed coup", camps={"WEST": [r"U\.S\.", "NATO"]})
    >>> bool(rx.search("a U.S.-backed coup")), bool(rx.search("a NATO backed Coup"))
    (True, True)
    >>> bool(compile_pattern("US imperialism").search("us imperialism"))
    False
    >>> compile_pattern("not only ... but").search("not only Washington but").group()
    'not only Washington but'
    """
    fragments = {name: "(?:" + "|".join(terms) + ")" for name, terms in (camps or {}).items()}
    tokens = _TOKEN.findall(pattern.strip())
    if not tokens:
        raise PatternError("empty pattern")
    body, _ = _parse(tokens, 0, fragments, gap, 0)
    try:
        return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
    except re.error as err:  # a bad camp fragment
        raise PatternError(f"does not compile: {err}") from err


def _cue_regex(cues: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive regex for a list of rule cues; ``None`` for no cues."""
    parts = []
    for cue in cues:
        tail = "" if cue.endswith(("'", "-", "’")) else r"(?!\w)"
        parts.append(f"(?:{cue}){tail}")
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)
