"""A literal prefilter for regular expressions: skip a regex that cannot match a text.

Most lexicon entries (and keyword regexes) cannot match most texts.  Running
each of them over every text is what made lexicon scoring slow, so each
regex is first reduced to *necessary literals*: a conjunction of clauses,
each clause a set of strings of which at least one must occur in any match
(:func:`required_literals`, read from the regex's own parse tree).  A text
is case-folded the way ``re.IGNORECASE`` compares characters
(:func:`fold`), the distinct literals of a set of regexes are looked up once
per text, and only the regexes whose clauses all hold are run
(:class:`Prefilter`).

The condition is necessary, never sufficient: a regex that is skipped has
no match in the text, so the matches found are exactly those of running
every regex (``tests/test_prefilter.py`` checks this on the sample corpus,
simulated texts and random strings).

A regex that must run need not scan the whole text either
(:meth:`Prefilter.windows`): the characters that none of its parts can
consume or look at (say ``!`` and ``?``, or ``.`` where no literal holds
one) cut the text into runs that no match crosses, and a match holds one of
the word runs of its first condition, so only the runs holding such a word
run are scanned, each with ``finditer(text, start, end + 1)``: the same
matches, found in the same order.

Examples
--------
>>> import re
>>> [sorted(c) for c in required_literals(re.compile(r"(?<!\\w)(?:NATO|USA) imperialis\\w*",
...                                                    re.I))]
[['nato', 'usa'], [' imperialis']]
>>> pf = Prefilter([re.compile(r"\\bproxy war", re.I), re.compile("junta", re.I)])
>>> pf.candidates("NATO's PROXY WAR in Ukraine")
[0]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:  # Python >= 3.11
    from re import _casefix, _compiler, _parser
    from re import _constants as _c
except ImportError:  # pragma: no cover - Python 3.10 names
    import sre_compile as _compiler
    import sre_constants as _c
    import sre_parse as _parser
    _casefix = None
import bisect

__all__ = ["fold", "folded_words", "required_literals", "starts", "breakers", "Prefilter"]

#: Shortest literal worth a lookup; shorter ones are dropped (a weaker, still
#: necessary, condition).
MIN_LITERAL = 2


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


_WORDS = re.compile(r"\w+")


def folded_words(text: str) -> tuple[str, set[str]]:
    """The :func:`fold`-ed text and its distinct words, the one scan a text needs.

    :meth:`Prefilter.present` and :meth:`Prefilter.candidates` accept it, so
    that several prefilters (the lexicon's, the keywords') share one scan.
    """
    folded = fold(text)
    return folded, set(_WORDS.findall(folded))


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


def _satisfied(masks: tuple, present: int) -> bool:
    flat, nested = masks
    for m in flat:
        if not present & m:
            return False
    for alternatives in nested:
        if not any(_satisfied(alt, present) for alt in alternatives):
            return False
    return True


class Prefilter:
    """Which of a sequence of regexes can match a text, by one pass over its words.

    Each literal is reduced to its longest run of word characters (a
    substring of it, so still necessary), and such a run occurs in a folded
    text exactly when it is a substring of one of the text's words.  Which
    literals a word contains is computed once per distinct word and kept,
    so a text costs one ``findall`` and a set of dictionary look-ups.

    Parameters
    ----------
    regexes : sequence of re.Pattern
        Compiled patterns, in the order :meth:`candidates` reports them.
    """

    def __init__(self, regexes: Sequence[re.Pattern]):
        self.regexes = list(regexes)
        pieces: dict[str, int] = {}

        def compile_(conditions) -> tuple[tuple[int, ...], tuple]:
            """(bit masks that must each meet the text's, alternatives of such pairs)."""
            masks, nested = [], []
            for cond in conditions:
                if isinstance(cond, tuple):  # alternatives: each must keep a condition
                    alts = [compile_(alt) for alt in cond]
                    if all(len(a[0]) == 1 and not a[1] for a in alts):
                        # One word run of one of the alternatives: a single mask.
                        mask = 0
                        for a in alts:
                            mask |= a[0][0]
                        masks.append(mask)
                    elif all(a[0] or a[1] for a in alts):
                        nested.append(tuple(alts))
                    continue
                runs = [max(_WORDS.findall(s), key=len, default="") for s in cond]
                if min(map(len, runs)) < MIN_LITERAL:
                    continue  # a literal without a usable word run: no condition
                mask = 0
                for run in runs:
                    mask |= 1 << pieces.setdefault(run, len(pieces))
                masks.append(mask)
            return tuple(masks), tuple(nested)

        self.masks_ = [compile_(required_literals(r)) for r in self.regexes]
        # The literals every match starts with (see finditer()), each with the
        # bit of its longest word run (0: none usable, always searched).
        self.starts_ = []
        for r in self.regexes:
            heads = starts(r)
            if heads is not None:
                heads = tuple((head, 1 << pieces.setdefault(run, len(pieces))
                               if len(run := max(_WORDS.findall(head), key=len, default=""))
                               >= MIN_LITERAL else 0) for head in heads)
            self.starts_.append(heads)
        self.pieces_ = tuple(pieces)
        self._word_masks: dict[str, int] = {}  # words holding a word run: their mask
        self._seen: set[str] = set()  # words looked at
        # Where each regex can match (see windows()): word runs one of which
        # every match holds, searched in the folded text, and the characters
        # that cut the text into runs its matches cannot cross.
        self.windows_: list = []
        for masks in self.masks_:
            runs = self._one_of(masks)
            self.windows_.append(None if runs is None else re.compile(
                "|".join(map(re.escape, sorted(runs, key=lambda r: (-len(r), r))))))
        self.breakers_ = [breakers(r) if cut is not None else None
                          for r, cut in zip(self.regexes, self.windows_, strict=True)]
        self._breaker_res = {b: re.compile("[" + re.escape(b) + "]")
                             for b in set(self.breakers_) if b}

    def _one_of(self, masks: tuple) -> frozenset | None:
        """Word runs one of which occurs in every match (of conditions ``masks``).

        A single condition, or the union over the alternatives of a nested
        condition of such sets; the one with the longest shortest run (the
        fewest places to look at).  ``None`` if there is none.
        """
        flat, nested = masks
        options = [frozenset(self.pieces_[b] for b in range(m.bit_length()) if m >> b & 1)
                   for m in flat]
        for alternatives in nested:
            union: set | None = set()
            for alt in alternatives:
                runs = self._one_of(alt)
                if runs is None:
                    union = None
                    break
                union |= runs
            if union:
                options.append(frozenset(union))
        if not options:
            return None
        return max(options, key=lambda runs: (min(map(len, runs)), -len(runs), sorted(runs)))

    def _word_mask(self, word: str) -> int:
        mask = 0
        for bit, piece in enumerate(self.pieces_):
            if piece in word:
                mask |= 1 << bit
        if len(self._seen) < 500_000:
            self._seen.add(word)
            if mask:
                self._word_masks[word] = mask
        return mask

    def present(self, text: str, scan: tuple[str, set[str]] | None = None) -> int:
        """Bit mask of the word runs that occur in ``text``.

        ``scan`` is :func:`folded_words` of ``text``, when already computed.
        Words seen before cost a set operation; only new words are looked at.
        """
        words = (scan or folded_words(text))[1]
        mask = 0
        hits = self._word_masks
        for word in words & hits.keys():
            mask |= hits[word]
        for word in words - self._seen:
            mask |= self._word_mask(word)
        return mask

    def candidates(self, text: str, scan: tuple[str, set[str]] | None = None,
                   present: int | None = None) -> list[int]:
        """Positions of the regexes whose necessary literals all occur in ``text``.

        ``present``: :meth:`present` of the text, when already computed.
        """
        present = self.present(text, scan) if present is None else present
        out = []
        for i, (flat, nested) in enumerate(self.masks_):
            for m in flat:
                if not present & m:
                    break
            else:
                if not nested or _satisfied(((), nested), present):
                    out.append(i)
        return out

    def finditer(self, i: int, text: str, folded: str | None = None,
                 cache: dict | None = None, present: int | None = None) -> list[re.Match]:
        """``list(regex.finditer(text))`` of regex ``i``, found with less scanning.

        When every match of the regex starts with one of a few literals
        (:func:`starts`), the regex is tried only where one of them occurs
        in the folded text, left to right, resuming after each match as
        ``finditer`` does (no match is empty, so none is skipped); otherwise
        it scans only the :meth:`windows` that can hold a match.  A literal
        whose word run is not in ``present`` (:meth:`present` of the text)
        occurs nowhere and is not searched.
        """
        regex = self.regexes[i]
        folded = fold(text) if folded is None else folded
        heads = self.starts_[i]
        if heads is not None and len(folded) == len(text) and "\u0307" not in text:
            positions = set()
            for head, bit in heads:
                if bit and present is not None and not present & bit:
                    continue
                p = folded.find(head)
                while p >= 0:
                    positions.add(p)
                    p = folded.find(head, p + 1)
            out, resume, match = [], 0, regex.match
            for p in sorted(positions):
                if p >= resume:
                    m = match(text, p)
                    if m is not None:
                        out.append(m)
                        resume = m.end()
            return out
        return [m for pos, endpos in self.windows(i, text, folded, cache)
                for m in regex.finditer(text, pos, endpos)]

    def windows(self, i: int, text: str, folded: str | None = None,
                cache: dict | None = None) -> list[tuple[int, int]]:
        """``(pos, endpos)`` ranges of ``text`` that hold every match of regex ``i``.

        ``regex.finditer(text, pos, endpos)`` over these ranges, in order,
        gives exactly the matches of ``regex.finditer(text)``: each range is a
        run between two of the regex's :func:`breakers` that holds one of the
        word runs of its first condition, plus the breaker that ends it (so
        that look-aheads and word boundaries at the end read the same
        character); no match crosses a breaker, and scanning resumes at each
        run's start in both cases.  The whole text is one range when the regex
        has no usable breakers or word runs, or when folding moves characters
        (a combining dot above).

        Parameters
        ----------
        i : int
            Position of the regex.
        text : str
            The text.
        folded : str, optional
            :func:`fold` of ``text``.
        cache : dict, optional
            Breaker positions of ``text`` by breaker set, shared between
            the regexes of one text.
        """
        n = len(text)
        cut, brk = self.windows_[i], self.breakers_[i]
        folded = fold(text) if folded is None else folded
        if cut is None or not brk or len(folded) != n or "\u0307" in text:
            return [(0, n)]
        if cache is None:
            cache = {}
        stops = cache.get(brk)
        if stops is None:
            stops = cache[brk] = [m.start() for m in self._breaker_res[brk].finditer(text)]
        if not stops:
            return [(0, n)]
        out: list[tuple[int, int]] = []
        last = -1
        for m in cut.finditer(folded):
            if m.start() < last:
                continue  # inside the run already taken
            k = bisect.bisect_right(stops, m.start())
            start = stops[k - 1] + 1 if k else 0
            end = stops[k] if k < len(stops) else n
            out.append((start, min(end + 1, n)))
            last = end
        return out
