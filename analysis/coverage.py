"""Which methods can read which part of a corpus, and warnings where none can.

Each measurement reads only part of a multilingual corpus: the framing
lexicon its own languages, the embedding methods (MiniLM: topics, LSS,
prototypes, classifier) English only.  A paragraph whose language was not
detected, or whose language no method reads, is not an error but must not
pass silently: :func:`language_warnings` gives it an audit row (stage
``language``), and :func:`method_coverage` states the share of paragraphs
and words each method can read, for the corpus report.

A detection can also be doubtful: lingua chooses among the configured
languages only, so a language outside them is read as its nearest neighbour
(Swedish as German, with full confidence).  A paragraph of a language with a
function-word list (:data:`analysis.language.FUNCTION_WORDS`) whose words
are less than :data:`DOUBT_MAX_SHARE` function words of that language (in
real text they are a third or more), in :data:`DOUBT_MIN_WORDS` words or
more, is flagged ``language_doubtful``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .language import FUNCTION_WORDS
from .schema import AUDIT_COLUMNS

__all__ = ["language_warnings", "method_coverage", "changed_characters", "DOUBT_MIN_WORDS",
           "DOUBT_MAX_SHARE", "EMBEDDING_LANGUAGES"]

#: Languages the packaged MiniLM model (topics, LSS, prototypes, classifier) reads.
EMBEDDING_LANGUAGES = ("en",)
#: A paragraph needs this many words before a lack of function words makes
#: its detected language doubtful.
DOUBT_MIN_WORDS = 15
#: ... and less than this share of the language's function words.
DOUBT_MAX_SHARE = 0.08
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _lexicon_languages() -> tuple[str, ...]:
    from .framing.lexicon import load_lexicon

    return tuple(load_lexicon().languages)


def language_warnings(paragraphs: pd.DataFrame, *,
                      lexicon_languages: Sequence[str] | None = None) -> pd.DataFrame:
    """Audit rows for paragraphs no method can read, or whose language is doubtful.

    Parameters
    ----------
    paragraphs : DataFrame
        Paragraphs with ``language`` and ``language_basis``
        (:func:`analysis.language.add_languages`); not modified.
    lexicon_languages : sequence of str, optional
        Languages of the framing lexicon (default: the packaged lexicon's).

    Returns
    -------
    DataFrame
        Audit rows (stage ``language``), one per paragraph that is
        ``language_undetected`` (too short, or in a script or language the
        detector does not know), ``language_unsupported`` (detected, but
        neither the lexicon nor the embedding model reads it) or
        ``language_doubtful`` (see the module docstring).  ``detail`` names
        the paragraph and says which methods cannot read it.

    Examples
    --------
    >>> paras = pd.DataFrame({"paragraph_id": ["d/p01/001", "d/p01/002"], "doc_id": ["d", "d"],
    ...                       "text": ["Hej", "Merhaba dünya"], "language": [None, "tr"],
    ...                       "language_basis": ["undetermined", "detected"]})
    >>> language_warnings(paras, lexicon_languages=["en"])["rule"].tolist()
    ['language_undetected', 'language_unsupported']
    """
    read = set(lexicon_languages if lexicon_languages is not None else _lexicon_languages())
    read |= set(EMBEDDING_LANGUAGES)
    rows = []
    for pid, doc_id, text, lang in zip(paragraphs["paragraph_id"], paragraphs["doc_id"],
                                       paragraphs["text"], paragraphs["language"], strict=True):
        lang = lang if isinstance(lang, str) else None
        if lang is None:
            rule = "language_undetected"
            detail = (f"{pid}: language not detected (too short, or a language outside the "
                      "detector's set): only language-free counts include it")
        elif lang not in read:
            rule = "language_unsupported"
            detail = (f"{pid}: detected as '{lang}', which neither the framing lexicon nor "
                      "the English embedding model reads: it is scored 'none'")
        elif lang in FUNCTION_WORDS and _doubtful(text, lang):
            rule = "language_doubtful"
            detail = (f"{pid}: detected as '{lang}' but holds almost none of its common words: "
                      "perhaps a language outside the detector's set (build --languages)")
        else:
            continue
        row = dict.fromkeys(AUDIT_COLUMNS)
        row.update(doc_id=doc_id, stage="language", rule=rule,
                   detail=f"{detail}; text: {text[:60]!r}")
        rows.append(row)
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def _doubtful(text: str, lang: str) -> bool:
    # ASCII text: casefolding the whole text first finds the same words
    # (casefold maps ASCII letters to ASCII letters); elsewhere a casefold
    # can change where words split (``İ`` -> ``i`` plus a combining dot).
    words = _TOKEN.findall(text.casefold() if text.isascii() else text)
    if len(words) < DOUBT_MIN_WORDS:
        return False
    function_words = FUNCTION_WORDS[lang]
    if not text.isascii():
        words = [w.casefold() for w in words]
    return sum(map(function_words.__contains__, words)) < DOUBT_MAX_SHARE * len(words)


def _reference_doubtful(text: str, lang: str) -> bool:
    """:func:`_doubtful` as it was before the ASCII fast path: for the tests."""
    words = [w.casefold() for w in _TOKEN.findall(text)]
    if len(words) < DOUBT_MIN_WORDS:
        return False
    return sum(w in FUNCTION_WORDS[lang] for w in words) < DOUBT_MAX_SHARE * len(words)


def method_coverage(paragraphs: pd.DataFrame, *, lexicon_languages: Sequence[str] | None = None,
                    topic_min_words: int = 10) -> pd.DataFrame:
    """Share of the corpus each method can read.

    Parameters
    ----------
    paragraphs : DataFrame
        Paragraphs with ``language``, ``n_words`` and ``is_canonical``.
    lexicon_languages : sequence of str, optional
        Languages of the framing lexicon (default: the packaged lexicon's).
    topic_min_words : int
        The topic model's default minimum length of a unit
        (:func:`analysis.topics.select_units`).

    Returns
    -------
    DataFrame
        One row per method: ``method``, ``reads`` (in words),
        ``paragraphs``, ``paragraph_share``, ``words``, ``word_share``.

    Examples
    --------
    >>> paras = pd.DataFrame({"language": ["en", "fr", "sv"], "n_words": [20, 10, 10],
    ...                       "is_canonical": [True, True, True]})
    >>> method_coverage(paras, lexicon_languages=["en", "fr"])["word_share"].tolist()
    [0.75, 0.5, 0.5]
    """
    lex = tuple(lexicon_languages if lexicon_languages is not None else _lexicon_languages())
    lang = paragraphs["language"]
    words = paragraphs["n_words"].to_numpy(dtype=float)
    canonical = paragraphs["is_canonical"].astype(bool).to_numpy()
    english = lang.isin(EMBEDDING_LANGUAGES).to_numpy()
    methods = [
        ("framing lexicon", f"{', '.join(lex)}", lang.isin(lex).to_numpy()),
        ("embedding methods (LSS, prototypes, classifier)", "en", english),
        ("topic model (default units)",
         f"en, canonical, at least {topic_min_words} words",
         english & canonical & (words >= topic_min_words)),
    ]
    total_p, total_w = max(len(paragraphs), 1), max(words.sum(), 1.0)
    return pd.DataFrame([{"method": name, "reads": reads, "paragraphs": int(mask.sum()),
                          "paragraph_share": round(mask.sum() / total_p, 4),
                          "words": int(words[mask].sum()),
                          "word_share": round(float(words[mask].sum()) / total_w, 4)}
                         for name, reads, mask in methods])


def changed_characters(text: object, replacement: object) -> int:
    """Characters an audited change really removed or altered.

    A normalisation row holds the whole line before (``text``) and after
    (``replacement``); counting the line's length overstates the change.
    A removal (no replacement) counts the removed text.

    Examples
    --------
    >>> changed_characters("l\\u2019Europe et l\\u2019OTAN", "l'Europe et l'OTAN")
    2
    >>> changed_characters("Share this:", None)
    11
    """
    text = text if isinstance(text, str) else ""
    if not isinstance(replacement, str):
        return len(text)
    if text == replacement:
        return 0
    # Trim the common ends first: most changes are local, and difflib's cost
    # grows with the square of what is left.
    lead = len(os.path.commonprefix([text, replacement]))
    text, replacement = text[lead:], replacement[lead:]
    tail = len(os.path.commonprefix([text[::-1], replacement[::-1]]))
    text, replacement = text[:len(text) - tail], replacement[:len(replacement) - tail]
    if not text or not replacement:
        return max(len(text), len(replacement))
    matcher = difflib.SequenceMatcher(None, text, replacement, autojunk=False)
    return int(np.sum([max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes()
                       if op != "equal"], dtype=int))
