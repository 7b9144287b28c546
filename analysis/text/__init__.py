"""Text primitives shared by every step: the one tokenizer and sentence splitter, embeddings.

``tokenize``
    The package's tokenizer (:func:`analysis.text.tokenize.tokenize`) and
    sentence splitter (:func:`split_sentences`, :func:`sentence_spans`);
    nothing else in the package defines words or sentences.
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
    "tokenize",
    "word_tokens",
    "split_sentences",
    "sentence_spans",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "embed": "embeddings",
    "embeddings": "embeddings",
    "embed_fast": "embeddings",
    "model_path": "embeddings",
    # the module: its function is analysis.text.tokenize.tokenize
    "tokenize": "tokenize",
    "word_tokens": "tokenize",
    "split_sentences": "tokenize",
    "sentence_spans": "tokenize",
})
