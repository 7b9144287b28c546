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

The parts live in their own modules: the sources and planted shares in
:mod:`analysis.scale.planted`, the word lists in
:mod:`analysis.scale.vocabulary`, the sentences and posts in
:mod:`analysis.scale.prose`, and the raw files with their scrape noise in
:mod:`analysis.scale.scrape`; their public names are importable from here.

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
import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .planted import (
    DEFAULT_SOURCES,
    END,
    EVENT_DATE,
    FRAMINGS,
    START,
    Source,
    planted_share,
    planted_shares,
)
from .prose import write_post
from .scrape import lay_out_posts
from .vocabulary import FRAMING_PHRASES, TOPICS, VOCABULARY_PATH, load_vocabulary

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
        row = _draw_post(rng, f"s{i:07d}", rows, sources=sources, cum=cum, span=span,
                         topics=topics, duplicate_share=duplicate_share,
                         translation_share=translation_share)
        rows.append(row)
        write_post(row, rng, rows, paragraphs=paragraphs, sentences=sentences,
                   framed_share=framed_share, quoted_share=quoted_share)
    documents, post_dates = lay_out_posts(rows, sources, seed=seed, noise=noise,
                                          jsonl_records=jsonl_records)
    for row in rows:
        row.pop("facts", None)
    posts = pd.DataFrame(rows, columns=[
        "key", "post_id", "doc_id", "source", "date", "topic", "framing", "language",
        "translation_of", "duplicate_of", "listing", "title", "text", "n_paragraphs"])
    posts["date"] = pd.to_datetime(posts["date"])
    return SimulatedCorpus(posts=posts, documents=documents, sources=sources, seed=seed,
                           post_dates=post_dates)


def _draw_post(rng: random.Random, key: str, rows: list[dict], *, sources: tuple[Source, ...],
               cum: list[float], span: int, topics: Sequence[str], duplicate_share: float,
               translation_share: float) -> dict:
    """Draw one post's source, date, topic, framing and kind (original, copy or translation)."""
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
    return row
