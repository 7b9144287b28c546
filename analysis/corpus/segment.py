"""Split cleaned documents into posts and posts into paragraphs.

An ``article`` document is one post.  A ``listing`` document (an archive or
statements page) holds several posts.  Its post boundaries are the places
where cleaning removed a post footer, a 'Continue reading' link or a
truncation marker: the audit keeps where each removal sat in the cleaned text
(``clean_pos``), so no boundary evidence is lost by cleaning first.  A
listing page without such evidence falls back to title detection: a short
one-line block followed by a longer block starts a post.

A post's title is its first block when that block is a single line of at most
:data:`TITLE_MAX_WORDS` words and more text follows; otherwise the post has no
title (``title`` is missing).  A post is ``truncated`` when a truncation
marker or 'Continue reading' link ended it.

Ids are stable and nested: ``{doc_id}/p{NN}`` for posts and
``{doc_id}/p{NN}/{NNN}`` for paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from .load import CorpusInputError, _display, parse_date
from .rules import BOUNDARY_RULES, TRUNCATION_RULES

__all__ = ["split_posts", "split_paragraphs", "attach_post_metadata", "TITLE_MAX_WORDS"]

TITLE_MAX_WORDS = 20
_BLOCK_SEP = re.compile(r"\n\n")


def _blocks(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each paragraph block of a cleaned text."""
    out, pos = [], 0
    for part in _BLOCK_SEP.split(text):
        if part.strip():
            out.append((pos, part.strip()))
        pos += len(part) + 2
    return out


def _is_title(block: str) -> bool:
    return "\n" not in block and len(block.split()) <= TITLE_MAX_WORDS


def _text_or_none(value: object) -> str | None:
    """A title as a non-empty string, or ``None`` (missing values are NaN in pandas)."""
    return value.strip() or None if isinstance(value, str) else None


def _same_title(a: object, b: object) -> bool:
    a, b = _text_or_none(a), _text_or_none(b)

    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKC", s).casefold()
        return re.sub(r"[\W_]+", " ", s).strip()

    return bool(a) and bool(b) and norm(a) == norm(b)


def _split_listing(text: str, boundaries: dict[int, bool]) -> list[tuple[list[str], bool]]:
    """Cut a listing's cleaned text at boundary offsets; returns (blocks, truncated).

    Cuts fall at the exact offset where a boundary was removed, so a post
    boundary is honoured even where cleaning joined the text around it.
    """
    blocks = _blocks(text)
    if not boundaries:
        return _split_by_titles(blocks)
    posts: list[tuple[list[str], bool]] = []
    last = 0
    for pos in sorted(boundaries):
        parts = [b for _, b in _blocks(text[last:pos])]
        if parts:
            posts.append((parts, boundaries[pos]))
        elif posts:  # e.g. 'Continue reading' then a footer: one boundary
            posts[-1] = (posts[-1][0], posts[-1][1] or boundaries[pos])
        last = pos
    tail = [b for _, b in _blocks(text[last:])]
    if tail:
        posts.append((tail, False))
    return posts


def _split_by_titles(blocks) -> list[tuple[list[str], bool]]:
    posts: list[tuple[list[str], bool]] = []
    current: list[str] = []
    for i, (_, block) in enumerate(blocks):
        nxt = blocks[i + 1][1] if i + 1 < len(blocks) else ""
        starts_post = (_is_title(block) and not block.rstrip().endswith((".", ",", ";"))
                       and len(nxt.split()) > len(block.split()))
        if starts_post and current:
            posts.append((current, False))
            current = []
        current.append(block)
    if current:
        posts.append((current, False))
    return posts


def split_posts(documents: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Split cleaned documents into posts.

    Parameters
    ----------
    documents : DataFrame
        Cleaned documents (with ``text``), as returned by
        :func:`analysis.corpus.clean.clean_documents`.
    audit : DataFrame
        The cleaning audit; its boundary-rule rows locate the posts of
        listing pages.

    Returns
    -------
    DataFrame
        One row per post: ``post_id``, ``doc_id``, ``post_no``, ``source``,
        ``title``, ``title_basis``, ``date``, ``date_precision``,
        ``date_basis``, ``text`` (the body without the title), ``truncated``,
        ``n_paragraphs`` and ``n_words``.  Dates are the document's until
        :func:`attach_post_metadata` gives posts their own.
    """
    marks = audit[(audit["stage"] == "clean") & audit["rule"].isin(BOUNDARY_RULES)]
    by_doc: dict[str, dict[int, bool]] = {}
    for doc_id, pos, rule in zip(marks["doc_id"], marks["clean_pos"], marks["rule"], strict=True):
        entry = by_doc.setdefault(doc_id, {})
        entry[int(pos)] = entry.get(int(pos), False) or rule in TRUNCATION_RULES
    rows = []
    # only the columns used: records of ``raw_text`` would copy every raw document
    used = [c for c in ("doc_id", "kind", "text", "title", "source", "date", "date_precision")
            if c in documents.columns]
    for doc in documents[used].to_dict("records"):
        blocks = _blocks(doc["text"])
        if not blocks:
            continue
        boundaries = by_doc.get(doc["doc_id"], {})
        if doc["kind"] == "listing":
            groups = _split_listing(doc["text"], boundaries)
        else:
            end = len(doc["text"])
            groups = [([b for _, b in blocks], any(v for p, v in boundaries.items() if p >= end))]
        for n, (parts, truncated) in enumerate(groups, start=1):
            title, basis = None, "none"
            if doc["kind"] == "article":
                title = _text_or_none(doc.get("title"))
                basis = "manifest" if title is not None else "none"
                if _same_title(parts[0], title) and len(parts) > 1:
                    parts, basis = parts[1:], "heading"
            elif _is_title(parts[0]) and len(parts) > 1:
                title, parts, basis = parts[0], parts[1:], "heading"
            body = "\n\n".join(parts)
            rows.append({
                "post_id": f"{doc['doc_id']}/p{n:02d}", "doc_id": doc["doc_id"], "post_no": n,
                "source": doc["source"], "title": title, "title_basis": basis,
                "date": doc["date"], "date_precision": doc["date_precision"],
                "date_basis": "document" if pd.notna(doc["date"]) else "unknown",
                "text": body, "truncated": bool(truncated), "n_paragraphs": len(parts),
                "n_words": len(body.split()),
            })
    posts = pd.DataFrame(rows, columns=[
        "post_id", "doc_id", "post_no", "source", "title", "title_basis", "date",
        "date_precision", "date_basis", "text", "truncated", "n_paragraphs", "n_words"])
    posts["date"] = pd.to_datetime(posts["date"])
    return posts


def attach_post_metadata(posts: pd.DataFrame, path: Path | str | None) -> pd.DataFrame:
    """Give posts their own dates from a post metadata file.

    Parameters
    ----------
    posts : DataFrame
        Posts from :func:`split_posts`; not modified.
    path : path-like or None
        CSV with ``doc_id, post_no, title, date, date_precision, date_basis``
        (``data/raw/posts.csv``).  ``title``, where given, guards against a
        changed segmentation: a row whose title does not match the post's is
        an error naming the line.  ``None`` or a missing file leaves posts as
        they are.

    Returns
    -------
    DataFrame
        ``posts`` with ``date``, ``date_precision`` and ``date_basis`` set
        from the file where it has a row.
    """
    out = posts.copy()
    if path is None or not Path(path).is_file():
        return out
    where = _display(Path(path))
    meta = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"doc_id", "post_no", "date"} - set(meta.columns)
    if missing:
        raise CorpusInputError([f"{where} line 1: missing column(s) {sorted(missing)}"])
    doc_ids = out["doc_id"].tolist()
    index = {(d, int(n)): i for i, (d, n) in enumerate(zip(doc_ids, out["post_no"],
                                                           strict=True))}
    known = set(doc_ids)
    titles = out["title"].astype("object").tolist()
    problems = []
    dates = out["date"].astype("object").tolist()
    # Collected in lists and set once: per-cell assignment costs a copy of
    # the column each time, which is quadratic on a large corpus.
    precisions = {}
    bases = {}
    for line, row in enumerate(meta.to_dict("records"), start=2):
        key = (row["doc_id"], int(row["post_no"]) if row["post_no"].isdigit() else -1)
        if key[0] not in known:
            continue
        if key not in index:
            problems.append(f"{where} line {line}: {row['doc_id']} has no post {row['post_no']}")
            continue
        i = index[key]
        title = titles[i]
        title = None if pd.isna(title) else title
        if row.get("title") and not _same_title(row["title"], title):
            problems.append(f"{where} line {line}: title '{row['title']}' does not match post "
                            f"{row['post_no']} of {row['doc_id']} ('{title}')")
            continue
        try:
            date, precision = parse_date(row["date"])
        except ValueError as err:
            problems.append(f"{where} line {line}: {err}")
            continue
        dates[i] = date
        precisions[i] = row.get("date_precision") or precision
        bases[i] = f"post: {row.get('date_basis') or 'posts file'}"
    if problems:
        raise CorpusInputError(problems)
    for column, values in (("date_precision", precisions), ("date_basis", bases)):
        if values:
            column_values = out[column].tolist()
            for i, value in values.items():
                column_values[i] = value
            out[column] = pd.Series(column_values, index=out.index, dtype=out[column].dtype)
    out["date"] = pd.to_datetime(pd.Series(dates, index=out.index))
    return out


PARAGRAPH_COLUMNS = ("paragraph_id", "post_id", "doc_id", "para_no", "source", "date", "text",
                     "n_words")


def split_paragraphs(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per paragraph of each post, with ids ``{post_id}/{NNN}``.

    Parameters
    ----------
    posts : DataFrame
        Posts with ``text``; not modified.

    Returns
    -------
    DataFrame
        ``paragraph_id``, ``post_id``, ``doc_id``, ``para_no``, ``source``,
        ``date``, ``text`` and ``n_words``.
    """
    columns: dict[str, list] = {name: [] for name in PARAGRAPH_COLUMNS}
    owner: list[int] = []  # the row of each paragraph's post
    for row, (post_id, doc_id, source, text) in enumerate(zip(
            *(posts[c].tolist() for c in ("post_id", "doc_id", "source", "text")),
            strict=True)):
        for k, (_, block) in enumerate(_blocks(text), start=1):
            columns["paragraph_id"].append(f"{post_id}/{k:03d}")
            columns["post_id"].append(post_id)
            columns["doc_id"].append(doc_id)
            columns["para_no"].append(k)
            columns["source"].append(source)
            columns["text"].append(block)
            columns["n_words"].append(len(block.split()))
            owner.append(row)
    if not owner:
        return _reference_split_paragraphs(posts)
    # column lists, not a dict per paragraph: far fewer transient objects
    columns["date"] = posts["date"].take(owner).tolist()
    paragraphs = pd.DataFrame(columns, columns=list(PARAGRAPH_COLUMNS))
    paragraphs["date"] = pd.to_datetime(paragraphs["date"])
    return paragraphs


def _reference_split_paragraphs(posts: pd.DataFrame) -> pd.DataFrame:
    """:func:`split_paragraphs` with a dict per paragraph, as before (tests, empty input)."""
    rows = []
    for post in posts[["post_id", "doc_id", "source", "date", "text"]].to_dict("records"):
        for k, (_, block) in enumerate(_blocks(post["text"]), start=1):
            rows.append({"paragraph_id": f"{post['post_id']}/{k:03d}", "post_id": post["post_id"],
                         "doc_id": post["doc_id"], "para_no": k, "source": post["source"],
                         "date": post["date"], "text": block, "n_words": len(block.split())})
    paragraphs = pd.DataFrame(rows, columns=["paragraph_id", "post_id", "doc_id", "para_no",
                                             "source", "date", "text", "n_words"])
    paragraphs["date"] = pd.to_datetime(paragraphs["date"])
    return paragraphs
