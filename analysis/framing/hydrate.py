"""Re-fetch the texts of the real corpus from their URLs (needs the internet; opt-in).

The committed corpus holds no text (``data/annotations/real/``).  Users who
want the texts back run ``make hydrate``, which downloads each URL with
trafilatura and keeps the page's main text, cut to the length of the coded
excerpt, in ``data/annotations/real/texts.jsonl`` (git-ignored).

The re-fetched texts are **not** the coded excerpts: those were the opening
~2,000 characters of stored copies, boilerplate included, and pages change
or vanish.  :func:`hydrate` reports, per document, whether the fetch worked,
whether the text's sha256 equals the coded excerpt's (rare: trafilatura
drops boilerplate) and the length ratio.  The committed features and the
model were computed on the excerpts, so re-fetched texts can be used to read
and re-code documents, not to reproduce the features exactly.  Nothing in
the package's tests or notebooks needs them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

from .devcorpus import REAL_DIR, read_real_documents

__all__ = ["hydrate"]


def hydrate(out: Path | str = REAL_DIR / "texts.jsonl", *, limit: int | None = None,
            fetch=None) -> pd.DataFrame:
    """Fetch every document's URL; write the texts; return a per-document report.

    Parameters
    ----------
    out : path-like
        JSON lines of ``doc_id, url, text`` (never committed).
    limit : int, optional
        Only the first ``limit`` documents (for a quick try).
    fetch : callable, optional
        ``url -> html or None``; defaults to :func:`trafilatura.fetch_url`.
    """
    import trafilatura

    fetch = fetch or trafilatura.fetch_url
    docs = read_real_documents()
    if limit is not None:
        docs = docs.head(limit)
    rows = []
    with Path(out).open("w", encoding="utf-8") as fh:
        for doc in docs.itertuples(index=False):
            html = fetch(doc.url)
            text = trafilatura.extract(html) if html else None
            if text:
                text = text[:doc.n_chars]
                fh.write(json.dumps({"doc_id": doc.doc_id, "url": doc.url, "text": text},
                                    ensure_ascii=False) + "\n")
            same = bool(text) and hashlib.sha256(text.encode()).hexdigest() == doc.sha256
            rows.append({"doc_id": doc.doc_id, "fetched": bool(text), "identical": same,
                         "length_ratio": len(text) / doc.n_chars if text else 0.0})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m analysis.framing.hydrate",
                                description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=REAL_DIR / "texts.jsonl")
    p.add_argument("--limit", type=int, default=None)
    a = p.parse_args(argv)
    report = hydrate(a.out, limit=a.limit)
    print(f"fetched {int(report['fetched'].sum())} of {len(report)} documents; "
          f"identical to the coded excerpt: {int(report['identical'].sum())}; "
          f"median length ratio {report['length_ratio'].median():.2f} -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
