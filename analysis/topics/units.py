"""Modelling units: which texts a topic model sees, and their embeddings.

Language policy.
    The packaged all-MiniLM-L6-v2 is an English model: on a mixed corpus it
    places a Spanish and an English paragraph on the same subject far apart,
    and c-TF-IDF then lists the same word in several languages.  By default
    :func:`select_units` keeps English units only, and only the canonical
    member of each translation group, so a statement published in three
    languages counts once, through its English text.  Every unit left out is
    listed in the ``excluded`` table with its reason; nothing disappears
    silently.  Other languages can be asked for explicitly
    (``languages=None`` or a list), with a :class:`LanguagePolicyWarning`.

:func:`embed_units` embeds the chosen units through the shared cache of
:mod:`analysis.text.embeddings`, loading the model (:class:`LazyEncoder`) only
when a text is not cached yet.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..corpus.schema import Paragraphs, Posts

__all__ = [
    "LanguagePolicyWarning",
    "LazyEncoder",
    "UNIT_ID",
    "embed_units",
    "select_units",
]

Unit = Literal["paragraph", "post"]

#: Column that identifies a modelling unit, by unit of analysis.
UNIT_ID = {"paragraph": Paragraphs.paragraph_id, "post": Posts.post_id}

UNIT_COLUMNS = [Paragraphs.paragraph_id, Posts.post_id, Posts.doc_id, Posts.source, Posts.date,
                Posts.language, Posts.n_words, Posts.text]


class LanguagePolicyWarning(RuntimeWarning):
    """Texts outside the embedding model's language enter a topic model.

    A ``RuntimeWarning`` subclass, because ``import bertopic`` silences every
    ``UserWarning`` in the process.
    """


class LazyEncoder:
    """The packaged MiniLM, loaded only when a text actually needs embedding.

    :func:`analysis.text.embeddings.embed` loads its default encoder before looking in
    the cache, which costs about 9 s (torch and sentence-transformers)
    even when every text is cached.  Passed as ``encoder=`` together with
    :func:`analysis.text.embeddings.model_key`, this object keeps the same cache but
    loads the model on the first ``encode`` call only, and counts the calls
    and texts so a re-run can show that it embedded nothing.

    Parameters
    ----------
    encoder : object with ``encode``, optional
        Wrap this encoder instead of loading the packaged one (tests).
    """

    def __init__(self, encoder=None):
        self.encoder = encoder
        self.n_calls = 0
        self.n_texts = 0

    def encode(self, texts, **kwargs):
        """Embed ``texts`` with the wrapped encoder, loading it first if needed."""
        from ..text.embeddings import load_encoder

        if self.encoder is None:
            self.encoder = load_encoder()
        self.n_calls += 1
        self.n_texts += len(texts)
        return self.encoder.encode(texts, **kwargs)


def embed_units(units: pd.DataFrame, *, encoder=None, model_key: str | None = None,
                cache_dir: Path | str | None = config.CACHE / "embeddings",
                batch_size: int = 32) -> np.ndarray:
    """Embed the units' text through the shared cache, loading the model only if needed.

    Parameters
    ----------
    units : DataFrame
        With a ``text`` column (see :func:`select_units`); not modified.
    encoder : LazyEncoder or object with ``encode``, optional
        Defaults to a new :class:`LazyEncoder` of the packaged model; pass
        your own :class:`LazyEncoder` to read its counters afterwards.
    model_key : str, optional
        Cache namespace; defaults to the packaged model's key.  Give one
        whenever ``encoder`` wraps a different model.
    cache_dir : path-like or None
        Passed to :func:`analysis.text.embeddings.embed`.
    batch_size : int
        Passed to :func:`analysis.text.embeddings.embed`.

    Returns
    -------
    ndarray of shape (n_units, 384), float32
        Plain ``encode`` output, in the order of ``units``.
    """
    from ..text import embeddings as embedding

    if encoder is None or (isinstance(encoder, LazyEncoder) and encoder.encoder is None):
        model_key = model_key or embedding.model_key()
    elif model_key is None:
        raise ValueError("give a model_key for a custom encoder, so its cache stays separate")
    return embedding.embed(units[Posts.text].tolist(), encoder=encoder or LazyEncoder(),
                           model_key=model_key, cache_dir=cache_dir, batch_size=batch_size)


def select_units(corpus, *, unit: Unit = "paragraph",
                 languages: Sequence[str] | None = ("en",), canonical_only: bool = True,
                 min_words: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Choose the texts to model, and say which were left out and why.

    Parameters
    ----------
    corpus : Corpus
        From :func:`analysis.corpus.build.read_corpus` or ``build_corpus``.
    unit : {"paragraph", "post"}
        Unit of analysis.  Paragraphs are the default: MiniLM reads at most
        256 word pieces, so it embeds only the opening of a long post.
    languages : sequence of str or None
        ISO 639-1 codes to keep; ``None`` keeps all.  Anything beyond
        ``["en"]`` warns (:class:`LanguagePolicyWarning`): the model is
        English-only.
    canonical_only : bool
        Keep only the canonical member of each translation or
        near-duplicate group, so a statement counts once.
    min_words : int
        Leave out units shorter than this (datelines, headings, sign-offs).

    Returns
    -------
    units : DataFrame
        Columns ``paragraph_id`` (missing for posts), ``post_id``,
        ``doc_id``, ``source``, ``date``, ``language``, ``n_words``,
        ``text``; one row per unit, in corpus order.
    excluded : DataFrame
        The units left out: ``unit_id``, ``post_id``, ``source``,
        ``language``, ``n_words`` and ``reason``, the first that applies:
        ``"not_canonical"`` (a translation or near-duplicate of a kept
        post), ``"language"`` or ``"short"``.
    """
    if unit not in UNIT_ID:
        raise ValueError(f"unit must be one of {sorted(UNIT_ID)}, got {unit!r}")
    if languages is None or set(languages) - {"en"}:
        shown = "all" if languages is None else list(languages)
        warnings.warn(f"languages={shown}: all-MiniLM-L6-v2 is an English model; "
                      "texts in other languages will cluster by language, not by topic",
                      LanguagePolicyWarning, stacklevel=2)
    table = corpus.paragraphs if unit == "paragraph" else corpus.posts
    if unit == "post":
        table = table.assign(**{Paragraphs.paragraph_id: pd.Series(pd.NA, index=table.index,
                                                                   dtype="string")})
    key = UNIT_ID[unit]
    language = table[Posts.language]
    reason = pd.Series(pd.NA, index=table.index, dtype="string")
    if canonical_only:
        reason = reason.mask(~table[Posts.is_canonical].astype(bool), "not_canonical")
    if languages is not None:
        reason = reason.mask(reason.isna() & ~language.isin(list(languages)), "language")
    reason = reason.mask(reason.isna() & (table[Posts.n_words] < min_words), "short")
    keep = reason.isna()
    units = table.loc[keep, UNIT_COLUMNS].reset_index(drop=True)
    excluded = pd.DataFrame({
        "unit_id": table[key], Posts.post_id: table[Posts.post_id],
        Posts.source: table[Posts.source], Posts.language: language,
        Posts.n_words: table[Posts.n_words], "reason": reason.astype(object),
    }).loc[~keep].reset_index(drop=True)
    return units, excluded
