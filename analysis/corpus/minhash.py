"""MinHash signatures of word 3-gram shingles and their LSH near-duplicate pairs.

:func:`minhash_signatures` computes, with numpy, the same values as
datasketch's ``MinHash``; :func:`_near_duplicate_pairs` finds the pairs
datasketch's ``MinHashLSH`` would, for :func:`analysis.corpus.groups.group_posts`.
The ``_reference_*`` functions are the plain datasketch versions, kept for
the tests (:func:`analysis.corpus.build._reference_paths` swaps them in).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import config
from ..text.tokenize import TOKEN_RE

__all__ = ["minhash_signatures"]


def _shingle_strings(text: str) -> set[str]:
    """The distinct word 3-grams of ``text`` (casefolded), or all its words if fewer."""
    words = TOKEN_RE.findall(text.casefold())
    if len(words) < 3:
        return {" ".join(words)}
    return set(map(" ".join, zip(words, words[1:], words[2:], strict=False)))


def _shingles(text: str) -> set[bytes]:
    """:func:`_shingle_strings` as bytes, as datasketch's ``MinHash.update`` takes them."""
    return {s.encode() for s in _shingle_strings(text)}


#: MurmurHash3's 32-bit finalizer, which datasketch (2.x, scheme ``affine32``)
#: applies to each SHA-1 hash before its affine permutations.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
           np.uint32(16))
#: Shingles per block of the vectorised MinHash: 128 uint32 values each,
#: 2 MB a block, small enough to stay in cache.
_MINHASH_BLOCK = 4096
#: Texts whose shingles are hashed in one batch.
_MINHASH_TEXTS = 2000


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def minhash_signatures(texts: Sequence[str], *, num_perm: int = 128, seed: int = config.SEED
                       ) -> np.ndarray:
    """The MinHash of each text's word 3-gram shingles, as datasketch computes it, with numpy.

    Equal, value for value, to ``MinHash(num_perm, seed).update_batch(shingles)``
    of datasketch's default ``affine32`` scheme: SHA-1's first four bytes of
    each shingle, MurmurHash3's finalizer, datasketch's own seeded
    permutations ``a * h + b`` (mod 2**32) and the minimum over shingles.
    ``tests/test_build_speed.py`` checks it against datasketch.

    Returns
    -------
    ndarray of uint32, shape (len(texts), num_perm)
    """
    import hashlib

    from datasketch import MinHash

    template = MinHash(num_perm=num_perm, seed=seed)
    if template.scheme != "affine32" or template.hashvalues.dtype != np.uint32:
        raise RuntimeError(f"datasketch's MinHash scheme {template.scheme!r} is not the "
                           "'affine32' the vectorised MinHash reproduces")
    a, b = (np.asarray(x, dtype=np.uint32) for x in template.permutations)
    texts = list(texts)
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    a, b = a[:, None], b[:, None]
    buffer = np.empty((num_perm, _MINHASH_BLOCK), dtype=np.uint32)
    sha1 = hashlib.sha1
    for first in range(0, len(texts), _MINHASH_TEXTS):
        digests, bounds = [], [0]
        for text in texts[first:first + _MINHASH_TEXTS]:
            shingles = _shingle_strings(text)
            digests.extend([sha1(s.encode()).digest()[:4] for s in shingles])
            bounds.append(bounds[-1] + len(shingles))
        hv = _fmix32(np.frombuffer(b"".join(digests), dtype="<u4").astype(np.uint32))
        del digests
        bounds = np.asarray(bounds)
        k, m = 0, len(bounds) - 1
        while k < m:  # texts k..stop-1: at most _MINHASH_BLOCK shingles, or one text
            stop = int(np.searchsorted(bounds, bounds[k] + _MINHASH_BLOCK, side="right")) - 1
            stop = min(max(stop, k + 1), m)
            lo, hi = bounds[k], bounds[stop]
            block = buffer[:, :hi - lo] if hi - lo <= _MINHASH_BLOCK else \
                np.empty((num_perm, hi - lo), dtype=np.uint32)
            # (permutation, shingle) layout and in-place arithmetic keep the
            # block in cache: ~20x faster than (shingle, permutation) temporaries.
            np.multiply(a, hv[None, lo:hi], out=block)
            np.add(block, b, out=block)
            out[first + k:first + stop] = np.minimum.reduceat(block, bounds[k:stop] - lo,
                                                              axis=1).T
            k = stop
    return out


def _near_duplicate_pairs(hashvalues: np.ndarray, threshold: float, seed: int
                          ) -> set[tuple[int, int]]:
    """The pairs datasketch's ``MinHashLSH`` finds and ``jaccard`` keeps, found with numpy.

    Two rows are candidates when they agree on all values of one of the
    LSH index's bands (its ``hashranges``, chosen by datasketch for the
    threshold); a candidate pair is kept when the share of equal values,
    computed as ``MinHash.jaccard`` does, reaches ``threshold``.  The same
    set as ``_reference_near_duplicate_pairs``, without a Python object per
    post or a query per post.
    """
    from datasketch import MinHashLSH

    n, num_perm = hashvalues.shape if hashvalues.ndim == 2 else (0, 128)
    if n < 2:
        return set()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    firsts, seconds = [], []
    for start, end in lsh.hashranges:
        band = np.ascontiguousarray(hashvalues[:, start:end])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * band.shape[1]))).ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        new = np.ones(n, dtype=bool)
        new[1:] = sorted_keys[1:] != sorted_keys[:-1]
        bucket_starts = np.flatnonzero(new)
        sizes = np.diff(np.append(bucket_starts, n))
        for first, size in zip(bucket_starts[sizes > 1], sizes[sizes > 1], strict=True):
            members = np.sort(order[first:first + size])
            i, j = np.triu_indices(size, k=1)
            firsts.append(members[i])
            seconds.append(members[j])
    if not firsts:
        return set()
    pairs = np.unique(np.stack([np.concatenate(firsts), np.concatenate(seconds)], axis=1),
                      axis=0)
    keep = np.zeros(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), 1 << 16):
        chunk = pairs[lo:lo + (1 << 16)]
        equal = np.count_nonzero(hashvalues[chunk[:, 0]] == hashvalues[chunk[:, 1]], axis=1)
        keep[lo:lo + len(chunk)] = (equal.astype(np.float64) / np.float64(num_perm)) >= threshold
    return {(int(i), int(j)) for i, j in pairs[keep]}


def _reference_near_duplicate_pairs(hashvalues: np.ndarray, threshold: float, seed: int
                                    ) -> set[tuple[int, int]]:
    """:func:`_near_duplicate_pairs` with datasketch's LSH index, as before: for the tests."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    scheme = MinHash(num_perm=1, seed=seed).scheme
    hashes = [LeanMinHash(seed=seed, hashvalues=hv, scheme=scheme) for hv in hashvalues]
    for i, mh in enumerate(hashes):
        lsh.insert(str(i), mh)
    pairs = set()
    for i, mh in enumerate(hashes):
        for key in lsh.query(mh):
            j = int(key)
            if j != i and mh.jaccard(hashes[j]) >= threshold:
                pairs.add((min(i, j), max(i, j)))
    return pairs
