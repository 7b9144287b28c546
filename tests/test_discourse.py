"""KWIC, keyness and collocations against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.discourse.tools import (
    collocations,
    keyness,
    kwic,
    log_likelihood,
    stop_words,
    tokenize,
)


@pytest.fixture
def tiny():
    return pd.DataFrame({"paragraph_id": ["t1", "r1"], "source": ["x", "y"],
                         "framing": ["target", "reference"],
                         "text": ["war war peace", "peace peace war bread"]})


def test_keyness_matches_hand_computation(tiny):
    out = keyness(tiny, "target", by="framing").set_index("term")
    # war: a=2 of c=3, b=1 of d=4; E1 = 9/7, E2 = 12/7
    expected_g2 = 2 * (2 * math.log(2 / (9 / 7)) + 1 * math.log(1 / (12 / 7)))
    assert out.loc["war", "g2"] == pytest.approx(expected_g2)
    assert out.loc["war", "g2"] == pytest.approx(0.689338, abs=1e-6)
    assert out.loc["war", "log_ratio"] == pytest.approx(math.log2((2 / 3) / (1 / 4)))
    assert out.loc["war", "pct_diff"] == pytest.approx(100 * (2 / 3 - 1 / 4) / (1 / 4))
    assert out.loc["war", "direction"] == "target"
    # bread: absent from the target: G2 = 2 ln(7/4); zero replaced by 0.5 in the ratio
    assert out.loc["bread", "g2"] == pytest.approx(2 * math.log(7 / 4))
    assert out.loc["bread", "log_ratio"] == pytest.approx(math.log2((0.5 / 3) / (1 / 4)))
    assert out.loc["bread", "direction"] == "reference"
    assert out.loc["war", "p_value"] == pytest.approx(0.406, abs=1e-3)
    assert list(out.index[:1]) == ["war"]  # key to the target first
    assert (out["target_total"] == 3).all() and (out["reference_total"] == 4).all()


def test_log_likelihood_classic_example():
    # equal relative frequencies give G2 = 0
    assert log_likelihood(5, 10, 100, 200) == pytest.approx(0)


def _two_term_g2(a, b, c, d):
    """The keyness G2 as first written here (Rayson & Garside 2000), for the comparison."""
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * ((a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0))


@pytest.mark.parametrize(("a", "b", "c", "d"), [
    (10, 0, 100, 100), (2, 1, 3, 4), (0, 1, 3, 4), (5, 10, 100, 200), (30, 12, 5000, 8000),
    (1, 250, 12000, 90000),
])
def test_log_likelihood_is_scipys_g_test_with_the_old_values(a, b, c, d):
    from scipy import stats

    g2 = log_likelihood(a, b, c, d)
    assert g2 == pytest.approx(_two_term_g2(a, b, c, d), rel=1e-12, abs=1e-12)
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    assert g2 == pytest.approx(stats.power_divergence([a, b], [e1, e2],
                                                      lambda_="log-likelihood").statistic)
    # Not the G2 of the 2x2 table (which counts the other tokens too): larger
    # unless the relative frequencies are equal.
    table = [[a, b], [c - a, d - b]]
    full = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert full >= g2 - 1e-12
    assert (full > g2 + 1e-9) == (a * d != b * c)


def test_log_likelihood_is_elementwise():
    out = log_likelihood([10, 2], [0, 1], [100, 3], [100, 4])
    assert out == pytest.approx([_two_term_g2(10, 0, 100, 100), _two_term_g2(2, 1, 3, 4)])


def test_keyness_reference_and_errors(tiny):
    both = pd.concat([tiny, tiny.assign(framing="none")])
    out = keyness(both, "target", "reference", by="framing")
    assert out["reference_total"].iloc[0] == 4
    with pytest.raises(ValueError, match="keyness needs rows in both groups of column 'source'"):
        keyness(tiny, "nope", by="source")


def test_collocations_match_hand_computation():
    corpus = pd.DataFrame({"text": ["a b c a d", "b a"]})
    out = collocations(corpus, "a", window=1, min_count=1).set_index("collocate")
    b = out.loc["b"]
    assert (b["cooccurrences"], b["collocate_freq"], b["node_freq"], b["window_tokens"],
            b["corpus_tokens"]) == (2, 2, 3, 4, 7)
    assert b["expected"] == pytest.approx(8 / 7)
    assert b["mi"] == pytest.approx(math.log2(7 / 4))
    assert b["log_dice"] == pytest.approx(14 + math.log2(4 / 5))
    expected_g2 = 2 * (2 * math.log(1.75) + 2 * math.log(0.7) + 3 * math.log(1.4))
    assert b["log_likelihood"] == pytest.approx(expected_g2)
    assert set(out.index) == {"b", "c", "d"}
    assert collocations(corpus, "a", window=1, min_count=2)["collocate"].tolist() == ["b"]


def test_collocation_g2_is_chi2_contingency_of_each_2x2_table():
    from scipy import stats

    # Node windows do not overlap here: where they do, a token is counted once
    # per window and a cell of the table can turn negative (no G2 exists).
    corpus = pd.DataFrame({"text": ["the war on the people of the land", "war and peace",
                                    "the peace of the people", "no war but the class"]})
    out = collocations(corpus, "war", window=3, min_count=1)
    assert len(out) >= 5
    for row in out.itertuples():
        r1, c1, n, o11 = row.window_tokens, row.collocate_freq, row.corpus_tokens, \
            row.cooccurrences
        table = [[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]]
        g2 = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        assert row.log_likelihood == pytest.approx(g2, rel=1e-12, abs=1e-12), row.collocate
    # Overlapping windows: "class" sits in both windows of the second "war",
    # twice in windows but once in the corpus, so its table has no G2.
    overlap = collocations(pd.DataFrame({"text": ["war the class war"]}), "war", window=3,
                           min_count=1).set_index("collocate")
    assert overlap.loc["class", "cooccurrences"] > overlap.loc["class", "collocate_freq"]
    assert np.isnan(overlap.loc["class", "log_likelihood"])


def test_collocations_rejects_unknown_measure():
    with pytest.raises(ValueError, match="measure must be one of"):
        collocations(pd.DataFrame({"text": ["a b"]}), "a", measure="t")


def test_kwic_phrase_case_and_accents():
    df = pd.DataFrame({"paragraph_id": ["p1", "p2"], "source": ["essf", "ist"],
                       "text": ["Stand up against all  imperialisms, now.",
                                "Contre tous les IMPÉRIALISMES et contre la guerre."]})
    hits = kwic(df, "all imperialisms", window=2)
    assert hits[["paragraph_id", "left", "match", "right", "source"]].values.tolist() == [
        ["p1", "up against", "all  imperialisms", "now", "essf"]]
    fr = kwic(df, "imperialismes", window=3)
    assert fr[["left", "match", "right"]].values.tolist() == [
        ["Contre tous les", "IMPÉRIALISMES", "et contre la"]]
    assert kwic(df, "imperialismes", accent_sensitive=True).empty
    assert kwic(df, "Imperialisms", case_sensitive=True).empty
    # whole words only: "imperialism" is not found inside "imperialisms"
    assert kwic(df, "imperialism").empty


def test_kwic_regex_and_offsets():
    df = pd.DataFrame({"paragraph_id": ["p1"], "text": ["NATO and the US; Russia and China."]})
    hits = kwic(df, r"\b(?:us|nato)\b", regex=True, window=1)
    assert hits["match"].tolist() == ["NATO", "US"]
    assert [df.loc[0, "text"][s:e] for s, e in zip(hits["start"], hits["end"], strict=True)] == [
        "NATO", "US"]


def test_kwic_on_the_sample(sample_corpus):
    hits = kwic(sample_corpus.paragraphs, "all imperialisms", window=4)
    assert set(hits["doc_id"]) == {"essf-elaliberta-2022"}
    assert "Fight against" in hits["left"].iloc[0]


def test_tokenize_keeps_inner_hyphens_and_acronyms():
    # Dotted and undotted spellings give the same token (analysis.text.tokenize).
    assert tokenize("U.S.-backed anti-imperialist") == ["US-backed", "anti-imperialist"]
    assert tokenize("US-backed anti-imperialist") == ["US-backed", "anti-imperialist"]
    assert tokenize("The US told us") == ["the", "US", "told", "us"]
    assert tokenize("The US told us", keep_acronyms=False) == ["the", "us", "told", "us"]


def test_keyness_exclude_keeps_totals(tiny):
    out = keyness(tiny, "target", by="framing", exclude=["war"])
    assert "war" not in set(out["term"]) and (out["target_total"] == 3).all()


@pytest.mark.parametrize(("text", "expected"), [
    ("U.S. imperialism", ["US", "imperialism"]),
    ("the U.K. and the EU", ["the", "UK", "and", "the", "EU"]),
    ("bases in the U.S.", ["bases", "in", "the", "US"]),
    ("les É.-U. et l'UE", ["les", "ÉU", "et", "l'", "UE"]),
    ("A. Smith said", ["a", "smith", "said"]),
    ("e.g. this", ["eg", "this"]),
])
def test_tokenize_dotted_abbreviations(text, expected):
    assert tokenize(text) == expected


def test_stop_words_per_language_keep_acronyms():
    words = stop_words(["en", "fr", "de", "xx"])
    assert {"the", "and", "les", "et", "des", "der", "und"} <= words
    assert "US" not in words and "imperialism" not in words
    assert stop_words([]) == frozenset()


def test_keyness_and_collocations_without_french_function_words():
    table = pd.DataFrame({
        "framing": ["a"] * 3 + ["b"] * 3,
        "text": ["les impérialismes et des guerres", "contre les impérialismes et des blocs",
                 "les travailleurs et des peuples", "the U.S. empire and the war",
                 "U.S. imperialism and the empire", "the U.S. and the empire"]})
    keys = keyness(table, "a", "b", by="framing", exclude=stop_words(["en", "fr"]))
    assert not {"les", "et", "des", "the", "and"} & set(keys["term"])
    assert "US" in set(keys["term"]) and not {"u", "s"} & set(keys["term"])
    coll = collocations(table, "empire", window=3, min_count=1,
                        exclude=stop_words(["en"]))
    assert "US" in set(coll["collocate"]) and "the" not in set(coll["collocate"])
