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
    from re import _casefix, _parser
    from re import _constants as _c
except ImportError:  # pragma: no cover - Python 3.10 names
    import sre_constants as _c
    import sre_parse as _parser
    _casefix = None

__all__ = ["fold", "required_literals", "Prefilter"]

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
                    if all(a[0] or a[1] for a in alts):
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
        self.pieces_ = tuple(pieces)
        self._word_masks: dict[str, int] = {}

    def _word_mask(self, word: str) -> int:
        mask = self._word_masks.get(word)
        if mask is None:
            mask = 0
            for bit, piece in enumerate(self.pieces_):
                if piece in word:
                    mask |= 1 << bit
            if len(self._word_masks) < 500_000:
                self._word_masks[word] = mask
        return mask

    def present(self, text: str) -> int:
        """Bit mask of the word runs that occur in ``text``."""
        mask = 0
        get = self._word_masks.get
        for word in set(_WORDS.findall(fold(text))):
            m = get(word)
            mask |= self._word_mask(word) if m is None else m
        return mask

    def candidates(self, text: str) -> list[int]:
        """Positions of the regexes whose necessary literals all occur in ``text``."""
        present = self.present(text)
        return [i for i, masks in enumerate(self.masks_) if _satisfied(masks, present)]
