"""Simulated posts laid out as real scrapes are: noisy raw files and listing pages.

:func:`lay_out_posts` puts the posts into ``.jsonl`` archives per source and
year and into archive listing pages of truncated excerpts, with the faults
of real scrapes: site names, datelines and bylines, share widgets, comment
forms and post footers; curly quotes, no-break spaces, Cyrillic look-alike
letters, lines broken by the layout, and mojibake (UTF-8 read as cp1252).
"""

from __future__ import annotations

import codecs
import json
import random
from collections.abc import Sequence

import pandas as pd

from .planted import Source
from .vocabulary import _AUTHORS, _CATEGORIES, _MONTHS, _SITE_NAMES, _TAGS

__all__ = ["lay_out_posts"]


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


def lay_out_posts(rows: list[dict], sources: Sequence[Source], *, seed: int, noise: float,
                  jsonl_records: int) -> tuple[list[dict], list[dict]]:
    """Lay the posts out in raw files: jsonl archives per source and year, listing pages.

    Parameters
    ----------
    rows : list of dict
        The written posts (:func:`analysis.scale.prose.write_post`); each
        gets its ``doc_id`` and ``post_id``, and a post on a listing page its
        truncated ``text`` and ``n_paragraphs``.
    sources : sequence of Source
        The sources.
    seed, noise, jsonl_records
        See :func:`analysis.scale.simulate.simulate_corpus`.

    Returns
    -------
    (documents, post_dates) : tuple of list of dict
        The raw files (see :attr:`analysis.scale.simulate.SimulatedCorpus.documents`)
        and the per-post dates of the listing pages.
    """
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
