"""Translation and near-duplicate groups of posts.

Activist sites publish the same statement in several languages and
republish each other's texts.  :func:`group_posts` links two posts when

* they are **near-duplicates**: MinHash estimate of the Jaccard similarity
  of their word 3-gram shingles at least ``near_duplicate_threshold``
  (0.6), found with LSH so the cost stays linear in corpus size
  (:mod:`analysis.corpus.minhash`); or
* they are **translations**: different languages, and their
  language-independent *anchors* agree.  Anchors are numbers (years,
  dates) and transliterated name stems (the first five letters of words
  capitalised mid-sentence: ``Washington``, ``Лукашенко`` ->
  ``lukas``).  Two posts are translations when they share at least
  ``min_shared_anchors`` (3) anchors and the shared anchors make up at
  least ``anchor_overlap`` (0.6) of the smaller anchor set.

Linked posts form groups (connected components, found with
:func:`scipy.sparse.csgraph.connected_components`).  The **canonical
member** is chosen by a stated rule: first by language, in the order of
:data:`analysis.config.CANONICAL_LANGUAGE_ORDER` (English first, the
language of the embedding model); then the longest text; then the
smallest ``post_id``.  The group id is the canonical member's post id.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
from anyascii import anyascii

from .. import config
from ..text.tokenize import TOKEN_RE
from .minhash import _near_duplicate_pairs, _shingles, minhash_signatures

__all__ = ["anchors", "group_posts", "post_signatures"]


def anchors(text: str) -> frozenset[str]:
    """Language-independent anchors of a text: numbers and name stems.

    Examples
    --------
    >>> sorted(anchors("Lukashenko and his allies. В Беларуси, Лукашенко, 1959-1960"))
    ['1959', '1960', 'belar', 'lukas']
    """
    out = set()
    for line in text.split("\n"):
        for m in TOKEN_RE.finditer(line):
            token = m.group()
            if not token.isalnum():  # joined by hyphens or apostrophes (or a dotted acronym)
                parts = _PART_SEP.split(token)
            elif token.islower():  # one lower-case part: neither a number nor a name
                continue
            else:
                parts = (token,)
            for part in parts:
                if part.isdigit():
                    if len(part) >= 2:
                        out.add(part)
                elif len(part) >= 4 and part[0].isupper() and not part.isupper():
                    if _starts_sentence(line, m.start()):
                        continue
                    out.add(_stem(part))
    return frozenset(out)


_PART_SEP = re.compile(r"[-'’‐‑]")


def _starts_sentence(line: str, pos: int) -> bool:
    """Whether ``pos`` starts the line or follows ``.!?:;`` and spaces: no name starts there."""
    j = pos - 1
    while j >= 0 and line[j].isspace():
        j -= 1
    return j < 0 or line[j] in ".!?:;"


@functools.lru_cache(maxsize=65536)
def _stem(name: str) -> str:
    return anyascii(name).lower()[:5]


def post_signatures(texts: Sequence[str], *, seed: int = config.SEED
                    ) -> tuple[np.ndarray, list[frozenset[str]]]:
    """Per-text features for :func:`group_posts`: MinHash signatures and anchor sets.

    Each row depends on its own text only, so partitions of a corpus can
    compute them in parallel (:mod:`analysis.scale.distributed`) and pass them to
    :func:`group_posts` as ``signatures``.

    Parameters
    ----------
    texts : sequence of str
        Title plus body of each post (``title + "\\n\\n" + text``).
    seed : int
        Seed of the MinHash permutations.

    Returns
    -------
    (hashvalues, anchor_sets)
        ``hashvalues``: array of shape (n, 128), the MinHash of each text's
        word 3-gram shingles (:func:`minhash_signatures`); ``anchor_sets``:
        :func:`anchors` of each text.
    """
    texts = list(texts)
    return minhash_signatures(texts, seed=seed), [anchors(t) for t in texts]


def _reference_post_signatures(texts: Sequence[str], *, seed: int = config.SEED
                               ) -> tuple[np.ndarray, list[frozenset[str]]]:
    """:func:`post_signatures` with datasketch's MinHash objects, as before: for the tests."""
    from datasketch import MinHash

    texts = list(texts)
    hashes = [mh.hashvalues for mh in MinHash.generator(
        (sorted(_shingles(t)) for t in texts), num_perm=128, seed=seed)]
    values = np.stack(hashes) if hashes else np.zeros((0, 128), dtype=np.uint32)
    return values, [anchors(t) for t in texts]


def _translation_pairs(sets: list[frozenset[str]], langs: list[str | None], *,
                       min_shared: int, overlap: float, max_df: int) -> set[tuple[int, int]]:
    """Pairs of posts in different languages whose anchors agree (see the module docstring).

    Shared anchors are counted with sparse matrix products between the posts
    of each pair of languages: posts in the same language are never
    translations, so their (many) shared anchors are not counted at all, and
    the cost grows with the cross-language co-occurrences only.
    """
    from scipy import sparse

    index: dict[str, int] = {}
    rows, cols = [], []
    for i, anchor_set in enumerate(sets):
        for a in anchor_set:
            rows.append(i)
            cols.append(index.setdefault(a, len(index)))
    if not index:
        return set()
    cols_arr = np.asarray(cols, dtype=np.int64)
    # an anchor in very many posts says nothing about translation
    useful = np.bincount(cols_arr, minlength=len(index)) <= max_df
    keep = useful[cols_arr]
    matrix = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int32),
         (np.asarray(rows, dtype=np.int64)[keep], cols_arr[keep])),
        shape=(len(sets), len(index)))
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    # Group posts by language; a language value not equal to itself (NaN)
    # forms a group of its own, as it compares unequal to every other.
    groups: dict[object, list[int]] = defaultdict(list)
    for i, lang in enumerate(langs):
        if lang:
            groups[lang if lang == lang else ("nan", i)].append(i)
    members = [np.asarray(m, dtype=np.int64) for m in groups.values()]
    pairs = set()
    for a in range(len(members)):
        for b in range(a + 1, len(members)):
            ia, ib = members[a], members[b]
            shared = (matrix[ia] @ matrix[ib].T).tocoo()
            n = shared.data.astype(np.float64)
            i, j = ia[shared.row], ib[shared.col]
            ok = (n >= min_shared) & (n / np.minimum(sizes[i], sizes[j]) >= overlap)
            pairs.update((int(min(x, y)), int(max(x, y))) for x, y in zip(i[ok], j[ok],
                                                                          strict=True))
    return pairs


def group_posts(posts: pd.DataFrame, *, near_duplicate_threshold: float = 0.6,
                min_shared_anchors: int = 3, anchor_overlap: float = 0.6,
                language_order: Sequence[str] = config.CANONICAL_LANGUAGE_ORDER,
                seed: int = config.SEED,
                signatures: tuple[np.ndarray, list[frozenset[str]]] | None = None
                ) -> pd.DataFrame:
    """Group translations and near-duplicates; mark each group's canonical post.

    Parameters
    ----------
    posts : DataFrame
        Posts with ``post_id``, ``title``, ``text`` and ``language``; not
        modified.
    near_duplicate_threshold : float
        Minimum estimated Jaccard similarity of word 3-gram shingles.
    min_shared_anchors, anchor_overlap : int, float
        Translation rule; see the module docstring.
    language_order : sequence of str
        Preference order of languages for the canonical member.
    seed : int
        Seed of the MinHash permutations.
    signatures : (ndarray, list of frozenset), optional
        :func:`post_signatures` of the posts' title plus text, in row order,
        if already computed (e.g. in parallel); computed here otherwise.

    Returns
    -------
    DataFrame
        ``posts`` plus ``group_id`` (the canonical member's ``post_id``),
        ``group_type`` (``singleton``, ``translation``, ``near_duplicate`` or
        ``translation+near_duplicate``), ``group_size`` and ``is_canonical``.
    """
    out = posts.copy().reset_index(drop=True)
    full = (out["title"].fillna("") + "\n\n" + out["text"]).tolist()
    langs = out["language"].tolist()
    hashvalues, sets = signatures if signatures is not None else post_signatures(full, seed=seed)
    if len(hashvalues) != len(out) or len(sets) != len(out):
        raise ValueError(f"signatures hold {len(hashvalues)} rows for {len(out)} posts")
    near = _near_duplicate_pairs(hashvalues, near_duplicate_threshold, seed)
    max_df = max(10, int(0.05 * len(out)))
    trans = _translation_pairs(sets, langs, min_shared=min_shared_anchors,
                               overlap=anchor_overlap, max_df=max_df)
    labels = _components(len(out), near | trans)
    return _assign_groups(out, labels, near, trans, langs, language_order)


def _components(n: int, pairs: set[tuple[int, int]]) -> np.ndarray:
    """The connected-component label of each of ``n`` posts linked by ``pairs``.

    Examples
    --------
    >>> _components(5, {(0, 3), (3, 4)}).tolist()
    [0, 1, 2, 0, 0]
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    if not pairs:
        return np.arange(n)
    edges = np.array(sorted(pairs), dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])),
                              shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _assign_groups(out: pd.DataFrame, labels: np.ndarray, near: set[tuple[int, int]],
                   trans: set[tuple[int, int]], langs: list, language_order: Sequence[str]
                   ) -> pd.DataFrame:
    """Add ``group_id``, ``group_type``, ``group_size`` and ``is_canonical`` to ``out``."""
    roots = labels.tolist()
    rank = {lang: r for r, lang in enumerate(language_order)}
    members: dict[int, list[int]] = defaultdict(list)
    for i, root in enumerate(roots):
        members[root].append(i)
    group_id, group_type, size, canonical = [""] * len(out), [""] * len(out), [0] * len(out), \
        [False] * len(out)
    ids, lengths = out["post_id"].tolist(), out["text"].str.len().tolist()
    kinds_of: dict[int, set[str]] = defaultdict(set)
    for pair_set, name in ((trans, "translation"), (near, "near_duplicate")):
        for i, _ in pair_set:
            kinds_of[roots[i]].add(name)
    for root, group in members.items():
        best = min(group, key=lambda i: (rank.get(langs[i] or "", len(rank)), -lengths[i], ids[i]))
        kinds = kinds_of.get(root, set())
        kind = "+".join(sorted(kinds, reverse=True)) if kinds else "singleton"
        for i in group:
            group_id[i], group_type[i], size[i] = ids[best], kind, len(group)
            canonical[i] = i == best
    out["group_id"], out["group_type"] = group_id, group_type
    out["group_size"], out["is_canonical"] = size, canonical
    return out
