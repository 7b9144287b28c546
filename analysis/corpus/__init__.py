"""The corpus: load, clean, segment, detect language, group, validate, write.

``build_corpus`` composes the steps; each step is a module:

``manifest`` / ``load`` / ``records`` / ``guard`` / ``problems``
    Manifest and raw files (HTML, text, JSON lines, CSV, Parquet) into a
    documents table with provenance; hostile input rejected with a reason.
``normalise`` / ``rules`` / ``clean`` / ``boilerplate``
    ``str -> str`` normalisers, the named cleaning rules, cleaning with the
    audit, plus site boilerplate found by repetition; every removal in the
    audit.
``segment``
    Listing pages into posts, posts into paragraphs.
``language``
    Language per post and paragraph (lingua).
``groups`` / ``minhash``
    Translation and near-duplicate groups; MinHash signatures and LSH pairs.
``schema``
    pandera models of every corpus table.
``build``
    :func:`build_corpus`, :func:`read_corpus`, the :class:`Corpus` tables.
``coverage`` / ``outputs`` / ``stamp``
    Which method reads which language; atomic locked output folders; the
    input stamp that lets ``make corpus`` skip an unchanged build.
"""

from .._lazy import lazy_exports

__all__ = [
    "boilerplate",
    "build",
    "clean",
    "coverage",
    "groups",
    "guard",
    "language",
    "load",
    "manifest",
    "minhash",
    "normalise",
    "outputs",
    "problems",
    "records",
    "rules",
    "schema",
    "segment",
    "stamp",
    "Corpus",
    "RULES",
    "add_languages",
    "build_corpus",
    "clean_documents",
    "clean_text",
    "corpus_report",
    "detect_languages",
    "group_posts",
    "load_corpus",
    "load_manifest",
    "read_corpus",
    "rules_table",
    "split_paragraphs",
    "split_posts",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "boilerplate": "boilerplate",
    "build": "build",
    "clean": "clean",
    "coverage": "coverage",
    "groups": "groups",
    "guard": "guard",
    "language": "language",
    "load": "load",
    "manifest": "manifest",
    "minhash": "minhash",
    "normalise": "normalise",
    "outputs": "outputs",
    "problems": "problems",
    "records": "records",
    "rules": "rules",
    "schema": "schema",
    "segment": "segment",
    "stamp": "stamp",
    "Corpus": "build",
    "RULES": "rules",
    "add_languages": "language",
    "build_corpus": "build",
    "clean_documents": "clean",
    "clean_text": "clean",
    "corpus_report": "build",
    "detect_languages": "language",
    "group_posts": "groups",
    "load_corpus": "load",
    "load_manifest": "manifest",
    "read_corpus": "build",
    "rules_table": "rules",
    "split_paragraphs": "segment",
    "split_posts": "segment",
})
