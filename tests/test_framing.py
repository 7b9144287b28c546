"""Tests for the framing lexicon, LSS, the combination rule and score_framing."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.corpus.load import CorpusInputError
from analysis.framing import (
    LABELS,
    FramingModel,
    agreement_table,
    combine_scores,
    confusion_table,
    cross_validate_classifier,
    krippendorff_alpha,
    macro_f1_ci,
    method_labels,
    read_gold,
    score_framing,
    split_text,
)
from analysis.framing.evidence import lexicon_matches, match_context, score_lexicon
from analysis.framing.lexicon import FramingInputError, load_lexicon
from analysis.framing.lss import LatentSemanticScaler
from analysis.framing.patterns import PatternError, compile_pattern


class HashEncoder:
    """A fast, deterministic stand-in for MiniLM: hashed bag of words, unit length."""

    dim = 64

    def encode(self, texts, **kwargs):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] /= norm if norm else 1.0
        return out


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def matches(lex, text, language="en"):
    return [(m["entry_id"], m["pole"], round(m["contribution"], 3)) for m in
            lex.match(text, language=language)]


def poles(lex, text, language="en"):
    out = score_lexicon([text], language=language, lexicon=lex).iloc[0]
    return out["lexicon_all_imperialisms"], out["lexicon_anti_us"]


# --------------------------------------------------------------------------
# Pattern syntax
# --------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, text, found", [
    ("imperialis*", "Imperialists and imperialism", "Imperialists"),
    ("inter-imperialist", "interimperialist rivalry", "interimperialist"),
    ("inter-imperialist", "inter imperialist rivalry", "inter imperialist"),
    ("US backed coup", "a US-backed coup", "US-backed coup"),
    ("neither Washington nor Moscow", "neither Washington, nor Moscow",
     "neither Washington, nor Moscow"),
    ("imperialism of the? Kremlin", "imperialism of Kremlin", "imperialism of Kremlin"),
    ("imperialism of the? Kremlin", "imperialism of the Kremlin", "imperialism of the Kremlin"),
    ("(main|chief) enemy", "our chief enemy", "chief enemy"),
    ("not only ... but", "not only this and that but", "not only this and that but"),
    ("{WEST} imperialism", "Yankee imperialism", "Yankee imperialism"),
])
def test_compile_pattern_matches(pattern, text, found):
    rx = compile_pattern(pattern, camps={"WEST": ["Yankee", "US"]})
    assert rx.search(text).group() == found


@pytest.mark.parametrize("pattern, text", [
    ("US imperialism", "us imperialism"),          # capitals are case-sensitive
    ("war", "warmonger"),                          # whole words only
    ("not only ... but", "not only one two three four five six seven but"),  # gap of 6 words
    ("neither Washington nor Moscow", "neither Washington. Nor Moscow"),  # not across sentences
])
def test_compile_pattern_rejects(pattern, text):
    assert compile_pattern(pattern, gap=6).search(text) is None


@pytest.mark.parametrize("pattern", ["(a|b", "a)", "{NOPE} x", "... a", "a ...", "a ?", ""])
def test_compile_pattern_errors(pattern):
    with pytest.raises(PatternError):
        compile_pattern(pattern, camps={"WEST": ["US"]})


# --------------------------------------------------------------------------
# Lexicon entries, one formula per language and pole
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, language, entry", [
    ("We fight against all imperialisms.", "en", "en-all-imperialisms"),
    ("Neither Washington nor Moscow!", "en", "en-neither-west-east"),
    ("The crimes of Russian imperialism.", "en", "en-east-imperialism"),
    ("Russian troops out of Ukraine!", "en", "en-east-troops-out"),
    ("Contra todos los imperialismos.", "es", "es-todos-imperialismos"),
    ("Ni Washington ni Moscú.", "es", "es-ni-ni"),
    ("Contre tous les impérialismes.", "fr", "fr-tous-imperialismes"),
    ("L'impérialisme russe est criminel.", "fr", "fr-imperialisme-east"),
    ("Weder NATO noch Putin.", "de", "de-weder-noch"),
    ("Der russische Angriffskrieg.", "de", "de-angriffskrieg"),
    ("Contro tutti gli imperialismi.", "it", "it-tutti-imperialismi"),
    ("Né con la NATO né con Putin.", "it", "it-ne-ne"),
    ("Против всех империализмов.", "ru", "ru-vse-imperializmy"),
    ("Российский империализм.", "ru", "ru-east-imperializm"),
])
def test_all_imperialisms_formulas(lex, text, language, entry):
    found = matches(lex, text, language)
    assert (entry, "all_imperialisms") in [(e, p) for e, p, _ in found]


@pytest.mark.parametrize("text, language, entry", [
    ("US imperialism is the main enemy of the peoples.", "en", "en-west-main-enemy"),
    ("the Kiev junta and its fascist battalions", "en", "en-kiev-junta"),
    ("after the western backed coup", "en", "en-west-backed-coup"),
    ("a multipolar world", "en", "en-multipolar"),
    ("El enemigo principal es el imperialismo yanqui.", "es", "es-enemigo-principal"),
    ("une guerre par procuration", "fr", "fr-guerre-procuration"),
    ("Der Hauptfeind steht in Washington.", "de", "de-hauptfeind-west"),
    ("la giunta di Kiev", "it", "it-giunta-kiev"),
    ("Киевская хунта", "ru", "ru-khunta"),
])
def test_anti_us_formulas(lex, text, language, entry):
    found = matches(lex, text, language)
    assert (entry, "anti_us") in [(e, p) for e, p, _ in found]


def test_every_language_covers_both_poles(lex):
    table = lex.table()
    counts = table.groupby(["language", "pole"]).size().unstack(fill_value=0)
    assert set(counts.index) == {"en", "es", "fr", "de", "it", "ru", "pt", "ar", "uk"}
    assert (counts >= 4).all().all()
    assert table["rationale"].str.len().gt(10).all()
    # every entry names the codebook evidence type it stands for, on its own pole
    assert table["evidence_type"].notna().all()
    assert (table["evidence_type"].str[0] == table["pole"].map(
        {"anti_us": "A", "all_imperialisms": "B"})).all()
    assert lex.version


def test_entries_follow_the_language_of_the_text(lex):
    assert matches(lex, "el imperialismo ruso", "en") == []
    assert matches(lex, "el imperialismo ruso", "es") == [("es-imperialismo-east",
                                                          "all_imperialisms", 2.5)]
    # a language the lexicon lacks (or an undetected one) uses every entry
    assert matches(lex, "el imperialismo ruso", "nl") == matches(lex, "el imperialismo ruso", None)
    assert matches(lex, "el imperialismo ruso", None)


def test_longest_overlapping_match_wins(lex):
    found = matches(lex, "Western imperialism and Russian imperialism compete.")
    assert found == [("en-west-and-east-imperialism", "all_imperialisms", 3.0)]


# --------------------------------------------------------------------------
# Negation, contrast, distancing
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    # a negated claim flips to the other pole at half weight
    ("There is no Russian imperialism.", [("en-east-imperialism", "anti_us", 1.25)]),
    ("It was never a US-backed coup.", [("en-west-backed-coup", "all_imperialisms", 1.25)]),
    ("Il n'y a pas d'impérialisme russe.", None),
    # "no to", "not only" and slogans are not negations
    ("No to Russian imperialism!", [("en-east-imperialism", "all_imperialisms", 2.5)]),
    ("Not just Russian imperialism.", [("en-east-imperialism", "all_imperialisms", 2.5)]),
    # a negation further than the window away, or in another clause, does not count
    ("We do not forget, after all these years of war, Russian imperialism.",
     [("en-east-imperialism", "all_imperialisms", 2.5)]),
    # entries marked on_negation: cancel count for nothing when negated
    ("They organise without being jailed by their own government.",
     [("en-own-ruling-class", "all_imperialisms", 0.0)]),
])
def test_negation(lex, text, expected):
    if expected is None:  # French: checked with the French cues
        found = matches(lex, text, "fr")
        assert found == [("fr-imperialisme-east", "anti_us", 1.25)]
    else:
        assert matches(lex, text) == expected


def test_not_only_but_also_is_all_imperialisms_evidence(lex):
    found = matches(lex, "We oppose not only US imperialism but also Russian imperialism.")
    assert found == [("en-not-only-west-east", "all_imperialisms", 3.0)]
    a, u = poles(lex, "We oppose not only US imperialism but also Russian imperialism.")
    assert (a, u) == (3.0, 0.0)
    # the same in Spanish, French, German, Italian and Russian
    for text, lang in [("No solo el imperialismo yanqui sino también el ruso.", "es"),
                       ("Non seulement l'OTAN mais aussi la Russie.", "fr"),
                       ("Nicht nur die USA, sondern auch Russland.", "de"),
                       ("Non solo la NATO ma anche la Russia.", "it"),
                       ("Не только США, но и Россия.", "ru")]:
        a, u = poles(lex, text, lang)
        assert a >= 3 and u == 0, (text, a, u)


def test_adversative_contrast_weights_the_second_clause(lex):
    found = matches(lex, "We condemn the Russian invasion, but Washington is the main enemy.")
    assert found == [("en-east-invasion", "all_imperialisms", 1.0),
                     ("en-west-main-enemy", "anti_us", 4.5)]
    # reversed: the stance after "but" wins
    found = matches(lex, "Washington is the main enemy, but we condemn the Russian invasion.")
    assert found == [("en-west-main-enemy", "anti_us", 1.5),
                     ("en-east-invasion", "all_imperialisms", 3.0)]


def test_additive_but_is_not_a_contrast(lex):
    found = matches(lex, "Washington is the main enemy but also Russian troops must leave.")
    assert [c for _, _, c in found] == [3.0, 3.0]


def test_concessive_contrast(lex):
    found = matches(lex, "Although Russian imperialism is real, NATO is the main enemy.")
    assert found == [("en-east-imperialism", "all_imperialisms", 1.25),
                     ("en-west-main-enemy", "anti_us", 4.5)]


def test_corrective_not_but_keeps_the_negated_weight(lex):
    found = matches(lex, "It was not a US-backed coup but a popular uprising.")
    assert found == [("en-west-backed-coup", "all_imperialisms", 1.25)]


@pytest.mark.parametrize("text, expected", [
    # attacking the other side's slogan never counts for that side
    ("Those who chant 'neither Washington nor Moscow' are helping NATO.",
     [("en-neither-west-east", "anti_us", 1.5)]),
    ("Those who say that Russian imperialism is the problem serve NATO.",
     [("en-east-imperialism", "anti_us", 1.25)]),
    ("The so-called Russian imperialism is a myth.", [("en-east-imperialism", "anti_us", 1.25)]),
    ('They talk of a "multipolar" world.', [("en-multipolar", "all_imperialisms", 1.0)]),
    # quoting one's own slogan (more than two words) counts
    ('We marched under the slogan "Against all imperialisms".',
     [("en-all-imperialisms", "all_imperialisms", 3.0)]),
])
def test_distancing(lex, text, expected):
    assert matches(lex, text) == expected


def test_distancing_in_other_languages(lex):
    a, u = poles(lex, "El llamado imperialismo ruso es un invento.", "es")
    assert a == 0 and u == 1.25
    a, u = poles(lex, "Так называемый российский империализм.", "ru")
    assert a == 0 and u == 1.25


def test_abbreviations_do_not_end_sentences(lex):
    found = matches(lex, "The U.S. Imperialism of today is the main enemy.")
    assert found == [("en-west-main-enemy", "anti_us", 3.0)]


def test_score_lexicon_and_evidence(lex):
    out = score_lexicon(["Neither Washington nor Moscow! The Kiev junta.", "Nothing here."],
                        language=["en", "en"], lexicon=lex)
    assert out["lexicon_all_imperialisms"].tolist() == [3.0, 0.0]
    assert out["lexicon_anti_us"].tolist() == [3.0, 0.0]
    assert out["lexicon_score"].tolist() == [0.0, 0.0]
    assert out.loc[0, "evidence_all_imperialisms"] == \
        "neither washington nor moscow [en-neither-west-east] 3"
    assert out.loc[0, "evidence_anti_us"] == "kiev junta [en-kiev-junta] 3"


def test_lexicon_matches_and_context(lex):
    texts = {"a": "Our answer: against all imperialisms, always."}
    table = lexicon_matches(list(texts.values()), ids=list(texts), language="en", lexicon=lex)
    view = match_context(table, texts, width=12)
    assert view.loc[0, "keyword"] == "all imperialisms"
    assert view.loc[0, "left"] == "er: against"
    assert view.loc[0, "right"] == ", always."


@pytest.mark.parametrize("body, message", [
    ("  - {id: x, pattern: a, pole: pro_china, weight: 1, language: en, rationale: r}",
     "pole 'pro_china'"),
    ("  - {id: x, pattern: a, pole: anti_us, weight: -1, language: en, rationale: r}",
     "weight must be a positive number"),
    ("  - {id: x, pattern: a, pole: anti_us, weight: 1, language: xx, rationale: r}",
     "language 'xx'"),
    ("  - {id: x, pattern: (a, pole: anti_us, weight: 1, language: en, rationale: r}",
     "unbalanced"),
    ("  - {id: x, pattern: a, pole: anti_us, weight: 1, language: en}", "lacks rationale"),
    ("  - {id: x, pattern: a, pole: anti_us, weight: 1, language: en, rationale: r}\n"
     "  - {id: x, pattern: b, pole: anti_us, weight: 1, language: en, rationale: r}",
     "duplicate entry id 'x'"),
    ("  - {id: x, pattern: a, pole: anti_us, weight: 1, language: en, rationale: r, "
     "evidence_type: B1}", "evidence_type 'B1' is not an evidence type of pole anti_us"),
])
def test_load_lexicon_errors_name_file_and_line(tmp_path, body, message):
    path = tmp_path / "lex.yaml"
    path.write_text(f"version: '0'\nlanguages: [en]\nentries:\n{body}\n", encoding="utf-8")
    with pytest.raises(FramingInputError) as err:
        load_lexicon(path)
    assert message in str(err.value)
    assert f"{path} line " in str(err.value)
    assert isinstance(err.value, CorpusInputError)


def test_load_lexicon_bad_yaml(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("version: '0'\nentries: [\n", encoding="utf-8")
    with pytest.raises(FramingInputError, match="not valid YAML"):
        load_lexicon(path)


# --------------------------------------------------------------------------
# The combination rule
# --------------------------------------------------------------------------


@pytest.mark.parametrize("a, u, expected", [
    (0.0, 0.0, "none"),             # no evidence
    (0.5, 0.0, "none"),             # too little evidence: support 0.22 < 0.35
    (1.0, 0.0, "all_imperialisms"),  # support 0.39
    (0.0, 3.0, "anti_us"),
    (3.0, 3.0, "mixed"),            # balanced evidence on both sides
    (3.0, 1.0, "all_imperialisms"),  # 0.39 < 0.6 * 0.78: not balanced enough for mixed
    (2.0, 3.0, "mixed"),            # 0.63 >= 0.6 * 0.78
])
def test_combination_rule_lexicon_only(a, u, expected):
    out = combine_scores(pd.DataFrame({"lexicon_all_imperialisms": [a],
                                       "lexicon_anti_us": [u]}))
    assert out.loc[0, "framing"] == expected
    s_all, s_us = 1 - np.exp(-a / 2), 1 - np.exp(-u / 2)
    assert out.loc[0, "framing_score"] == pytest.approx(s_all - s_us)
    assert out.loc[0, "methods"] == "lexicon"


def test_combination_rule_weights_and_missing_methods():
    df = pd.DataFrame({
        "lexicon_all_imperialisms": [0.0, 0.0],
        "lexicon_anti_us": [0.0, 0.0],
        "classifier_p_anti_us": [0.9, np.nan],
        "classifier_p_all_imperialisms": [0.0, np.nan],
        "classifier_p_mixed": [0.1, np.nan],
        "classifier_p_none": [0.0, np.nan],
    })
    original = df.copy()
    out = combine_scores(df)
    pd.testing.assert_frame_equal(df, original)  # input not mutated
    # lexicon (weight 1) support 0; classifier (weight 1) 0.95 for anti_us -> mean 0.475
    assert out.loc[0, "support_anti_us"] == pytest.approx(0.475)
    assert out.loc[0, "support_all_imperialisms"] == pytest.approx(0.025)
    assert out.loc[0, "framing"] == "anti_us"
    assert out.loc[0, "methods"] == "lexicon+classifier"
    # the second row has no classifier output: the lexicon alone decides
    assert out.loc[1, "framing"] == "none" and out.loc[1, "methods"] == "lexicon"
    # with the classifier weighted 0 both rows are lexicon-only
    zero = combine_scores(df, settings={"weights": {"classifier": 0}})
    assert zero["framing"].tolist() == ["none", "none"]


def test_combination_score_is_bounded_and_signed():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"lexicon_all_imperialisms": rng.exponential(2, 200),
                       "lexicon_anti_us": rng.exponential(2, 200)})
    out = combine_scores(df)
    assert out["framing_score"].between(-1, 1).all()
    more_all = df["lexicon_all_imperialisms"] > df["lexicon_anti_us"]
    assert (np.sign(out["framing_score"]) == np.where(more_all, 1, -1)).all()
    assert set(out["framing"]) <= set(LABELS)
    assert (out.loc[out["framing"] == "all_imperialisms", "framing_score"] > 0).all()
    assert (out.loc[out["framing"] == "anti_us", "framing_score"] < 0).all()


# --------------------------------------------------------------------------
# Gold set, evaluation helpers
# --------------------------------------------------------------------------


def test_gold_file_is_valid_and_covers_the_corpus(sample_corpus):
    gold = read_gold()
    real = gold[~gold["constructed"]]
    assert set(gold["label"]) == set(LABELS)
    assert gold["constructed"].sum() >= 40
    assert set(gold.loc[gold["constructed"], "language"]) >= {"en", "es", "fr", "de", "it", "ru"}
    docs = dict(zip(sample_corpus.documents["doc_id"], sample_corpus.documents["text"],
                    strict=True))

    def norm(t):
        return " ".join(t.split())

    for row in real.itertuples():
        assert norm(row.text) in norm(docs[row.doc_id]), row.item_id
    coded = {norm(t) for t in real["text"]}
    uncoded = [p for p in sample_corpus.paragraphs["text"]
               if not any(norm(p) in c or c in norm(p) for c in coded)]
    assert not uncoded, "corpus paragraphs without a gold label: re-code data/annotations"


@pytest.mark.parametrize("row, message", [
    ("x,g,en,pro_china,c,False,some text", "label 'pro_china'"),
    ("x,g,en,none,c,maybe,some text", "constructed 'maybe' is not one of True, False"),
    ("x,g,en,none,c,False,", "text '' is blank"),
    ("a,g,en,none,c,False,again", "item_id 'a' is a duplicate"),
    ('x,g,en,none,c,False,"two\nlines"\ny,g,en,campist,c,False,z', "label 'campist'"),
])
def test_read_gold_errors(tmp_path, row, message):
    path = tmp_path / "gold.csv"
    path.write_text("item_id,group,language,label,coder,constructed,text\n"
                    f"a,g,en,none,c,False,fine\n{row}\n", encoding="utf-8")
    line = 5 if "two" in row else 3  # a quoted text over two lines: the next record is line 5
    with pytest.raises(FramingInputError, match=re.escape(f"{path} line {line}: {message}")):
        read_gold(path)


def test_read_gold_missing_column(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("item_id,label\na,none\n", encoding="utf-8")
    with pytest.raises(FramingInputError, match="missing column.*group, language, coder"):
        read_gold(path)


def test_macro_f1_matches_scikit_learn_and_ci_brackets_it():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(1)
    truth = rng.choice(LABELS, 80)
    pred = np.where(rng.random(80) < 0.7, truth, rng.choice(LABELS, 80))
    res = macro_f1_ci(truth, pred, groups=np.arange(80) // 4, n_resamples=300)
    assert res["macro_f1"] == pytest.approx(f1_score(truth, pred, average="macro"))
    assert res["ci_low"] <= res["macro_f1"] <= res["ci_high"]
    assert res["n"] == 80 and res["n_clusters"] == 20


def test_confusion_and_agreement_tables():
    gold = pd.DataFrame({"label": ["none", "anti_us", "mixed", "none"],
                         "group": ["a", "a", "b", "c"], "constructed": [False, False, True, True]})
    labels = pd.DataFrame({"lexicon": ["none", "anti_us", "anti_us", None]})
    conf = confusion_table(gold["label"], labels["lexicon"].fillna("none"))
    assert len(conf) == 16 and conf["n"].sum() == 4
    assert conf.set_index(["true", "predicted"]).loc[("mixed", "anti_us"), "n"] == 1
    table = agreement_table(gold, labels, n_resamples=50).set_index("subset")
    assert table.loc["corpus", "macro_f1"] == 1.0
    assert table.loc["constructed", "n"] == 1  # the missing prediction is left out
    assert table.loc["all", "accuracy"] == pytest.approx(2 / 3)


def test_krippendorff_alpha():
    import krippendorff

    codings = pd.DataFrame({
        "item_id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
        "coder": ["a", "b"] * 5,
        "label": ["none", "none", "mixed", "mixed", "anti_us", "none", "none", "none",
                  "all_imperialisms", "all_imperialisms"]})
    value = krippendorff_alpha(codings)
    codes = {"all_imperialisms": 0, "anti_us": 1, "mixed": 2, "none": 3}
    data = codings.pivot(index="coder", columns="item_id", values="label").replace(codes)
    assert value == pytest.approx(krippendorff.alpha(reliability_data=data.to_numpy(float),
                                                     level_of_measurement="nominal"))
    perfect = codings.assign(label=codings["item_id"].map({1: "none", 2: "mixed", 3: "none",
                                                           4: "anti_us", 5: "none"}))
    assert krippendorff_alpha(perfect) == pytest.approx(1.0)


# --------------------------------------------------------------------------
# LSS
# --------------------------------------------------------------------------

LSS_TEXTS = ["Putin ordered the invasion and the occupation of Ukraine.",
             "The Kremlin invasion is an occupation.",
             "The junta came with the coup in Kiev.",
             "A coup installed the junta."] * 3


def test_lss_words_are_the_package_tokens():
    # U.S. and US are one term that keeps its case (the pronoun "us" is a stop
    # word); "Putin's" counts as "putin"; numbers are never terms.
    texts = ["The U.S. coup in Kiev, 2014.", "The US coup helped us.",
             "Putin's invasion.", "Putin ordered the invasion."]
    lss = LatentSemanticScaler({"invasion": 1, "coup": -1}, k=2, min_count=2).fit(texts)
    assert lss.frequency_["US"] == 2 and lss.frequency_["putin"] == 2
    assert not {"us", "usa", "2014", "'s", "s"} & set(lss.terms_)


@pytest.mark.parametrize("vectors", ["svd", "embedding"])
def test_lss_scales_in_the_direction_of_the_seeds(vectors, tmp_path):
    lss = LatentSemanticScaler({"invasion": 1, "occupation": 1, "coup": -1, "junta": -1},
                               vectors=vectors, k=3, min_count=1, encoder=HashEncoder(),
                               model_key="hash", cache_dir=tmp_path).fit(LSS_TEXTS)
    scores = lss.score(["occupation by the Kremlin", "the junta after the coup", "hello"])
    assert scores.loc[0, "lss_score"] > 0 > scores.loc[1, "lss_score"]
    assert np.isnan(scores.loc[2, "lss_score"]) and scores.loc[2, "lss_n_terms"] == 0
    assert (scores["lss_se"].dropna() >= 0).all()


def test_lss_aggregate_equals_the_concatenated_text():
    lss = LatentSemanticScaler({"invasion": 1, "coup": -1}, k=3, min_count=1).fit(LSS_TEXTS)
    parts = ["Putin and the invasion.", "The coup and the junta in Kiev."]
    joined = lss.score([" ".join(parts)]).iloc[0]
    agg = lss.aggregate(lss.score(parts))
    assert agg["lss_score"] == pytest.approx(joined["lss_score"])
    assert agg["lss_se"] == pytest.approx(joined["lss_se"])
    assert agg["lss_n_terms"] == joined["lss_n_terms"]


def test_lss_diagnostics():
    lss = LatentSemanticScaler({"invasion": 1, "occupation": 1, "coup": -1, "junta": -1,
                                "absent": -1}, k=3, min_count=1).fit(LSS_TEXTS)
    seeds = lss.seed_table().set_index("seed")
    assert not seeds.loc["absent", "in_vocabulary"]
    assert seeds.loc["invasion", "frequency"] == 6
    assert seeds.loc["invasion", "polarity"] > 0 > seeds.loc["coup", "polarity"]
    assert seeds.loc["coup", "weight"] == pytest.approx(-0.5)
    assert seeds["loo_r"].dropna().between(-1, 1).all()
    nearest = lss.nearest_terms(n=3)
    assert (nearest["term"] != nearest["seed"]).all()
    assert nearest.groupby("seed").size().eq(3).all()
    terms = lss.terms(n=2)
    assert terms.loc[terms["pole"] == "all_imperialisms", "polarity"].min() > \
        terms.loc[terms["pole"] == "anti_us", "polarity"].max()


def test_lss_without_seeds_fails():
    with pytest.raises(ValueError, match="none of the seed words"):
        LatentSemanticScaler({"nothing": 1}, min_count=1).fit(LSS_TEXTS)


# --------------------------------------------------------------------------
# Model, aggregation and score_framing (fast: hashed fake encoder)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_model(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return FramingModel(encoder=HashEncoder(), model_key="hash", cache_dir=cache).fit()


def test_split_text_cleans_raw_text():
    raw = "Title\r\n\r\nBody \u201cquoted\u201d.\n\nContinue reading \u2192\n\nShare this:"
    assert split_text(raw) == ["Title", 'Body "quoted".']
    assert split_text(None) == []


def test_score_framing_one_row_per_text(fake_model):
    texts = ["Against all imperialisms!\n\nNeither Washington nor Moscow.",
             "",
             "El imperialismo yanqui es el enemigo principal de los pueblos.",
             "The meeting is on Sunday at noon in the union hall."]
    out = score_framing(texts, language=["en", "en", "es", "en"], model=fake_model)
    assert len(out) == 4
    assert out["framing"].tolist()[:3] == ["all_imperialisms", "none", "anti_us"]
    assert out.loc[0, "n_paragraphs"] == 2
    assert out.loc[1, "n_paragraphs"] == 0 and out.loc[1, "framing_score"] == 0
    assert out.loc[2, "methods"] == "lexicon"  # Spanish: lexicon only
    assert np.isnan(out.loc[2, "classifier_score"])
    assert out.loc[0, "methods"] == "lexicon+prototypes+classifier"
    assert "all imperialisms [en-all-imperialisms] 3" in out.loc[0, "evidence_all_imperialisms"]
    assert out.loc[0, "lexicon_version"] == load_lexicon().version
    assert (out["framing_score"] > 0).tolist()[:3] == [True, False, False]


def test_score_framing_detects_languages(fake_model):
    out = score_framing(["Contra todos los imperialismos: ni Washington ni Moscú, decimos hoy.",
                         "Против всех империализмов: ни Вашингтон, ни Москва, говорим мы."],
                        model=fake_model)
    assert out["language"].tolist() == ["es", "ru"]
    assert out["framing"].tolist() == ["all_imperialisms", "all_imperialisms"]


def test_aggregate_sums_lexicon_evidence(fake_model):
    paras = ["Russian imperialism invaded.", "The Kiev junta.", "Nothing to see."]
    scored = fake_model.score_paragraphs(paras, language="en").assign(doc=["d", "d", "d"])
    agg = fake_model.aggregate(scored, by="doc").iloc[0]
    assert agg["lexicon_all_imperialisms"] == scored["lexicon_all_imperialisms"].sum()
    assert agg["lexicon_anti_us"] == scored["lexicon_anti_us"].sum()
    assert agg["n_paragraphs"] == 3
    assert agg["n_framed_paragraphs"] == int((scored["framing"] != "none").sum())
    assert "kiev junta [en-kiev-junta] 3" in agg["evidence_anti_us"]


def _bootstrap_framing_by_copying(paragraph_scores, *, by, model, n_resamples, random_state):
    """The bootstrap with each resample's rows copied and aggregated by the model.

    The generic form of the package's cluster bootstrap (same draws: posts).
    """
    from analysis.stats.bootstrap import cluster_bootstrap, group_rng

    point = model.aggregate(paragraph_scores, by=by)
    rows = []
    for key, group in paragraph_scores.groupby(by, sort=True):
        def score(rows, group=group):
            copy = group.iloc[rows].assign(_one=0)
            return model.aggregate(copy, by="_one")["framing_score"].iloc[0]

        res = cluster_bootstrap(score, group["post_id"].to_numpy(), n_resamples=n_resamples,
                                random_state=group_rng(random_state, (key,)))
        rows.append({by: key, "ci_low": res.ci_low[0], "ci_high": res.ci_high[0]})
    return point.merge(pd.DataFrame(rows), on=by, how="left")


def _scored_paragraphs(fake_model):
    from analysis.scale.simulate import simulate_corpus

    sim = simulate_corpus(40, seed=3)
    paras = [(src, post, p) for src, post, text in
             zip(sim.posts["source"], sim.posts["key"], sim.posts["text"], strict=True)
             for p in text.split("\n\n")]
    paras += [("foreign", "f1", "El imperialismo yanqui es el enemigo principal."),
              ("foreign", "f2", "Contra todos los imperialismos."),
              ("single", "s1", "The Kiev junta.")]
    scored = fake_model.score_paragraphs([p for _, _, p in paras],
                                         language=["es" if s == "foreign" else "en"
                                                    for s, _, _ in paras])
    scored["source"] = [s for s, _, _ in paras]
    scored["post_id"] = [post for _, post, _ in paras]
    return scored


def test_bootstrap_framing_weights_match_copied_resamples(fake_model):
    from analysis.framing import bootstrap_framing

    scored = _scored_paragraphs(fake_model)
    assert scored["lss_sum"].notna().any() and (scored["framing"] != "none").any()
    fast = bootstrap_framing(scored, by="source", model=fake_model, n_resamples=60,
                             random_state=7)
    slow = _bootstrap_framing_by_copying(scored, by="source", model=fake_model, n_resamples=60,
                                         random_state=7)
    assert fast["source"].tolist() == slow["source"].tolist()
    assert len(fast) == 7
    np.testing.assert_allclose(fast["framing_score"], slow["framing_score"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast[["ci_low", "ci_high"]], slow[["ci_low", "ci_high"]],
                               rtol=0, atol=1e-9)
    assert (fast["ci_high"] > fast["ci_low"]).sum() >= 4
    # A source with one post has no interval: one post cannot show spread between posts.
    single = fast.set_index("source").loc["single"]
    assert single["n_clusters"] == 1 and np.isnan(single["ci_low"])
    # Another seed draws other resamples.
    other = bootstrap_framing(scored, by="source", model=fake_model, n_resamples=60,
                              random_state=8)
    assert not np.allclose(other[["ci_low", "ci_high"]].fillna(0),
                           fast[["ci_low", "ci_high"]].fillna(0))


def test_bootstrap_framing_resamples_posts_not_paragraphs(fake_model):
    from analysis.framing import bootstrap_framing

    scored = _scored_paragraphs(fake_model)
    by_post = bootstrap_framing(scored, by="source", model=fake_model, n_resamples=300)
    by_paragraph = bootstrap_framing(scored, by="source", model=fake_model, cluster=None,
                                     n_resamples=300)
    assert (by_paragraph["n_clusters"] == by_paragraph["n_paragraphs"]).all()
    assert (by_post["n_clusters"] < by_post["n_paragraphs"]).any()
    with pytest.raises(KeyError, match="post_id"):
        bootstrap_framing(scored.drop(columns="post_id"), by="source", model=fake_model)


def test_method_labels(fake_model):
    scored = fake_model.score_paragraphs(["Against all imperialisms!", "Hola"],
                                         language=["en", "es"])
    labels = method_labels(scored)
    assert list(labels.columns) == ["lexicon", "lss", "prototypes", "classifier", "combined"]
    assert labels.loc[0, "lexicon"] == "all_imperialisms"
    assert labels.loc[1, "lexicon"] == "none" and pd.isna(labels.loc[1, "classifier"])


def test_cross_validation_keeps_groups_together(tmp_path):
    gold = read_gold()
    cv = cross_validate_classifier(gold, encoder=HashEncoder(), model_key="hash",
                                   cache_dir=tmp_path)
    english = gold[gold["language"] == "en"].reset_index(drop=True)
    assert cv["item_id"].tolist() == english["item_id"].tolist()
    folds = english.assign(fold=cv["fold"]).groupby("group")["fold"].nunique()
    assert (folds == 1).all()
    p = cv[[f"classifier_p_{lb}" for lb in LABELS]].sum(axis=1)
    assert np.allclose(p, 1)


def test_sample_documents_raw_text(raw_texts):
    """The raw sample documents, cleaned inside score_framing, get the expected lexicon label."""
    ids = ["essf-elaliberta-2022", "saru-blog-2015", "ilps-week-2020"]
    out = score_framing([raw_texts[i] for i in ids], methods=("lexicon",))
    assert out["framing"].tolist() == ["all_imperialisms", "anti_us", "anti_us"]
    assert (out["n_paragraphs"] > 5).all()


# --------------------------------------------------------------------------
# The real model (slow)
# --------------------------------------------------------------------------


@pytest.mark.slow
def test_unseen_documents_real_model():
    rows = [json.loads(line) for line in
            (config.DATA / "examples" / "unseen.jsonl").read_text().splitlines()]
    out = score_framing([r["text"] for r in rows], measure="paragraph")
    assert out["framing"].tolist() == [r["intended_framing"] for r in rows]
    english = out["language"] == "en"
    assert out.loc[english, "methods"].eq("lexicon+prototypes+classifier").all()
    assert out.loc[~english, "methods"].eq("lexicon").all()
    assert out.loc[english, "lss_score"].notna().all()


@pytest.mark.slow
def test_real_model_separates_clear_paragraphs():
    texts = textwrap.dedent("""\
        US imperialism is the main enemy of the world's peoples; hands off Venezuela and Cuba!
        Russian troops out of Ukraine, and no to NATO: we oppose all imperialisms.
        The meeting starts at seven in the union hall; bring a friend.""").splitlines()
    out = score_framing(texts, language="en", measure="paragraph")
    assert out["framing"].tolist() == ["anti_us", "all_imperialisms", "none"]
    assert out.loc[0, "framing_score"] < 0 < out.loc[1, "framing_score"]
    assert out.loc[0, "classifier_p_anti_us"] > out.loc[0, "classifier_p_all_imperialisms"]
