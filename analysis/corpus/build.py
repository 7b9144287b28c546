"""Compose loading, cleaning, segmentation, language and grouping.

:func:`build_corpus` is what notebooks and ``python -m analysis build`` call::

    documents, audit = load_corpus(manifest)
    documents, cleaning = clean_with_boilerplate(documents)  # named rules + repeated lines
    posts = split_posts(documents, cleaning).pipe(attach_post_metadata, post_metadata)
    paragraphs = split_paragraphs(posts)
    posts, paragraphs = add_languages(posts, paragraphs)
    posts = group_posts(posts)

and writes ``documents``, ``posts``, ``paragraphs`` and ``audit`` as parquet
plus ``report.txt`` to ``data/processed/``.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import IncompleteCorpusError
from .boilerplate import clean_with_boilerplate
from .coverage import changed_characters, language_warnings, method_coverage
from .groups import group_posts
from .guard import MAX_DOCUMENT_BYTES
from .language import ParagraphDetection, add_languages
from .load import OnError, load_corpus
from .outputs import MARKER, check_marker, check_output, output_lock, write_atomically
from .schema import AUDIT_COLUMNS, Audit, Documents, Paragraphs, Posts, _typed_audit, audit_frame
from .segment import attach_post_metadata, split_paragraphs, split_posts

__all__ = ["Corpus", "build_corpus", "assemble_corpus", "read_corpus", "corpus_report"]

TABLES = ("documents", "posts", "paragraphs", "audit")
#: The files of a built corpus folder, besides :data:`analysis.corpus.outputs.MARKER`.
FILES = (*(f"{name}.parquet" for name in TABLES), "report.txt")


@dataclass
class Corpus:
    """The four tables of a built corpus."""

    documents: pd.DataFrame
    posts: pd.DataFrame
    paragraphs: pd.DataFrame
    audit: pd.DataFrame

    @property
    def report(self) -> str:
        """Counts in, out and removed, by rule (see :func:`corpus_report`)."""
        return corpus_report(self)


#: ``post_metadata`` default: the ``posts.csv`` beside the manifest, if there is one.
BESIDE_MANIFEST = "beside-manifest"


def post_metadata_path(manifest: Path | str, post_metadata: Path | str | None = BESIDE_MANIFEST
                       ) -> Path | None:
    """The per-post metadata file a build uses.

    The default is the ``posts.csv`` in the manifest's own folder, so a
    user's manifest never picks up the sample corpus's ``data/raw/posts.csv``;
    ``None`` uses none.

    Examples
    --------
    >>> post_metadata_path("elsewhere/manifest.csv") is None
    True
    >>> post_metadata_path(config.MANIFEST) == config.POST_METADATA
    True
    """
    if post_metadata is None:
        return None
    if str(post_metadata) == BESIDE_MANIFEST:
        beside = Path(manifest).parent / "posts.csv"
        return beside if beside.is_file() else None
    return Path(post_metadata)


def build_corpus(manifest: Path | str = config.MANIFEST, *,
                 post_metadata: Path | str | None = BESIDE_MANIFEST,
                 out_dir: Path | str | None = config.PROCESSED,
                 languages: Sequence[str] = config.LANGUAGES,
                 on_error: OnError = "raise", detect_paragraphs: ParagraphDetection = "all",
                 max_chars: int | None = None, progress: bool = False,
                 allow_roots: Sequence[Path | str] = (),
                 max_document_bytes: int = MAX_DOCUMENT_BYTES) -> Corpus:
    """Build the corpus from a manifest and write it to ``out_dir``.

    Parameters
    ----------
    manifest : path-like
        Manifest CSV (see ``data/README.md``).
    post_metadata : path-like or None
        Per-post dates for listing pages; by default the ``posts.csv`` beside
        the manifest when there is one (``data/raw/posts.csv`` for the
        sample), ``None`` for none.
    out_dir : path-like or None
        Where to write the parquet tables and ``report.txt``; ``None`` writes
        nothing.
    languages : sequence of str
        ISO 639-1 codes for language detection.
    on_error : {"raise", "record"}
        Raise on bad input, or record rejected documents in the audit.
    detect_paragraphs : {"all", "uncertain"}
        ``"all"`` (the default) detects the language of every paragraph;
        ``"uncertain"`` only of paragraphs whose function words do not
        clearly match their post's language (the fast path for large
        corpora, see :func:`analysis.corpus.language.add_languages`).
    max_chars : int, optional
        Detect each post's language on its first ``max_chars`` characters
        (default: the whole post).
    progress : bool
        Show a progress bar over the build's stages (tqdm, on stderr); about
        6 minutes at 100k posts, most of it in language detection.
    allow_roots : sequence of path-like
        Folders besides the manifest's own that its files may lie in; by
        default a file resolving outside the manifest's folder is rejected.
    max_document_bytes : int
        Largest document read (default 20 MB); bigger ones are rejected unread.

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusInputError
        For bad input (with ``on_error="raise"``).
    CorpusOutputError
        Before any work, when ``out_dir`` cannot be written, holds other
        files, or another build is writing to it (:class:`BuildLockedError`).

    See Also
    --------
    analysis.scale.distributed.build_corpus_dask : the same on Dask partitions.
    """
    if out_dir is None:
        return _build(manifest, post_metadata, None, languages, on_error, detect_paragraphs,
                      max_chars, progress, allow_roots, max_document_bytes)
    with output_lock(out_dir):
        check_output(out_dir, expected=FILES)
        return _build(manifest, post_metadata, out_dir, languages, on_error, detect_paragraphs,
                      max_chars, progress, allow_roots, max_document_bytes)


def _build(manifest, post_metadata, out_dir, languages, on_error, detect_paragraphs,
           max_chars, progress, allow_roots, max_document_bytes) -> Corpus:
    from tqdm.auto import tqdm

    stages = tqdm(total=6, desc="build", unit="stage", disable=not progress)
    with stages:
        stages.set_postfix_str("load")
        documents, load_audit = load_corpus(manifest, on_error=on_error, allow_roots=allow_roots,
                                            max_document_bytes=max_document_bytes)
        stages.update()
        stages.set_postfix_str("clean")
        documents, clean_audit = clean_with_boilerplate(documents)
        _release_memory()
        stages.update()
        stages.set_postfix_str("split")
        documents, posts, clean_audit = _split_posts(documents, clean_audit, on_error=on_error)
        posts = posts.pipe(attach_post_metadata, post_metadata_path(manifest, post_metadata))
        paragraphs = split_paragraphs(posts)
        _release_memory()
        stages.update()
        stages.set_postfix_str("languages")
        posts, paragraphs = add_languages(posts, paragraphs, languages=languages,
                                          detect_paragraphs=detect_paragraphs,
                                          max_chars=max_chars)
        _release_memory()
        stages.update()
        stages.set_postfix_str("groups")
        posts = group_posts(posts)
        clean_audit = _concat_audit(clean_audit, language_warnings(paragraphs))
        _release_memory()
        stages.update()
        stages.set_postfix_str("write" if out_dir is not None else "validate")
        corpus = assemble_corpus(documents, posts, paragraphs, load_audit, clean_audit,
                                 out_dir=out_dir)
        stages.update()
    return corpus


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """The C library's ``malloc_trim`` (glibc), or ``None`` where there is none."""
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _release_memory() -> None:
    """Hand memory freed by a stage back to the operating system.

    A stage's transient Python objects (row dicts, lists of strings) are
    freed when it ends, but glibc keeps the freed heap mapped, so the
    resident size of the process only grows from stage to stage.
    ``malloc_trim(0)`` returns it (a few milliseconds); a no-op elsewhere.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _split_posts(documents: pd.DataFrame, clean_audit: pd.DataFrame, *, on_error: OnError
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`split_posts`; with ``on_error="record"`` a document it fails on is rejected.

    A failure there is a bug, not bad input, but one odd document should not
    stop a build that was asked to record errors: the document is left out
    with an audit row ``rejected:segment_error`` naming the error.
    """
    try:
        return documents, split_posts(documents, clean_audit), clean_audit
    except Exception:
        if on_error != "record":
            raise
    kept, parts, rows = [], [], []
    for i in range(len(documents)):
        doc = documents.iloc[[i]]
        try:
            parts.append(split_posts(doc, clean_audit))
            kept.append(i)
        except Exception as err:  # noqa: BLE001 - recorded, as asked
            doc_id = doc["doc_id"].iloc[0]
            rows.append({"doc_id": doc_id, "stage": "segment", "rule": "rejected:segment_error",
                         "detail": f"{doc_id}: splitting into posts failed "
                                   f"({type(err).__name__}: {err})"})
    posts = pd.concat(parts, ignore_index=True) if parts else split_posts(documents.iloc[:0],
                                                                          clean_audit)
    audit = audit_frame(clean_audit.to_dict("records") + rows)
    return documents.iloc[kept].reset_index(drop=True), posts, audit


def _concat_audit(*frames: pd.DataFrame) -> pd.DataFrame:
    """``audit_frame(a.to_dict("records") + b.to_dict("records") + ...)`` column by column.

    The same table without a dict per audit row (300,000 rows at 100k posts).
    """
    columns = {col: [v for f in frames for v in (f[col].tolist() if col in f.columns
                                                 else [None] * len(f))]
               for col in AUDIT_COLUMNS}
    return _typed_audit(pd.DataFrame(columns, columns=AUDIT_COLUMNS))


def _reference_concat_audit(*frames: pd.DataFrame) -> pd.DataFrame:
    """:func:`_concat_audit` through a dict per row, as before: for the tests."""
    return audit_frame([row for f in frames for row in f.to_dict("records")])


def assemble_corpus(documents: pd.DataFrame, posts: pd.DataFrame, paragraphs: pd.DataFrame,
                    load_audit: pd.DataFrame, clean_audit: pd.DataFrame, *,
                    out_dir: Path | str | None = None) -> Corpus:
    """The last step of :func:`build_corpus`: join groups, validate, write.

    Parameters
    ----------
    documents, posts, paragraphs : DataFrame
        Cleaned documents, grouped posts (:func:`analysis.corpus.groups.group_posts`)
        and paragraphs with languages.
    load_audit, clean_audit : DataFrame
        Audit rows of loading and cleaning.
    out_dir : path-like or None
        Where to write the tables; ``None`` writes nothing.

    Returns
    -------
    Corpus
    """
    group = posts.set_index("post_id")[["group_id", "is_canonical"]]
    paragraphs = paragraphs.join(group, on="post_id")
    audit = _concat_audit(load_audit, clean_audit)
    corpus = Corpus(
        documents=Documents.validate(documents),
        posts=Posts.validate(posts),
        paragraphs=Paragraphs.validate(paragraphs),
        audit=Audit.validate(audit),
    )
    if out_dir is not None:
        write_corpus(corpus, out_dir)
    return corpus


def write_corpus(corpus: Corpus, out_dir: Path | str) -> None:
    """Write the tables as parquet and the report as text, all at once.

    The files go to a temporary folder beside ``out_dir``, then the marker
    (:data:`analysis.corpus.outputs.MARKER`) and then the folder is swapped into
    place (:func:`analysis.corpus.outputs.write_atomically`), under the folder's lock.
    """
    writers = {f"{name}.parquet": functools.partial(_write_table, getattr(corpus, name))
               for name in TABLES}
    report = corpus.report
    writers["report.txt"] = lambda path: path.write_text(report, encoding="utf-8")
    write_atomically(out_dir, writers)


def _write_table(table: pd.DataFrame, path: Path) -> None:
    table.to_parquet(path, index=False)


def _reference_functions() -> list[tuple[object, object]]:
    """(fast, reference) pairs: each fast path of the build and the plain code it replaced."""
    from . import boilerplate, groups, language, minhash, segment

    return [
        (_concat_audit, _reference_concat_audit),
        (segment.split_paragraphs, segment._reference_split_paragraphs),
        (boilerplate.clean_with_boilerplate, boilerplate._reference_clean_with_boilerplate),
        (language.detect_languages, language._reference_detect_languages),
        (groups.post_signatures, groups._reference_post_signatures),
        (minhash._near_duplicate_pairs, minhash._reference_near_duplicate_pairs),
    ]


@contextlib.contextmanager
def _reference_paths() -> Iterator[list[tuple[object, object]]]:
    """Build with the slow reference implementations instead of the fast paths.

    For the tests and benchmarks that check the fast paths give identical
    tables: every name bound to a fast function in a module of this package
    is bound to its reference version for the duration of the block (not
    thread-safe; tests and benchmarks only).  Yields the swapped pairs.
    """
    pairs = _reference_functions()
    swapped = []
    package = __name__.split(".")[0]
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith(package):
            continue
        for name, value in list(vars(module).items()):
            for fast, slow in pairs:
                if value is fast:
                    setattr(module, name, slow)
                    swapped.append((module, name, fast))
    try:
        yield pairs
    finally:
        for module, name, fast in reversed(swapped):
            setattr(module, name, fast)


def read_corpus(path: Path | str | None = None) -> Corpus:
    """Read a corpus written by :func:`build_corpus`.

    ``path`` defaults to :data:`analysis.config.PROCESSED`: the project's
    ``processed/`` while :func:`analysis.config.use_project` is set.

    Raises
    ------
    IncompleteCorpusError
        When the folder has no completion marker (an interrupted or older
        build) or a table differs from the one the build wrote.
    """
    path = Path(path) if path is not None else config.PROCESSED
    missing = [n for n in TABLES if not (path / f"{n}.parquet").is_file()]
    if missing and not (path / MARKER).is_file():
        raise IncompleteCorpusError(f"{path}: no {', '.join(missing)} table; run `make corpus` "
                                    "or analysis.build_corpus() first")
    check_marker(path, files=FILES)
    return Corpus(**{n: pd.read_parquet(path / f"{n}.parquet") for n in TABLES})


def corpus_report(corpus: Corpus) -> str:
    """A short text report: counts in, out and removed, by rule."""
    docs, posts, paras, audit = corpus.documents, corpus.posts, corpus.paragraphs, corpus.audit
    rejected = audit[audit["rule"].str.startswith("rejected:")]
    lines = [
        "Corpus report",
        "=============",
        f"documents in:   {len(docs) + rejected['doc_id'].nunique()}",
        f"documents out:  {len(docs)}  (rejected: {rejected['doc_id'].nunique()})",
        f"posts:          {len(posts)}  (truncated: {int(posts['truncated'].sum())}; "
        f"without a title: {int(posts['title'].isna().sum())})",
        f"paragraphs:     {len(paras)}",
        f"groups:         {posts['group_id'].nunique()}  (translation or near-duplicate groups "
        f"with more than one post: {int((posts.groupby('group_id').size() > 1).sum())})",
        f"characters:     {int(docs['raw_text'].str.len().sum())} raw -> "
        f"{int(docs['text'].str.len().sum())} cleaned",
        "",
        "Posts by source and language:",
    ]
    table = posts.groupby(["source", "language"], dropna=False).size().rename("posts")
    lines += ["  " + line for line in table.to_string().splitlines()]
    lines += ["", "Audit by stage and rule (rows, characters removed or changed):"]
    changed = [changed_characters(t, r) for t, r in zip(audit["text"], audit["replacement"],
                                                          strict=True)]
    summary = (audit.assign(chars=changed)
               .groupby(["stage", "rule"], sort=True)
               .agg(rows=("rule", "size"), chars=("chars", "sum")))
    lines += ["  " + line for line in summary.to_string().splitlines()]
    if len(paras):
        coverage = method_coverage(paras)
        lines += ["", "What each method can read (share of paragraphs and of words):"]
        lines += [f"  {row.method} [{row.reads}]: {row.paragraphs} paragraphs "
                  f"({row.paragraph_share:.1%}), {row.words} words ({row.word_share:.1%})"
                  for row in coverage.itertuples()]
        warned = audit[audit["stage"] == "language"]
        if len(warned):
            lines += ["  language warnings in the audit: " + ", ".join(
                f"{rule} {n}" for rule, n in warned["rule"].value_counts().sort_index().items())]
    if len(rejected):
        lines += ["", "Rejected:"] + [f"  {d}" for d in rejected["detail"]]
    return "\n".join(lines) + "\n"
