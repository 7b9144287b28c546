"""Language identification and translation / near-duplicate groups.

Language
    :func:`detect_languages` runs lingua restricted to a configurable set of
    languages (:data:`analysis.config.LANGUAGES`): a small set loads in under a
    second and avoids misreading short strings as distant languages.  A
    paragraph too short to identify (fewer than :data:`MIN_LETTERS` letters)
    takes its post's language (``language_basis == "post"``).

Groups
    Activist sites publish the same statement in several languages and
    republish each other's texts.  :func:`group_posts` links two posts when

    * they are **near-duplicates**: MinHash estimate of the Jaccard similarity
      of their word 3-gram shingles at least ``near_duplicate_threshold``
      (0.6), found with LSH so the cost stays linear in corpus size; or
    * they are **translations**: different languages, and their
      language-independent *anchors* agree.  Anchors are numbers (years,
      dates) and transliterated name stems (the first five letters of words
      capitalised mid-sentence: ``Washington``, ``Лукашенко`` ->
      ``lukas``).  Two posts are translations when they share at least
      ``min_shared_anchors`` (3) anchors and the shared anchors make up at
      least ``anchor_overlap`` (0.6) of the smaller anchor set.

    Linked posts form groups (connected components).  The **canonical
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
from typing import Literal

import numpy as np
import pandas as pd
from anyascii import anyascii

from .. import config
from ..text.tokenize import TOKEN_RE, word_tokens

__all__ = [
    "detect_languages",
    "add_languages",
    "anchors",
    "group_posts",
    "post_signatures",
    "MIN_LETTERS",
    "FUNCTION_WORDS",
    "MIN_FUNCTION_WORDS",
]

MIN_LETTERS = 20
_LETTER = re.compile(r"[^\W\d_]")


#: Characters of a text that language detection reads: ample for a language,
#: and it bounds the time of one call into lingua (which Ctrl-C cannot stop).
DETECT_CHARS = 100_000
#: Characters per call into lingua; Ctrl-C is handled between calls.
CHUNK_CHARS = 200_000


def _has_letters(text: str) -> bool:
    """At least :data:`MIN_LETTERS` letters, found without scanning all of a long text."""
    for n, _ in enumerate(_LETTER.finditer(text), start=1):
        if n >= MIN_LETTERS:
            return True
    return False


def _in_chunks(detector, texts: list[str]):
    """Confidence values from lingua, a bounded chunk at a time, so Ctrl-C stops it quickly."""
    chunk, size = [], 0
    for text in texts:
        text = text[:DETECT_CHARS]
        if chunk and size + len(text) > CHUNK_CHARS:
            yield from detector.compute_language_confidence_values_in_parallel(chunk)
            chunk, size = [], 0
        chunk.append(text)
        size += len(text)
    if chunk:
        yield from detector.compute_language_confidence_values_in_parallel(chunk)


@functools.lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_languages(texts: Sequence[str], *, languages: Sequence[str] = config.LANGUAGES
                     ) -> pd.DataFrame:
    """Detect the language of each text with lingua.

    Parameters
    ----------
    texts : sequence of str
        Texts to identify.
    languages : sequence of str
        ISO 639-1 codes the detector chooses between.

    Returns
    -------
    DataFrame
        ``language`` (ISO 639-1, missing when the text has fewer than
        :data:`MIN_LETTERS` letters) and ``language_confidence`` (lingua's
        confidence in that language, 0-1, rounded to 4 decimals), one row per
        text.

    Notes
    -----
    Each distinct text is given to lingua once (a repeated paragraph, a
    post whose title and body equal another's); its result is copied to
    every row holding it.  ``_reference_detect_languages`` is the plain
    version, kept for the tests that check the two agree.
    """
    texts = list(texts)
    codes: list[str | None] = [None] * len(texts)
    confidence = np.full(len(texts), np.nan)
    rows_of: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        rows = rows_of.get(text)
        if rows is None:
            rows_of[text] = [i]
        else:
            rows.append(i)
    todo = [text for text in rows_of if _has_letters(text)]
    if todo:
        detector = _detector(tuple(sorted(set(languages))))
        names: dict[object, str] = {}
        for text, values in zip(todo, _in_chunks(detector, todo), strict=True):
            best = _best_language(values, names)
            if best is not None:
                for i in rows_of[text]:
                    codes[i], confidence[i] = best
    return pd.DataFrame({"language": pd.Series(codes, dtype="object"),
                         "language_confidence": confidence})


def _best_language(values, names: dict) -> tuple[str, float] | None:
    """The language of highest confidence rounded to 4 decimals, ties to the smaller code.

    lingua's confidences carry float noise in the last digits from run to
    run; rounding (and breaking ties by code) keeps the tables identical.
    Rounding is monotone, so the largest rounded value is that of the
    largest value, and only values within 1e-4 of it (2e-4 with float slack)
    can tie with it.
    ``names`` caches each lingua language's ISO code.
    """
    if not values:
        return None
    top = max(v.value for v in values)
    best = round(top, 4)
    if not best > 0:
        return None
    code = None
    for v in values:
        if v.value >= top - 2e-4 and round(v.value, 4) == best:
            name = names.get(v.language)
            if name is None:
                name = names[v.language] = v.language.iso_code_639_1.name.lower()
            if code is None or name < code:
                code = name
    return code, best


def _reference_detect_languages(texts: Sequence[str], *,
                                languages: Sequence[str] = config.LANGUAGES) -> pd.DataFrame:
    """:func:`detect_languages` as it was before the fast path: for the tests."""
    texts = list(texts)
    out = pd.DataFrame({"language": pd.Series([None] * len(texts), dtype="object"),
                        "language_confidence": np.full(len(texts), np.nan)})
    todo = [i for i, t in enumerate(texts) if _has_letters(t)]
    if not todo:
        return out
    detector = _detector(tuple(sorted(set(languages))))
    for i, values in zip(todo, _in_chunks(detector, [texts[i] for i in todo]), strict=True):
        scored = [(round(v.value, 4), v.language.iso_code_639_1.name.lower()) for v in values]
        if scored and max(scored)[0] > 0:
            value, code = max(scored, key=lambda s: (s[0], [-ord(c) for c in s[1]]))
            out.at[i, "language"] = code
            out.at[i, "language_confidence"] = value
    return out


def add_languages(posts: pd.DataFrame, paragraphs: pd.DataFrame, *,
                  languages: Sequence[str] = config.LANGUAGES,
                  detect_paragraphs: ParagraphDetection = "all",
                  max_chars: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``language`` and ``language_confidence`` to posts and paragraphs.

    Posts are detected on title plus body.  Paragraphs are detected on their
    own text; a paragraph too short to identify takes its post's language and
    ``language_basis`` says which it was (``detected``, ``post`` or
    ``undetermined``).

    Parameters
    ----------
    posts, paragraphs : DataFrame
        From :func:`analysis.corpus.segment.split_posts` and ``split_paragraphs``;
        not modified.
    languages : sequence of str
        ISO 639-1 codes the detector chooses between.
    detect_paragraphs : {"all", "uncertain"}
        ``"all"`` (the default) runs lingua on every paragraph.
        ``"uncertain"`` is the fast path for large corpora: a paragraph whose
        function words clearly belong to its post's language (at least
        :data:`MIN_FUNCTION_WORDS` of them, twice as many as of any other
        language; Latin-script languages with a word list only) takes the
        post's language without running lingua, with ``language_basis``
        ``"post"`` and no confidence.  Every other paragraph is detected as
        before.  Lingua then runs only on paragraphs that may differ from
        their post (quotes, translations in the same post, short or
        ambiguous text), which saves most of the cost of this step.
    max_chars : int, optional
        Detect each post on its first ``max_chars`` characters only (lingua's
        cost grows with length, its accuracy hardly beyond a few hundred
        characters).  ``None`` (the default) uses the whole post.

    Returns
    -------
    (posts, paragraphs) : tuple of DataFrame
        Copies with ``language`` and ``language_confidence``, and for
        paragraphs ``language_basis``.
    """
    if detect_paragraphs not in ("all", "uncertain"):
        raise ValueError(f"detect_paragraphs must be 'all' or 'uncertain', got "
                         f"{detect_paragraphs!r}")
    posts, paragraphs = posts.copy(), paragraphs.copy()
    full = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    if max_chars is not None:
        full = [text[:max_chars] for text in full]
    found = detect_languages(full, languages=languages)
    posts["language"] = found["language"].to_numpy()
    posts["language_confidence"] = found["language_confidence"].to_numpy()
    post_lang = posts.set_index("post_id")["language"]
    inherited = paragraphs["post_id"].map(post_lang)
    texts = paragraphs["text"].tolist()
    if detect_paragraphs == "all":
        para = detect_languages(texts, languages=languages)
    else:
        expected = inherited.tolist()
        todo = [i for i, (text, lang) in enumerate(zip(texts, expected, strict=True))
                if not _agrees_with(text, lang)]
        para = pd.DataFrame({"language": pd.Series([None] * len(texts), dtype="object"),
                             "language_confidence": np.full(len(texts), np.nan)})
        if todo:
            sub = detect_languages([texts[i] for i in todo], languages=languages)
            para.loc[todo, "language"] = sub["language"].to_numpy()
            para.loc[todo, "language_confidence"] = sub["language_confidence"].to_numpy()
    detected = para["language"].notna().to_numpy()
    paragraphs["language"] = np.where(detected, para["language"], inherited)
    paragraphs["language"] = paragraphs["language"].astype("object").where(
        paragraphs["language"].notna(), None)
    paragraphs["language_confidence"] = para["language_confidence"].to_numpy()
    paragraphs["language_basis"] = np.where(
        detected, "detected", np.where(inherited.notna(), "post", "undetermined"))
    return posts, paragraphs


ParagraphDetection = Literal["all", "uncertain"]

#: Function words of the Latin-script languages, for the ``"uncertain"``
#: paragraph fast path of :func:`add_languages`.
FUNCTION_WORDS = {
    "en": frozenset("the and of to is that with for are was this have from by which their they "
                    "were has not be on it as an or at its but who will we our".split()),
    "es": frozenset("el la los las de del y que en por para con una es se no su sus al lo como "
                    "más nuestra nuestro".split()),
    "fr": frozenset("le la les de des du et que en pour dans une est sur pas qui par au aux ce "
                    "nous sont avec".split()),
    "de": frozenset("der die das und den dem des ist nicht mit ein eine für auf zu sich von wir "
                    "sind auch im".split()),
    "it": frozenset("il la le di del della che e per con una sono non gli dei delle nel alla "
                    "è".split()),
    "pt": frozenset("o a os as de do da dos das que e em para com uma não por no na se".split()),
}
#: Function words a paragraph needs to take its post's language unchecked.
MIN_FUNCTION_WORDS = 3
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0900-\u0dff"
                        r"\u0e00-\u0fff\u1000-\u10ff\u1f00-\u1fff\u3040-\uffef]")


def _agrees_with(text: str, language: str | None) -> bool:
    """True when ``text``'s function words clearly belong to ``language``.

    Examples
    --------
    >>> _agrees_with("The war and the peace of the world are at stake.", "en")
    True
    >>> _agrees_with("La guerra y la paz del mundo están en juego.", "en")
    False
    """
    words = FUNCTION_WORDS.get(language or "")
    if words is None or len(_LETTER.findall(text)) < MIN_LETTERS or _NON_LATIN.search(text):
        return False
    tokens = word_tokens(text, keep_acronyms=False)
    own = sum(t in words for t in tokens)
    if own < MIN_FUNCTION_WORDS:
        return False
    other = max(sum(t in ws for t in tokens) for lang, ws in FUNCTION_WORDS.items()
                if lang != language)
    return own >= 2 * other


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


def _shingles(text: str, k: int = 3) -> set[bytes]:
    words = TOKEN_RE.findall(text.casefold())
    return {" ".join(words[i:i + k]).encode() for i in range(max(1, len(words) - k + 1))}


def _shingle_strings(text: str) -> set[str]:
    """:func:`_shingles` (k=3) as ``str``: the distinct word 3-grams, or all words if fewer."""
    words = TOKEN_RE.findall(text.casefold())
    if len(words) < 3:
        return {" ".join(words)}
    return set(map(" ".join, zip(words, words[1:], words[2:], strict=False)))


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
    parent = list(range(len(out)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(near | trans):
        parent[find(i)] = find(j)
    roots = [find(i) for i in range(len(out))]
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
