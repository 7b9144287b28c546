"""A student's corpus as it arrives: many sources, many languages, missing fields.

:func:`write_user_corpus` writes a corpus shaped like the one issue 13 was
observed on, for the end-to-end test of the documented "Your own corpus"
route: 150 sources of very different sizes, texts from
:func:`analysis.scale.simulate.simulate_corpus` (with its scrape noise,
duplicates and translations into Spanish, French and Russian), plus
original posts in German, Portuguese, Swedish and Arabic (the last two
outside the default ``--languages``), and the faults of real scrapes:

* titles, dates and urls missing from the manifest;
* site boilerplate: each source's menu, login and footer lines repeated
  in every one of its pages (what :mod:`analysis.corpus.boilerplate` removes);
* every input route: ``.txt`` articles, ``.html`` pages, and one
  ``.jsonl`` archive per source for a few sources.

Everything is drawn from seeded generators, so a folder is the same bytes
for the same arguments.

Examples
--------
>>> import tempfile
>>> manifest = write_user_corpus(tempfile.mkdtemp(), n_sources=6, n_posts=30, seed=1)
>>> import pandas as pd
>>> m = pd.read_csv(manifest)
>>> m["source"].nunique(), sorted(m["format"].unique())
(6, ['html', 'jsonl', 'txt'])
"""

from __future__ import annotations

import csv
import html
import json
import random
from pathlib import Path

import numpy as np

from .. import config
from .planted import Source
from .simulate import SimulatedCorpus, simulate_corpus

__all__ = ["FOREIGN", "LANGUAGES", "write_user_corpus"]

#: The corpus languages: ``en``, the simulation's translations (``es``,
#: ``fr``, ``ru``) and the originals below.
LANGUAGES = ("en", "es", "fr", "ru", "de", "pt", "sv", "ar")

#: Original (untranslated) posts in other languages, sentence pools by
#: language; Swedish and Arabic are outside the default ``--languages``.
FOREIGN = {
    "de": ["Gegen alle Imperialismen, in Washington wie in Moskau.",
           "Die NATO-Osterweiterung hat diesen Krieg provoziert, sagen manche Genossen.",
           "Wir stehen an der Seite der Arbeiterinnen und Arbeiter in der Ukraine.",
           "Die Gewerkschaften rufen am Samstag zu einer Kundgebung vor dem Rathaus auf.",
           "Der US-Imperialismus bleibt der Hauptfeind der Völker der Welt."],
    "pt": ["Contra todos os imperialismos, em Washington e em Moscou.",
           "O imperialismo norte-americano é o principal inimigo dos povos.",
           "A assembleia dos trabalhadores decidiu apoiar a greve dos portuários.",
           "Solidariedade com o povo ucraniano e com os desertores russos.",
           "A reunião do comitê será no domingo, na sede do sindicato."],
    "sv": ["Mot all imperialism, i Washington och i Moskva.",
           "Solidaritet med det ukrainska folket och med de ryska krigsvägrarna.",
           "Fackföreningen kallar till möte på lördag i Folkets hus.",
           "USA:s imperialism är folkens huvudfiende, skriver tidningen.",
           "Vi kräver att de ryska trupperna lämnar Ukraina omedelbart."],
    "ar": ["ضد كل الإمبرياليات في واشنطن وفي موسكو على حد سواء.",
           "الإمبريالية الأمريكية هي العدو الرئيسي للشعوب.",
           "تضامننا مع العمال في أوكرانيا ومع الرافضين للحرب في روسيا.",
           "تدعو النقابة إلى اجتماع عام يوم السبت في مقرها.",
           "نطالب بانسحاب القوات الروسية من أوكرانيا فورا."],
}


def _sources(n_sources: int, rng: np.random.Generator) -> list[Source]:
    # Lognormal volumes: a few large sites and a long tail of small ones,
    # as in a real collection.
    return [Source(f"site-{i:03d}", f"Site {i:03d}", base=float(rng.normal(0, 1.5)),
                   trend=float(rng.normal(0, 0.1)), shift=float(rng.normal(0, 1)),
                   weight=float(rng.lognormal(0, 1.0)), listing_share=0.0)
            for i in range(n_sources)]


def _site_lines(source: Source) -> tuple[list[str], list[str]]:
    """The boilerplate every page of a site repeats: menu and login above, footer below."""
    head = [f"Skip to content | Home | About {source.name} | Donate | Contact",
            f"Log in to comment on {source.name} — Subscribe to our newsletter"]
    tail = [f"Share this: Facebook | X | Telegram | Email — {source.name}",
            f"© {source.name}. Comments are closed. Support independent left media: "
            "become a member for 3 euros a month."]
    return head, tail


def write_user_corpus(folder: Path | str, *, n_sources: int = 150, n_posts: int = 450,
                      foreign_share: float = 0.12, seed: int = config.SEED) -> Path:
    """Write a many-source, many-language corpus with real-world faults; return its manifest.

    Parameters
    ----------
    folder : path-like
        Created if missing; the manifest is ``folder/manifest.csv``.
    n_sources : int
        Sources (sites); each gets at least one post.
    n_posts : int
        English posts from :func:`~analysis.scale.simulate.simulate_corpus`
        (translations and republished copies included).
    foreign_share : float
        Original posts in German, Portuguese, Swedish or Arabic, as a share
        of ``n_posts``.
    seed : int
        Seed of every draw.

    Returns
    -------
    Path
        The manifest (columns ``id, file, kind, source, source_name, title,
        date, url, format``).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sources = _sources(n_sources, rng)
    sim = simulate_corpus(n_posts, seed=seed, sources=sources, translation_share=0.08,
                          duplicate_share=0.04, noise=0.3)
    posts = _with_foreign_posts(sim, sources, n_posts=n_posts, foreign_share=foreign_share,
                                seed=seed)
    by_key = {s.key: s for s in sources}
    jsonl_sources = {s.key for s in sources[: max(1, n_sources // 30)]}
    html_sources = {s.key for s in sources[max(1, n_sources // 30): 2 * max(1, n_sources // 30)]}
    rows, archives = [], {}
    for i, post in enumerate(posts):
        source = by_key[post["source"]]
        fault = random.Random(f"{seed}:fault:{i}")
        title = "" if fault.random() < 0.25 else str(post["title"])
        date = "" if fault.random() < 0.1 else f"{post['date']:%Y-%m-%d}"
        url = "" if fault.random() < 0.4 else f"https://{source.key}.example.org/{i}"
        body = str(post["text"])
        if source.key in jsonl_sources:
            archives.setdefault(source.key, []).append(
                {"id": f"{i:04d}", "text": body, "title": title or None, "date": date or None})
            continue
        fmt = "html" if source.key in html_sources else "txt"
        doc_id = f"{source.key}-{i:04d}"
        path = _write_page(folder, source, doc_id, title=title, body=body, fmt=fmt)
        rows.append([doc_id, path.as_posix(), "article", source.key, source.name, title, date,
                     url, fmt])
    rows += _write_archives(folder, archives, by_key)
    return _write_manifest(folder, rows)


def _with_foreign_posts(sim: SimulatedCorpus, sources: list[Source], *, n_posts: int,
                        foreign_share: float, seed: int) -> list[dict]:
    """The simulated posts plus original posts in other languages, one in each source left empty."""
    posts = sim.posts[["source", "date", "title", "text", "language"]].to_dict("records")
    # Every source gets a post: a small site with one text is the long tail.
    present = {p["source"] for p in posts}
    pick = random.Random(f"{seed}:foreign")
    extra = [s.key for s in sources if s.key not in present]
    n_foreign = int(round(foreign_share * n_posts))
    for i in range(max(n_foreign, len(extra))):
        lang = list(FOREIGN)[i % len(FOREIGN)]
        sentences = FOREIGN[lang]
        paras = ["  ".join(pick.sample(sentences, 2)) for _ in range(pick.randint(2, 4))]
        source = extra[i] if i < len(extra) else pick.choice(sources).key
        date = sim.posts["date"].iloc[pick.randrange(len(sim.posts))]
        posts.append({"source": source, "date": date, "title": f"{lang} {i}",
                      "text": "\n\n".join(paras), "language": lang})
    return posts


def _write_page(folder: Path, source: Source, doc_id: str, *, title: str, body: str,
                fmt: str) -> Path:
    """Write one post as a ``.txt`` or ``.html`` page in its site's boilerplate; return the path."""
    head, tail = _site_lines(source)
    if fmt == "html":
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
        nav = "".join(f"<li>{html.escape(h)}</li>" for h in head)
        content = (f"<html><head><title>{html.escape(title)}</title></head><body>"
                   f"<nav><ul>{nav}</ul></nav><article>{paras}</article>"
                   f"<footer>{html.escape(' '.join(tail))}</footer></body></html>\n")
    else:
        content = "\n\n".join([*head, body, *tail]) + "\n"
    path = Path(source.key) / f"{doc_id}.{fmt}"
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    (folder / path).write_text(content, encoding="utf-8")
    return path


def _write_archives(folder: Path, archives: dict[str, list[dict]],
                    by_key: dict[str, Source]) -> list[list[str]]:
    """Write one ``.jsonl`` archive per source; return their manifest rows."""
    rows = []
    for key, records in sorted(archives.items()):
        path = Path(key) / f"{key}-archive.jsonl"
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        with open(folder / path, "w", encoding="utf-8", newline="\n") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        rows.append([f"{key}-archive", path.as_posix(), "article", key, by_key[key].name, "", "",
                     "", "jsonl"])
    return rows


def _write_manifest(folder: Path, rows: list[list[str]]) -> Path:
    """Write ``folder/manifest.csv`` with the rows sorted; return its path."""
    manifest = folder / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "file", "kind", "source", "source_name", "title", "date", "url",
                         "format"])
        writer.writerows(sorted(rows))
    return manifest
