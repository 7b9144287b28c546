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

import numpy as np
import pandas as pd
from anyascii import anyascii

from . import config

__all__ = [
    "detect_languages",
    "add_languages",
    "anchors",
    "group_posts",
    "MIN_LETTERS",
]

MIN_LETTERS = 20
_LETTER = re.compile(r"[^\W\d_]")


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
    """
    texts = list(texts)
    out = pd.DataFrame({"language": pd.Series([None] * len(texts), dtype="object"),
                        "language_confidence": np.full(len(texts), np.nan)})
    todo = [i for i, t in enumerate(texts) if len(_LETTER.findall(t)) >= MIN_LETTERS]
    if not todo:
        return out
    detector = _detector(tuple(sorted(set(languages))))
    results = detector.compute_language_confidence_values_in_parallel([texts[i] for i in todo])
    for i, values in zip(todo, results, strict=True):
        # lingua's confidences carry float noise in the last digits from run to
        # run; rounding (and breaking ties by code) keeps the tables identical.
        scored = [(round(v.value, 4), v.language.iso_code_639_1.name.lower()) for v in values]
        if scored and max(scored)[0] > 0:
            value, code = max(scored, key=lambda s: (s[0], [-ord(c) for c in s[1]]))
            out.at[i, "language"] = code
            out.at[i, "language_confidence"] = value
    return out


def add_languages(posts: pd.DataFrame, paragraphs: pd.DataFrame, *,
                  languages: Sequence[str] = config.LANGUAGES
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``language`` and ``language_confidence`` to posts and paragraphs.

    Posts are detected on title plus body.  Paragraphs are detected on their
    own text; a paragraph too short to identify takes its post's language and
    ``language_basis`` says which it was (``detected``, ``post`` or
    ``undetermined``).
    """
    posts, paragraphs = posts.copy(), paragraphs.copy()
    full = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    found = detect_languages(full, languages=languages)
    posts["language"] = found["language"].to_numpy()
    posts["language_confidence"] = found["language_confidence"].to_numpy()
    para = detect_languages(paragraphs["text"].tolist(), languages=languages)
    post_lang = posts.set_index("post_id")["language"]
    inherited = paragraphs["post_id"].map(post_lang)
    detected = para["language"].notna().to_numpy()
    paragraphs["language"] = np.where(detected, para["language"], inherited)
    paragraphs["language"] = paragraphs["language"].astype("object").where(
        paragraphs["language"].notna(), None)
    paragraphs["language_confidence"] = para["language_confidence"].to_numpy()
    paragraphs["language_basis"] = np.where(
        detected, "detected", np.where(inherited.notna(), "post", "undetermined"))
    return posts, paragraphs


_TOKEN = re.compile(r"\w+(?:[-']\w+)*")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$")


def anchors(text: str) -> frozenset[str]:
    """Language-independent anchors of a text: numbers and name stems.

    Examples
    --------
    >>> sorted(anchors("Lukashenko and his allies. В Беларуси, Лукашенко, 1959-1960"))
    ['1959', '1960', 'belar', 'lukas']
    """
    out = set()
    for line in text.split("\n"):
        for m in _TOKEN.finditer(line):
            for part in re.split(r"[-']", m.group()):
                if part.isdigit():
                    if len(part) >= 2:
                        out.add(part)
                elif len(part) >= 4 and part[0].isupper() and not part.isupper():
                    if _SENTENCE_END.search(line[:m.start()]):
                        continue
                    out.add(anyascii(part).lower()[:5])
    return frozenset(out)


def _shingles(text: str, k: int = 3) -> set[bytes]:
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i:i + k]).encode() for i in range(max(1, len(words) - k + 1))}


def _near_duplicate_pairs(texts: list[str], threshold: float, seed: int) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = []
    for i, text in enumerate(texts):
        mh = MinHash(num_perm=128, seed=seed)
        mh.update_batch(sorted(_shingles(text)))
        hashes.append(mh)
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
    index: dict[str, list[int]] = defaultdict(list)
    for i, anchor_set in enumerate(sets):
        for a in anchor_set:
            index[a].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        if len(members) > max_df:
            continue  # an anchor in very many posts says nothing about translation
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                shared[(i, j)] += 1
    pairs = set()
    for (i, j), n in shared.items():
        if (n >= min_shared and langs[i] and langs[j] and langs[i] != langs[j]
                and n / min(len(sets[i]), len(sets[j])) >= overlap):
            pairs.add((i, j))
    return pairs


def group_posts(posts: pd.DataFrame, *, near_duplicate_threshold: float = 0.6,
                min_shared_anchors: int = 3, anchor_overlap: float = 0.6,
                language_order: Sequence[str] = config.CANONICAL_LANGUAGE_ORDER,
                seed: int = config.SEED) -> pd.DataFrame:
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
    near = _near_duplicate_pairs(full, near_duplicate_threshold, seed)
    sets = [anchors(t) for t in full]
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
    for group in members.values():
        best = min(group, key=lambda i: (rank.get(langs[i] or "", len(rank)), -lengths[i], ids[i]))
        kinds = set()
        for i in group:
            for j in group:
                if (min(i, j), max(i, j)) in trans:
                    kinds.add("translation")
                if (min(i, j), max(i, j)) in near:
                    kinds.add("near_duplicate")
        kind = "+".join(sorted(kinds, reverse=True)) if kinds else "singleton"
        for i in group:
            group_id[i], group_type[i], size[i] = ids[best], kind, len(group)
            canonical[i] = i == best
    out["group_id"], out["group_type"] = group_id, group_type
    out["group_size"], out["is_canonical"] = size, canonical
    return out
