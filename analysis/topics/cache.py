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
* the source of every module of :mod:`analysis.topics` and :mod:`analysis.text`.

A hit reads the tables (``doc_topics``, ``topic_info``, vocabulary,
outlier shares, top words) without importing BERTopic, UMAP, HDBSCAN or
torch; the BERTopic model itself (saved with safetensors by
:func:`~analysis.topics.persist.save_topic_model`) is loaded only when something
other than ``get_topics`` is asked of ``fit.model``.  ``refit=True`` fits
again and replaces the entry.  :data:`FITS` counts the fits of this process.

:func:`evaluate_topics_cached` does the same for the LDA/NMF comparison of
:func:`~analysis.topics.evaluate_topics`, and :func:`cached_table` for any
function that turns tables into a table (the cluster bootstraps of
:mod:`analysis.stats.compare`): keyed by the input tables' contents, the other
arguments (seed included), the package's own source and version and the
library versions.

Entries are written to a temporary folder or file and renamed into place,
so two notebooks that fill the same entry at once (``make -j``) never read
a half-written one.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import shutil
import sys
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..corpus.outputs import write_file_atomically
from ..corpus.stamp import _files, _hash_files
from .schema import DocTopics, TopicEvaluation, TopicInfo

__all__ = ["FITS", "topic_cache_key", "fit_topics_cached", "evaluate_topics_cached",
           "cached_table", "package_source_key"]

#: What this process computed (not loaded): topic fits by :func:`fit_topics_cached`,
#: LDA/NMF evaluations by :func:`evaluate_topics_cached`, tables by :func:`cached_table`.
FITS = {"topics": 0, "evaluations": 0, "tables": 0}
_LIBRARIES = ("bertopic", "umap-learn", "hdbscan", "pynndescent", "numba", "numpy", "scipy",
              "scikit-learn", "pandas", "statsmodels")
_PACKAGE = Path(__file__).resolve().parents[1]  # the analysis package


@functools.lru_cache(maxsize=1)
def _versions() -> str:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==-")
    return ";".join(out) + ";python==" + sys.version.split()[0]


def package_source_key() -> str:
    """SHA-256 of the package's version and of every module's source, figures left out.

    ``analysis/plots/`` is left out: figures never feed a cached table, so
    changing a plot does not recompute anything.  Read afresh at each call
    (a few milliseconds), so an edited module is never served stale results.
    """
    h = hashlib.sha256()
    try:
        h.update(metadata.version("analysis").encode())
    except metadata.PackageNotFoundError:
        h.update(b"-")
    h.update(_source_digest(("",), exclude=("plots",)))
    return h.hexdigest()


def _source_digest(folders: tuple[str, ...], *, exclude: tuple[str, ...] = ()) -> bytes:
    """SHA-256 of the modules under ``folders`` of the package, subfolders in ``exclude`` left out.

    Files are hashed as :mod:`analysis.corpus.stamp` hashes the package for
    ``make corpus``: relative path, then the file's own SHA-256.
    """
    h = hashlib.sha256()
    for folder in folders:
        files = [path for path in _files(_PACKAGE / folder, "*.py")
                 if not set(path.relative_to(_PACKAGE).parts[:-1]) & set(exclude)]
        _hash_files(h, _PACKAGE, files)
    return h.digest()


def _fit_source_digest() -> bytes:
    """SHA-256 of the code a topic fit runs: ``analysis/topics/`` and ``analysis/text/``.

    The tokenizer, the embeddings and every topic module are in the key, so an
    edit to any of them refits instead of serving a stale cached model.
    """
    return _source_digest(("topics", "text"))


def _read_checked(path: Path, model) -> pd.DataFrame:
    """A cached table read back and checked against its schema (a damaged cache is named)."""
    from ..corpus.schema import check_table

    return check_table(model, pd.read_parquet(path), where=str(path))


def _fit_params(params: Mapping) -> dict:
    """The parameters of a topic fit with :func:`~analysis.topics.fit_topics`'s defaults filled in.

    So ``fit_topics_cached(u, e)`` and ``fit_topics_cached(u, e, unit="paragraph")``
    share one entry (notebooks 02 and 04 fit the same model).
    """
    from .model import fit_topics

    try:
        bound = inspect.signature(fit_topics).bind(None, None, **params)
    except TypeError as err:
        raise TypeError(f"fit_topics_cached: {err}") from None
    bound.apply_defaults()
    out = dict(bound.arguments)
    del out["units"], out["embeddings"]
    return out


def topic_cache_key(units: pd.DataFrame, embeddings: np.ndarray, params: Mapping) -> str:
    """SHA-256 of what a topic fit depends on (see the module docstring)."""
    h = hashlib.sha256()
    params = _fit_params(params)
    key_col = "paragraph_id" if params["unit"] == "paragraph" else "post_id"
    for col in (key_col, "text"):
        h.update(f"[{col}]".encode())
        for value in units[col].astype(str):
            h.update(value.encode("utf-8") + b"\0")
    emb = np.ascontiguousarray(embeddings)
    h.update(f"[embeddings]{emb.shape}{emb.dtype.str}".encode())
    h.update(emb.tobytes())
    h.update(json.dumps(dict(params), sort_keys=True, default=list).encode())
    h.update(_versions().encode())
    h.update(_fit_source_digest())
    return h.hexdigest()


class CachedTopicModel:
    """Stands in for a cached BERTopic: ``get_topics`` from the cache, the rest loaded.

    The first access to any other attribute loads the saved model with
    :func:`analysis.topics.persist.load_topic_model` (and so imports BERTopic).
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
            from .persist import load_topic_model

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
                        doc_topics=_read_checked(folder / "doc_topics.parquet", DocTopics),
                        topic_info=_read_checked(folder / "topic_info.parquet", TopicInfo),
                        outlier_share=meta["outlier_share"], params=meta["params"])
    from .model import fit_topics
    from .persist import save_topic_model

    fit = fit_topics(units, embeddings, **params)
    FITS["topics"] += 1
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=cache_dir, prefix=f".{key[:16]}-"))
    save_topic_model(fit, tmp / "model")
    fit.doc_topics.to_parquet(tmp / "doc_topics.parquet", index=False)
    fit.topic_info.to_parquet(tmp / "topic_info.parquet", index=False)
    topics = {int(k): [[str(w), float(x)] for w, x in v]
              for k, v in fit.model.get_topics().items()}
    (tmp / "fit.json").write_text(json.dumps(
        {"unit": fit.unit, "vocabulary": list(fit.vocabulary), "topics": topics,
         "outlier_share": fit.outlier_share, "params": fit.params}, default=_jsonable))
    _publish(tmp, folder)
    return fit


def _publish(tmp: Path, folder: Path) -> None:
    """Move a finished entry into place; another process's equal entry may be there already."""
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".old-"))
        try:
            folder.rename(old / "entry")
        except OSError:
            pass
        shutil.rmtree(old, ignore_errors=True)
    try:
        tmp.rename(folder)
    except OSError:  # another process published the same entry in between
        shutil.rmtree(tmp, ignore_errors=True)


def evaluate_topics_cached(fit, *, refit: bool = False, cache_dir: Path | str | None = None,
                           **kwargs) -> pd.DataFrame:
    """:func:`analysis.topics.evaluate_topics`, read from the cache when nothing changed.

    The LDA and NMF baselines are refitted by every call of
    ``evaluate_topics``; this keys their table by what it reads: the units'
    texts, the shared vocabulary, BERTopic's top words and number of topics,
    the arguments (``seed`` defaults to the fit's), the source of
    :mod:`analysis.topics` and the library versions.

    Parameters
    ----------
    fit : TopicFit
        From :func:`fit_topics_cached` or :func:`~analysis.topics.fit_topics`.
    refit : bool
        Compute even when a cached table exists (and replace it).
    cache_dir : path-like, optional
        Defaults to ``data/cache/evaluations``.
    **kwargs
        As for :func:`~analysis.topics.evaluate_topics` (``n_words``,
        ``seed``, ``n_topics``).

    Returns
    -------
    DataFrame
        Equal to ``evaluate_topics(fit, **kwargs)``.
    """
    from .evaluate import evaluate_topics

    cache_dir = Path(cache_dir) if cache_dir is not None else config.CACHE / "evaluations"
    args = inspect.signature(evaluate_topics).bind(fit, **kwargs)
    args.apply_defaults()
    params = {k: v for k, v in args.arguments.items() if k != "fit"}
    if params["seed"] is None:
        params["seed"] = fit.params.get("seed", config.SEED)
    h = hashlib.sha256(b"evaluate_topics")
    for value in fit.units["text"].astype(str):
        h.update(value.encode("utf-8") + b"\0")
    h.update(json.dumps({"params": params, "vocabulary": list(fit.vocabulary),
                         "n_topics": fit.n_topics,
                         "top_words": {str(k): v for k, v in
                                       fit.top_words(params["n_words"]).items()}},
                        sort_keys=True, default=_jsonable).encode())
    h.update(_fit_source_digest())
    h.update(_versions().encode())
    path = cache_dir / f"{h.hexdigest()}.parquet"
    if not refit and path.is_file():
        return _read_checked(path, TopicEvaluation)
    out = evaluate_topics(fit, **kwargs)
    FITS["evaluations"] += 1
    _write_table(out, path)
    return out


def _write_table(table: pd.DataFrame, path: Path) -> None:
    """Publish a cached table atomically: a concurrent notebook never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(path, table.to_parquet)


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _frame_digest(h, df: pd.DataFrame) -> None:
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    h.update(json.dumps([str(x) for x in df.index.names]).encode())
    try:
        digest = pd.util.hash_pandas_object(df, index=True).to_numpy()
    except TypeError:  # cells pandas cannot hash (lists, dicts): hash their repr
        digest = pd.util.hash_pandas_object(
            df.apply(lambda col: col.map(repr) if col.dtype == object else col),
            index=True).to_numpy()
    h.update(digest.tobytes())


def cached_table(compute, *args, refit: bool = False, cache_dir: Path | str | None = None,
                 **kwargs) -> pd.DataFrame:
    """``compute(*args, **kwargs)``, a table, read from the cache when nothing changed.

    For bootstraps and other tables that take long to compute from the same
    inputs.  The key hashes the function's name and module source, every
    DataFrame argument (values, index, dtypes), the other arguments (their
    ``repr``: the seed, the number of resamples...), the package's version
    and source (:func:`package_source_key`) and the library versions.
    :data:`FITS` ``["tables"]`` counts the computations.

    Parameters
    ----------
    compute : callable
        A function of tables that returns a table (one whose output depends
        on nothing but its arguments, the package and the libraries).
    *args, **kwargs
        Passed to ``compute``.
    refit : bool
        Compute even when a cached table exists (and replace it).
    cache_dir : path-like, optional
        Defaults to ``data/cache/tables``.

    Returns
    -------
    DataFrame
        Equal to ``compute(*args, **kwargs)``.

    Examples
    --------
    >>> from analysis.stats.compare import share_ci   # doctest: +SKIP
    >>> ci = cached_table(share_ci, frame, by="source", value="framing")  # doctest: +SKIP
    """
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
    h.update(package_source_key().encode())
    path = cache_dir / f"{h.hexdigest()}.parquet"
    if not refit and path.is_file():
        return pd.read_parquet(path)
    out = compute(*args, **kwargs)
    FITS["tables"] += 1
    _write_table(out, path)
    return out
