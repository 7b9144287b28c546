"""Corpus building, framing scoring and embedding on Dask, beyond one process.

The functions here run the package's own pure functions on partitions and
give the same tables as the single-process path, value for value (tested on
a ``LocalCluster`` in ``tests/test_distributed.py``):

:func:`build_corpus_dask`
    Manifest rows are split into partitions and their files read in
    parallel (:func:`analysis.corpus.load.load_rows`); the documents are split
    into ``dask.dataframe`` partitions, and each partition is cleaned,
    segmented, language-identified and given its near-duplicate signatures
    (:func:`analysis.corpus.groups.post_signatures`) by the same functions that
    :func:`analysis.corpus.build.build_corpus` calls.  Only what needs the whole
    corpus runs on the client: the duplicate-id check, the LSH index over
    the MinHash signatures and the translation index
    (:func:`analysis.corpus.groups.group_posts`), which are cheap next to the
    per-document work.
:func:`score_framing_dask`
    :func:`analysis.framing.score_framing` on partitions of texts; a text's
    score depends on that text only.  Each worker fits the default framing
    model once (it is cached per process).
:func:`embed_dask`
    :func:`analysis.text.embeddings.embed` on partitions; each worker loads the model
    once and reads and writes the same content-hash cache, so a text is
    never embedded twice, whichever worker meets it.

Running on a cluster
--------------------
Start a scheduler and workers (``dask scheduler``; ``dask worker
tcp://host:8786 --nworkers 8 --nthreads 1`` on each machine: one thread per
process, since cleaning is pure Python), install this package in the same
environment on every machine, and put the corpus and ``data/cache`` on a
file system they all see.  Then::

    from dask.distributed import Client
    from analysis.scale.distributed import build_corpus_dask
    client = Client("tcp://scheduler:8786")
    corpus = build_corpus_dask("corpus/manifest.csv", out_dir="corpus/processed",
                               npartitions=64)

Functions given a ``client`` compute on it; otherwise Dask's default
scheduler is used (a ``Client`` created before the call becomes the
default).  See ``benchmarks/README.md`` for measured speed-ups.

Examples
--------
>>> from analysis.scale.distributed import build_corpus_dask           # doctest: +SKIP
>>> from dask.distributed import Client, LocalCluster             # doctest: +SKIP
>>> with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:  # doctest: +SKIP
...     corpus = build_corpus_dask(out_dir=None, client=client)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..corpus.boilerplate import clean_with_boilerplate, repeated_lines
from ..corpus.build import BESIDE_MANIFEST, Corpus, assemble_corpus, post_metadata_path
from ..corpus.coverage import language_warnings
from ..corpus.groups import group_posts, post_signatures
from ..corpus.language import ParagraphDetection, add_languages
from ..corpus.load import CorpusInputError, OnError, assemble_documents, load_manifest, load_rows
from ..corpus.schema import audit_frame
from ..corpus.segment import attach_post_metadata, split_paragraphs, split_posts

__all__ = ["build_corpus_dask", "score_framing_dask", "embed_dask", "partition_bounds"]


def partition_bounds(n: int, npartitions: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into at most ``npartitions`` contiguous, near-equal slices.

    Examples
    --------
    >>> partition_bounds(10, 3)
    [(0, 3), (3, 7), (7, 10)]
    >>> partition_bounds(2, 5)
    [(0, 1), (1, 2)]
    """
    k = max(1, min(npartitions, n))
    edges = np.linspace(0, n, k + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def _compute(tasks, client, scheduler):
    import dask

    if client is not None:
        return client.gather(client.compute(tasks))
    return dask.compute(*tasks, scheduler=scheduler) if scheduler else dask.compute(*tasks)


def _default_partitions(client, npartitions: int | None) -> int:
    if npartitions is not None:
        return max(1, int(npartitions))
    if client is not None:
        return max(1, 4 * len(client.scheduler_info().get("workers", {})))
    return 8


def _build_partition(documents: pd.DataFrame, post_metadata, languages, detect_paragraphs,
                     max_chars, boilerplate=None):
    """Clean, segment and identify the languages of one partition of documents."""
    documents, clean_audit = clean_with_boilerplate(documents, boilerplate=boilerplate or {})
    posts = split_posts(documents, clean_audit)
    try:
        posts = attach_post_metadata(posts, post_metadata)
        problems: list[str] = []
    except CorpusInputError as err:
        problems = err.problems
    paragraphs = split_paragraphs(posts)
    posts, paragraphs = add_languages(posts, paragraphs, languages=languages,
                                      detect_paragraphs=detect_paragraphs, max_chars=max_chars)
    full = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    signatures = post_signatures(full)
    return documents, clean_audit, posts, paragraphs, signatures, problems


def _line_of(message: str) -> int:
    match = re.search(r" line (\d+):", message)
    return int(match.group(1)) if match else 0


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True)


def build_corpus_dask(manifest: Path | str = config.MANIFEST, *,
                      post_metadata: Path | str | None = BESIDE_MANIFEST,
                      out_dir: Path | str | None = config.PROCESSED,
                      languages: Sequence[str] = config.LANGUAGES, on_error: OnError = "raise",
                      detect_paragraphs: ParagraphDetection = "all",
                      max_chars: int | None = None, npartitions: int | None = None,
                      client=None, scheduler: str | None = None) -> Corpus:
    """:func:`analysis.corpus.build.build_corpus` on Dask partitions; the same tables.

    Parameters
    ----------
    manifest, post_metadata, out_dir, languages, on_error, detect_paragraphs, max_chars
        As for :func:`analysis.corpus.build.build_corpus`.
    npartitions : int, optional
        Partitions of the manifest and of the documents (default: four per
        worker of ``client``, else 8).
    client : dask.distributed.Client, optional
        Where to compute; Dask's default scheduler otherwise.
    scheduler : str, optional
        A Dask scheduler name (``"processes"``, ``"threads"``, ``"sync"``)
        when no ``client`` is given.

    Returns
    -------
    Corpus
        Equal to ``build_corpus(...)`` on the same input.
    """
    import dask
    import dask.dataframe as dd

    manifest = Path(manifest)
    root = manifest.parent
    k = _default_partitions(client, npartitions)
    posts_file = post_metadata_path(manifest, post_metadata)
    table, manifest_audit = load_manifest(manifest, on_error="record")
    load_parts = [dask.delayed(load_rows)(table.iloc[a:b], root=root, manifest=manifest)
                  for a, b in partition_bounds(len(table), k)]
    chunks = list(_compute(load_parts, client, scheduler)) if load_parts else []
    documents, load_audit = assemble_documents(table, manifest_audit, chunks, root=root,
                                               on_error=on_error)
    if not len(documents):
        from ..corpus.build import build_corpus

        return build_corpus(manifest, post_metadata=post_metadata, out_dir=out_dir,
                            languages=languages, on_error=on_error,
                            detect_paragraphs=detect_paragraphs, max_chars=max_chars)
    # Repetition is a property of the whole corpus, not of a partition.
    boilerplate = repeated_lines(documents)
    # Keep pandas' own dtypes in the partitions: Dask would turn text
    # columns into pyarrow strings with a different missing value.
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(documents, npartitions=min(k, len(documents)), sort=False)
        parts = [dask.delayed(_build_partition)(part, posts_file, tuple(languages),
                                                detect_paragraphs, max_chars, boilerplate)
                 for part in ddf.to_delayed()]
    results = _compute(parts, client, scheduler)
    problems = sorted((p for r in results for p in r[5]), key=_line_of)
    if problems:
        raise CorpusInputError(problems)
    cleaned = _concat([r[0] for r in results])
    clean_audit = audit_frame(_concat([r[1] for r in results]))
    posts = _concat([r[2] for r in results])
    paragraphs = _concat([r[3] for r in results])
    clean_audit = audit_frame(clean_audit.to_dict("records")
                              + language_warnings(paragraphs).to_dict("records"))
    hashvalues = np.concatenate([r[4][0] for r in results])
    anchor_sets = [s for r in results for s in r[4][1]]
    posts = group_posts(posts, signatures=(hashvalues, anchor_sets))
    return assemble_corpus(cleaned, posts, paragraphs, load_audit, clean_audit, out_dir=out_dir)


def _score_part(texts: list[str], language, kwargs: dict) -> pd.DataFrame:
    from ..framing import score_framing

    return score_framing(texts, language=language, **kwargs)


def score_framing_dask(texts: Sequence[str] | pd.Series, *,
                       language: str | Sequence[str] | None = None,
                       npartitions: int | None = None, client=None,
                       scheduler: str | None = None, **kwargs) -> pd.DataFrame:
    """:func:`analysis.framing.score_framing` on partitions; the same table.

    Parameters
    ----------
    texts : sequence of str or Series
        Texts to score, in order.
    language : str or sequence of str, optional
        As for ``score_framing`` (one code, or one per text).
    npartitions, client, scheduler
        As for :func:`build_corpus_dask`.
    **kwargs
        Passed to ``score_framing`` (``methods``, ``model``, ...).

    Returns
    -------
    DataFrame
        One row per text, in input order.
    """
    import dask

    texts = list(texts)
    per_text = not (language is None or isinstance(language, str))
    langs = list(language) if per_text else None
    if per_text and len(langs) != len(texts):
        raise ValueError(f"got {len(langs)} languages for {len(texts)} texts")
    k = _default_partitions(client, npartitions)
    bounds = partition_bounds(len(texts), k)
    if not bounds:
        return _score_part([], language, kwargs)
    tasks = [dask.delayed(_score_part)(texts[a:b], langs[a:b] if per_text else language,
                                       kwargs) for a, b in bounds]
    return _concat(list(_compute(tasks, client, scheduler)))


def embed_dask(texts: Sequence[str], *, npartitions: int | None = None, client=None,
               scheduler: str | None = None, **kwargs) -> np.ndarray:
    """:func:`analysis.text.embeddings.embed` on partitions; the same vectors.

    Every worker reads and writes the same cache (``cache_dir``, on a shared
    file system for a cluster), so unchanged texts are never embedded again.
    Chunk files are named by a hash of their content and written through a
    temporary file, so workers never overwrite each other.

    Parameters
    ----------
    texts : sequence of str
        Texts to embed, in order.
    npartitions, client, scheduler
        As for :func:`build_corpus_dask`.
    **kwargs
        Passed to ``embed`` (``cache_dir``, ``batch_size``, ...); a custom
        ``encoder`` must be picklable.

    Returns
    -------
    ndarray of shape (len(texts), dim)
    """
    import dask

    from ..text.embeddings import embed

    texts = list(texts)
    bounds = partition_bounds(len(texts), _default_partitions(client, npartitions))
    if not bounds:
        return embed([], **kwargs)
    tasks = [dask.delayed(embed)(texts[a:b], **kwargs) for a, b in bounds]
    return np.concatenate(list(_compute(tasks, client, scheduler)))
