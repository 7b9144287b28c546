"""KWIC, keyness and collocations against hand-computed values."""

from __future__ import annotations

import math

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
