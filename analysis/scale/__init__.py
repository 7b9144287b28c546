"""Beyond the sample: simulated corpora with planted structure, and Dask.

``simulate``
    :func:`simulate_corpus`, corpora whose framing shares, topics, events,
    translations and duplicates are known, for recovery tests and benchmarks.
    Its parts: ``planted`` (the sources and their planted framing shares),
    ``vocabulary`` (the word lists), ``prose`` (sentences, paragraphs and
    posts) and ``scrape`` (raw files with the noise of real scrapes).
``usercorpus``
    A student's corpus as it arrives (many sources, languages, gaps).
``distributed``
    The same pipeline on Dask partitions, value for value.
"""

from .._lazy import lazy_exports

__all__ = [
    "distributed",
    "planted",
    "prose",
    "scrape",
    "simulate",
    "usercorpus",
    "vocabulary",
    "build_corpus_dask",
    "embed_dask",
    "score_framing_dask",
    "simulate_corpus",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "distributed": "distributed",
    "planted": "planted",
    "prose": "prose",
    "scrape": "scrape",
    "simulate": "simulate",
    "usercorpus": "usercorpus",
    "vocabulary": "vocabulary",
    "build_corpus_dask": "distributed",
    "embed_dask": "distributed",
    "score_framing_dask": "distributed",
    "simulate_corpus": "simulate",
})
