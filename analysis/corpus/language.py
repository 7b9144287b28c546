"""Language identification of posts and paragraphs.

:func:`detect_languages` runs lingua restricted to a configurable set of
languages (:data:`analysis.config.LANGUAGES`): a small set loads in under a
second and avoids misreading short strings as distant languages.  A
paragraph too short to identify (fewer than :data:`MIN_LETTERS` letters)
takes its post's language (``language_basis == "post"``).

Translation and near-duplicate groups are in :mod:`analysis.corpus.groups`,
their MinHash signatures in :mod:`analysis.corpus.minhash`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..text.tokenize import word_tokens

__all__ = [
    "detect_languages",
    "add_languages",
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
