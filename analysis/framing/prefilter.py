"""A literal prefilter for regular expressions: skip a regex that cannot match a text.

Most lexicon entries (and keyword regexes) cannot match most texts.  Running
each of them over every text is what made lexicon scoring slow, so each
regex is first reduced to *necessary literals*: a conjunction of clauses,
each clause a set of strings of which at least one must occur in any match
(:func:`~analysis.framing.regex_literals.required_literals`, read from the
regex's own parse tree).  A text is case-folded the way ``re.IGNORECASE``
compares characters (:func:`~analysis.framing.regex_literals.fold`), the
distinct literals of a set of regexes are looked up once per text, and only
the regexes whose clauses all hold are run (:class:`Prefilter`).

The condition is necessary, never sufficient: a regex that is skipped has
no match in the text, so the matches found are exactly those of running
every regex (``tests/test_prefilter.py`` checks this on the sample corpus,
simulated texts and random strings).

A regex that must run need not scan the whole text either
(:meth:`Prefilter.windows`): the characters that none of its parts can
consume or look at (:func:`~analysis.framing.regex_literals.breakers`; say
``!`` and ``?``, or ``.`` where no literal holds one) cut the text into runs
that no match crosses, and a match holds one of the word runs of its first
condition, so only the runs holding such a word run are scanned, each with
``finditer(text, start, end + 1)``: the same matches, found in the same
order.

Examples
--------
>>> import re
>>> pf = Prefilter([re.compile(r"\\bproxy war", re.I), re.compile("junta", re.I)])
>>> pf.candidates("NATO's PROXY WAR in Ukraine")
[0]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .regex_literals import breakers, fold, required_literals, starts

__all__ = ["folded_words", "Prefilter"]

#: Shortest literal worth a lookup; shorter ones are dropped (a weaker, still
#: necessary, condition).
MIN_LITERAL = 2

_WORDS = re.compile(r"\w+")


def folded_words(text: str) -> tuple[str, set[str]]:
    """The folded text and its distinct words, the one scan a text needs.

    Folding is :func:`~analysis.framing.regex_literals.fold`;
    :meth:`Prefilter.present` and :meth:`Prefilter.candidates` accept it, so
    that several prefilters (the lexicon's, the keywords') share one scan.
    """
    folded = fold(text)
    return folded, set(_WORDS.findall(folded))


def _satisfied(masks: tuple, present: int) -> bool:
    """Whether the word runs in ``present`` meet every condition of ``masks``."""
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
        (:func:`~analysis.framing.regex_literals.starts`), the regex is tried
        only where one of them occurs in the folded text, left to right,
        resuming after each match as ``finditer`` does (no match is empty, so
        none is skipped); otherwise it scans only the :meth:`windows` that can
        hold a match.  A literal
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
        run between two of the regex's breakers
        (:func:`~analysis.framing.regex_literals.breakers`) that holds one of
        the word runs of its first condition, plus the breaker that ends it (so
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
            :func:`~analysis.framing.regex_literals.fold` of ``text``.
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
