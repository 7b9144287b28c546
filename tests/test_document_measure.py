"""The document-level framing measure: estimators, combination, persistence, retraining."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.model_selection import cross_val_predict
from sklearn.utils.estimator_checks import check_estimator

from analysis.framing import add_framing, score_framing
from analysis.framing import crossval as CV
from analysis.framing import model as M
from analysis.framing.features import KEYWORDS, LEXICON_FEATURES, keyword_counts, text_features
from analysis.framing.scorers import (
    LAYOUT,
    DocumentClassifier,
    KeywordBaseline,
    LexiconRule,
    _predict_with_none,
    design_matrix,
)


@pytest.fixture(scope="module")
def dev():
    return M.training_data(split="dev")


def test_document_classifier_passes_scikit_learn_checks():
    check_estimator(DocumentClassifier(blocks=None, C=1.0))


def test_rule_scorers_follow_the_contract():
    X = sparse.csr_matrix(np.zeros((4, LAYOUT["keyword"][1])))
    y = np.array(["anti_us", "all_imperialisms", "none", "none"])
    for est in (LexiconRule(), KeywordBaseline()):
        assert est.fit(X, y) is est
        assert list(est.classes_) == sorted(set(y))
        assert est.get_params()
        assert est.predict(X).tolist() == ["none"] * 4
        assert np.allclose(est.predict_proba(X).sum(axis=1), 1)


def test_keyword_baseline_counts_poles():
    texts = ["Russian imperialism and the Russian invasion", "US imperialism, NATO expansion",
             "Russian imperialism and US imperialism", "A quiet day"]
    X = sparse.hstack([sparse.csr_matrix((4, LAYOUT["keyword"][0])),
                       sparse.csr_matrix(keyword_counts(texts))], format="csr")
    est = KeywordBaseline().fit(X, np.array(["anti_us", "all_imperialisms", "mixed", "none"]))
    assert est.predict(X).tolist() == ["all_imperialisms", "anti_us", "mixed", "none"]
    assert len(KEYWORDS) == 20


def test_lexicon_rule_uses_the_evidence_block():
    lex = np.zeros((3, len(LEXICON_FEATURES)))
    lex[0, 0], lex[1, 3], lex[2, [0, 3]] = 3, 2, (2, 2)  # anti_us weight / all weight / both
    X = sparse.hstack([sparse.csr_matrix((3, LAYOUT["lexicon"][0])), sparse.csr_matrix(lex)],
                      format="csr")
    est = LexiconRule().fit(X, np.array(["anti_us", "all_imperialisms", "mixed"]))
    assert est.predict(X).tolist() == ["anti_us", "all_imperialisms", "mixed"]


def test_none_needs_its_threshold():
    classes = np.array(["all_imperialisms", "anti_us", "mixed", "none"])
    p = np.array([[0.3, 0.2, 0.05, 0.45], [0.1, 0.1, 0.1, 0.7]])
    assert _predict_with_none(p, classes, 0.5).tolist() == ["all_imperialisms", "none"]
    assert _predict_with_none(p, classes, 0.4).tolist() == ["none", "none"]


def test_cross_val_predict_groups_by_site(dev):
    docs, X, y = dev
    folds = list(CV.site_folds().split(X, y, docs["site"]))
    for train, test in folds:
        assert not set(docs["site"].iloc[train]) & set(docs["site"].iloc[test])
    pred = cross_val_predict(KeywordBaseline(), X, y, groups=docs["site"], cv=CV.site_folds())
    assert len(pred) == len(y)


def test_persistence_round_trip(tmp_path, dev):
    docs, X, y = dev
    fitted = DocumentClassifier(**M.DEFAULT_PARAMS).fit(X[:200], y[:200])
    fitted.metadata_ = {"model_version": "test", "params": fitted.get_params(),
                        "classes": list(fitted.classes_), "n_features_in": X.shape[1]}
    path = M.save_model(fitted, tmp_path / "m.safetensors", metrics={"pole_f1": 0.5})
    loaded = M.load_model(path)
    assert np.allclose(loaded.predict_proba(X[200:260]), fitted.predict_proba(X[200:260]))
    assert (loaded.predict(X[200:260]) == fitted.predict(X[200:260])).all()
    assert loaded.metadata_["metrics"] == {"pole_f1": 0.5}
    assert not list(tmp_path.glob("*.pkl"))


def test_retraining_from_committed_features_reproduces_the_committed_model(dev):
    committed = M.load_model()
    retrained = M.train_document_model()
    meta = committed.metadata_
    assert meta["model_version"] == M.MODEL_VERSION
    assert meta["training_data_sha256"] == retrained.metadata_["training_data_sha256"]
    assert meta["n_documents"] == len(dev[2])
    assert np.array_equal(committed.columns_, retrained.columns_)
    assert np.allclose(committed.coef_, retrained.coef_, atol=1e-6)
    _, X, _ = dev
    assert np.allclose(committed.predict_proba(X), retrained.predict_proba(X), atol=1e-6)


def test_features_from_text_match_the_committed_layout():
    feats = text_features(["Russian imperialism out of Ukraine!", ""], language=["en", "en"])
    X = design_matrix(feats)
    assert X.shape == (2, LAYOUT["keyword"][1])
    assert X[1].nnz == 0
    assert feats.lexicon[0, 3] > 0  # all-imperialisms weight


def test_score_framing_defaults_to_documents():
    out = score_framing(["Against all imperialisms: Russian troops out, NATO out!",
                         "NATO's proxy war; US imperialism is the main enemy.", ""],
                        language="en")
    assert list(out.columns) == list(M.DOCUMENT_COLUMNS)
    assert out["framing"].tolist() == ["all_imperialisms", "anti_us", "none"]
    assert out.loc[0, "framing_score"] > 0 > out.loc[1, "framing_score"]
    probs = out[["p_anti_us", "p_all_imperialisms", "p_mixed", "p_none"]].sum(axis=1)
    assert np.allclose(probs, 1)
    assert out["model_version"].eq(M.MODEL_VERSION).all()


def test_score_framing_refuses_one_string():
    with pytest.raises(TypeError, match="wrap a single text in a list"):
        score_framing("Against all imperialisms")
    with pytest.raises(ValueError, match="unknown measure"):
        score_framing(["x"], measure="sentence")


def test_add_framing_joins_by_key_not_row_order():
    paras = pd.DataFrame({"post_id": ["b", "a", "b", "a"],
                          "text": ["NATO's proxy war.", "Russian troops out of Ukraine!",
                                   "US imperialism is the main enemy.",
                                   "Against all imperialisms."]},
                         index=[10, 11, 12, 13])
    out = add_framing(paras, by="post_id", language_col=None)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.groupby("post_id")["framing"].nunique().eq(1).all()
    assert out.set_index("post_id")["framing"].to_dict() == {"a": "all_imperialisms",
                                                            "b": "anti_us"}
    shuffled = add_framing(paras.iloc[::-1], by="post_id").loc[paras.index]
    assert shuffled["framing"].tolist() == out["framing"].tolist()


def test_pole_f1_and_abstention():
    y = np.array(["anti_us", "all_imperialisms", "none", "anti_us"])
    p = np.array(["anti_us", "all_imperialisms", "anti_us", "none"])
    assert CV.abstention_rate(y, p) == pytest.approx(1 / 3)
    assert CV.pole_f1(y, p) == pytest.approx((0.5 + 1) / 2)


def test_entry_precision_counts_documents_once():
    ev = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "entry": ["e1", "e1", "e1", "e1"],
                       "pole": "anti_us", "weight": 1.0, "negated": False,
                       "distanced": False, "start": 0, "end": 1})
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
                         "label": ["anti_us", "all_imperialisms", "none"]})
    row = CV.entry_precision(ev, docs).iloc[0]
    assert (row["n_docs"], row["right"], row["wrong"], row["neutral"]) == (3, 1, 1, 1)
    assert row["precision"] == 0.5


# --------------------------------------------------------------------------
# The committed validation tables and what the READMEs say
# --------------------------------------------------------------------------


def test_readme_numbers_are_read_from_the_tables():
    from analysis.framing import readme

    for name in readme.BLOCKS:
        assert readme.current(name) == readme.render(name), f"run `make readme-tables` ({name})"


def test_default_parameters_are_the_tuned_choice():
    from analysis.framing.report import read_validation_table

    tuning = read_validation_table("tuning")
    allowed = tuning[tuning["abstain"] <= 0.10]
    best = allowed.loc[allowed["pole_f1"].idxmax()]
    assert {"C": best["C"], "none_threshold": best["none_threshold"]} == dict(M.DEFAULT_PARAMS)
    assert M.load_model().metadata_["params"]["C"] == M.DEFAULT_PARAMS["C"]


def test_locked_test_is_for_this_model_version():
    from analysis.framing.report import read_validation_table

    locked = read_validation_table("locked_test")
    assert set(locked["model_version"].astype(str)) == {M.MODEL_VERSION}
    docs = M.training_data(split="test")[0]
    overall = locked[(locked["subset"] == "overall")]
    assert overall["n"].eq(len(docs)).all()


@pytest.mark.slow
def test_cross_validation_tables_are_current():
    from analysis.framing import report

    fresh = report.dev_tables(tuning=False, curve=False)
    committed = report.read_validation_table("agreement")
    pd.testing.assert_frame_equal(fresh["agreement"].reset_index(drop=True), committed,
                                  check_dtype=False, atol=1e-5)


def test_hydrate_reports_what_came_back(tmp_path):
    from analysis.framing.hydrate import hydrate

    html = ("<html><body><article><p>" + "A long paragraph about imperialism. " * 30
            + "</p></article></body></html>")
    report = hydrate(tmp_path / "texts.jsonl", limit=3,
                     fetch=lambda url: html if url.endswith("/") else None)
    assert len(report) == 3
    assert set(report.columns) == {"doc_id", "fetched", "identical", "length_ratio"}
    lines = (tmp_path / "texts.jsonl").read_text().splitlines()
    assert len(lines) == int(report["fetched"].sum())
    assert not report["identical"].any()
