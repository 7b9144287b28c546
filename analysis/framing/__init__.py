"""Framing measurement: anti-US-imperialism versus against-all-imperialisms.

Four methods score every paragraph; a documented rule combines them.

Lexicon (:mod:`analysis.framing.lexicon`)
    The versioned dictionary ``data/lexicons/framing.yaml`` (en, es, fr, de,
    it, ru) with negation, contrast and distancing rules.  It is the only
    method for languages other than English.
Latent Semantic Scaling (:mod:`analysis.scaling`)
    Word polarity from seed words (in the same YAML file), fitted on the
    English gold texts; document scores with standard errors.
Embedding prototypes (:class:`PrototypeScorer`)
    Similarity of the packaged MiniLM embedding of a paragraph to short
    exemplar statements of each pole (and of no framing), turned into
    probabilities by a softmax.
Supervised classifier (:class:`FramingClassifier`)
    Logistic regression on MiniLM embeddings (or TF-IDF) trained on the
    hand-coded gold set ``data/annotations/gold.csv`` (codebook in
    ``data/annotations/codebook.md``).

The embedding methods are applied to English paragraphs only: the packaged
model is English-only.

Combined decision (:func:`combine_scores`)
    Each method gives a *support* in [0, 1] for each pole:

    * lexicon: ``1 - exp(-E / lexicon_scale)`` where E is the summed weight
      of the pole's matches;
    * classifier: ``P(pole) + P(mixed) / 2``;
    * prototypes: ``P(pole)``;
    * LSS: ``max(0, tanh(+-z / 2))`` (weight 0 by default).

    The support of a pole is the weighted mean over the methods available
    for the paragraph (weights in the YAML ``combination`` section).  Then
    ``framing_score = support_all - support_us`` (positive: all
    imperialisms; negative: anti-US), and

    * ``none`` if neither support reaches ``threshold``;
    * ``mixed`` if both do and the weaker is at least ``mixed_ratio`` of
      the stronger;
    * otherwise the pole with the larger support.

Aggregation (:meth:`FramingModel.aggregate`)
    A post or document takes, for each method and pole, the mean support of
    its paragraphs that carry a framing (weighted by words), or of all its
    paragraphs when none does; LSS is recomputed exactly for the
    concatenated text.  The same rule then labels the aggregate, so a long
    all-imperialisms text that mentions "NATO imperialism" in passing in
    many paragraphs does not become ``mixed`` by accumulation.  The summed
    lexicon evidence and the merged evidence terms are reported alongside.

Examples
--------
>>> out = score_framing(["Against all imperialisms: neither Washington nor Moscow!"],
...                     language="en", methods=("lexicon",))
>>> out.loc[0, "framing"], round(float(out.loc[0, "framing_score"]), 2)
('all_imperialisms', 0.95)
"""

from __future__ import annotations

from .combine import combine_scores
from .io import INPUT_FORMATS, read_gold, read_texts, split_text
from .labels import DEFAULT_GOLD, LABELS, METHODS, MODEL_LANGUAGES
from .lexicon import FramingInputError
from .paragraph import (
    OUTPUT_COLUMNS,
    FramingClassifier,
    FramingModel,
    PrototypeScorer,
    aggregate_framing,
    default_model,
    score_framing,
    score_paragraphs,
)
from .validate import (
    agreement_table,
    bootstrap_framing,
    confusion_table,
    cross_validate_classifier,
    krippendorff_alpha,
    macro_f1_ci,
    method_labels,
    transfer_predictions,
)

__all__ = [
    "LABELS",
    "METHODS",
    "DEFAULT_GOLD",
    "FramingInputError",
    "OUTPUT_COLUMNS",
    "INPUT_FORMATS",
    "MODEL_LANGUAGES",
    "method_labels",
    "read_gold",
    "read_texts",
    "split_text",
    "PrototypeScorer",
    "FramingClassifier",
    "FramingModel",
    "default_model",
    "combine_scores",
    "score_paragraphs",
    "aggregate_framing",
    "score_framing",
    "cross_validate_classifier",
    "transfer_predictions",
    "method_labels",
    "macro_f1_ci",
    "agreement_table",
    "confusion_table",
    "bootstrap_framing",
    "krippendorff_alpha",
]
