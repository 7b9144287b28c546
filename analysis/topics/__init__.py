"""Topic modelling with BERTopic on precomputed, cached embeddings.

``units``
    :func:`select_units` (the language policy: which texts are modelled, and
    why the others are not) and :func:`embed_units` (cached embeddings).
``vocabulary``
    The vocabulary shared by BERTopic's c-TF-IDF, the baselines and NPMI.
``model``
    ``make_topic_model``, :func:`fit_topics` and the topic tables.
``evaluate``
    Coherence (NPMI), diversity and the LDA/NMF baselines.
``persist``
    Saving and reopening fitted models (safetensors, never pickle).
``cache``
    :func:`fit_topics_cached`: a fitted model's tables keyed by content hash,
    so an unchanged re-run loads instead of fitting.
"""

from .._lazy import lazy_exports

__all__ = [
    "cache",
    "evaluate",
    "model",
    "persist",
    "units",
    "vocabulary",
    "evaluate_topics",
    "fit_topics",
    "fit_topics_cached",
    "load_topic_model",
    "make_topic_model",
    "save_topic_model",
    "select_units",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "cache": "cache",
    "evaluate": "evaluate",
    "model": "model",
    "persist": "persist",
    "units": "units",
    "vocabulary": "vocabulary",
    "evaluate_topics": "evaluate",
    "fit_topics": "model",
    "fit_topics_cached": "cache",
    "load_topic_model": "persist",
    "make_topic_model": "model",
    "save_topic_model": "persist",
    "select_units": "units",
})
