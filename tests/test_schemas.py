"""Every pandera schema accepts the real table and rejects a broken one with a readable message.

The real tables are the package's own output (framing scores, topic tables)
and the committed files (gold, known groups, validation tables).  Each broken
variant breaks one thing (a missing column, a wrong label, a probability out
of range) and the message must name the place, the column and the row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.corpus.schema import check_table
from analysis.framing import schema as fs
from analysis.framing.api import score_framing
from analysis.framing.handlabels import read_known_groups, validate_framing
from analysis.framing.io import read_gold
from analysis.framing.report import VALIDATION_DIR, read_validation_table
from analysis.topics import schema as ts
from analysis.topics.evaluate import npmi_coherence

TEXTS = ["Russian troops out of Ukraine! Against all imperialisms, in Washington and Moscow.",
         "NATO's proxy war: US imperialism is the main enemy of the peoples.",
         "The rail strike continues for a third week.", ""]


def broken(table: pd.DataFrame, column: str, row: int, value) -> pd.DataFrame:
    out = table.copy()
    if column in out and out[column].dtype.kind in "iub" and not isinstance(value, int | bool):
        out[column] = out[column].astype(object)
    out.loc[out.index[row], column] = value
    return out


def rejects(schema, table: pd.DataFrame, *patterns: str, where: str = "the table") -> str:
    with pytest.raises(ValueError) as info:
        check_table(schema, table, where=where)
    message = str(info.value)
    for pattern in patterns:
        assert re.search(pattern, message), (pattern, message)
    assert message.startswith(where) and "{" not in message  # no pandera JSON dump
    return message


# --------------------------------------------------------------------------- framing output


@pytest.fixture(scope="module")
def document_scores():
    return score_framing(TEXTS, language="en")


@pytest.fixture(scope="module")
def paragraph_scores():
    return score_framing(TEXTS, language="en", measure="paragraph", methods=("lexicon",))


def test_document_output_passes_its_schema(document_scores):
    fs.DocumentFramingSchema.validate(document_scores)
    assert list(document_scores.columns) == list(fs.DocumentFramingSchema.to_schema().columns)
    p = document_scores[list(fs.PROBABILITY_COLUMNS)].sum(axis=1)
    np.testing.assert_allclose(p, 1.0, atol=1e-9)


@pytest.mark.parametrize("column, value, pattern", [
    ("framing", "campist", r"row 1: framing 'campist' is not one of anti_us, all_imperialisms"),
    ("p_none", 1.5, r"row 1: p_none 1\.5 is above 1"),
    ("p_anti_us", -0.1, r"row 1: p_anti_us -0\.1 is below 0"),
    ("n_words", -3, r"row 1: n_words -3 is below 0"),
])
def test_document_output_schema_rejects_broken_rows(document_scores, column, value, pattern):
    rejects(fs.DocumentFramingSchema, broken(document_scores, column, 1, value), pattern,
            where="score_framing output")


def test_document_output_schema_rejects_probabilities_that_do_not_sum_to_one(document_scores):
    bad = document_scores.assign(p_mixed=document_scores["p_mixed"] + 0.2)
    rejects(fs.DocumentFramingSchema, bad, r"label probabilities do not sum to 1 \(row 0, row 1")


def test_document_output_schema_rejects_missing_and_unexpected_columns(document_scores):
    rejects(fs.DocumentFramingSchema, document_scores.drop(columns=["p_none"]),
            r"missing column\(s\) p_none")
    rejects(fs.DocumentFramingSchema, document_scores.assign(extra=1),
            r"unexpected column\(s\) extra")


def test_paragraph_output_passes_its_schema_and_rejects_a_broken_one(paragraph_scores):
    fs.ParagraphFramingSchema.validate(paragraph_scores)
    assert paragraph_scores["classifier_p_none"].isna().all()  # classifier did not run
    rejects(fs.ParagraphFramingSchema, broken(paragraph_scores, "framing", 0, "left"),
            r"row 0: framing 'left' is not one of")
    with_p = paragraph_scores.assign(classifier_p_anti_us=0.5, classifier_p_all_imperialisms=0.5,
                                     classifier_p_mixed=0.0, classifier_p_none=0.0)
    fs.ParagraphFramingSchema.validate(with_p)
    rejects(fs.ParagraphFramingSchema, with_p.assign(classifier_p_none=0.3),
            "classifier probabilities do not sum to 1")


def test_add_framing_returns_validated_framing_columns():
    from analysis.framing.api import add_framing

    df = pd.DataFrame({"post_id": ["a", "b"], "text": TEXTS[:2]})
    out = add_framing(df)
    fs.DocumentFramingSchema.validate(out[list(fs.DocumentFramingSchema.to_schema().columns)])


# --------------------------------------------------------------------------- gold, known groups


def test_gold_file_passes_and_a_broken_gold_names_file_line_and_column(tmp_path):
    gold = read_gold()
    fs.GoldSchema.validate(gold)
    assert gold["constructed"].dtype == bool
    rejects(fs.GoldSchema, broken(gold, "label", 4, "pro_china"),
            r"row 4: label 'pro_china' is not one of")
    rejects(fs.GoldSchema, gold.drop(columns="text"), r"missing column\(s\) text")
    path = tmp_path / "gold.csv"
    raw = pd.read_csv(config.DATA / "annotations" / "gold.csv", dtype=str, keep_default_na=False)
    raw.loc[0, "label"] = "campist"
    raw.to_csv(path, index=False)
    from analysis.framing.lexicon import FramingInputError

    with pytest.raises(FramingInputError, match=re.escape(f"{path} line 2: label 'campist'")):
        read_gold(path)


def test_known_groups_pass_and_broken_ones_are_named(tmp_path):
    table = read_known_groups(config.DATA / "annotations" / "known_groups.csv")
    fs.KnownGroupsSchema.validate(table)
    assert table["expected_rank"].tolist() == [1, 2, 3, 4, 5]
    path = tmp_path / "kg.csv"
    path.write_text("source,expected_rank\na,1\na,0\n")
    with pytest.raises(ValueError) as info:
        read_known_groups(path)
    assert f"{path} row 1: source 'a' is a duplicate" in str(info.value)
    assert f"{path} row 1: expected_rank 0 is below 1" in str(info.value)


# --------------------------------------------------------------------------- validation tables


@pytest.mark.parametrize("name", sorted(fs.VALIDATION_SCHEMAS))
def test_committed_validation_tables_pass_their_schema(name):
    table = read_validation_table(name)
    assert len(table) > 0
    fs.VALIDATION_SCHEMAS[name].validate(table)


@pytest.mark.parametrize("name, column, value, pattern", [
    ("agreement", "pole_f1", 1.2, r"row 3: pole_f1 1\.2 is above 1"),
    ("agreement", "subset", "colour", r"row 3: subset 'colour' is not one of overall"),
    ("agreement", "ci_low", 0.99, r"ci_low is above ci_high \(row 3\)"),
    ("locked_test", "model_version", "two", r"row 3: model_version 'two' does not match"),
    ("predictions", "prediction", "campist", r"row 3: prediction 'campist' is not one of"),
    ("predictions", "p_none", 0.9, r"label probabilities do not sum to 1 \(row 3\)"),
    ("errors", "prediction", None, r"row 3: prediction missing is missing"),
    ("tuning", "none_threshold", 1.5, r"row 3: none_threshold 1\.5 is above 1"),
    ("learning_curve", "fraction", 0.0, r"row 3: fraction 0\.0 is not above 0"),
    ("confounds", "accuracy", -1.0, r"row 3: accuracy -1\.0 is below 0"),
    ("paragraph_methods", "n", -1, r"row 3: n -1 is below 0"),
])
def test_broken_validation_tables_are_rejected(name, column, value, pattern):
    table = read_validation_table(name)
    rejects(fs.VALIDATION_SCHEMAS[name], broken(table, column, 3, value), pattern)


def test_reading_a_broken_validation_file_names_file_and_line(tmp_path):
    table = read_validation_table("agreement")
    broken(table, "pole_f1", 0, 2.0).to_csv(tmp_path / "agreement.csv", index=False)
    with pytest.raises(ValueError, match=re.escape(
            f"{tmp_path / 'agreement.csv'} line 2: pole_f1 2.0 is above 1")):
        read_validation_table("agreement", tmp_path)
    assert (VALIDATION_DIR / "agreement.csv").is_file()


def test_hand_validation_tables_pass_and_bad_hand_labels_are_named():
    scores = pd.DataFrame({"doc_id": ["a", "b", "c"],
                           "framing": ["anti_us", "none", "all_imperialisms"],
                           "framing_score": [-0.8, 0.0, 0.6], "source": ["s", "s", "t"],
                           "date": pd.to_datetime(["2020-01-01", "2023-01-01", "2023-06-01"])})
    labels = pd.DataFrame({"id": ["a", "b", "c"], "hand": ["anti_us", "mixed", None]})
    out = validate_framing(scores.rename(columns={"doc_id": "id"}), labels, id_col="id",
                           label_col="hand", n_resamples=0)
    fs.HandByPeriodSchema.validate(out["by_period"])
    fs.HandEventSchema.validate(out["event"])
    with pytest.raises(ValueError,
                       match=r"^validate_framing labels row 1: hand 'mixd' is not one of"):
        validate_framing(scores.rename(columns={"doc_id": "id"}),
                         labels.assign(hand=["anti_us", "mixd", None]), id_col="id",
                         label_col="hand", n_resamples=0)


# --------------------------------------------------------------------------- topics


def test_topic_coherence_and_evaluation_schemas():
    texts = ["war peace", "war peace", "war", "bread"]
    table = npmi_coherence({0: ["war", "peace"], 1: ["bread"]}, texts,
                           vocabulary=["bread", "peace", "war"])
    ts.TopicCoherence.validate(table)
    rejects(ts.TopicCoherence, broken(table, "npmi", 0, 1.5), r"row 0: npmi 1\.5 is above 1")
    evaluation = pd.DataFrame({"model": ["BERTopic", "LDA", "NMF"], "n_topics": [3, 3, 3],
                               "npmi": [0.2, np.nan, 0.1], "diversity": [1.0, 0.8, 0.9],
                               "n_units": [45] * 3, "n_vocabulary": [30] * 3, "n_words": [10] * 3})
    ts.TopicEvaluation.validate(evaluation)
    rejects(ts.TopicEvaluation, broken(evaluation, "model", 2, "word2vec"),
            r"row 2: model 'word2vec' is not one of BERTopic, LDA, NMF")
    rejects(ts.TopicEvaluation, evaluation.drop(columns="npmi"), r"missing column\(s\) npmi")


def test_topic_info_and_doc_topics_reject_broken_tables():
    info = pd.DataFrame({"topic": [-1, 0], "size": [2, 8], "share": [0.2, 0.8],
                         "label": ["-1_a", "0_b"], "top_words": ["a", "b"],
                         "representative_ids": ["x", "y"], "representative_text": ["t", "u"]})
    ts.TopicInfo.validate(info)
    rejects(ts.TopicInfo, broken(info, "topic", 1, -1), r"topic -1 is a duplicate")
    rejects(ts.TopicInfo, info.assign(share=[0.5, 0.8]), "topic shares do not sum to 1")
    doc = pd.DataFrame({"paragraph_id": ["d/p01/001"], "post_id": ["d/p01"], "doc_id": ["d"],
                        "source": ["s"], "date": pd.to_datetime(["2020-01-01"]), "topic": [0],
                        "probability": [0.7], "outlier_reassigned": [False]})
    ts.DocTopics.validate(doc)
    rejects(ts.DocTopics, doc.assign(probability=[1.7]), r"row 0: probability 1\.7 is above 1")
    rejects(ts.DocTopics, doc.assign(topic=[-2]), r"row 0: topic -2 is below -1")
