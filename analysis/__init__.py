"""Computational discourse analysis of left-wing framings of imperialism.

The public API: build a clean, audited corpus from a manifest and raw files.

>>> from analysis import build_corpus            # doctest: +SKIP
>>> corpus = build_corpus()                      # doctest: +SKIP
>>> corpus.posts[["post_id", "source", "date", "language", "group_id"]]  # doctest: +SKIP
"""

from .clean import RULES, clean_documents, clean_text, rules_table
from .config import SEED
from .corpus import Corpus, build_corpus, read_corpus
from .language import add_languages, detect_languages, group_posts
from .load import CorpusInputError, load_corpus, load_manifest
from .segment import attach_post_metadata, split_paragraphs, split_posts

__all__ = [
    "SEED",
    "RULES",
    "Corpus",
    "CorpusInputError",
    "add_languages",
    "attach_post_metadata",
    "build_corpus",
    "clean_documents",
    "clean_text",
    "detect_languages",
    "group_posts",
    "load_corpus",
    "load_manifest",
    "read_corpus",
    "rules_table",
    "split_paragraphs",
    "split_posts",
]

__version__ = "0.1.0"
