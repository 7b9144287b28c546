"""Saving and reopening fitted topic models: safetensors only, never pickle."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import pandas as pd

from ..text.tokenize import topic_tokens
from .model import TopicFit

__all__ = [
    "load_topic_model",
    "save_topic_model",
    "saved_topic_info",
]


@contextlib.contextmanager
def _quiet_bertopic():
    """Silence BERTopic's logger below errors for the duration of the block."""
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def save_topic_model(fit: TopicFit, path: Path | str) -> Path:
    """Save the fitted BERTopic with safetensors (never pickle), plus its tables.

    Writes BERTopic's safetensors folder (topic embeddings, c-TF-IDF, the
    vectorizer's vocabulary as JSON) and ``doc_topics.parquet`` and
    ``topic_info.parquet`` next to it.  UMAP and HDBSCAN are not saved: the
    reloaded model assigns new texts by similarity to topic embeddings.

    Returns
    -------
    Path
        The folder.
    """
    folder = Path(path)
    # BERTopic warns that no embedding-model pointer is saved: the model is
    # the packaged one, passed to load_topic_model() when needed.
    with _quiet_bertopic():
        fit.model.save(folder, serialization="safetensors", save_ctfidf=True,
                       save_embedding_model=False)
    fit.doc_topics.to_parquet(folder / "doc_topics.parquet", index=False)
    fit.topic_info.to_parquet(folder / "topic_info.parquet", index=False)
    return folder


def load_topic_model(path: Path | str, *, embedding_model=None):
    """Reopen a model saved by :func:`save_topic_model`, offline.

    Parameters
    ----------
    path : path-like
        The folder.
    embedding_model : optional
        Encoder for ``transform`` on raw text, e.g.
        :func:`analysis.text.embeddings.load_encoder`; without it, pass embeddings.

    Returns
    -------
    bertopic.BERTopic
    """
    from bertopic import BERTopic

    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder}: no saved topic model (config.json missing)")
    if any(folder.glob("*.pkl")) or any(folder.glob("*.pickle")):
        raise ValueError(f"{folder}: holds pickle files; only safetensors models are loaded")
    # Without an embedding model BERTopic warns on every load; that is the
    # intended use here (transform() with precomputed embeddings).
    with _quiet_bertopic():
        model = BERTopic.load(str(folder), embedding_model=embedding_model)
    # BERTopic saves the vectorizer's parameters without its tokenizer (a function).
    if model.vectorizer_model.token_pattern is None:
        model.vectorizer_model.set_params(tokenizer=topic_tokens)
    return model


def saved_topic_info(path: Path | str) -> pd.DataFrame:
    """Topic, size and name of a model saved by :func:`save_topic_model`, without BERTopic.

    Reads the ``topics.json`` that BERTopic's safetensors save writes (what
    :func:`load_topic_model` rebuilds ``get_topic_info`` from), so a notebook
    can show what it saved without importing BERTopic, UMAP or torch.

    Returns
    -------
    DataFrame
        ``Topic, Count, Name`` as in ``BERTopic.get_topic_info()``, by topic.
    """
    import json

    folder = Path(path)
    file = folder / "topics.json"
    if not file.is_file():
        raise FileNotFoundError(f"{folder}: no saved topic model (topics.json missing)")
    saved = json.loads(file.read_text(encoding="utf-8"))
    sizes = {int(k): int(v) for k, v in saved["topic_sizes"].items()}
    names = {int(k): str(v) for k, v in saved["topic_labels"].items()}
    topics = sorted(set(sizes) | set(names))
    return pd.DataFrame({"Topic": topics, "Count": [sizes.get(t, 0) for t in topics],
                         "Name": [names.get(t, "") for t in topics]})
