"""The vocabulary of the simulated corpora (``data/simulate/vocabulary.yaml``).

:func:`load_vocabulary` reads the file once per process into :data:`TOPICS`
(issues, places, actors, adjectives per topic), :data:`FRAMING_PHRASES`
(phrases under the package's two labels) and the private word lists of the
sentence templates, other languages, people's names and site boilerplate
that :mod:`analysis.scale.prose` and :mod:`analysis.scale.scrape` draw from.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from .planted import DEFAULT_SOURCES, FRAMINGS

__all__ = ["FRAMING_PHRASES", "TOPICS", "VOCABULARY_PATH", "load_vocabulary"]


def load_vocabulary(path: Path | str | None = None) -> dict:
    """The simulator's vocabulary (``data/simulate/vocabulary.yaml``).

    Parameters
    ----------
    path : path-like, optional
        Another vocabulary file of the same layout.

    Returns
    -------
    dict
        ``framings`` (label -> phrases), ``topics`` (topic -> ``nouns``,
        ``places``, ``actors``, ``adjectives``), ``sentences``, ``languages``,
        ``people`` and ``boilerplate``, with every list as a tuple.

    Raises
    ------
    ValueError
        When a section is missing or the framings are not the package's
        two poles, naming the file.

    Examples
    --------
    >>> sorted(load_vocabulary()["framings"])
    ['all_imperialisms', 'anti_us']
    """
    import yaml

    path = Path(path) if path is not None else VOCABULARY_PATH
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    missing = [k for k in ("framings", "topics", "sentences", "languages", "people",
                           "boilerplate") if k not in (raw or {})]
    if missing:
        raise ValueError(f"{path}: missing section(s) {', '.join(missing)}")
    if set(raw["framings"]) != set(FRAMINGS):
        raise ValueError(f"{path}: framings must be {', '.join(FRAMINGS)} (the package's poles), "
                         f"not {', '.join(map(str, raw['framings']))}")

    def frozen(value):
        if isinstance(value, dict):
            return {k: frozen(v) for k, v in value.items()}
        return tuple(value) if isinstance(value, list) else value

    return frozen(raw)


VOCABULARY_PATH = config.DATA / "simulate" / "vocabulary.yaml"
_VOCABULARY = load_vocabulary()
#: Topic vocabulary: issues (nouns), places and actors (the names work as
#: anchors for translation grouping), and topic adjectives.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = _VOCABULARY["topics"]
#: Framing vocabulary: whole clauses and sentences, so the framing lives in
#: phrases rather than in any one word.
FRAMING_PHRASES: dict[str, tuple[str, ...]] = _VOCABULARY["framings"]

_SENTENCES = _VOCABULARY["sentences"]
_SHARED, _VERBS, _VERBS_PRESENT = (_SENTENCES["shared"], _SENTENCES["verbs"],
                                   _SENTENCES["verbs_present"])
_CONNECT, _ADV, _WHO = _SENTENCES["connect"], _SENTENCES["adverbs"], _SENTENCES["who"]
_QUANT, _OBJ, _MONTHS = _SENTENCES["quantities"], _SENTENCES["objects"], _SENTENCES["months"]
_TEMPLATES, _FRAME_TEMPLATES = _SENTENCES["templates"], _SENTENCES["frame_templates"]
#: Small vocabularies of other languages for translations and quoted paragraphs.
_FOREIGN = _VOCABULARY["languages"]
# People quoted in the posts: post-specific names and numbers are what a
# translation shares with its original (see analysis.corpus.groups.anchors).
_FIRST, _LAST = _VOCABULARY["people"]["first_names"], _VOCABULARY["people"]["last_names"]
_RU = _VOCABULARY["people"]["russian"]
_SITE_NAMES = {s.key: f"{s.key.replace('-', '')}.org" for s in DEFAULT_SOURCES}
_AUTHORS, _CATEGORIES, _TAGS = (_VOCABULARY["boilerplate"]["authors"],
                                _VOCABULARY["boilerplate"]["categories"],
                                _VOCABULARY["boilerplate"]["tags"])
