"""Text primitives shared by every step: embeddings (and, in time, the one tokenizer).

``embeddings``
    Sentence embeddings from the packaged all-MiniLM-L6-v2, cached by
    content hash; the distilled static model ``embed_fast``.
"""

from .._lazy import lazy_exports

__all__ = [
    "embed",
    "embeddings",
    "embed_fast",
    "model_path",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "embed": "embeddings",
    "embeddings": "embeddings",
    "embed_fast": "embeddings",
    "model_path": "embeddings",
})
