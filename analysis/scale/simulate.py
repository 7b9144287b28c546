"""Synthetic corpora with planted structure, for recovery tests and benchmarks.

:func:`simulate_corpus` generates posts by fictional left-wing sources with
known ground truth: a source, a date, a topic, a framing (``campist``, the
anti-US-imperialism framing, or ``internationalist``, against all
imperialisms) and a language.  The share of campist posts changes over time,
per source, as a logistic trend with an *event shift* on 24 February 2022
(the full-scale invasion of Ukraine): some sources swing towards the
internationalist framing, one hardens its campism.

Texts are English sentences assembled from templates, with vocabulary per
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
    "TOPICS",
    "Source",
    "DEFAULT_SOURCES",
    "EVENT_DATE",
    "SimulatedCorpus",
    "planted_share",
    "simulate_corpus",
    "planted_shares",
]

#: The two framings; the planted share is the share of ``campist`` posts.
FRAMINGS = ("campist", "internationalist")
#: The date of the planted event shift.
EVENT_DATE = pd.Timestamp("2022-02-24")
START, END = pd.Timestamp("2014-01-01"), pd.Timestamp("2024-12-31")


@dataclass(frozen=True)
class Source:
    """A simulated source and its planted framing trajectory.

    The probability that a post is campist at time *t* (in years since
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
# Topic vocabulary: issues (nouns), places and actors (the names work as
# anchors for translation grouping), and topic adjectives.

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "ukraine": {
        "nouns": ("the war in Ukraine", "the Donbass front", "the occupied territories",
                  "the shelling of Kharkiv", "the grain corridor", "the refugees from Mariupol",
                  "the annexation referendums", "the Minsk agreements", "the trench war",
                  "the counteroffensive", "the mobilisation law", "the ceasefire talks",
                  "the destruction of the Kakhovka dam", "the siege of Bakhmut"),
        "places": ("Ukraine", "Kyiv", "Donetsk", "Luhansk", "Kharkiv", "Crimea", "Mariupol",
                   "Odesa", "Zaporizhzhia", "Bakhmut"),
        "actors": ("Zelensky", "Putin", "the Kremlin", "the Ukrainian army",
                   "the Russian army", "the Azov regiment", "Ukrainian trade unions",
                   "Russian conscripts"),
        "adjectives": ("occupied", "besieged", "front-line", "Ukrainian", "Russian", "eastern"),
    },
    "palestine": {
        "nouns": ("the siege of Gaza", "the occupation of the West Bank", "the settlements",
                  "the bombing of refugee camps", "the right of return", "the blockade of Gaza",
                  "the apartheid wall", "the ceasefire in Gaza", "the boycott campaign",
                  "the forced displacement", "the hospitals of Gaza", "the checkpoints"),
        "places": ("Gaza", "Jerusalem", "Ramallah", "Jenin", "Rafah", "Hebron", "Nablus",
                   "Israel", "Palestine"),
        "actors": ("Netanyahu", "the Israeli army", "the Palestinian resistance", "Hamas",
                   "the Palestinian Authority", "Palestinian workers", "the settlers"),
        "adjectives": ("Palestinian", "Israeli", "besieged", "occupied", "displaced"),
    },
    "latin_america": {
        "nouns": ("the blockade of Cuba", "the sanctions on Venezuela", "the coup in Bolivia",
                  "the oil embargo", "the Bolivarian process", "the lithium reserves",
                  "the elections in Venezuela", "the Monroe Doctrine", "the remittances ban",
                  "the hurricane relief", "the land reform", "the debt crisis"),
        "places": ("Cuba", "Venezuela", "Bolivia", "Nicaragua", "Havana", "Caracas",
                   "La Paz", "Managua", "Colombia", "Honduras"),
        "actors": ("Maduro", "Ortega", "Morales", "Guaido", "the Cuban government",
                   "the Venezuelan opposition", "Cuban doctors", "the peasant movement"),
        "adjectives": ("Cuban", "Venezuelan", "Bolivian", "Latin American", "revolutionary"),
    },
    "china": {
        "nouns": ("the Taiwan Strait", "the trade war", "the semiconductor export controls",
                  "the Belt and Road Initiative", "the South China Sea", "the Uyghur camps",
                  "the Hong Kong protests", "the tariffs on Chinese goods",
                  "the naval exercises", "the chip industry", "the new Silk Road"),
        "places": ("China", "Taiwan", "Beijing", "Hong Kong", "Xinjiang", "Shanghai",
                   "Taipei", "Shenzhen"),
        "actors": ("Xi Jinping", "the Chinese Communist Party", "the Pentagon",
                   "Chinese factory workers", "the Taiwanese government", "Huawei"),
        "adjectives": ("Chinese", "Taiwanese", "Pacific", "strategic", "industrial"),
    },
    "nato": {
        "nouns": ("NATO expansion", "the military budget", "the arms shipments",
                  "the nuclear missiles", "the new military bases", "the arms industry",
                  "the two percent target", "the rearmament programme",
                  "the conscription debate", "the Madrid summit", "the Vilnius summit",
                  "the war economy"),
        "places": ("Brussels", "Berlin", "Warsaw", "Helsinki", "Stockholm", "Vilnius",
                   "Madrid", "Europe"),
        "actors": ("Stoltenberg", "the Pentagon", "Rheinmetall", "Lockheed Martin",
                   "European governments", "the arms lobby", "peace campaigners"),
        "adjectives": ("military", "nuclear", "transatlantic", "European", "defence"),
    },
    "syria": {
        "nouns": ("the war in Syria", "the bombing of Aleppo", "the Kurdish enclave",
                  "the Turkish incursion", "the oil fields", "the refugee camps",
                  "the chemical weapons inquiry", "the reconstruction", "the Idlib pocket",
                  "the Rojava experiment", "the Iranian militias"),
        "places": ("Syria", "Aleppo", "Damascus", "Idlib", "Rojava", "Kobane", "Iran",
                   "Iraq", "Lebanon"),
        "actors": ("Assad", "Erdogan", "the Syrian army", "the Kurdish fighters",
                   "the Russian air force", "Hezbollah", "the Syrian revolutionaries"),
        "adjectives": ("Syrian", "Kurdish", "Turkish", "Iranian", "regional"),
    },
    "labour": {
        "nouns": ("the general strike", "the wage freeze", "the pension reform",
                  "the rail strike", "the dockers' dispute", "the minimum wage",
                  "the cost of living", "the union ballot", "the picket lines",
                  "the anti-strike laws", "the nurses' pay claim", "the warehouse workers"),
        "places": ("London", "Paris", "Liverpool", "Marseille", "Athens", "Glasgow",
                   "Detroit", "Chicago"),
        "actors": ("the rail unions", "the Amazon workers", "the nurses", "the dockers",
                   "the employers", "the union leadership", "the rank and file",
                   "Unite the Union"),
        "adjectives": ("industrial", "striking", "low-paid", "organised", "militant"),
    },
    "climate": {
        "nouns": ("the climate summit", "the gas pipeline", "the energy crisis",
                  "the fossil fuel subsidies", "the heatwave", "the floods",
                  "the carbon market", "the coal mines", "the wildfires",
                  "the green transition", "the liquefied gas terminals", "the oil majors"),
        "places": ("Glasgow", "Sharm el-Sheikh", "Dubai", "Lutzerath", "Nord Stream",
                   "the North Sea", "Pakistan", "the Amazon"),
        "actors": ("the oil companies", "climate strikers", "the energy ministers",
                   "Shell", "ExxonMobil", "indigenous communities", "Extinction Rebellion"),
        "adjectives": ("ecological", "fossil", "renewable", "warming", "environmental"),
    },
}

# Framing vocabulary: whole clauses and sentences, so the framing lives in
# phrases rather than in any one word.
FRAMING_PHRASES: dict[str, tuple[str, ...]] = {
    "campist": (
        "US imperialism remains the main enemy of the peoples of the world",
        "NATO expansion to the east provoked this conflict",
        "Washington's sanctions are economic warfare against sovereign nations",
        "the empire wages a proxy war to the last Ukrainian",
        "the rise of a multipolar world weakens US hegemony",
        "the Western media repeat every line of the State Department",
        "regime change operations are financed by Washington",
        "we stand with every nation that resists US domination",
        "the main enemy is the imperialist bloc led by the United States",
        "the sovereignty of independent states must be defended against the empire",
        "the anti-imperialist camp is gaining strength across the Global South",
        "colour revolutions are organised by the CIA and its foundations",
        "Russia and China act in self-defence against encirclement",
        "the hegemon cannot accept a world it does not control",
    ),
    "internationalist": (
        "we stand against all imperialisms, in Washington and in Moscow alike",
        "Russian imperialism is no lesser evil",
        "the right of nations to self-determination must be defended everywhere",
        "our solidarity goes to the workers on both sides of the border",
        "neither NATO nor the Kremlin speaks for the working class",
        "inter-imperialist rivalry drives the rearmament of every great power",
        "the enemy of our enemy is not our friend",
        "Chinese capitalism is an imperialist power in its own right",
        "we support the Ukrainian resistance and the Russian anti-war movement",
        "no campism: the oppressed need independent working-class politics",
        "the main enemy is at home, and so is the rival empire's",
        "internationalism means solidarity from below, not alliances with states",
        "authoritarian regimes that oppose Washington are no allies of the left",
        "we oppose every occupation, whoever the occupier is",
    ),
}

_SHARED = ("imperialism", "capitalism", "the working class", "the ruling class",
           "the peace movement", "solidarity", "the left", "the anti-war movement",
           "the labour movement", "the people", "the governments", "the media",
           "the big powers", "the arms manufacturers", "ordinary people")
_VERBS = ("condemned", "denounced", "discussed", "analysed", "exposed", "challenged",
          "supported", "opposed", "criticised", "reported on", "mobilised against",
          "welcomed", "warned about", "debated")
_VERBS_PRESENT = ("shows", "reveals", "confirms", "demonstrates", "proves", "underlines")
_CONNECT = ("At the same time,", "Meanwhile,", "In this context,", "For this reason,",
            "Above all,", "Once again,", "As we have argued before,", "In practice,",
            "Moreover,", "In other words,")
_ADV = ("openly", "once more", "repeatedly", "quietly", "loudly", "bitterly", "again")
_WHO = ("Our organisation", "The movement", "Activists", "The comrades", "Speakers at the rally",
        "Trade unionists", "Students", "The campaign", "Our members", "The conference")
_QUANT = ("thousands of", "hundreds of", "millions of", "dozens of", "tens of thousands of")
_OBJ = ("people", "workers", "families", "protesters", "civilians", "refugees", "students",
        "soldiers")

_TEMPLATES = (
    "{who} {verb} {noun} in {place}.",
    "{connect} {actor} {verb} {noun}, and {shared} {verb2} {adv}.",
    "The {adj} crisis around {noun} {present} the role of {shared}.",
    "In {place}, {quant} {obj} {verb2} {noun} on {day} {month} {year}.",
    "{who} {verb} {actor} after {noun} in {place}.",
    "{connect} {noun} {present} how {shared} deal with {noun2}.",
    "According to local reports, {quant} {obj} took part in protests against {noun} "
    "in {place}.",
    "{actor} {verb} {noun} while {shared} kept silent about {noun2}.",
    "{who} {verb} the {adj} policies of {actor} in {place} in {year}.",
    "The debate on {noun} in {place} {present} that {shared} {verb2} {noun2}.",
)
_FRAME_TEMPLATES = (
    "{connect} {frame}.",
    "{who} said that {frame}.",
    "As the statement puts it, {frame}.",
    "We repeat it: {frame}.",
    "{frame_cap}, and {noun} {present} it.",
    "The lesson of {noun} is clear: {frame}.",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# Small vocabularies of other languages for translations and quoted paragraphs.
_FOREIGN = {
    "es": ("la guerra", "el imperialismo", "los trabajadores", "la solidaridad", "el pueblo",
           "denunciamos", "contra", "nuestra organización", "el gobierno", "la lucha",
           "exigimos", "la paz", "los derechos", "internacional", "la clase obrera",
           "las sanciones", "el bloqueo", "de", "y", "en", "por", "para", "con", "que",
           "defendemos", "la soberanía", "las movilizaciones", "seguimos denunciando"),
    "fr": ("la guerre", "l'impérialisme", "les travailleurs", "la solidarité", "le peuple",
           "nous dénonçons", "contre", "notre organisation", "le gouvernement", "la lutte",
           "nous exigeons", "la paix", "les droits", "internationale", "la classe ouvrière",
           "les sanctions", "le blocus", "de", "et", "dans", "pour", "avec", "qui",
           "nous défendons", "la souveraineté", "les mobilisations", "nous continuons"),
    "de": ("der Krieg", "der Imperialismus", "die Arbeiter", "die Solidarität", "das Volk",
           "wir verurteilen", "gegen", "unsere Organisation", "die Regierung", "der Kampf",
           "wir fordern", "der Frieden", "die Rechte", "international", "die Arbeiterklasse",
           "die Sanktionen", "die Blockade", "und", "in", "für", "mit", "dass", "wir sind",
           "wir verteidigen", "die Souveränität", "die Proteste", "weiterhin"),
    "ru": ("война", "империализм", "рабочие", "солидарность", "народ", "мы осуждаем",
           "против", "наша организация", "правительство", "борьба", "мы требуем", "мир",
           "права", "международный", "рабочий класс", "санкции", "блокада", "и", "в", "за",
           "с", "что", "мы защищаем", "суверенитет", "протесты", "продолжаем"),
}
#: Names whose Russian spelling transliterates to the same anchor stem.
_RU_NAMES = {"Putin": "Путин", "Donbass": "Донбасс", "Donetsk": "Донецк", "Luhansk": "Луганск",
             "Crimea": "Крым", "Kharkiv": "Харьков", "Cuba": "Куба", "Venezuela": "Венесуэла",
             "Maduro": "Мадуро", "Gaza": "Газа", "Syria": "Сирия", "Assad": "Асад",
             "Bolivia": "Боливия", "Morales": "Моралес", "Taiwan": "Тайвань"}

# People quoted in the posts: post-specific names and numbers are what a
# translation shares with its original (see analysis.corpus.language.anchors).
_FIRST = ("Marina", "Pavel", "Elena", "Boris", "Anton", "Roman", "Viktor", "Maria", "Sergio",
          "Carlos", "Diana", "Laura", "Martin", "Daniel", "Natalia", "Oscar", "Tomas", "Irina",
          "Lucia", "Hector")
_LAST = ("Petrov", "Morales", "Kovalenko", "Garcia", "Dupont", "Romero", "Ivanenko", "Sokolov",
         "Herrera", "Lambert", "Moreau", "Navarro", "Fischer", "Bauer", "Ortega", "Duarte",
         "Melnyk", "Castillo", "Girard", "Vidal", "Mendez", "Orlov", "Lebedev", "Salazar",
         "Renard", "Barros", "Medina", "Antonov", "Cabrera", "Leclerc")
_RU = {"Marina": "Марина", "Pavel": "Павел", "Elena": "Елена", "Boris": "Борис", "Anton": "Антон",
       "Roman": "Роман", "Viktor": "Виктор", "Maria": "Мария", "Sergio": "Серхио",
       "Carlos": "Карлос", "Diana": "Диана", "Laura": "Лаура", "Martin": "Мартин",
       "Daniel": "Даниэль", "Natalia": "Наталья", "Oscar": "Оскар", "Tomas": "Томас",
       "Irina": "Ирина", "Lucia": "Лусия", "Hector": "Гектор", "Petrov": "Петров",
       "Morales": "Моралес", "Kovalenko": "Коваленко", "Garcia": "Гарсия", "Dupont": "Дюпон",
       "Romero": "Ромеро", "Ivanenko": "Иваненко", "Sokolov": "Соколов", "Herrera": "Эррера",
       "Lambert": "Ламберт", "Moreau": "Моро", "Navarro": "Наварро", "Fischer": "Фишер",
       "Bauer": "Бауэр", "Ortega": "Ортега", "Duarte": "Дуарте", "Melnyk": "Мельник",
       "Castillo": "Кастильо", "Girard": "Жирар", "Vidal": "Видаль", "Mendez": "Мендес",
       "Orlov": "Орлов", "Lebedev": "Лебедев", "Salazar": "Салазар", "Renard": "Ренар",
       "Barros": "Баррос", "Medina": "Медина", "Antonov": "Антонов", "Cabrera": "Кабрера",
       "Leclerc": "Леклерк"}

_SITE_NAMES = {s.key: f"{s.key.replace('-', '')}.org" for s in DEFAULT_SOURCES}
_AUTHORS = ("Maria Lopez", "John Carter", "Anna Petrova", "Sam Okafor", "Lea Martin",
            "Tom Byrne", "Nadia Haddad", "Chris Walker", "Elena Rossi", "Yusuf Demir")
_CATEGORIES = ("News", "Statements", "International", "Analysis", "Solidarity", "Campaigns")
_TAGS = ("imperialism", "war", "solidarity", "NATO", "peace", "workers", "strike", "sanctions")


# --------------------------------------------------------------------------- planted shares


def _years(date: pd.Timestamp) -> float:
    return (date - START).days / 365.25


def planted_share(source: Source, date: pd.Timestamp | str) -> float:
    """Planted probability that a post of ``source`` on ``date`` is campist.

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
    """Planted campist share per source and period (mean of the daily probability).

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
        """Planted campist shares (:func:`planted_shares`) plus the realised ones.

        ``realised_share`` is the campist share among the original English
        posts (neither translations nor republished duplicates) of each
        source and period, and ``n_posts`` their number.
        """
        planted = planted_shares(self.sources, freq=freq)
        orig = self.posts[self.posts["translation_of"].isna() & self.posts["duplicate_of"].isna()
                          & (self.posts["language"] == "en")]
        period = orig["date"].dt.to_period(freq.rstrip("S")).dt.start_time
        realised = (orig.assign(period=period, campist=orig["framing"] == "campist")
                    .groupby(["source", "period"])
                    .agg(realised_share=("campist", "mean"), n_posts=("campist", "size"))
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
        framing = "campist" if rng.random() < planted_share(src, date) else "internationalist"
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
