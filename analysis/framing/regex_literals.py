"""What a regular expression needs of a text, read from its own parse tree.

The literal prefilter (:mod:`analysis.framing.prefilter`) decides, without
running a regex, that it cannot match a text.  It rests on four readings of
the regex's parse tree (``re._parser``), each a necessary condition, never a
sufficient one:

* :func:`fold`: a text lower-cased the way ``re.IGNORECASE`` compares
  characters, so that every case-insensitive match is a substring match;
* :func:`required_literals`: a conjunction of clauses, each a set of
  strings of which at least one occurs in any match;
* :func:`starts`: literals one of which begins every match;
* :func:`breakers`: characters the regex can never consume or look at, so
  that no match crosses them.

Examples
--------
>>> import re
>>> [sorted(c) for c in required_literals(re.compile(r"(?<!\\w)(?:NATO|USA) imperialis\\w*",
...                                                    re.I))]
[['nato', 'usa'], [' imperialis']]
>>> starts(re.compile(r"(?:US|NATO)-backed", re.I))
('nato-backed', 'us-backed')
>>> breakers(re.compile(r"proxy war", re.I), "!.-")
'!.-'
"""

from __future__ import annotations

import re

try:  # Python >= 3.11
    from re import _casefix, _compiler, _parser
    from re import _constants as _c
except ImportError:  # pragma: no cover - Python 3.10 names
    import sre_compile as _compiler
    import sre_constants as _c
    import sre_parse as _parser
    _casefix = None

__all__ = ["fold", "required_literals", "starts", "breakers", "BREAK_CANDIDATES"]


def _fold_table() -> dict[int, str | None]:
    """Map characters that ``re`` treats as case-equal onto one representative.

    Dotless ``ı`` and ``i``, long ``ſ`` and ``s``, ``ς`` and ``σ`` ...; the
    combining dot that ``str.lower`` adds to ``İ`` is dropped (``re`` lowers
    it to ``i``).
    """
    extra = getattr(_casefix, "_EXTRA_CASES", {}) if _casefix is not None else {}
    rep: dict[int, int] = {}
    for code, others in extra.items():
        group = {code, *others}
        for other in others:
            group |= set(extra.get(other, ()))
        low = min(group)
        for member in group:
            rep[member] = min(low, rep.get(member, low))
    table: dict[int, str | None] = {k: chr(v) for k, v in rep.items() if k != v}
    table[0x307] = None
    return table


_FOLD = _fold_table()
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(k)) for k in _FOLD) + "]")


def fold(text: str) -> str:
    """Lower-case ``text`` so that every ``re.IGNORECASE`` match is a substring match.

    Examples
    --------
    >>> fold("ſoviet İMPERIALIſM")
    'soviet imperialism'
    """
    low = text.lower()
    return low.translate(_FOLD) if _NEEDS_TABLE.search(low) else low


def _clauses(items, flags: int) -> list:
    """Conditions of a parsed sequence, all of which hold in any match.

    A condition is a frozenset of literals (one of them occurs) or a tuple of
    alternatives, each a list of conditions (the conditions of one of them hold).
    """
    out: list = []
    run: list[str] = []

    def flush():
        if run:
            out.append(frozenset({fold("".join(run))}))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            out.extend(_clauses(av[-1], flags))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.extend(_clauses(av, flags))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                out.extend(_clauses(av[2], flags))
        elif op is _c.BRANCH:
            alternatives = [_clauses(alt, flags) for alt in av[1]]
            if all(alternatives):
                if all(len(a) == 1 and isinstance(a[0], frozenset) for a in alternatives):
                    out.append(frozenset().union(*(a[0] for a in alternatives)))
                else:
                    out.append(tuple(alternatives))
        # Anything else (classes, any, anchors, look-arounds, back-references)
        # consumes an unknown character or none: it only ends the literal run.
    flush()
    return out


def required_literals(regex: re.Pattern | str, flags: int = 0) -> list:
    """Necessary literals of a regex: conditions that every match satisfies.

    Each condition is a frozenset of :func:`fold`-ed strings, one of which
    occurs in any match, or a tuple of alternatives, each a list of
    conditions.  An empty list means no condition was found.
    """
    if isinstance(regex, re.Pattern):
        regex, flags = regex.pattern, regex.flags
    tree = _parser.parse(regex, flags)
    return _clauses(tree.data if hasattr(tree, "data") else list(tree), flags)


#: Characters that may cut a text into runs no match crosses (:func:`breakers`):
#: punctuation that some regexes can never consume or look at.
BREAK_CANDIDATES = ".!?…\"“”„«»‹›()[]{}<>/\\|*#@&%$^~=+•·¿¡;:,"
_SAFE_AT = {getattr(_c, name) for name in ("AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_UNI_BOUNDARY",
                                           "AT_UNI_NON_BOUNDARY", "AT_LOC_BOUNDARY",
                                           "AT_LOC_NON_BOUNDARY") if hasattr(_c, name)}
_CONSUMING = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)


def _leaves(items, out: list) -> bool:
    """Collect the character-consuming nodes of a parsed regex, look-arounds included.

    Returns False for a construct whose reach is not known (a back-reference,
    an anchor other than a word boundary, a conditional group).
    """
    for op, av in items:
        if op in _CONSUMING:
            out.append((op, av))
        elif op is _c.SUBPATTERN:
            if not _leaves(av[-1], out):
                return False
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            if not _leaves(av, out):
                return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            if not _leaves(av[2], out):
                return False
        elif op is _c.BRANCH:
            if not all(_leaves(alt, out) for alt in av[1]):
                return False
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if not _leaves(av[1], out):
                return False
        elif op is _c.AT and av in _SAFE_AT:
            continue
        else:
            return False
    return True


_MAX_PREFIXES = 64


def _prefixes(items: list) -> set[str] | None:
    """Literal strings one of which every match of the parsed ``items`` starts with.

    Zero-width assertions are stepped over; a group, an alternation, an
    optional part or a small class of literals multiplies the strings.
    ``None`` when some match may start otherwise (a class, a wildcard, an
    empty match) or there would be too many.
    """
    i = 0
    while i < len(items):
        op, av = items[i]
        rest = list(items[i + 1:])
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            i += 1
            continue
        if op is _c.LITERAL:
            run = []
            while i < len(items) and items[i][0] is _c.LITERAL:
                run.append(chr(items[i][1]))
                i += 1
            return {"".join(run)}
        if op is _c.SUBPATTERN:
            return _prefixes(list(av[-1]) + rest)
        if op is _c.BRANCH:
            alternatives = [list(alt) + rest for alt in av[1]]
        elif op is _c.IN and av and all(o is _c.LITERAL for o, _ in av):
            alternatives = [[(_c.LITERAL, v)] + rest for _, v in av]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _prefixes(list(av[2]))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            alternatives = [list(av[2]) + rest, rest]
        else:
            return None
        out: set[str] = set()
        for alt in alternatives:
            found = _prefixes(alt)
            if found is None or len(out | found) > _MAX_PREFIXES:
                return None
            out |= found
        return out
    return None


def starts(regex: re.Pattern) -> tuple[str, ...] | None:
    """:func:`fold`-ed literals one of which begins every match of ``regex``.

    ``None`` when there are none (see :func:`_prefixes`) or the regex can
    match the empty string.
    """
    tree = _parser.parse(regex.pattern, regex.flags)
    if tree.getwidth()[0] < 1:
        return None
    found = _prefixes(list(tree.data if hasattr(tree, "data") else tree))
    if not found or any(not fold(p) for p in found):
        return None
    return tuple(sorted({fold(p) for p in found}))


def breakers(regex: re.Pattern, candidates: str = BREAK_CANDIDATES) -> str | None:
    """Characters of ``candidates`` that ``regex`` can never consume or look at.

    Every node that reads a character (in the match or in a look-around) is
    compiled alone, case-insensitively (a superset of the case-sensitive
    reading), and tried on each candidate.  ``None`` when the regex can match
    the empty string or holds a construct whose reach is not known; then no
    text may be cut for it.
    """
    tree = _parser.parse(regex.pattern, regex.flags)
    if tree.getwidth()[0] < 1:
        return None
    leaves: list = []
    if not _leaves(tree.data if hasattr(tree, "data") else list(tree), leaves):
        return None
    flags = regex.flags | re.IGNORECASE
    readers = []
    for leaf in leaves:
        state = _parser.State()
        state.flags = flags
        readers.append(_compiler.compile(_parser.SubPattern(state, [leaf]), flags).fullmatch)
    return "".join(ch for ch in dict.fromkeys(candidates)
                   if not any(read(ch) for read in readers))
