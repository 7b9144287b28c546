"""Computational discourse analysis of left-wing framings of imperialism.

The pipeline is the folder layout:

``analysis.corpus``
    load, clean, segment, language, groups, schemas -> ``data/processed/``.
``analysis.text``
    the shared text primitives: embeddings (packaged all-MiniLM-L6-v2).
``analysis.topics``
    BERTopic on cached embeddings, topic tables, evaluation, fit cache.
``analysis.framing``
    the framing measure (anti-US-imperialism vs against all imperialisms),
    its lexicon, model, validation and the real development corpus.
``analysis.stats``
    comparisons over time and source with uncertainty.
``analysis.discourse``
    concordance, keyness, collocations.
``analysis.scale``
    simulated corpora with planted structure, Dask.
``analysis.plots``
    figures: one style, one ``save_figure``.
``analysis.cli``
    the ``analysis`` command (``build``, ``framing``).

The top level holds only the entry points a notebook uses; everything else
is reached through its subpackage.  Names are imported when first used, so
``import analysis`` is cheap.

>>> import analysis
>>> analysis.SEED
42
>>> corpus = analysis.build_corpus()                             # doctest: +SKIP
>>> analysis.score_framing(["Neither Washington nor Moscow!"])   # doctest: +SKIP
"""

from ._lazy import lazy_exports

_EXPORTS = {
    "SEED": "config",
    "build_corpus": "corpus",
    "read_corpus": "corpus",
    "embed": "text",
    "fit_topics": "topics",
    "evaluate_topics": "topics",
    "score_framing": "framing",
    "add_framing": "framing",
    "validate_framing": "framing.handlabels",
    "share_ci": "stats",
    "mean_ci": "stats",
    "event_difference": "stats",
    "regress": "stats",
    "kwic": "discourse",
    "keyness": "discourse",
    "simulate_corpus": "scale",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


__version__ = "0.1.0"
