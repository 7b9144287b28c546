"""The prose of the simulated posts: sentences, paragraphs, titles and translations.

Sentences fill the templates of :mod:`analysis.scale.vocabulary` with a
topic's issues, places and actors, and a framed paragraph carries one
framing phrase among them; :func:`write_post` writes the title and body of
one post (an original, a republished copy with small edits, or a
translation sharing the names and numbers of its original).
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

from .vocabulary import (
    _ADV,
    _CONNECT,
    _FIRST,
    _FOREIGN,
    _FRAME_TEMPLATES,
    _LAST,
    _MONTHS,
    _OBJ,
    _QUANT,
    _RU,
    _SHARED,
    _TEMPLATES,
    _VERBS,
    _VERBS_PRESENT,
    _WHO,
    FRAMING_PHRASES,
    TOPICS,
)

__all__ = ["write_post"]


_STATIC_SLOTS = {"who": _WHO, "verb": _VERBS, "verb2": _VERBS, "shared": _SHARED,
                 "connect": _CONNECT, "adv": _ADV, "present": _VERBS_PRESENT, "quant": _QUANT,
                 "obj": _OBJ, "month": _MONTHS}
_PARSED = {t: [(literal, name) for literal, name, _, _ in string.Formatter().parse(t)]
           for t in _TEMPLATES + _FRAME_TEMPLATES}


def _pick(rng: random.Random, seq: Sequence[str]) -> str:
    return seq[int(rng.random() * len(seq))]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Sentence and paragraph generator drawing from one random stream."""

    def __init__(self, rng: random.Random, topic: str, framing: str, year: int):
        self.rng, self.vocab, self.framing, self.year = rng, TOPICS[topic], framing, year

    def _slot(self, name: str) -> str:
        rng, v = self.rng, self.vocab
        if name in _STATIC_SLOTS:
            return _pick(rng, _STATIC_SLOTS[name])
        if name in ("noun", "noun2"):
            return _pick(rng, v["nouns"])
        if name in ("place", "actor"):
            return _pick(rng, v[name + "s"])
        if name == "adj":
            return _pick(rng, v["adjectives"])
        if name == "day":
            return str(rng.randint(1, 28))
        if name == "year":
            return str(self.year - rng.randint(0, 3))
        frame = _pick(rng, FRAMING_PHRASES[self.framing])
        return _cap(frame) if name == "frame_cap" else frame

    def _fill(self, template: str) -> str:
        return "".join(literal + (self._slot(name) if name else "")
                       for literal, name in _PARSED[template])

    def sentence(self, framed: bool) -> str:
        template = self.rng.choice(_FRAME_TEMPLATES if framed else _TEMPLATES)
        return _cap(self._fill(template))

    def paragraph(self, n_sentences: int, framed: bool) -> str:
        framed_at = self.rng.randrange(n_sentences) if framed else -1
        return " ".join(self.sentence(i == framed_at) for i in range(n_sentences))

    def title(self) -> str:
        rng, v = self.rng, self.vocab
        forms = ("{place}: {who} on {noun}", "Statement on {noun}", "{noun} and the left",
                 "Solidarity with the people of {place}", "What {noun} means for {place}",
                 "{actor} and {noun}")
        text = rng.choice(forms).format(place=rng.choice(v["places"]), who=rng.choice(_WHO),
                                        noun=rng.choice(v["nouns"]).removeprefix("the "),
                                        actor=rng.choice(v["actors"]))
        return _cap(text)


def _foreign_paragraph(rng: random.Random, lang: str, anchor_words: Sequence[str],
                       n_words: int) -> str:
    words = [rng.choice(_FOREIGN[lang]) for _ in range(n_words)]
    for word in anchor_words:  # names and numbers, mid-sentence
        words.insert(rng.randint(1, len(words)), word)
    sentences, out = [], []
    for i, word in enumerate(words):
        out.append(word)
        if len(out) >= 9 or i == len(words) - 1:
            sentences.append(_cap(" ".join(out)) + ".")
            out = []
    return " ".join(sentences)


def write_post(row: dict, rng: random.Random, rows: list[dict], *, paragraphs, sentences,
               framed_share, quoted_share) -> None:
    """Write the ``title``, ``text``, ``n_paragraphs`` and ``facts`` of one post into ``row``.

    Parameters
    ----------
    row : dict
        The post as drawn by :func:`analysis.scale.simulate.simulate_corpus`
        (``topic``, ``framing``, ``date``, ``language``, ``duplicate_of``,
        ``translation_of``); completed in place.
    rng : random.Random
        The post's own random stream.
    rows : list of dict
        The posts drawn so far, where the original of a copy or translation is.
    paragraphs, sentences, framed_share, quoted_share
        See :func:`analysis.scale.simulate.simulate_corpus`.
    """
    if row["duplicate_of"] or row["translation_of"]:
        ref = row["duplicate_of"] or row["translation_of"]
        orig = next(r for r in reversed(rows) if r["key"] == ref)
        if row["duplicate_of"]:
            paras = []
            for para in orig["text"].split("\n\n"):
                words = para.split(" ")
                for _ in range(max(1, len(words) // 40)):  # small edits
                    j = rng.randrange(len(words))
                    words[j] = rng.choice(("also", "indeed", "now", "still", words[j]))
                paras.append(" ".join(words))
            row["title"] = orig["title"] if rng.random() < 0.5 else f"Republished: {orig['title']}"
        else:
            anchor_words = [(_RU[w] if row["language"] == "ru" and w in _RU else w)
                            for w in orig["facts"]]
            paras = [_foreign_paragraph(rng, row["language"], anchor_words if k == 0 else (),
                                        n_words=rng.randint(25, 60))
                     for k in range(max(1, orig["n_paragraphs"] // 2))]
            row["title"] = _foreign_paragraph(rng, row["language"], (), 6).rstrip(".")
        row["text"], row["n_paragraphs"] = "\n\n".join(paras), len(paras)
        row["facts"] = orig["facts"]
        return
    writer = _Writer(rng, row["topic"], row["framing"], row["date"].year)
    n_par = rng.randint(*paragraphs)
    paras = [writer.paragraph(rng.randint(*sentences), rng.random() < framed_share)
             for _ in range(n_par)]
    first, last = _pick(rng, _FIRST), _pick(rng, _LAST)
    number, since = rng.randint(120, 99999), rng.randint(1950, 2013)
    row["facts"] = (first, last, str(number), str(since))
    paras[0] += (f" Speaking in {_pick(rng, writer.vocab['places'])}, {first} {last} said that "
                 f"{number} {_pick(rng, _OBJ)} had joined the action, the largest since {since}.")
    if rng.random() < quoted_share:
        lang = rng.choice(("es", "fr", "de"))
        paras.insert(rng.randint(1, len(paras)), _foreign_paragraph(rng, lang, (), 30))
    row["title"], row["text"], row["n_paragraphs"] = writer.title(), "\n\n".join(paras), \
        len(paras)
