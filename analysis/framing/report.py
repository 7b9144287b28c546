"""The validation tables of the document measure, written once per model version.

``python -m analysis.framing.report`` writes ``data/annotations/real/validation/``:

``agreement.csv``
    Grouped (by site) cross-validation on the development split: pole
    macro-F1 with site-cluster bootstrap intervals, four-label macro-F1 and
    abstention, per scorer (the keyword baseline, each single method, the
    combination) and subset (overall, non-English, each language, period
    and topic).
``tuning.csv``
    The parameter grid the default was chosen from (development split only).
``learning_curve.csv``
    Pole macro-F1 on held-out sites against the number of training documents.
``confounds.csv``
    Accuracy of the default measure within each period and topic, next to
    what a year-only, topic-only or site-only rule gets.
``locked_test.csv``
    The locked test split (sites never seen), scored once by the model of
    this version trained on the development split, and by the baselines.
``errors.csv``
    The 20 most confident errors out of fold, with metadata and rationale.

The locked test is evaluated once per model version: an existing
``locked_test.csv`` of the same version is never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..corpus.schema import check_table
from . import crossval as cv
from .devcorpus import REAL_DIR
from .model import MODEL_VERSION, load_model, training_data
from .schema import VALIDATION_SCHEMAS

__all__ = ["VALIDATION_DIR", "TUNING_GRID", "dev_tables", "locked_test_table",
           "write_validation_tables", "read_validation_table"]

VALIDATION_DIR = REAL_DIR / "validation"
#: The grid of the default's parameters (C, none_threshold), searched by
#: grouped cross-validation on the development split only.
TUNING_GRID = tuple({"C": c, "none_threshold": t} for c in (1.0, 3.0, 10.0, 30.0)
                    for t in (0.3, 0.35, 0.4, 0.5))
DEFAULT_SCORER = "combined (default)"


def dev_tables(real_dir: Path | str = REAL_DIR, *, n_resamples: int = 1000,
               seed: int = config.SEED, tuning: bool = True,
               curve: bool = True) -> dict[str, pd.DataFrame]:
    """All tables that rest on the development split (no test document is read).

    ``tuning`` and ``curve`` add the parameter grid and the learning curve
    (most of the time).
    """
    docs, X, y = training_data(real_dir, split="dev")
    pred = cv.oof_predictions(docs, X, y, cv.scorers(), seed=seed)
    tables = {"predictions": pred,
              "agreement": cv.agreement_by_subset(pred, docs, n_resamples=n_resamples,
                                                  random_state=seed),
              "confounds": _confounds(pred, docs),
              "errors": cv.worst_errors(pred, docs, scorer=DEFAULT_SCORER)}
    if curve:
        tables["learning_curve"] = cv.learning_curve(docs, X, y, seed=seed)
    if tuning:
        tables["tuning"] = cv.tuning_table(docs, X, y, TUNING_GRID, seed=seed)
    return tables


def _confounds(pred: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    from .devcorpus import confound_table

    main = pred[pred["scorer"] == DEFAULT_SCORER].merge(docs[["doc_id", "period", "topic"]],
                                                        on="doc_id")
    rows = []
    for var in ("period", "topic"):
        for value, g in main.groupby(var):
            if len(g) >= 10:
                rows.append({"predictor": "default measure", "within": f"{var}={value}",
                             "n": len(g), "accuracy": float((g["label"] == g["prediction"]).mean()),
                             "pole_f1": cv.pole_f1(g["label"], g["prediction"])})
    single = confound_table(docs)
    single = single[single["evaluation"] == "grouped_cv"].assign(within="all", n=len(docs))
    single = single.rename(columns={"macro_f1": "macro_f1_4"})
    return pd.concat([pd.DataFrame(rows), single[["predictor", "within", "n", "accuracy",
                                                  "macro_f1_4"]]], ignore_index=True)


def locked_test_table(real_dir: Path | str = REAL_DIR, *, n_resamples: int = 1000,
                      seed: int = config.SEED) -> pd.DataFrame:
    """Score the locked test split with the committed model and the baselines (fit on dev)."""
    _, X_dev, y_dev = training_data(real_dir, split="dev")
    test, X_test, y_test = training_data(real_dir, split="test")
    model = load_model()
    parts = [pd.DataFrame({"doc_id": test["doc_id"], "scorer": DEFAULT_SCORER,
                           "label": y_test, "prediction": model.predict(X_test)})]
    for name, est in cv.scorers().items():
        if name != DEFAULT_SCORER:
            fitted = est.fit(X_dev, y_dev)
            parts.append(pd.DataFrame({"doc_id": test["doc_id"], "scorer": name,
                                       "label": y_test, "prediction": fitted.predict(X_test)}))
    table = cv.agreement_by_subset(pd.concat(parts, ignore_index=True), test,
                                   n_resamples=n_resamples, random_state=seed)
    return table.assign(model_version=model.metadata_["model_version"])


def write_validation_tables(out_dir: Path | str = VALIDATION_DIR, *,
                            real_dir: Path | str = REAL_DIR) -> dict[str, Path]:
    """Write every table; the locked test only if not yet written for this version."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table in dev_tables(real_dir).items():
        if name == "predictions":
            table = table[table["scorer"] == DEFAULT_SCORER].drop(columns="scorer")
        path = out_dir / f"{name}.csv"
        _checked(name, table, f"{name} table for {path}").to_csv(path, index=False,
                                                                float_format="%.6g")
        written[name] = path
    locked = out_dir / "locked_test.csv"
    done = (locked.exists()
            and set(pd.read_csv(locked)["model_version"].astype(str)) == {MODEL_VERSION})
    if not done:
        _checked("locked_test", locked_test_table(real_dir), f"locked_test table for {locked}"
                 ).to_csv(locked, index=False, float_format="%.6g")
    written["locked_test"] = locked
    return written


def paragraph_methods_table(texts: pd.DataFrame, real_dir: Path | str = REAL_DIR
                            ) -> pd.DataFrame:
    """Whether LSS and the MiniLM prototypes add value on real documents (needs the texts).

    Scores the English development documents (``texts``: ``doc_id, text``)
    with the paragraph measure under several method sets.  None of those
    methods was fitted on the real corpus, so every document is held out for
    them.  The document measure's out-of-fold labels on the same documents
    are the comparison.
    """
    from .api import score_framing

    docs, _, _ = training_data(real_dir, split="dev")
    docs = docs[docs["language"] == "en"].merge(texts[["doc_id", "text"]], on="doc_id")
    rows = []
    for methods in (("lexicon",), ("lexicon", "lss"), ("lexicon", "prototypes"),
                    ("lexicon", "classifier"), ("lexicon", "lss", "prototypes", "classifier")):
        out = score_framing(docs["text"].tolist(), language="en", measure="paragraph",
                            methods=methods)
        rows.append({"measure": "paragraph: " + "+".join(methods), "n": len(docs),
                     "pole_f1": cv.pole_f1(docs["label"], out["framing"]),
                     "abstain": cv.abstention_rate(docs["label"], out["framing"])})
    oof = pd.read_csv(Path(real_dir) / "validation" / "predictions.csv")
    oof = oof[oof["doc_id"].isin(docs["doc_id"])]
    rows.append({"measure": "document (default), out of fold", "n": len(oof),
                 "pole_f1": cv.pole_f1(oof["label"], oof["prediction"]),
                 "abstain": cv.abstention_rate(oof["label"], oof["prediction"])})
    return _checked("paragraph_methods", pd.DataFrame(rows), "paragraph_methods_table")


def _checked(name: str, table: pd.DataFrame, where: str, first_line: int | None = None
             ) -> pd.DataFrame:
    """``table`` validated against its schema in :data:`VALIDATION_SCHEMAS`, when it has one."""
    schema = VALIDATION_SCHEMAS.get(name)
    if schema is None:
        return table
    return check_table(schema, table, where=where, first_line=first_line)


def read_validation_table(name: str, directory: Path | str = VALIDATION_DIR) -> pd.DataFrame:
    """One committed validation table by name (e.g. ``"agreement"``), checked by its schema.

    Raises
    ------
    ValueError
        When the file breaks its schema (:data:`~analysis.framing.schema.VALIDATION_SCHEMAS`);
        the message names the file, line and column.
    """
    path = Path(directory) / f"{name}.csv"
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return _checked(name, table, str(path), first_line=2)


def headline(table: pd.DataFrame, scorer: str = DEFAULT_SCORER) -> dict[str, float]:
    """The figures the README quotes, from an agreement or locked-test table."""
    t = table[table["scorer"] == scorer].set_index(["subset", "value"])
    return {"overall": float(t.loc[("overall", "all"), "pole_f1"]),
            "non_english": float(t.loc[("language", "non-English"), "pole_f1"]),
            "2014_2021": float(t.loc[("period", "-2021"), "pole_f1"]),
            "2022_on": float(t.loc[("period", "2022-"), "pole_f1"]),
            "abstain": float(t.loc[("overall", "all"), "abstain"]),
            "n": int(t.loc[("overall", "all"), "n"])}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write the validation tables."""
    p = argparse.ArgumentParser(prog="python -m analysis.framing.report",
                                description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=VALIDATION_DIR)
    p.add_argument("--texts", type=Path, default=None,
                   help="maintainers: JSON lines of doc_id, text (the excerpts) to measure "
                        "the paragraph methods on real documents")
    a = p.parse_args(argv)
    if a.texts is not None:
        texts = pd.read_json(a.texts, lines=True)
        table = paragraph_methods_table(texts)
        table.to_csv(a.out / "paragraph_methods.csv", index=False, float_format="%.6g")
        print(table.round(3).to_string())
        return 0
    for name, path in write_validation_tables(a.out).items():
        print(f"{name}: {path}")
    print(pd.DataFrame({k: headline(read_validation_table(k, a.out))
                        for k in ("agreement", "locked_test")}).round(3).to_string())
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
