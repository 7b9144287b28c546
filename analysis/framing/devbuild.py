"""Maintainer's command that writes ``data/annotations/real/`` from gathered excerpts.

The excerpts must be on disk (outside the repository); nothing readable is
written.  Usage::

    python -m analysis.framing.devbuild --gathered /path/gather --coder2 /path/coder2 \\
        --adjudication /path/adjudication.jsonl --check ../shared/heldout-guard/check.py

Steps: read and de-duplicate the gathered documents; drop those the external
test set's guard flags; merge the codings and take the consensus; hold out
20% of sites as the locked test split; write the documents, codings,
queries, hashed features and lexicon evidence; write the descriptive tables
(counts, alpha, confounds); and check that no committed field holds more
than 12 consecutive words of any excerpt.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

from ..corpus.clean import clean_text
from . import devcorpus as dc
from .features import long_table, text_features
from .lexicon import load_lexicon
from .schema import CodingSchema, EvidenceSchema, RealDocumentSchema

DOC_COLUMNS = list(RealDocumentSchema.to_schema().columns)


def cleaned_texts(texts: pd.Series) -> list[str]:
    """The excerpts through the corpus cleaning rules (what the measure reads)."""
    return [clean_text(t).text for t in texts]


def leak_check(out_dir: Path, excerpts: pd.Series, n: int = 13) -> list[str]:
    """Fields of committed CSV files that hold ``n`` consecutive words of an excerpt."""
    grams = dc._grams(excerpts, n)
    bad = []
    for path in sorted(out_dir.glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in table.columns:
            for i, value in enumerate(table[col]):
                if dc.longest_shared_run(value, grams, n):
                    bad.append(f"{path.name} row {i + 2} column {col}")
    return bad


def locked_split(docs: pd.DataFrame, path: Path) -> pd.Series:
    """The locked site split: read from ``split.csv``, or made once and written there.

    The split is made before second coding ends, so it is stratified on the
    first coder's labels.  Once written it never changes: a site missing
    from it is an error, not a silent new assignment.
    """
    if not path.exists():
        split = dc.assign_split(docs.assign(label=docs["label1"]))
        table = (pd.DataFrame({"site": docs["site"], "split": split}).drop_duplicates()
                 .sort_values("site"))
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False)
    table = pd.read_csv(path)
    split = docs["site"].map(table.set_index("site")["split"])
    if split.isna().any():
        raise ValueError(f"{path}: no split for site(s) "
                         f"{', '.join(sorted(docs.loc[split.isna(), 'site'].unique()))}")
    return split


def build(gathered: Path, coder2: Path, adjudication: Path | None, check: Path,
          out_dir: Path) -> dict:
    """Write every committed file of the real corpus; returns a summary."""
    docs, dropped = dc.read_gathered(sorted(gathered.glob("*.jsonl")))
    n_read = len(docs) + len(dropped)
    with tempfile.TemporaryDirectory() as tmp:
        docs, flagged = dc.guard_heldout(docs, check=check, workdir=tmp)
    docs, url_leaks = dc.drop_url_leaks(docs)
    flagged_n = len(flagged)
    reasons = [f"external test set: {r}" for r in flagged["reason"]]
    flagged = pd.concat([flagged.assign(reason=reasons), url_leaks], ignore_index=True)
    c1 = pd.DataFrame({"doc_id": docs["doc_id"], "coder": "coder1", "label": docs["label1"],
                       "evidence": docs["evidence1"].map(dc._evidence),
                       "rationale": docs["rationale1"].astype(str).str.strip()})
    parts = [c1, dc.read_codings(coder2, "coder2")]
    if adjudication is not None and adjudication.exists():
        parts.append(dc.read_codings(adjudication, "adjudicator"))
    codings = pd.concat(parts, ignore_index=True)
    codings = codings[codings["doc_id"].isin(docs["doc_id"])]
    docs["split"] = locked_split(docs, out_dir / "split.csv")
    alpha = dc.alpha_table(codings, docs)
    cons = dc.consensus(codings)
    docs = docs.merge(cons, on="doc_id", how="inner")
    docs["title"] = docs["title"].map(dc._title_words)
    docs = docs.sort_values("doc_id").reset_index(drop=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    RealDocumentSchema.validate(docs[DOC_COLUMNS]).to_csv(out_dir / "documents.csv", index=False)
    codings = CodingSchema.validate(codings.sort_values(["doc_id", "coder"]))
    codings.to_csv(out_dir / "codings.csv", index=False)
    queries = (docs.groupby(["gatherer", "language", "query"]).size().rename("n_documents")
               .reset_index().sort_values(["gatherer", "language", "query"]))
    queries.to_csv(out_dir / "queries.csv", index=False)
    texts = cleaned_texts(docs["text"])
    lexicon = load_lexicon()
    feats = text_features(texts, doc_ids=docs["doc_id"], language=docs["language"],
                          lexicon=lexicon)
    dev_ids = set(docs.loc[docs["split"] == "dev", "doc_id"])
    features = dc.keep_shared_buckets(long_table(feats), docs.set_index("doc_id")["site"],
                                      dev_ids)
    features.to_parquet(out_dir / "features.parquet", index=False)
    EvidenceSchema.validate(feats.evidence).assign(lexicon_version=lexicon.version).to_parquet(
        out_dir / "evidence.parquet", index=False)
    tables = out_dir / "tables"
    tables.mkdir(exist_ok=True)
    alpha.to_csv(tables / "alpha.csv", index=False)
    dc.count_table(docs).to_csv(tables / "counts.csv", index=False)
    dc.confound_table(docs).to_csv(tables / "confounds.csv", index=False)
    pd.concat([dropped, flagged]).to_csv(
        tables / "dropped.csv", index=False)
    leaks = leak_check(out_dir, docs["text"])
    summary = {"read": n_read, "flagged_by_guard": flagged_n, "url_leaks": len(url_leaks),
               "documents": len(docs), "dropped_on_reading": len(dropped),
               "sites": int(docs["site"].nunique()), "leaks": leaks,
               "labels": docs["label"].value_counts().to_dict(),
               "split": docs["split"].value_counts().to_dict(),
               "adjudicated": int(docs["adjudicated"].sum())}
    (tables / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m analysis.framing.devbuild",
                                description=__doc__.splitlines()[0])
    p.add_argument("--gathered", type=Path, required=True)
    p.add_argument("--coder2", type=Path, required=True)
    p.add_argument("--adjudication", type=Path, default=None)
    p.add_argument("--check", type=Path, required=True)
    p.add_argument("--out", type=Path, default=dc.REAL_DIR)
    a = p.parse_args(argv)
    summary = build(a.gathered, a.coder2, a.adjudication, a.check, a.out)
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 1 if summary["leaks"] else 0


if __name__ == "__main__":
    sys.exit(main())
