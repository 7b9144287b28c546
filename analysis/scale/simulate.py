"""Synthetic corpora with planted structure, for recovery tests and benchmarks.

:func:`simulate_corpus` generates posts by fictional left-wing sources with
known ground truth: a source, a date, a topic, a framing (the package's
labels: ``anti_us``, the anti-US-imperialism framing often called campist, or
``all_imperialisms``, against all imperialisms) and a language.  The share of
``anti_us`` posts changes over time,
per source, as a logistic trend with an *event shift* on 24 February 2022
(the full-scale invasion of Ukraine): some sources swing towards the
``all_imperialisms`` framing, one hardens its ``anti_us`` stance.

Texts are English sentences assembled from templates, with vocabulary
(``data/simulate/vocabulary.yaml``, :func:`load_vocabulary`) per
topic (places, actors, issues) and per framing ("NATO expansion provoked the
war", "against all imperialisms, in Washington and in Moscow alike"), and
shared anti-imperialist vocabulary used by both, so that no single word
gives the framing away.  Then the texts are made to look like real scrapes:

* **boilerplate**: WordPress comment forms, share widgets, post footers
  (``Posted in ... | Tagged ... | 2 Comments``), newsletter lines, datelines,
  bylines, photo credits and camera file names glued to text;
* **encoding noise**: curly quotes, mojibake (UTF-8 read as cp1252),
  no-break spaces, Cyrillic look-alike letters inside English words, lines
  broken by the page layout;
* **listing pages**: archive pages holding several truncated excerpts, each
  ended by ``Continue reading`` or ``[...]`` and a footer;
* **duplicates**: posts republished by another source with small edits;
* **translations**: statements republished in Spanish, French or Russian,
  sharing the names and numbers of the people and events they report with
  the English original, and a few English posts quoting a paragraph in
  Spanish, French or German.

Everything is drawn from per-post random streams seeded by ``seed``, so a
corpus is reproducible bit for bit (:meth:`SimulatedCorpus.write` writes the
same bytes for the same arguments).

Examples
--------
>>> sim = simulate_corpus(40, seed=1)
>>> len(sim.posts), sim.posts["framing"].isin(FRAMINGS).all()
(40, np.True_)
>>> sorted(sim.posts.columns)[:4]
['date', 'doc_id', 'duplicate_of', 'framing']
"""

from __future__ import annotations

import bisect
import codecs
import csv
import json
import math
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

__all__ = [
    "FRAMINGS",
    "FRAMING_PHRASES",
    "TOPICS",
    "VOCABULARY_PATH",
    "load_vocabulary",
    "Source",
    "DEFAULT_SOURCES",
    "EVENT_DATE",
    "SimulatedCorpus",
    "planted_share",
    "simulate_corpus",
    "planted_shares",
]

#: The two framings, the package's poles (:data:`analysis.framing.labels.LABELS`);
#: the planted share is the share of ``anti_us`` posts.
FRAMINGS = ("anti_us", "all_imperialisms")
#: The date of the planted event shift.
EVENT_DATE = pd.Timestamp("2022-02-24")
START, END = pd.Timestamp("2014-01-01"), pd.Timestamp("2024-12-31")


@dataclass(frozen=True)
class Source:
    """A simulated source and its planted framing trajectory.

    The probability that a post is ``anti_us`` at time *t* (in years since
    2014-01-01) is ``sigmoid(base + trend * t + shift * [t >= event])``.

    Attributes
    ----------
    key : str
        Short source key (as in a manifest's ``source`` column).
    name : str
        Display name.
    base, trend, shift : float
        Logit at the start, change of logit per year, and jump of the logit
        at :data:`EVENT_DATE`.
    weight : float
        Relative volume of posts.
    listing_share : float
        Share of its posts published as excerpts on archive listing pages.
    """

    key: str
    name: str
    base: float
    trend: float
    shift: float
    weight: float = 1.0
    listing_share: float = 0.15


#: Five fictional sources spanning both framings and several trajectories.
DEFAULT_SOURCES: tuple[Source, ...] = (
    Source("red-dawn", "Red Dawn Weekly", base=1.5, trend=0.0, shift=0.8, weight=1.4),
    Source("workers-voice", "Workers' Voice", base=-1.8, trend=-0.05, shift=-0.6, weight=1.0),
    Source("peoples-front", "People's Front Online", base=1.2, trend=0.05, shift=-2.6,
           weight=1.2, listing_share=0.3),
    Source("solidarity-net", "Solidarity Network", base=0.3, trend=-0.25, shift=-0.5,
           weight=0.8),
    Source("left-review", "Left Review Daily", base=-0.2, trend=0.12, shift=0.0, weight=0.6,
           listing_share=0.0),
)

# --------------------------------------------------------------------------- vocabulary
# Every word list lives in data/simulate/vocabulary.yaml (shipped as package
# data): topics (issues, places, actors, adjectives), framing phrases under the
# package's labels, sentence templates, other languages, names, site boilerplate.


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
# translation shares with its original (see analysis.corpus.language.anchors).
_FIRST, _LAST = _VOCABULARY["people"]["first_names"], _VOCABULARY["people"]["last_names"]
_RU = _VOCABULARY["people"]["russian"]
_SITE_NAMES = {s.key: f"{s.key.replace('-', '')}.org" for s in DEFAULT_SOURCES}
_AUTHORS, _CATEGORIES, _TAGS = (_VOCABULARY["boilerplate"]["authors"],
                                _VOCABULARY["boilerplate"]["categories"],
                                _VOCABULARY["boilerplate"]["tags"])


# --------------------------------------------------------------------------- planted shares


def _years(date: pd.Timestamp) -> float:
    return (date - START).days / 365.25


def planted_share(source: Source, date: pd.Timestamp | str) -> float:
    """Planted probability that a post of ``source`` on ``date`` is ``anti_us``.

    Examples
    --------
    >>> src = Source("x", "X", base=0.0, trend=0.0, shift=-2.0)
    >>> round(planted_share(src, "2020-01-01"), 3), round(planted_share(src, "2023-01-01"), 3)
    (0.5, 0.119)
    """
    date = pd.Timestamp(date)
    logit = source.base + source.trend * _years(date) + source.shift * (date >= EVENT_DATE)
    return 1.0 / (1.0 + math.exp(-logit))


def planted_shares(sources: Sequence[Source] = DEFAULT_SOURCES, *, freq: str = "YS"
                   ) -> pd.DataFrame:
    """Planted ``anti_us`` share per source and period (mean of the daily probability).

    Parameters
    ----------
    sources : sequence of Source
        The sources.
    freq : str
        pandas period start frequency (``"YS"`` years, ``"QS"`` quarters).

    Returns
    -------
    DataFrame
        ``source, period, planted_share`` (tidy, one row per source and period).
    """
    days = pd.date_range(START, END, freq="D")
    periods = days.to_series().dt.to_period(freq.rstrip("S")).dt.start_time.to_numpy()
    rows = []
    for src in sources:
        probs = np.array([planted_share(src, d) for d in days])
        frame = pd.DataFrame({"period": periods, "p": probs}).groupby("period")["p"].mean()
        rows += [{"source": src.key, "period": p, "planted_share": float(v)}
                 for p, v in frame.items()]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- generation


@dataclass
class SimulatedCorpus:
    """A simulated corpus and its ground truth.

    Attributes
    ----------
    posts : DataFrame
        One row per generated post: ``key``, ``post_id`` (the id the
        pipeline should give it), ``doc_id``, ``source``, ``date``,
        ``topic``, ``framing``, ``language``, ``translation_of`` and
        ``duplicate_of`` (keys of the original, or missing), ``listing``
        (published as an excerpt on a listing page), ``title``, ``text``
        (the clean body, paragraphs separated by blank lines),
        ``n_paragraphs``.
    documents : list of dict
        What :meth:`write` writes: one dict per raw file (``id``, ``file``,
        ``kind``, ``source``, ``date``, ``format``, ``title``, ``content``).
    sources : tuple of Source
    seed : int
    post_dates : list of dict
        Per-post dates of listing pages (rows of ``posts.csv``).
    """

    posts: pd.DataFrame
    documents: list[dict]
    sources: tuple[Source, ...]
    seed: int
    post_dates: list[dict] = field(default_factory=list)

    def planted_shares(self, *, freq: str = "YS") -> pd.DataFrame:
        """Planted ``anti_us`` shares (:func:`planted_shares`) plus the realised ones.

        ``realised_share`` is the ``anti_us`` share among the original English
        posts (neither translations nor republished duplicates) of each
        source and period, and ``n_posts`` their number.
        """
        planted = planted_shares(self.sources, freq=freq)
        orig = self.posts[self.posts["translation_of"].isna() & self.posts["duplicate_of"].isna()
                          & (self.posts["language"] == "en")]
        period = orig["date"].dt.to_period(freq.rstrip("S")).dt.start_time
        realised = (orig.assign(period=period, anti_us=orig["framing"] == "anti_us")
                    .groupby(["source", "period"])
                    .agg(realised_share=("anti_us", "mean"), n_posts=("anti_us", "size"))
                    .reset_index())
        return planted.merge(realised, on=["source", "period"], how="left")

    def write(self, folder: Path | str) -> Path:
        """Write raw files, ``manifest.csv`` and ``posts.csv``; return the manifest path."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for doc in self.documents:
            path = folder / doc["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(doc["content"])
        manifest = folder / "manifest.csv"
        with open(manifest, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["id", "file", "kind", "source", "source_name", "title", "date",
                             "format"])
            names = {s.key: s.name for s in self.sources}
            for doc in self.documents:
                writer.writerow([doc["id"], doc["file"], doc["kind"], doc["source"],
                                 names[doc["source"]], doc.get("title") or "",
                                 doc.get("date") or "", doc["format"]])
        with open(folder / "posts.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["doc_id", "post_no", "title", "date", "date_precision",
                             "date_basis"])
            for row in self.post_dates:
                writer.writerow([row["doc_id"], row["post_no"], row["title"], row["date"], "day",
                                 "simulated"])
        return manifest


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


def _mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (undefined bytes as Latin-1), as sloppy scrapers do."""
    return text.encode("utf-8").decode("cp1252", errors="simulate-latin1")


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("simulate-latin1", _latin1_fallback)


def _noisy(rng: random.Random, text: str, *, noise: float) -> str:
    """Encoding and layout noise of real scrapes, applied to one paragraph."""
    if rng.random() < noise:
        text = text.replace("'", "\u2019").replace(" the ", " the\u00a0", 1)
    if rng.random() < noise * 0.3:
        words = text.split(" ")
        i = rng.randrange(len(words))
        if "a" in words[i]:
            words[i] = words[i].replace("a", "\u0430", 1)  # Cyrillic look-alike
        text = " ".join(words)
    if rng.random() < noise * 0.3 and len(text) > 120:
        cut = text.find(" ", len(text) // 2)
        if cut > 0 and text[cut + 1:cut + 2].islower():
            text = text[:cut] + "\n" + text[cut + 1:]  # a line broken by the layout
    return text


def _boilerplate_head(rng: random.Random, source: str, date: pd.Timestamp, noise: float
                      ) -> list[str]:
    lines = []
    if rng.random() < noise:
        lines.append(_SITE_NAMES.get(source, f"{source}.org"))
    if rng.random() < noise:
        lines.append(f"{_MONTHS[date.month - 1]} {date.day}, {date.year}")
    if rng.random() < noise:
        lines.append(f"by {rng.choice(_AUTHORS)}")
    return lines


def _boilerplate_tail(rng: random.Random, noise: float) -> list[str]:
    lines = []
    if rng.random() < noise:
        lines += ["Share this:", "Like this:", "Like Loading..."]
    if rng.random() < noise:
        lines.append("Click here to subscribe to our newsletters and mailing list.")
    if rng.random() < noise:
        lines += ["Leave a Reply", "Your email address will not be published.",
                  "Required fields are marked *", "Post Comment"]
    return lines


def _footer(rng: random.Random) -> str:
    tags = ", ".join(rng.sample(_TAGS, rng.randint(0, 3)))
    comments = rng.choice(("Leave a comment", "1 Comment", f"{rng.randint(2, 9)} Comments"))
    return f"Posted in {rng.choice(_CATEGORIES)} | Tagged {tags} | {comments}"


def simulate_corpus(n_posts: int, *, seed: int = config.SEED,
                    sources: Sequence[Source] = DEFAULT_SOURCES,
                    topics: Sequence[str] = tuple(TOPICS), paragraphs: tuple[int, int] = (2, 6),
                    sentences: tuple[int, int] = (2, 5), framed_share: float = 0.5,
                    duplicate_share: float = 0.04, translation_share: float = 0.03,
                    quoted_share: float = 0.02, noise: float = 0.2,
                    jsonl_records: int = 5000) -> SimulatedCorpus:
    """Generate a corpus with planted sources, dates, topics and framings.

    Parameters
    ----------
    n_posts : int
        Number of posts, duplicates and translations included.
    seed : int
        Seed of every random draw.
    sources : sequence of Source
        The sources and their planted framing trajectories.
    topics : sequence of str
        Keys of :data:`TOPICS` to use.
    paragraphs, sentences : (int, int)
        Inclusive ranges of paragraphs per post and sentences per paragraph.
    framed_share : float
        Share of paragraphs that carry a framing sentence; the rest speak of
        the topic only.
    duplicate_share, translation_share : float
        Shares of posts that republish an earlier post (another source,
        small edits) or translate one (Spanish, French or Russian).
    quoted_share : float
        Share of English posts with one paragraph quoted in another language.
    noise : float
        Probability of each kind of boilerplate and encoding noise per post.
    jsonl_records : int
        Articles per ``.jsonl`` file (files are per source and year).

    Returns
    -------
    SimulatedCorpus
    """
    if n_posts < 1:
        raise ValueError(f"n_posts must be at least 1, got {n_posts}")
    sources = tuple(sources)
    weights = np.array([s.weight for s in sources], dtype=float)
    cum = np.cumsum(weights / weights.sum()).tolist()
    span = (END - START).days
    rows: list[dict] = []
    for i in range(n_posts):
        rng = random.Random(f"{seed}:{i}")
        key = f"s{i:07d}"
        date = START + pd.Timedelta(days=rng.randrange(span + 1))
        src = sources[min(bisect.bisect_right(cum, rng.random()), len(sources) - 1)]
        # The war in Ukraine dominates after the event, as it did in the real press.
        topic_weights = [3.0 if (t == "ukraine" and date >= EVENT_DATE) else 1.0 for t in topics]
        topic = rng.choices(topics, weights=topic_weights)[0]
        framing = FRAMINGS[0] if rng.random() < planted_share(src, date) else FRAMINGS[1]
        row = {"key": key, "source": src.key, "date": date, "topic": topic, "framing": framing,
               "language": "en", "translation_of": None, "duplicate_of": None,
               "listing": rng.random() < src.listing_share}
        kind = rng.random()
        originals = [r for r in rows[-200:] if r["translation_of"] is None
                     and r["duplicate_of"] is None and not r["listing"]
                     ] if kind < duplicate_share + translation_share else []
        if originals and kind < duplicate_share:
            orig = rng.choice(originals)
            others = [s for s in sources if s.key != orig["source"]] or list(sources)
            row.update(source=rng.choice(others).key, date=orig["date"] + pd.Timedelta(
                days=rng.randint(0, 5)), topic=orig["topic"], framing=orig["framing"],
                duplicate_of=orig["key"], listing=False)
        elif originals and kind < duplicate_share + translation_share:
            orig = rng.choice(originals)
            row.update(source=orig["source"], date=orig["date"], topic=orig["topic"],
                       framing=orig["framing"], translation_of=orig["key"], listing=False,
                       language=rng.choice(("es", "fr", "ru")))
        row["date"] = min(row["date"], END)
        rows.append(row)
        _write_post(row, rng, rows, paragraphs=paragraphs, sentences=sentences,
                    framed_share=framed_share, quoted_share=quoted_share)
    documents, post_dates = _assemble(rows, sources, seed=seed, noise=noise,
                                      jsonl_records=jsonl_records)
    for row in rows:
        row.pop("facts", None)
    posts = pd.DataFrame(rows, columns=[
        "key", "post_id", "doc_id", "source", "date", "topic", "framing", "language",
        "translation_of", "duplicate_of", "listing", "title", "text", "n_paragraphs"])
    posts["date"] = pd.to_datetime(posts["date"])
    return SimulatedCorpus(posts=posts, documents=documents, sources=sources, seed=seed,
                           post_dates=post_dates)


def _write_post(row: dict, rng: random.Random, rows: list[dict], *, paragraphs, sentences,
                framed_share, quoted_share) -> None:
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


def _assemble(rows: list[dict], sources: Sequence[Source], *, seed: int, noise: float,
              jsonl_records: int) -> tuple[list[dict], list[dict]]:
    """Lay the posts out in raw files: jsonl archives per source and year, listing pages."""
    documents: list[dict] = []
    post_dates: list[dict] = []
    rng = random.Random(seed)
    by_group: dict[tuple[str, int], list[dict]] = {}
    listings: dict[tuple[str, int, int], list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r["date"], r["key"])):
        if row["listing"]:
            listings.setdefault((row["source"], row["date"].year, row["date"].month),
                                []).append(row)
        else:
            by_group.setdefault((row["source"], row["date"].year), []).append(row)
    for (source, year), members in sorted(by_group.items()):
        for part in range(0, len(members), jsonl_records):
            chunk = members[part:part + jsonl_records]
            doc_id = f"{source}-{year}" + (f"-{part // jsonl_records}" if part else "")
            lines = []
            for row in chunk:
                r = random.Random(f"{seed}:{row['key']}:layout")
                body = [_noisy(r, p, noise=noise) for p in row["text"].split("\n\n")]
                head = _boilerplate_head(r, source, row["date"], noise)
                if r.random() < 0.5:
                    head = [row["title"]] + head
                text = "\n\n".join(head + body + _boilerplate_tail(r, noise))
                if row["language"] == "en" and r.random() < noise * 0.1:
                    text = _mojibake(text)
                lines.append(json.dumps({"id": row["key"], "title": row["title"],
                                         "date": row["date"].strftime("%Y-%m-%d"),
                                         "text": text}, ensure_ascii=False))
                row["doc_id"] = f"{doc_id}:{row['key']}"
                row["post_id"] = f"{row['doc_id']}/p01"
            documents.append({"id": doc_id, "file": f"{source}/{doc_id}.jsonl",
                              "kind": "article", "source": source, "format": "jsonl",
                              "content": "\n".join(lines) + "\n", "date": str(year)})
    for (source, year, month), members in sorted(listings.items()):
        for part in range(0, len(members), 8):
            chunk = members[part:part + 8]
            doc_id = f"{source}-archive-{year}-{month:02d}-{part // 8 + 1}"
            blocks = [_SITE_NAMES.get(source, source)] if rng.random() < noise else []
            for n, row in enumerate(chunk, start=1):
                r = random.Random(f"{seed}:{row['key']}:layout")
                paras = row["text"].split("\n\n")
                keep = paras[:r.randint(1, 2)]
                truncated = len(keep) < len(paras)
                ending = r.choice((" [...]", " Continue reading", "")) if truncated else ""
                body = [_noisy(r, p, noise=noise) for p in keep]
                body[-1] += ending
                blocks += [row["title"], *body, _footer(r)]
                row["doc_id"] = doc_id
                row["post_id"] = f"{doc_id}/p{n:02d}"
                row["text"], row["n_paragraphs"] = "\n\n".join(keep), len(keep)
                post_dates.append({"doc_id": doc_id, "post_no": n, "title": row["title"],
                                   "date": row["date"].strftime("%Y-%m-%d")})
            documents.append({"id": doc_id, "file": f"{source}/{doc_id}.txt", "kind": "listing",
                              "source": source, "format": "txt",
                              "content": "\n\n".join(blocks) + "\n", "date": ""})
    return documents, post_dates
