"""Framing measurement: anti-US-imperialism versus against-all-imperialisms.

The document is the unit of decision.  The default measure
(:func:`score_framing`, ``measure="document"``) cleans each raw text with
the corpus rules and gives one calibrated-by-construction probability per
label (``anti_us``, ``all_imperialisms``, ``mixed``, ``none``) from a
logistic regression on hashed word and character n-grams plus the lexicon's
evidence, trained on the development split of the real, double-coded corpus
(``data/annotations/real/``).  ``none`` needs ``P(none) >= 0.5``: no
evidence, not weak evidence.  Notebook 03 validates it on sites it never saw.

Modules
-------
``lexicon``
    The versioned multilingual dictionary (``data/lexicons/framing.yaml``)
    with negation, contrast and distancing rules; evidence per match.
``patterns``, ``evidence``
    The lexicon's pattern language (:func:`~analysis.framing.patterns.compile_pattern`);
    its evidence over many texts as tables (matches, scores, keyword in context).
``prefilter``, ``regex_literals``
    Skipping the entries that cannot match a text, from the literals every
    match of a regular expression needs (read from its parse tree).
``features``
    Document features from text or from the committed feature tables.
``scorers``
    scikit-learn estimators: :class:`DocumentClassifier`, :class:`LexiconRule`,
    :class:`KeywordBaseline`.
``model``
    Training from the committed tables, safetensors persistence, scoring.
``api``
    :func:`score_framing` and the pandas verb :func:`add_framing`.
``crossval``
    Grouped-by-site validation, learning curve, per-entry precision.
``devcorpus``, ``devbuild``, ``schema``
    The real development corpus: assembly, coding, locked split, schemas.
``io``, ``combine``, ``paragraph``, ``paragraph_scorers``, ``validate``
    Reading inputs; the earlier paragraph-level measure (lexicon, LSS,
    embedding prototypes, gold-trained classifier and their combination
    rule), kept for inspection with ``measure="paragraph"``; agreement
    statistics and Krippendorff's alpha.

Examples
--------
>>> out = score_framing(["Against all imperialisms: neither Washington nor Moscow!"],
...                     language="en", measure="paragraph", methods=("lexicon",))
>>> out.loc[0, "framing"], round(float(out.loc[0, "framing_score"]), 2)
('all_imperialisms', 0.95)
"""

from __future__ import annotations

from .api import MEASURES, add_framing, score_framing
from .combine import combine_scores
from .io import INPUT_FORMATS, read_gold, read_texts, split_text
from .labels import DEFAULT_GOLD, LABELS, METHODS, MODEL_LANGUAGES
from .lexicon import FramingInputError
from .model import (
    DOCUMENT_COLUMNS,
    MODEL_VERSION,
    default_document_model,
    load_model,
    save_model,
    score_documents,
    train_document_model,
)
from .paragraph import (
    OUTPUT_COLUMNS,
    FramingModel,
    aggregate_framing,
    default_model,
    score_paragraphs,
)
from .paragraph_scorers import FramingClassifier, PrototypeScorer
from .scorers import DocumentClassifier, KeywordBaseline, LexiconRule
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
    "MEASURES",
    "add_framing",
    "DOCUMENT_COLUMNS",
    "MODEL_VERSION",
    "default_document_model",
    "load_model",
    "save_model",
    "score_documents",
    "train_document_model",
    "DocumentClassifier",
    "KeywordBaseline",
    "LexiconRule",
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
