"""The two entry points notebooks and the command line use: ``score_framing``, ``add_framing``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..corpus.schema import check_table
from .model import DOCUMENT_COLUMNS, score_documents
from .schema import DocumentFramingSchema, ParagraphFramingSchema

__all__ = ["MEASURES", "score_framing", "add_framing"]

#: ``document``: the default measure, one decision per text
#: (:func:`~analysis.framing.model.score_documents`); ``paragraph``: the
#: earlier four-method measure scored paragraph by paragraph and aggregated
#: (:func:`analysis.framing.paragraph.score_framing`), kept for inspection.
MEASURES = ("document", "paragraph")


def score_framing(texts: Sequence[str], *, language: str | Sequence[str] | None = None,
                  measure: str | None = None, model=None,
                  methods: Sequence[str] | None = None,
                  encoder=None, model_key: str | None = None,
                  progress: bool = False, cleaned: bool = False,
                  chunk_size: int | None = None, n_jobs: int | None = 1) -> pd.DataFrame:
    """Measure the framing of each text: one row per input text.

    Parameters
    ----------
    texts : sequence of str
        Raw texts.  A single string is refused (it would be read as a
        sequence of characters): wrap it in a list.
    language : str or sequence of str, optional
        ISO 639-1 code for all texts, or one per text; detected when missing.
    measure : {"document", "paragraph"}, optional
        See :data:`MEASURES`.  By default ``document``, unless paragraph
        options (``methods``, ``encoder`` or a paragraph ``FramingModel``)
        are given.
    model : optional
        A fitted model of the chosen measure; the packaged default otherwise.
    methods, encoder, model_key, progress
        Options of the paragraph measure only.
    cleaned : bool
        Document measure: the texts are already cleaned with the corpus
        rules (the ``text`` of the corpus tables, or ``"\\n\\n".join(split_text(t))``),
        so they are not cleaned again; same output as scoring the raw texts.
    chunk_size : int, optional
        Document measure: texts scored together (default
        :data:`~analysis.framing.model.CHUNK_SIZE`); bounds peak memory.
    n_jobs : int, optional
        Document measure: worker processes over the chunks (``-1``: one per
        CPU).  Scores do not depend on ``chunk_size`` or ``n_jobs``.

    Returns
    -------
    DataFrame
        For ``document``: :data:`~analysis.framing.model.DOCUMENT_COLUMNS`,
        checked by :class:`~analysis.framing.schema.DocumentFramingSchema`;
        for ``paragraph``: :data:`~analysis.framing.paragraph.OUTPUT_COLUMNS`,
        checked by :class:`~analysis.framing.schema.ParagraphFramingSchema`.

    Raises
    ------
    TypeError
        For a single string.
    ValueError
        For an unknown measure, or paragraph options with the document measure.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("score_framing takes a sequence of texts, not one string; "
                        "wrap a single text in a list: score_framing([text])")
    if measure is None:
        from .paragraph import FramingModel

        paragraph_options = (methods is not None or encoder is not None
                             or isinstance(model, FramingModel))
        measure = "paragraph" if paragraph_options else "document"
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose from {', '.join(MEASURES)}")
    if measure == "paragraph":
        from .paragraph import score_framing as score_paragraph_measure

        if cleaned or chunk_size is not None or n_jobs not in (None, 1):
            raise ValueError("cleaned, chunk_size and n_jobs are options of measure='document'")

        out = score_paragraph_measure(texts, language=language, model=model, methods=methods,
                                      encoder=encoder, model_key=model_key, progress=progress)
        return check_table(ParagraphFramingSchema, out, where="score_framing output")
    if methods is not None or encoder is not None:
        raise ValueError("methods and encoder are options of measure='paragraph'")
    options = {} if chunk_size is None else {"chunk_size": chunk_size}
    out = score_documents(list(texts), language=language, model=model, cleaned=cleaned,
                          n_jobs=n_jobs, **options)
    return check_table(DocumentFramingSchema, out, where="score_framing output")


def add_framing(df: pd.DataFrame, *, text_col: str = "text", by: str | None = None,
                language_col: str | None = None, measure: str | None = None,
                **kwargs) -> pd.DataFrame:
    """Return ``df`` with framing columns, joined by key, never by row order.

    Parameters
    ----------
    df : DataFrame
        Not modified.
    text_col : str
        Column of raw texts, or of cleaned texts with ``cleaned=True`` (the
        ``text`` of the corpus's posts and paragraphs tables is already
        cleaned: ``add_framing(corpus.posts, cleaned=True, n_jobs=2)`` skips
        cleaning it again and gives the same scores).
    by : str, optional
        Score each group of rows as one document (texts joined with blank
        lines in row order), e.g. ``by="post_id"`` on a paragraph table;
        every row of a group gets the group's columns.  Default: each row.
    language_col : str, optional
        Column of ISO 639-1 codes (the first of each group is used).
    measure : str
        Passed to :func:`score_framing`.
    **kwargs
        Further options of :func:`score_framing` (``model``, ``cleaned``,
        ``chunk_size``, ``n_jobs``, ``methods`` ...).

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["a", "b"],
    ...                       "text": ["Russian troops out of Ukraine! Against all imperialisms.",
    ...                                "NATO's proxy war: US imperialism is the main enemy."]})
    >>> add_framing(posts)["framing"].tolist()
    ['all_imperialisms', 'anti_us']
    """
    if text_col not in df.columns:
        raise KeyError(f"no column {text_col!r}")
    key = by if by is not None else "__row__"
    work = df.assign(__row__=np.arange(len(df))) if by is None else df
    grouped = work.groupby(key, sort=False)
    texts = grouped[text_col].agg(lambda s: "\n\n".join("" if pd.isna(t) else str(t) for t in s))
    language = (grouped[language_col].first().tolist() if language_col else None)
    scores = score_framing(texts.tolist(), language=language, measure=measure, **kwargs)
    scores.index = texts.index
    columns = [c for c in scores.columns if c not in df.columns or c == "framing"]
    out = work.drop(columns=[c for c in columns if c in work.columns and c != key])
    out = out.merge(scores[columns], left_on=key, right_index=True, how="left")
    return out.drop(columns="__row__", errors="ignore").set_axis(df.index)


__all__ += ["DOCUMENT_COLUMNS"]
