"""Corpus-linguistic tools: concordance (KWIC), keyness, collocations.

``tools``
    Each takes a tidy text table and returns a tidy table that keeps the
    documents' metadata.
"""

from .._lazy import lazy_exports

__all__ = [
    "tools",
    "collocations",
    "keyness",
    "kwic",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "tools": "tools",
    "collocations": "tools",
    "keyness": "tools",
    "kwic": "tools",
})
