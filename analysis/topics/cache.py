"""Fitted topic models cached by content hash: an unchanged re-run loads, never fits.

:func:`fit_topics_cached` is :func:`analysis.topics.model.fit_topics` behind a
cache, as :func:`analysis.text.embeddings.embed` is for vectors.  The key is a SHA-256
of

* the units (their ids and texts, in input order) and the embeddings
  (bytes, shape and dtype),
* every parameter of :func:`~analysis.topics.model.fit_topics` (the vocabulary
  included),
* the versions of the libraries that shape a fit (BERTopic, UMAP, HDBSCAN,
  pynndescent, numba, numpy, scipy, scikit-learn, pandas) and of Python, and
* the source of :mod:`analysis.topics.model`.

A hit reads the tables (``doc_topics``, ``topic_info``, vocabulary,
outlier shares, top words) without importing BERTopic, UMAP, HDBSCAN or
torch; the BERTopic model itself (saved with safetensors by
:func:`~analysis.topics.model.save_topic_model`) is loaded only when something
other than ``get_topics`` is asked of ``fit.model``.  ``refit=True`` fits
again and replaces the entry.  :data:`FITS` counts the fits of this process.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

__all__ = ["FITS", "topic_cache_key", "fit_topics_cached", "cached_table"]

#: Number of topic models fitted (not loaded) by :func:`fit_topics_cached` in this process.
FITS = {"topics": 0, "tables": 0}
_LIBRARIES = ("bertopic", "umap-learn", "hdbscan", "pynndescent", "numba", "numpy", "scipy",
              "scikit-learn", "pandas")


def _versions() -> str:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==-")
    return ";".join(out) + ";python==" + sys.version.split()[0]


def topic_cache_key(units: pd.DataFrame, embeddings: np.ndarray, params: Mapping) -> str:
    """SHA-256 of what a topic fit depends on (see the module docstring)."""
    h = hashlib.sha256()
    key_col = "paragraph_id" if params.get("unit", "paragraph") == "paragraph" else "post_id"
    for col in (key_col, "text"):
        h.update(f"[{col}]".encode())
        for value in units[col].astype(str):
            h.update(value.encode("utf-8") + b"\0")
    emb = np.ascontiguousarray(embeddings)
    h.update(f"[embeddings]{emb.shape}{emb.dtype.str}".encode())
    h.update(emb.tobytes())
    h.update(json.dumps(dict(params), sort_keys=True, default=list).encode())
    h.update(_versions().encode())
    h.update((Path(__file__).resolve().parent / "model.py").read_bytes())
    return h.hexdigest()


class CachedTopicModel:
    """Stands in for a cached BERTopic: ``get_topics`` from the cache, the rest loaded.

    The first access to any other attribute loads the saved model with
    :func:`analysis.topics.model.load_topic_model` (and so imports BERTopic).
    """

    def __init__(self, folder: Path, topics: Mapping[int, list]):
        self._folder = Path(folder)
        self._topics = {int(k): [tuple(p) for p in v] for k, v in topics.items()}
        self._model = None

    def get_topics(self, full: bool = False):
        """Each topic's words and c-TF-IDF weights, as ``BERTopic.get_topics``."""
        if full:
            return self._load().get_topics(full=True)
        return {k: list(v) for k, v in self._topics.items()}

    def save(self, path, *args, **kwargs):
        """Copy the saved model's files to ``path`` (what ``BERTopic.save`` wrote)."""
        dest = Path(path)
        dest.mkdir(parents=True, exist_ok=True)
        for item in self._folder.iterdir():
            if item.is_file() and item.suffix != ".parquet":
                shutil.copy2(item, dest / item.name)

    def _load(self):
        if self._model is None:
            from .model import load_topic_model

            self._model = load_topic_model(self._folder)
        return self._model

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._load(), name)


def fit_topics_cached(units: pd.DataFrame, embeddings: np.ndarray, *, refit: bool = False,
                      cache_dir: Path | str | None = None, **params):
    """:func:`analysis.topics.model.fit_topics`, loaded from the cache when nothing changed.

    Parameters
    ----------
    units, embeddings, **params
        As for :func:`~analysis.topics.model.fit_topics`.
    refit : bool
        Fit even when a cached fit exists (and replace it).
    cache_dir : path-like, optional
        Defaults to ``data/cache/topics``.

    Returns
    -------
    TopicFit
        Tables equal to a fresh fit's; ``model`` is a :class:`CachedTopicModel`
        on a hit.
    """
    from .model import TopicFit

    cache_dir = Path(cache_dir) if cache_dir is not None else config.CACHE / "topics"
    key = topic_cache_key(units, embeddings, params)
    folder = cache_dir / key
    meta_path = folder / "fit.json"
    if not refit and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        return TopicFit(model=CachedTopicModel(folder / "model", meta["topics"]),
                        unit=meta["unit"], units=units.copy(), embeddings=embeddings,
                        vocabulary=meta["vocabulary"],
                        doc_topics=pd.read_parquet(folder / "doc_topics.parquet"),
                        topic_info=pd.read_parquet(folder / "topic_info.parquet"),
                        outlier_share=meta["outlier_share"], params=meta["params"])
    from .model import fit_topics, save_topic_model

    fit = fit_topics(units, embeddings, **params)
    FITS["topics"] += 1
    tmp = cache_dir / f".{key}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_topic_model(fit, tmp / "model")
    fit.doc_topics.to_parquet(tmp / "doc_topics.parquet", index=False)
    fit.topic_info.to_parquet(tmp / "topic_info.parquet", index=False)
    topics = {int(k): [[str(w), float(x)] for w, x in v]
              for k, v in fit.model.get_topics().items()}
    (tmp / "fit.json").write_text(json.dumps(
        {"unit": fit.unit, "vocabulary": list(fit.vocabulary), "topics": topics,
         "outlier_share": fit.outlier_share, "params": fit.params}, default=_jsonable))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return fit


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _frame_digest(h, df: pd.DataFrame) -> None:
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    h.update(json.dumps([str(x) for x in df.index.names]).encode())
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())


def cached_table(compute, *args, refit: bool = False, cache_dir: Path | str | None = None,
                 **kwargs) -> pd.DataFrame:
    """``compute(*args, **kwargs)``, a table, read from the cache when nothing changed.

    For bootstraps and other tables that take long to compute from the same
    inputs.  The key hashes the function's name and module source, every
    DataFrame argument (values, index, dtypes), the other arguments (their
    ``repr``) and the library versions.  :data:`FITS` ``["tables"]`` counts
    the computations.

    Examples
    --------
    >>> from analysis.stats.compare import share_ci   # doctest: +SKIP
    >>> ci = cached_table(share_ci, frame, by="source", value="framing")  # doctest: +SKIP
    """
    import inspect

    cache_dir = Path(cache_dir) if cache_dir is not None else config.CACHE / "tables"
    h = hashlib.sha256(f"{compute.__module__}.{compute.__qualname__}".encode())
    source = inspect.getsourcefile(compute)
    if source:
        h.update(Path(source).read_bytes())
    for name, item in [("", a) for a in args] + sorted(kwargs.items()):
        h.update(f"[{name}]".encode())
        if isinstance(item, pd.DataFrame):
            _frame_digest(h, item)
        else:
            h.update(repr(item).encode())
    h.update(_versions().encode())
    path = cache_dir / f"{h.hexdigest()}.parquet"
    if not refit and path.is_file():
        return pd.read_parquet(path)
    out = compute(*args, **kwargs)
    FITS["tables"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    out.to_parquet(tmp)
    tmp.replace(path)
    return out
