"""Topic modelling with BERTopic on precomputed, cached embeddings.

``model``
    Unit selection, ``make_topic_model``, fitting, topic tables, evaluation
    (coherence, diversity, stability) and persistence.
``cache``
    :func:`fit_topics_cached`: a fitted model's tables keyed by content hash,
    so an unchanged re-run loads instead of fitting.
"""

from .._lazy import lazy_exports

__all__ = [
    "cache",
    "model",
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
    "model": "model",
    "evaluate_topics": "model",
    "fit_topics": "model",
    "fit_topics_cached": "cache",
    "load_topic_model": "model",
    "make_topic_model": "model",
    "save_topic_model": "model",
    "select_units": "model",
})
