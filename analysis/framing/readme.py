"""README blocks generated from the committed tables, so prose never restates a number by hand.

``make readme-tables`` rewrites the blocks between ``<!-- NAME:start -->`` and
``<!-- NAME:end -->`` in ``README.md`` and ``data/annotations/real/README.md``;
a test fails when a block differs from what the tables give.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import config
from .devcorpus import REAL_DIR, read_real_documents
from .report import VALIDATION_DIR, headline, read_validation_table

__all__ = ["BLOCKS", "render", "current", "update"]


def _md(table: pd.DataFrame, floatfmt: str = "{:.2f}") -> str:
    def cell(v):
        if isinstance(v, float):
            return "" if pd.isna(v) else floatfmt.format(v)
        return str(v)

    head = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


def corpus_block() -> str:
    """Counts, languages, periods, topics and reliability of the real corpus."""
    docs = read_real_documents()
    summary = json.loads((REAL_DIR / "tables" / "summary.json").read_text())
    by = pd.crosstab([docs["period"]], docs["label"], margins=True, margins_name="all")
    by = by.reset_index().rename(columns={"period": "period"})
    lang = pd.crosstab(docs["language"], docs["label"], margins=True, margins_name="all")
    lang = lang.sort_values("all", ascending=False).reset_index()
    topic = pd.crosstab(docs["topic"], docs["period"], margins=True, margins_name="all")
    topic = topic.sort_values("all", ascending=False).reset_index()
    split = pd.crosstab(docs["split"], docs["label"], margins=True, margins_name="all")
    split.insert(0, "sites", docs.groupby("split")["site"].nunique().reindex(split.index))
    split.loc["all", "sites"] = docs["site"].nunique()
    split = split.astype({"sites": int}).reset_index()
    alpha = pd.read_csv(REAL_DIR / "tables" / "alpha.csv")
    alpha = alpha[(alpha["n"] >= 10) | (alpha["language"] == "all")]
    conf = pd.read_csv(REAL_DIR / "tables" / "confounds.csv")
    conf = conf.pivot(index="predictor", columns="evaluation", values="macro_f1").reset_index()
    return "\n".join([
        f"{len(docs)} documents from {docs['site'].nunique()} sites, "
        f"{docs['year'].min()}–{docs['year'].max()}, {docs['language'].nunique()} languages. "
        f"Gathered {summary['read']}; dropped {summary['url_leaks']} whose URL repeats 13 or "
        f"more words of the excerpt and {summary['flagged_by_guard']} flagged by the external "
        f"test set's guard at assembly (the gatherers had already removed the documents the "
        f"guard flagged while they worked). {summary['adjudicated']} disagreements adjudicated.",
        "", "**Labels by period**", "", _md(by),
        "**Labels by language**", "", _md(lang),
        "**Topics by period**", "", _md(topic),
        "**The locked split** (20% of sites held out)", "", _md(split),
        "**Reliability** (nominal Krippendorff's alpha, coder 1 vs coder 2, before "
        "adjudication; languages with at least 10 documents)", "",
        _md(alpha[["language", "n", "agreement", "alpha"]]),
        "**Confounds**: macro-F1 (four labels) of a rule that predicts each document's label "
        "from one variable alone (the majority label of its value), in sample and out of fold "
        "(five folds grouped by site)", "",
        _md(conf[["predictor", "in_sample", "grouped_cv"]]),
    ])


def validation_block(directory: Path | str = VALIDATION_DIR) -> str:
    """Pole macro-F1 of every measure, cross-validated on dev sites and on the locked test."""
    rows = []
    for name, label in (("agreement", "development split, grouped CV by site (in-sample "
                                      "for the lexicon, which was written on it)"),
                        ("locked_test", "locked test split, unseen sites, evaluated once")):
        table = read_validation_table(name, directory)
        for scorer in table["scorer"].unique():
            h = headline(table, scorer)
            rows.append({"evaluation": label, "measure": scorer, "n": h["n"],
                         "pole macro-F1": h["overall"], "non-English": h["non_english"],
                         "2014–2021": h["2014_2021"], "2022–": h["2022_on"],
                         "framed labelled none": h["abstain"]})
    return _md(pd.DataFrame(rows))


BLOCKS = {
    "real-corpus": (REAL_DIR / "README.md", corpus_block),
    "framing-validation": (config.ROOT / "README.md", validation_block),
}


def _split(text: str, name: str) -> tuple[str, str, str]:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start)
    body, tail = rest.split(end)
    return head + start, body, end + tail


def render(name: str) -> str:
    """The block as the tables give it now."""
    return BLOCKS[name][1]()


def current(name: str) -> str:
    """The block as it stands in its README."""
    return _split(BLOCKS[name][0].read_text(encoding="utf-8"), name)[1]


def update(name: str | None = None) -> None:
    """Rewrite one block (or all) from the tables."""
    for key in [name] if name else list(BLOCKS):
        path = BLOCKS[key][0]
        head, _, tail = _split(path.read_text(encoding="utf-8"), key)
        path.write_text(head + render(key) + tail, encoding="utf-8")
