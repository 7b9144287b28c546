"""A transparent, versioned framing lexicon with negation, contrast and distancing rules.

The dictionary lives in ``data/lexicons/framing.yaml``: every entry has a
``pattern``, a ``pole`` (``anti_us`` or ``all_imperialisms``), a ``weight``, a
one-line ``rationale`` and a ``language``.  Patterns use a small, readable
syntax (see :func:`analysis.framing.patterns.compile_pattern`) rather than raw
regular expressions.  The tables of evidence over many texts
(:func:`~analysis.framing.evidence.lexicon_matches`,
:func:`~analysis.framing.evidence.score_lexicon`) are in
:mod:`analysis.framing.evidence`.

Matching one text (:meth:`Lexicon.match`) runs in five steps:

1. every entry of the text's language finds its matches; of overlapping
   matches the longest wins (then the heavier), so "not only US imperialism
   but also Russian imperialism" counts once, as the additive construction;
2. **negation**: a cue ("not", "no", "never", "sin", "nicht", "не" ...) within
   a few words before a match, in the same clause, flips the match to the
   other pole at half weight (or cancels it, for entries marked
   ``on_negation: cancel``).  "Not only", "no to", "neither ... nor" are not
   negations;
3. **distancing**: a match after "so-called" or "those who say ...", or held
   in short scare quotes, is the author attacking the other side's words: it
   flips like a negated match and never counts for its own pole;
4. **contrast**: in "X, but Y" evidence in X counts half and in Y one and a
   half times (VADER's "but" rule); concessive "although X, Y" likewise.
   A negated X ("not X but Y") is a correction, not a concession, and keeps
   its full (flipped) weight;
5. the per-pole sums give the lexicon score ``(A - U) / (A + U + 1)``, which
   is positive for all-imperialisms evidence and negative for anti-US.

Examples
--------
>>> lex = load_lexicon()
>>> [(m["match"], m["pole"]) for m in lex.match(
...     "We oppose not only US imperialism but also Russian imperialism.", language="en")]
[('not only US imperialism but also Russian', 'all_imperialisms')]
>>> m = lex.match("Those who chant 'neither Washington nor Moscow' help NATO.", language="en")[0]
>>> m["entry_pole"], m["pole"], m["distanced"]
('all_imperialisms', 'anti_us', True)
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import config
from ..corpus.load import CorpusInputError
from ..text.tokenize import SCARE_QUOTE_WORD_PATTERN
from ..text.tokenize import sentence_spans as _sentences
from .patterns import PatternError, _cue_regex, compile_pattern
from .prefilter import Prefilter, folded_words

__all__ = [
    "FramingInputError",
    "POLES",
    "DEFAULT_LEXICON",
    "Entry",
    "Lexicon",
    "load_lexicon",
]

class FramingInputError(CorpusInputError):
    """Bad input to the framing measurement: one message naming the file and line."""

    def __init__(self, message: str):
        self.problems = [message]
        ValueError.__init__(self, message)


#: The two poles of the framing scale; all-imperialisms is the positive end.
POLES = ("anti_us", "all_imperialisms")
DEFAULT_LEXICON = config.DATA / "lexicons" / "framing.yaml"

_REQUIRED = ("id", "pattern", "pole", "weight", "language", "rationale")
_QUOTED_WORD = re.compile(SCARE_QUOTE_WORD_PATTERN)
_NONSPACE = re.compile(r"\S+")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
_QUOTES = (re.compile(r'"[^"\n]{1,400}"'), re.compile(r"«[^»\n]{1,400}»"),
           re.compile(r"„[^“\"\n]{1,400}[“\"]"),
           re.compile(r"(?<!\w)'[^'\n]{1,300}'(?!\w)"))


# --------------------------------------------------------------------------
# The lexicon
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One lexicon entry, with its compiled regular expression."""

    id: str
    pattern: str
    pole: str
    weight: float
    language: str
    rationale: str
    on_negation: str
    line: int
    regex: re.Pattern = field(repr=False, compare=False)
    evidence_type: str | None = None


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(obj):
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A loaded framing lexicon: entries, rules and the other method resources.

    Use :func:`load_lexicon` to build one.  ``config`` holds the whole YAML
    document (rules, LSS seeds, prototypes, combination settings).
    """

    version: str
    languages: tuple[str, ...]
    entries: tuple[Entry, ...]
    config: Mapping = field(repr=False)
    path: Path | None = None
    #: Run only the entries whose necessary literals occur in a text (same
    #: matches, faster); ``False`` runs every entry on every text.
    prefilter: bool = True

    # -- resources -----------------------------------------------------
    @property
    def rules(self) -> Mapping:
        """The ``rules`` section: negation, contrast and distancing settings."""
        return self.config.get("rules", {})

    def table(self) -> pd.DataFrame:
        """One row per entry: id, language, pole, weight, pattern, rationale."""
        return pd.DataFrame([{"id": e.id, "language": e.language, "pole": e.pole,
                              "weight": e.weight, "pattern": e.pattern,
                              "on_negation": e.on_negation, "evidence_type": e.evidence_type,
                              "rationale": e.rationale}
                             for e in self.entries])

    def entries_for(self, language: str | None) -> tuple[Entry, ...]:
        """Entries of ``language``; all entries for a language the lexicon lacks."""
        return _entries_for(self, language)

    def _cues(self, kind: str, language: str | None, section: str = "") -> re.Pattern | None:
        return _cues_for(self, kind, section, language)

    # -- matching ------------------------------------------------------
    def match(self, text: str, *, language: str | None = None,
              scan: tuple[str, set[str]] | None = None) -> list[dict]:
        """Find the lexicon evidence in one (cleaned) text.

        Parameters
        ----------
        text : str
            A cleaned text (usually one paragraph).
        language : str, optional
            ISO 639-1 code; entries and cues of that language are used, or all
            of them when it is missing or not covered by the lexicon.
        scan : tuple, optional
            :func:`~analysis.framing.prefilter.folded_words` of ``text``, when
            already computed (the keyword prefilter shares it).

        Returns
        -------
        list of dict
            One dict per counted match, in text order: ``entry_id``,
            ``entry_pole``, ``pole`` (after flipping), ``weight``,
            ``contribution``, ``start``, ``end``, ``match``, ``negated``,
            ``distanced``, ``contrast`` (the factor applied), ``language``
            (the entry's) and ``rationale``.
        """
        rules = self.rules
        flip = float(rules.get("flip_factor", 0.5))
        candidates = []
        for entry, found in _entries_to_run(self, language, text, scan):
            for m in found:
                if m.end() > m.start():
                    candidates.append((m.start(), m.end(), entry))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[2].weight, c[0], c[2].id))
        taken: list[tuple[int, int, Entry]] = []
        for start, end, entry in candidates:
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, entry))
        taken.sort(key=lambda c: (c[0], c[1]))
        if not taken:
            return []
        sentences = _sentences(text)
        quotes = _quote_spans(text)
        out = []
        heads = [a for a, _ in sentences]
        for start, end, entry in taken:
            # The sentence holding the match (spans are sorted and disjoint).
            k = bisect.bisect_right(heads, start) - 1
            s_start, s_end = (sentences[k] if k >= 0 and start < sentences[k][1]
                              else (0, len(text)))
            negated = self._negated(text, start, s_start, language)
            distanced = self._distanced(text, start, end, s_start, quotes, language)
            contrast = self._contrast(text, start, s_start, s_end, language)
            if negated and contrast < 1:
                contrast = 1.0  # "not X but Y" corrects X rather than conceding it
            pole, contribution = entry.pole, entry.weight * contrast
            if negated or distanced:
                if entry.on_negation == "cancel":
                    contribution = 0.0
                else:
                    pole = POLES[1 - POLES.index(entry.pole)]
                    contribution *= flip
            out.append({"entry_id": entry.id, "entry_pole": entry.pole, "pole": pole,
                        "weight": entry.weight, "contribution": float(contribution),
                        "start": start, "end": end, "match": text[start:end],
                        "negated": negated, "distanced": distanced, "contrast": contrast,
                        "language": entry.language, "rationale": entry.rationale})
        return out

    def _negated(self, text: str, start: int, s_start: int, language: str | None) -> bool:
        neg = self.rules.get("negation", {})
        cue = self._cues("negation", language, "cues")
        if cue is None:
            return False
        prefix_start = s_start
        for m in _CLAUSE_BREAK.finditer(text, s_start, start):
            prefix_start = m.end()
        prefix = text[prefix_start:start]
        adv = self._cues("contrast", language, "adversative")
        if adv is not None:  # "not X but Y": the negation stops at the contrast
            found = list(adv.finditer(prefix))
            if found:
                prefix = prefix[found[-1].end():]
        window = _last_words(prefix, int(neg.get("window", 4)))
        return bool(cue.search(window))

    def _distanced(self, text: str, start: int, end: int, s_start: int,
                   quotes: list[tuple[int, int]], language: str | None) -> bool:
        dist = self.rules.get("distancing", {})
        modifier = self._cues("distancing", language, "modifier")
        speech = self._cues("distancing", language, "speech")
        quote = next(((a, b) for a, b in quotes if a <= start and end <= b), None)
        if quote is not None:
            inner = text[quote[0] + 1:quote[1] - 1]
            if len(_QUOTED_WORD.findall(inner)) <= int(dist.get("scare_quote_words", 2)):
                return True
        anchors = [start] + ([quote[0]] if quote is not None else [])
        for anchor in anchors:
            prefix = text[max(s_start, 0):anchor]
            if modifier is not None and modifier.search(
                    _last_words(prefix, int(dist.get("modifier_window", 3)))):
                return True
            if speech is not None and speech.search(
                    _last_words(prefix, int(dist.get("speech_window", 8)) + 3)):
                return True
        return False

    def _contrast(self, text: str, start: int, s_start: int, s_end: int,
                  language: str | None) -> float:
        rules = self.rules.get("contrast", {})
        before, after = float(rules.get("before", 0.5)), float(rules.get("after", 1.5))
        sentence = text[s_start:s_end]
        rel = start - s_start
        adv = self._cues("contrast", language, "adversative")
        conc = self._cues("contrast", language, "concessive")
        additive = self._cues("contrast", language, "additive_openers")
        found = []
        if adv is not None:
            for m in adv.finditer(sentence):
                if additive is not None and additive.search(sentence[:m.start()]):
                    continue
                found.append((m.start(), m.end(), "adversative"))
                break
        if conc is not None:
            m = conc.search(sentence)
            if m:
                found.append((m.start(), m.end(), "concessive"))
        if not found:
            return 1.0
        cstart, cend, kind = min(found)
        if kind == "adversative":
            if rel < cstart:
                return before
            return after if rel >= cend else 1.0
        brk = _CLAUSE_BREAK.search(sentence, cend)
        conceded_end = brk.start() if brk else len(sentence)
        if cstart <= rel < conceded_end:
            return before
        return after if rel >= conceded_end and brk else 1.0


def _last_words(text: str, n: int) -> str:
    """The tail of ``text`` holding its last ``n`` whitespace-separated words."""
    if n <= 0:
        return ""
    spans = [m.start() for m in _NONSPACE.finditer(text)]
    return text[spans[-n]:] if len(spans) >= n else text


@functools.lru_cache(maxsize=64)
def _entries_for(lexicon: Lexicon, language: str | None) -> tuple[Entry, ...]:
    if language in lexicon.languages:
        return tuple(e for e in lexicon.entries if e.language == language)
    return lexicon.entries


@functools.lru_cache(maxsize=64)
def _prefilter(lexicon: Lexicon, language: str | None) -> Prefilter:
    return Prefilter([e.regex for e in _entries_for(lexicon, language)])


def _entries_to_run(lexicon: Lexicon, language: str | None, text: str,
                    scan: tuple[str, set[str]] | None = None) -> list[tuple[Entry, list]]:
    """The entries of ``language`` that can match ``text``, each with its matches.

    Only the entries whose necessary literals occur in the text are run, each
    only where a match can begin or lie (:meth:`Prefilter.finditer
    <analysis.framing.prefilter.Prefilter.finditer>`); every entry over the
    whole text when ``lexicon.prefilter`` is off.
    """
    entries = _entries_for(lexicon, language)
    if not lexicon.prefilter:
        return [(e, e.regex.finditer(text)) for e in entries]
    pf = _prefilter(lexicon, language)
    scan = scan or folded_words(text)
    cache: dict = {}
    present = pf.present(text, scan)
    return [(entries[i], pf.finditer(i, text, scan[0], cache, present))
            for i in pf.candidates(text, scan, present)]


@functools.lru_cache(maxsize=256)
def _cues_for(lexicon: Lexicon, kind: str, section: str, language: str | None):
    block = lexicon.rules.get(kind, {})
    block = block.get(section, {}) if section else block
    if language in lexicon.languages:
        cues = list(block.get(language, []))
    else:
        cues = [c for lang in lexicon.languages for c in block.get(lang, [])]
    return _cue_regex(cues)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for rx in _QUOTES:
        spans.extend(m.span() for m in rx.finditer(text))
    return sorted(spans)


def _fail(path: Path, line: int | None, message: str) -> FramingInputError:
    where = f"{path} line {line}" if line else str(path)
    return FramingInputError(f"{where}: {message}")


def load_lexicon(path: Path | str = DEFAULT_LEXICON) -> Lexicon:
    """Load and validate a framing lexicon YAML file.

    Parameters
    ----------
    path : path-like
        Defaults to ``data/lexicons/framing.yaml``.

    Returns
    -------
    Lexicon

    Raises
    ------
    FramingInputError
        (a :class:`analysis.corpus.load.CorpusInputError`) naming the file and line
        of a missing field, unknown pole or language, duplicate id, bad weight
        or a pattern that does not compile.
    """
    path = Path(path)
    stat = path.stat() if path.is_file() else None
    return _load_lexicon_cached(str(path), stat.st_mtime_ns if stat else 0)


@functools.lru_cache(maxsize=8)
def _load_lexicon_cached(path_str: str, _mtime: int) -> Lexicon:
    path = Path(path_str)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except OSError as err:
        raise _fail(path, None, f"cannot read the lexicon ({err.strerror})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}") from err
    if not isinstance(raw, dict):
        raise _fail(path, None, "the lexicon must be a YAML mapping")
    for key in ("version", "languages", "entries"):
        if key not in raw:
            raise _fail(path, None, f"missing top-level field '{key}'")
    languages = tuple(raw["languages"])
    gap = int(raw.get("rules", {}).get("gap_words", 6))
    camps = _strip_lines(raw.get("camps", {}))
    entries, seen = [], {}
    for item in raw["entries"]:
        line = item.get("__line__")
        missing = [k for k in _REQUIRED if k not in item]
        if missing:
            raise _fail(path, line, f"entry {item.get('id', '?')!r} lacks {', '.join(missing)}")
        eid = str(item["id"])
        if eid in seen:
            raise _fail(path, line, f"duplicate entry id {eid!r} (first on line {seen[eid]})")
        seen[eid] = line
        if item["pole"] not in POLES:
            raise _fail(path, line, f"entry {eid!r}: pole {item['pole']!r} is not one of "
                                    f"{', '.join(POLES)}")
        if item["language"] not in languages:
            raise _fail(path, line, f"entry {eid!r}: language {item['language']!r} is not in "
                                    f"languages {list(languages)}")
        try:
            weight = float(item["weight"])
        except (TypeError, ValueError):
            weight = float("nan")
        if not np.isfinite(weight) or weight <= 0:
            raise _fail(path, line, f"entry {eid!r}: weight must be a positive number")
        on_negation = item.get("on_negation", "flip")
        if on_negation not in ("flip", "cancel"):
            raise _fail(path, line, f"entry {eid!r}: on_negation must be 'flip' or 'cancel'")
        if not str(item["rationale"]).strip():
            raise _fail(path, line, f"entry {eid!r}: empty rationale")
        etype = item.get("evidence_type")
        if etype is not None and not re.fullmatch(
                r"A[1-5]" if item["pole"] == "anti_us" else r"B[1-4]", str(etype)):
            raise _fail(path, line, f"entry {eid!r}: evidence_type {etype!r} is not an "
                                    f"evidence type of pole {item['pole']} (A1-A5 for "
                                    f"anti_us, B1-B4 for all_imperialisms)")
        try:
            regex = compile_pattern(str(item["pattern"]),
                                    camps=camps.get(item["language"], {}), gap=gap)
        except PatternError as err:
            raise _fail(path, line, f"entry {eid!r}: pattern {item['pattern']!r}: {err}") from err
        entries.append(Entry(id=eid, pattern=str(item["pattern"]), pole=item["pole"],
                             weight=weight, language=item["language"],
                             rationale=str(item["rationale"]), on_negation=on_negation,
                             line=line, regex=regex,
                             evidence_type=None if etype is None else str(etype)))
    return Lexicon(version=str(raw["version"]), languages=languages, entries=tuple(entries),
                   config=_strip_lines(raw), path=path)

