"""The committed real development corpus: schema, the locked site split, no readable text."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.framing import devcorpus as dc
from analysis.framing.schema import CodingSchema, EvidenceSchema, RealDocumentSchema

REAL = dc.REAL_DIR


@pytest.fixture(scope="module")
def docs():
    return dc.read_real_documents()


def test_documents_follow_the_schema(docs):
    RealDocumentSchema.validate(docs)
    assert len(docs) >= 500
    assert docs["site"].nunique() >= 150
    assert {"en", "es", "fr", "de", "it", "pt", "ru", "ar"} <= set(docs["language"])
    assert docs["year"].between(2014, 2024).all()


def test_both_poles_in_every_period(docs):
    table = pd.crosstab(docs["period"], docs["label"])
    assert (table[["anti_us", "all_imperialisms"]] >= 30).all().all()
    assert table["mixed"].sum() > 0 and table["none"].sum() > 0
    non_ukraine = docs[docs["topic"] != "ukraine_russia"]
    assert non_ukraine["topic"].nunique() >= 6


def test_codings_are_two_independent_coders_and_an_adjudicator(docs):
    codings = CodingSchema.validate(pd.read_csv(REAL / "codings.csv", keep_default_na=False))
    wide = codings.pivot(index="doc_id", columns="coder", values="label")
    assert wide["coder1"].notna().all() and wide["coder2"].notna().all()
    disagree = wide["coder1"] != wide["coder2"]
    # every disagreement went to the adjudicator, and only disagreements did
    assert wide.loc[disagree, "adjudicator"].notna().all()
    assert wide.loc[~disagree, "adjudicator"].isna().all()
    merged = docs.set_index("doc_id")
    assert (merged.loc[wide.index[~disagree], "label"] == wide.loc[~disagree, "coder1"]).all()
    assert (merged.loc[wide.index[disagree], "label"]
            == wide.loc[disagree, "adjudicator"]).all()
    assert merged["adjudicated"].sum() == disagree.sum()


def test_alpha_is_reported_overall_and_per_language(docs):
    alpha = pd.read_csv(REAL / "tables" / "alpha.csv")
    overall = alpha.set_index("language").loc["all"]
    assert overall["n"] == len(docs)
    assert 0.67 <= overall["alpha"] <= 1
    assert set(docs["language"]) <= set(alpha["language"])


def test_split_is_by_site(docs):
    per_site = docs.groupby("site")["split"].nunique()
    assert (per_site == 1).all()
    locked = pd.read_csv(REAL / "split.csv").set_index("site")["split"]
    assert (docs["split"] == docs["site"].map(locked)).all()


def test_split_holds_out_a_fifth_of_sites_stratified(docs):
    sites = docs.drop_duplicates("site")
    assert 0.15 <= (sites["split"] == "test").mean() <= 0.25
    share = (docs["split"] == "test").mean()
    assert 0.15 <= share <= 0.25
    # stratified as stated: every label, period and main language has test documents
    # in about the same share as the whole corpus
    for col in ("label", "period", "language"):
        counts = docs.groupby(col)["split"].agg(n="size", test=lambda s: (s == "test").sum())
        big = counts[counts["n"] >= 30]
        assert (big["test"] > 0).all(), col
        assert (big["test"] / big["n"]).between(share - 0.12, share + 0.12).all(), col


def test_assign_split_never_splits_a_site():
    rng = np.random.default_rng(0)
    n = 300
    df = pd.DataFrame({"doc_id": [f"real-{i:012x}" for i in range(n)],
                       "site": [f"s{i % 90}.org" for i in range(n)],
                       "label": rng.choice(["anti_us", "all_imperialisms", "none"], n),
                       "language": rng.choice(["en", "es", "fr"], n),
                       "period": rng.choice(["-2021", "2022-"], n)})
    split = dc.assign_split(df)
    assert (df.assign(split=split).groupby("site")["split"].nunique() == 1).all()
    assert 0.1 < (split == "test").mean() < 0.3
    assert split.equals(dc.assign_split(df))  # deterministic


def test_committed_tables_hold_no_readable_text(docs):
    """Titles are cut, features are hashed counts of buckets seen on two sites."""
    assert docs["title"].map(lambda t: len(dc._words(t)) <= 8).all()
    features = pd.read_parquet(REAL / "features.parquet")
    assert set(features.columns) == {"doc_id", "block", "index", "count"}
    assert set(features["block"]) <= {"word", "char", "keyword"}
    ngrams = features[features["block"] != "keyword"]
    sites = ngrams.assign(site=ngrams["doc_id"].map(docs.set_index("doc_id")["site"]))
    dev = sites[sites["doc_id"].isin(docs.loc[docs["split"] == "dev", "doc_id"])]
    assert dev.groupby(["block", "index"])["site"].nunique().min() >= dc.MIN_SITES
    evidence = EvidenceSchema.validate(pd.read_parquet(REAL / "evidence.parquet"))
    assert "match" not in evidence.columns
    assert json.loads((REAL / "tables" / "summary.json").read_text())["leaks"] == []


def test_url_key_and_site():
    assert dc.url_key("https://www.a.org/x/?utm_source=rss&p=2") == "a.org/x?p=2"
    assert dc.url_key("http://a.org/x/amp/") == dc.url_key("https://a.org/x")
    assert dc.site_of("https://mobile.a.org/b") == "a.org"


def test_longest_shared_run_counts_thirteen_words():
    grams = dc._grams(["one two three four five six seven eight nine ten eleven twelve "
                       "thirteen fourteen"], 13)
    assert dc.longest_shared_run("x one two three four five six seven eight nine ten eleven "
                                 "twelve thirteen", grams)
    assert not dc.longest_shared_run("one two three four five six seven eight nine ten eleven "
                                     "twelve", grams)


def test_consensus_rule():
    codings = pd.DataFrame([
        ("a", "coder1", "anti_us", "A1", "r1"), ("a", "coder2", "anti_us", "A3", "r2"),
        ("b", "coder1", "anti_us", "A1", "r1"), ("b", "coder2", "mixed", "A1;B1", "r2"),
        ("b", "adjudicator", "mixed", "A1;B1", "r3"),
        ("c", "coder1", "none", "", "r1"), ("c", "coder2", "unsure", "", "r2"),
        ("c", "adjudicator", "all_imperialisms", "B1", "r3"),
    ], columns=["doc_id", "coder", "label", "evidence", "rationale"])
    out = dc.consensus(codings).set_index("doc_id")
    assert out["label"].to_dict() == {"a": "anti_us", "b": "mixed", "c": "all_imperialisms"}
    assert out["adjudicated"].to_dict() == {"a": False, "b": True, "c": True}
    assert out.loc["a", "evidence"] == "A1" and out.loc["c", "rationale"] == "r3"


def test_confound_table_reports_each_variable(docs):
    table = pd.read_csv(REAL / "tables" / "confounds.csv")
    assert set(table["predictor"]) == {"majority", "year", "period", "language", "topic", "site"}
    cv = table[table["evaluation"] == "grouped_cv"].set_index("predictor")
    # no single variable predicts the label well on unseen sites
    assert (cv["macro_f1"] < 0.5).all()
