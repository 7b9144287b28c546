"""Computational discourse analysis of left-wing framings of imperialism.

The public API, by step of the pipeline:

* **Corpus** — :func:`build_corpus` (load, clean, segment, language,
  groups; writes ``data/processed/``), :func:`read_corpus`, and the steps it
  composes: :func:`load_corpus`, :func:`clean_documents`,
  :func:`split_posts`, :func:`split_paragraphs`, :func:`add_languages`,
  :func:`group_posts`.
* **Embeddings** — :func:`analysis.embed.embed` (packaged all-MiniLM-L6-v2,
  offline, cached by content hash).
* **Topics** — :func:`select_units`, :func:`fit_topics`,
  :func:`evaluate_topics`, :func:`save_topic_model`.
* **Framing** — :func:`score_framing` (raw texts in, one row per text out)
  and :func:`score_paragraphs`.
* **Comparisons** — :func:`share_ci`, :func:`mean_ci`,
  :func:`event_difference`, :func:`regress`, :func:`flag_thin`,
  :func:`add_period`.
* **Discourse tools** — :func:`kwic`, :func:`keyness`,
  :func:`collocations`.
* **Scale** — :func:`simulate_corpus` (planted-structure corpora),
  :func:`build_corpus_dask` (the same pipeline on Dask), :func:`embed_fast`
  (a static model distilled from MiniLM; fast, but only partly in agreement
  with it).

Figures live in :mod:`analysis.plots`.

>>> from analysis import build_corpus, score_framing   # doctest: +SKIP
>>> corpus = build_corpus()                              # doctest: +SKIP
>>> score_framing(["Neither Washington nor Moscow!"])    # doctest: +SKIP
"""

from .clean import RULES, clean_documents, clean_text, rules_table
from .compare import (
    add_period,
    event_difference,
    flag_thin,
    mean_ci,
    regress,
    share_ci,
)
from .config import SEED
from .corpus import Corpus, build_corpus, read_corpus
from .discourse import collocations, keyness, kwic
from .distributed import build_corpus_dask
from .embed import embed_fast
from .framing import score_framing, score_paragraphs
from .language import add_languages, detect_languages, group_posts
from .load import CorpusInputError, load_corpus, load_manifest
from .segment import attach_post_metadata, split_paragraphs, split_posts
from .simulate import simulate_corpus
from .topics import evaluate_topics, fit_topics, save_topic_model, select_units

__all__ = [
    "SEED",
    "RULES",
    "Corpus",
    "CorpusInputError",
    "add_languages",
    "add_period",
    "attach_post_metadata",
    "build_corpus",
    "build_corpus_dask",
    "clean_documents",
    "clean_text",
    "collocations",
    "detect_languages",
    "embed_fast",
    "evaluate_topics",
    "event_difference",
    "fit_topics",
    "flag_thin",
    "group_posts",
    "keyness",
    "kwic",
    "load_corpus",
    "load_manifest",
    "mean_ci",
    "read_corpus",
    "regress",
    "rules_table",
    "save_topic_model",
    "score_framing",
    "score_paragraphs",
    "select_units",
    "share_ci",
    "simulate_corpus",
    "split_paragraphs",
    "split_posts",
]

__version__ = "0.1.0"
