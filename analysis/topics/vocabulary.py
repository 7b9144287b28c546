"""The shared vocabulary of BERTopic's c-TF-IDF, the LDA and NMF baselines and NPMI.

Vocabulary.
    One vocabulary (:func:`build_vocabulary`) is fitted on the units, with
    ``min_df``/``max_df`` counted over units, and then fixed for BERTopic's
    c-TF-IDF, for LDA and NMF, and for NPMI.  BERTopic would otherwise fit
    its vectorizer on one concatenated pseudo-document per topic, where
    ``min_df=2`` means "in two topics", and the three models would not share
    a vocabulary.

What a topic word is (the tokenisation) is decided here only, by
:func:`make_vectorizer`.
"""

from __future__ import annotations

from collections.abc import Sequence

from scipy import sparse

from ..text.tokenize import topic_tokens
from .units import Unit

__all__ = [
    "VECTORIZER_DEFAULTS",
    "build_vocabulary",
    "make_vectorizer",
]

#: Vocabulary settings by unit of analysis: ``min_df``/``max_df`` counted over
#: units.  A word must recur in two units to be a topic word; words in more
#: than half of all paragraphs (or 80% of posts) say nothing about topics.
VECTORIZER_DEFAULTS = {
    "paragraph": {"min_df": 2, "max_df": 0.5},
    "post": {"min_df": 2, "max_df": 0.8},
}

# Topic words are analysis.text.tokenize.topic_tokens: the package's tokens with
# two letters or more and no digit (numbers and years are not topic words);
# "U.S." and "US" are one word, "US", which the stop word "us" does not remove.


def make_vectorizer(*, unit: Unit = "paragraph", vocabulary: Sequence[str] | None = None,
                    min_df: int | float | None = None, max_df: int | float | None = None,
                    stop_words: str | list[str] | None = "english"):
    """A CountVectorizer for the unit of analysis (unigrams: the package's topic words).

    Parameters
    ----------
    unit : {"paragraph", "post"}
        Chooses ``min_df``/``max_df`` from :data:`VECTORIZER_DEFAULTS`.
    vocabulary : sequence of str, optional
        A fixed vocabulary; ``min_df``/``max_df`` are then ignored.
    min_df, max_df : int or float, optional
        Override the unit's defaults.
    stop_words : "english", list of str or None
        Stop words to drop.

    Returns
    -------
    sklearn.feature_extraction.text.CountVectorizer
        Tokenized by :func:`analysis.text.tokenize.topic_tokens`, which
        lower-cases all but acronyms itself.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if unit not in VECTORIZER_DEFAULTS:
        raise ValueError(f"unit must be one of {sorted(VECTORIZER_DEFAULTS)}, got {unit!r}")
    defaults = VECTORIZER_DEFAULTS[unit]
    return CountVectorizer(
        vocabulary=list(vocabulary) if vocabulary is not None else None,
        min_df=defaults["min_df"] if min_df is None else min_df,
        max_df=defaults["max_df"] if max_df is None else max_df,
        stop_words=stop_words, tokenizer=topic_tokens, token_pattern=None, lowercase=False,
    )


def build_vocabulary(texts: Sequence[str], *, unit: Unit = "paragraph",
                     min_df: int | float | None = None, max_df: int | float | None = None,
                     stop_words: str | list[str] | None = "english") -> list[str]:
    """The shared vocabulary: words passing ``min_df``/``max_df`` over the units, sorted.

    Falls back to ``min_df=1, max_df=1.0`` when the thresholds leave no
    word (a handful of units), so downstream steps still run.

    Examples
    --------
    >>> build_vocabulary(["war and peace", "war on want", "peace now"], min_df=2, max_df=1.0)
    ['peace', 'war']
    """
    texts = list(texts)
    vectorizer = make_vectorizer(unit=unit, min_df=min_df, max_df=max_df, stop_words=stop_words)
    try:
        vectorizer.fit(texts)
    except ValueError:
        vectorizer = make_vectorizer(unit=unit, min_df=1, max_df=1.0, stop_words=stop_words)
        vectorizer.fit(texts)
    return sorted(vectorizer.vocabulary_)


def _doc_term(texts: Sequence[str], vocabulary: Sequence[str]) -> sparse.csr_matrix:
    """Counts of the vocabulary's words in each text (no stop words dropped)."""
    vectorizer = make_vectorizer(vocabulary=vocabulary, stop_words=None)
    return vectorizer.transform(list(texts)).tocsr()
