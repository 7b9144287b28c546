"""Topic modelling (analysis.topics.model) and its figures (analysis.plots.topics).

Fast tests use fake embeddings: three themes, each a tight cloud around its
own random direction, with texts drawn from the theme's own words.  The slow
test uses the packaged MiniLM on the sample corpus.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.plots import save_figure
from analysis.plots.topics import (
    OUTLIER_COLOR,
    plot_evaluation,
    plot_prevalence,
    plot_topic_sizes,
    topic_colors,
)
from analysis.stats.compare import add_period, share_ci
from analysis.topics.evaluate import adequacy, evaluate_topics, npmi_coherence, topic_diversity
from analysis.topics.model import DocTopics, TopicInfo, fit_topics, make_topic_model
from analysis.topics.persist import load_topic_model, save_topic_model
from analysis.topics.units import LanguagePolicyWarning, LazyEncoder, embed_units, select_units
from analysis.topics.vocabulary import build_vocabulary

matplotlib.use("Agg")

THEMES = {
    "war": "war army front troops missile ukraine invasion soldiers",
    "labour": "strike union workers wages factory bosses picket contract",
    "climate": "climate emissions carbon flood drought warming fossil energy",
}


def fake_units(themes: dict[str, str] = THEMES, *, n_per: int = 15, seed: int = 0
               ) -> tuple[pd.DataFrame, np.ndarray]:
    """Units shaped like select_units() output, and their fake embeddings.

    Three paragraphs per post; each theme is one source and spans two years.
    """
    rng = np.random.default_rng(seed)
    centres = {name: rng.normal(size=32) for name in themes}
    rows, vectors = [], []
    for name, words in themes.items():
        for i in range(n_per):
            post = f"{name}-{i // 3:02d}"
            rows.append({
                "paragraph_id": f"{post}/{i % 3 + 1:03d}", "post_id": post, "doc_id": name,
                "source": f"source-{name}", "date": pd.Timestamp(2018 + i % 2, 3, 1),
                "language": "en", "n_words": 16,
                "text": " ".join(rng.choice(words.split(), size=12)) + " and the common people",
                "theme": name,
            })
            vectors.append(centres[name] + 0.3 * rng.normal(size=32))
    units = pd.DataFrame(rows).astype({"paragraph_id": "string"})
    return units, np.asarray(vectors, dtype=np.float32)


@pytest.fixture(scope="module")
def fake():
    return fake_units()


@pytest.fixture(scope="module")
def fake_fit(fake):
    units, embeddings = fake
    return fit_topics(units, embeddings, min_topic_size=5, seed=config.SEED)


class FakeEncoder:
    """Deterministic fake sentence encoder that counts its calls."""

    def __init__(self):
        self.calls = 0

    def encode(self, texts, **kwargs):
        self.calls += 1
        return np.array([[len(t), t.count(" "), sum(map(ord, t)) % 97] for t in texts],
                        dtype=np.float32)


# --------------------------------------------------------------------------- units


def test_select_units_default_is_english_canonical_paragraphs(sample_corpus):
    units, excluded = select_units(sample_corpus)
    paragraphs = sample_corpus.paragraphs
    assert len(units) + len(excluded) == len(paragraphs)
    assert set(units["language"]) == {"en"}
    kept = paragraphs.set_index("paragraph_id").loc[units["paragraph_id"]]
    assert kept["is_canonical"].all()
    assert (units["n_words"] >= 10).all()
    reasons = excluded.set_index("unit_id")["reason"]
    # the es/fr/ru statements are translations of English posts: they leave as such
    foreign = paragraphs.loc[paragraphs["language"] != "en", "paragraph_id"]
    assert len(foreign) == 3 and set(reasons[foreign]) == {"not_canonical"}
    assert set(reasons) <= {"not_canonical", "language", "short"}
    assert not units["paragraph_id"].duplicated().any()


def test_select_units_posts_and_language_warning(sample_corpus):
    posts, excluded = select_units(sample_corpus, unit="post", min_words=0)
    assert posts["paragraph_id"].isna().all()
    assert posts["post_id"].is_unique
    assert len(posts) == int((sample_corpus.posts["is_canonical"]
                              & (sample_corpus.posts["language"] == "en")).sum())
    assert excluded["unit_id"].equals(excluded["post_id"])
    with pytest.warns(LanguagePolicyWarning, match="English model"):
        units, _ = select_units(sample_corpus, languages=None, canonical_only=False, min_words=0)
    assert len(units) == len(sample_corpus.paragraphs)
    with pytest.raises(ValueError, match="unit must be one of"):
        select_units(sample_corpus, unit="sentence")


# --------------------------------------------------------------------------- embedding


def test_embed_units_uses_the_cache_and_loads_nothing_when_cached(tmp_path, fake):
    units, _ = fake
    first = LazyEncoder(FakeEncoder())
    a = embed_units(units, encoder=first, model_key="fake", cache_dir=tmp_path)
    assert first.n_calls == 1 and first.n_texts == units["text"].nunique()
    second = LazyEncoder(FakeEncoder())
    b = embed_units(units.iloc[::-1], encoder=second, model_key="fake", cache_dir=tmp_path)
    assert second.n_calls == 0 and second.encoder.calls == 0
    np.testing.assert_array_equal(a[::-1], b)
    with pytest.raises(ValueError, match="model_key"):
        embed_units(units, encoder=FakeEncoder(), cache_dir=tmp_path)


# --------------------------------------------------------------------------- model


def test_make_topic_model_is_seeded_and_uses_the_fixed_vocabulary():
    model = make_topic_model(seed=7, min_topic_size=4, vocabulary=["peace", "war"])
    assert model.umap_model.random_state == 7
    assert model.umap_model.metric == "cosine"
    assert model.hdbscan_model.min_cluster_size == 4
    assert model.vectorizer_model.vocabulary == ["peace", "war"]
    assert model.embedding_model is None and model.language is None
    with pytest.raises(ValueError, match="min_topic_size"):
        make_topic_model(min_topic_size=1)


def test_vocabulary_counts_units_not_topics():
    texts = ["war and peace", "war on want", "peace now", "war again"]
    assert build_vocabulary(texts, min_df=2, max_df=1.0) == ["peace", "war"]
    # max_df: "war" is in 3 of 4 units
    assert build_vocabulary(texts, min_df=2, max_df=0.5) == ["peace"]
    # numbers and single letters are not words
    assert build_vocabulary(["in 2020 a war", "war of 2020"], min_df=1, max_df=1.0) == ["war"]


def test_vocabulary_keeps_the_us_apart_from_the_pronoun():
    # "U.S." and "US" are one topic word, "US"; the stop word "us" is dropped;
    # elided articles ("l'") and possessive "'s" are not words.
    texts = ["U.S. bases and NATO's war", "the US told us", "l'OTAN et l'impérialisme"]
    vocab = build_vocabulary(texts, min_df=1, max_df=1.0)
    assert "US" in vocab and "NATO" in vocab and "OTAN" in vocab and "impérialisme" in vocab
    assert not {"us", "u", "s", "l'", "'s", "nato"} & set(vocab)
    assert build_vocabulary(texts, min_df=2, max_df=1.0) == ["US"]


def test_fit_recovers_the_themes(fake, fake_fit):
    units, _ = fake
    fit = fake_fit
    assert fit.n_topics == 3
    assert fit.outlier_share == {"before": 0.0, "after": 0.0}
    table = pd.crosstab(units["theme"], fit.doc_topics["topic"])
    assert (table.gt(0).sum(axis=1) == 1).all() and (table.gt(0).sum(axis=0) == 1).all()
    # each topic's top words are its theme's words
    theme_of_topic = table.idxmax(axis=0).to_dict()
    for topic, words in fit.top_words(5).items():
        assert set(words) <= set(THEMES[theme_of_topic[topic]].split()), (topic, words)


def test_fit_tables(fake, fake_fit):
    units, _ = fake
    doc_topics, info = fake_fit.doc_topics, fake_fit.topic_info
    DocTopics.validate(doc_topics)
    TopicInfo.validate(info)
    assert doc_topics["paragraph_id"].tolist() == units["paragraph_id"].tolist()
    assert doc_topics["post_id"].tolist() == units["post_id"].tolist()
    assert doc_topics["probability"].between(0, 1).all()
    assert info["size"].sum() == len(units)
    assert info["share"].sum() == pytest.approx(1.0)
    assert info["size"].is_monotonic_decreasing
    sizes = doc_topics["topic"].value_counts()
    assert info.set_index("topic")["size"].to_dict() == sizes.to_dict()
    for _, row in info.iterrows():
        reps = row["representative_ids"].split("; ")
        assert len(reps) == 3
        assert set(doc_topics.set_index("paragraph_id").loc[reps, "topic"]) == {row["topic"]}
    assert "the" not in info["top_words"].str.cat(sep=", ").split(", ")   # stop words out


def test_fit_does_not_depend_on_input_order(fake, fake_fit):
    units, embeddings = fake
    order = np.random.default_rng(11).permutation(len(units))
    shuffled = fit_topics(units.iloc[order].reset_index(drop=True), embeddings[order],
                          min_topic_size=5, seed=config.SEED)
    # same topic per paragraph, with the same labels (not just up to permutation)
    merged = fake_fit.doc_topics.merge(shuffled.doc_topics, on="paragraph_id")
    assert len(merged) == len(units)
    assert (merged["topic_x"] == merged["topic_y"]).all()
    np.testing.assert_allclose(merged["probability_x"], merged["probability_y"])
    pd.testing.assert_frame_equal(fake_fit.topic_info, shuffled.topic_info)


def test_fit_does_not_mutate_its_inputs(fake):
    units, embeddings = fake
    units_before, emb_before = units.copy(), embeddings.copy()
    fit_topics(units, embeddings, min_topic_size=5)
    pd.testing.assert_frame_equal(units, units_before)
    np.testing.assert_array_equal(embeddings, emb_before)


def test_only_outliers_does_not_crash(fake, tmp_path):
    units, embeddings = fake
    # HDBSCAN never returns one cluster by default, and two clusters of 23
    # cannot fit in 45 units: everything is an outlier.
    fit = fit_topics(units, embeddings, min_topic_size=23, reduce_outliers="embeddings")
    assert fit.n_topics == 0
    assert fit.outlier_share == {"before": 1.0, "after": 1.0}
    assert not fit.doc_topics["outlier_reassigned"].any()
    assert fit.topic_info["topic"].tolist() == [-1]
    assert "no topic" in adequacy(fit)
    evaluation = evaluate_topics(fit).set_index("model")
    assert evaluation.loc["BERTopic", "n_topics"] == 0
    assert math.isnan(evaluation.loc["BERTopic", "npmi"])
    assert evaluation.loc["LDA", "n_topics"] == 2
    shares = share_ci(fit.doc_topics, by="source", value="topic", n_resamples=50)
    assert (shares["share"] == 1.0).all()
    plot_topic_sizes(fit.topic_info)
    plot_prevalence(shares, x="source")
    plot_evaluation(evaluation.reset_index())
    matplotlib.pyplot.close("all")
    loaded = load_topic_model(save_topic_model(fit, tmp_path / "model"))
    # BERTopic does not save the tokenizer; the loaded vectorizer gets it back.
    assert loaded.vectorizer_model.build_analyzer()("The U.S. war, 2022") == ["US", "war"]


def test_one_topic_does_not_crash():
    units, embeddings = fake_units({"war": THEMES["war"]}, n_per=20)
    fit = fit_topics(units, embeddings, min_topic_size=5, allow_single_cluster=True,
                     reduce_outliers="embeddings")
    assert fit.n_topics == 1
    assert fit.outlier_share["after"] == 0.0
    reassigned = fit.doc_topics["outlier_reassigned"]
    assert reassigned.mean() == pytest.approx(fit.outlier_share["before"])
    assert (fit.doc_topics.loc[reassigned, "probability"] == 0).all()
    assert fit.model.topic_embeddings_.shape == (1, embeddings.shape[1])
    evaluation = evaluate_topics(fit)
    assert evaluation["n_topics"].tolist() == [1, 1, 1]
    assert evaluation["diversity"].tolist() == [1.0, 1.0, 1.0]


def test_no_outliers_to_reduce_changes_nothing(fake, fake_fit):
    units, embeddings = fake
    reduced = fit_topics(units, embeddings, min_topic_size=5, reduce_outliers="c-tf-idf")
    pd.testing.assert_frame_equal(reduced.doc_topics, fake_fit.doc_topics)


@pytest.mark.parametrize(("change", "message"), [
    (lambda u, e: (u.head(5), e[:5]), "too few"),
    (lambda u, e: (u, e[:-1]), "one row per unit"),
    (lambda u, e: (u.assign(paragraph_id=u["paragraph_id"].iloc[0]), e), "unique"),
    (lambda u, e: (u.drop(columns="text"), e), "text"),
])
def test_fit_errors_name_the_problem(fake, change, message):
    units, embeddings = change(*fake)
    with pytest.raises((ValueError, KeyError), match=message):
        fit_topics(units, embeddings)


def test_save_and_load_offline_with_safetensors(fake, fake_fit, tmp_path):
    folder = save_topic_model(fake_fit, tmp_path / "model")
    names = {p.name for p in folder.iterdir()}
    assert {"topic_embeddings.safetensors", "ctfidf.safetensors", "config.json",
            "topics.json", "doc_topics.parquet", "topic_info.parquet"} <= names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".bin"))]
    model = load_topic_model(folder)
    assert model.get_topic_info()["Count"].tolist() == \
        fake_fit.model.get_topic_info()["Count"].tolist()
    np.testing.assert_allclose(model.topic_embeddings_, fake_fit.model.topic_embeddings_)
    loaded, fitted = model.get_topic(0), fake_fit.model.get_topic(0)
    assert [w for w, _ in loaded] == [w for w, _ in fitted]
    np.testing.assert_allclose([v for _, v in loaded], [v for _, v in fitted])
    units, embeddings = fake
    topics, _ = model.transform(units["text"].tolist(), embeddings=embeddings)
    assert list(topics) == fake_fit.doc_topics["topic"].tolist()
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "doc_topics.parquet"),
                                  fake_fit.doc_topics, check_dtype=False)
    with pytest.raises(FileNotFoundError, match="no saved topic model"):
        load_topic_model(tmp_path)


# --------------------------------------------------------------------------- evaluation


TOY = ["war peace", "war peace", "war", "bread"]
TOY_VOCAB = ["bread", "land", "peace", "war"]


@pytest.mark.parametrize(("words", "expected"), [
    # p(war)=3/4, p(peace)=1/2, p(war, peace)=1/2: log(4/3) / log 2
    (["war", "peace"], math.log(4 / 3) / math.log(2)),
    # never together
    (["peace", "bread"], -1.0),
    # p(war)=3/4, p(bread)=1/4, never together; and war-peace as above
    (["war", "peace", "bread"], (math.log(4 / 3) / math.log(2) - 1 - 1) / 3),
    # a word absent from every text is skipped, not counted as -1
    (["war", "peace", "land"], math.log(4 / 3) / math.log(2)),
])
def test_npmi_by_hand(words, expected):
    out = npmi_coherence({0: words}, TOY, vocabulary=TOY_VOCAB)
    assert out.loc[0, "npmi"] == pytest.approx(expected)


def test_npmi_extremes_and_independence():
    # a and b always together -> 1; a and c independent (p=1/2 each, 1/4 joint) -> 0
    texts = ["aa bb cc", "aa bb", "dd cc", "dd"]
    out = npmi_coherence({0: ["aa", "bb"], 1: ["aa", "cc"], 2: ["aa"]}, texts,
                         vocabulary=["aa", "bb", "cc", "dd"]).set_index("topic")
    assert out.loc[0, "npmi"] == pytest.approx(1.0)
    assert out.loc[1, "npmi"] == pytest.approx(0.0)
    assert math.isnan(out.loc[2, "npmi"]) and out.loc[2, "n_pairs"] == 0


def test_topic_diversity_by_hand():
    assert topic_diversity({0: ["a", "b", "c"], 1: ["a", "d", "e"]}) == pytest.approx(5 / 6)
    assert topic_diversity({0: ["a", "b"], 1: ["b", "a"]}) == 0.5
    assert math.isnan(topic_diversity({}))


def test_evaluation_table(fake_fit):
    evaluation = evaluate_topics(fake_fit)
    assert evaluation["model"].tolist() == ["BERTopic", "LDA", "NMF"]
    assert evaluation["n_topics"].tolist() == [3, 3, 3]
    assert evaluation["npmi"].between(-1, 1).all()
    assert evaluation["diversity"].between(0, 1).all()
    assert (evaluation["n_vocabulary"] == len(fake_fit.vocabulary)).all()
    # three disjoint word sets: BERTopic's topics share no top word
    assert evaluation.set_index("model").loc["BERTopic", "diversity"] == 1.0
    pd.testing.assert_frame_equal(evaluation, evaluate_topics(fake_fit))   # seeded


# --------------------------------------------------------------------------- figures


def test_topic_figures_draw_what_they_are_given(fake_fit, tmp_path):
    info = fake_fit.topic_info
    ax = plot_topic_sizes(info)
    assert [p.get_width() for p in ax.patches] == info["size"].tolist()
    assert ax.get_yticklabels()[0].get_text().startswith("0: ")
    shares = share_ci(fake_fit.doc_topics.pipe(add_period), by="period", value="topic",
                      n_resamples=200)
    ax = plot_prevalence(shares, x="period")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2018", "2019"]
    assert len(ax.containers) == fake_fit.n_topics       # one errorbar set per topic
    one_post = share_ci(fake_fit.doc_topics.assign(post_id="all"), by="source",
                        value="topic", n_resamples=50)
    ax = plot_prevalence(one_post, x="source")
    assert "no interval" in ax.get_legend().get_texts()[-1].get_text()
    evaluation = evaluate_topics(fake_fit)
    ax = plot_evaluation(evaluation)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "BERTopic (k=3)", "LDA (k=3)", "NMF (k=3)"]
    paths = [save_figure(plot_topic_sizes(info).figure, "sizes", directory=tmp_path / d)[0]
             for d in ("a", "b")]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    matplotlib.pyplot.close("all")


def test_topic_colors_are_fixed():
    colors = topic_colors([2, -1, 0, 1])
    assert colors[-1] == OUTLIER_COLOR
    assert len({colors[0], colors[1], colors[2]}) == 3
    assert topic_colors([0])[0] == colors[0]


# --------------------------------------------------------------------------- real model


CHILD = textwrap.dedent("""
    import json, sys
    import numpy as np
    from analysis.corpus.build import build_corpus
    from analysis import config
    from analysis.text.embeddings import model_key
    from analysis.topics.model import fit_topics
    from analysis.topics.units import LazyEncoder, embed_units, select_units
    corpus = build_corpus(config.MANIFEST, post_metadata=config.POST_METADATA, out_dir=None)
    units, _ = select_units(corpus)
    encoder = LazyEncoder()
    emb = embed_units(units, encoder=encoder, model_key=model_key(), cache_dir=sys.argv[1])
    fit = fit_topics(units, emb, seed=42, min_topic_size=5)
    print(json.dumps({"calls": encoder.n_calls,
                      "topics": dict(zip(fit.doc_topics["paragraph_id"],
                                         fit.doc_topics["topic"].tolist()))}))
""")


@pytest.mark.slow
def test_real_model_is_cached_deterministic_and_order_free(sample_corpus, tmp_path):
    from analysis.text.embeddings import load_encoder, model_key

    units, _ = select_units(sample_corpus)
    cache = tmp_path / "embeddings"
    first = LazyEncoder(load_encoder())
    cold = embed_units(units, encoder=first, model_key=model_key(), cache_dir=cache)
    assert first.n_calls == 1 and first.n_texts == len(units)
    assert cold.dtype == np.float32 and cold.shape == (len(units), 384)

    # A second process reads the same cache (no embedding) and fits the same
    # model; it runs while this process fits.
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(cache)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env,
                             cwd=Path(config.ROOT))

    second = LazyEncoder(load_encoder())
    warm = embed_units(units, encoder=second, model_key=model_key(), cache_dir=cache)
    assert second.n_calls == 0
    np.testing.assert_array_equal(cold, warm)
    # plain encode output, not re-normalised (batch composition moves the
    # last bits, hence the tolerance)
    direct = load_encoder().encode(units["text"].tolist()[:3])
    np.testing.assert_allclose(direct, cold[:3], rtol=0, atol=1e-6)

    fit = fit_topics(units, warm, seed=42, min_topic_size=5)
    assert fit.n_topics >= 1
    order = np.random.default_rng(3).permutation(len(units))
    shuffled = fit_topics(units.iloc[order], warm[order], seed=42, min_topic_size=5)
    merged = fit.doc_topics.merge(shuffled.doc_topics, on="paragraph_id")
    assert (merged["topic_x"] == merged["topic_y"]).all()

    if fit.outlier_share["before"] > 0:
        reduced = fit_topics(units, warm, seed=42, min_topic_size=5,
                             reduce_outliers="embeddings")
        assert reduced.outlier_share["after"] == 0.0
        kept = ~reduced.doc_topics["outlier_reassigned"]
        assert (reduced.doc_topics.loc[kept, "topic"] == fit.doc_topics.loc[kept, "topic"]).all()

    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err[-2000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["calls"] == 0
    assert result["topics"] == dict(zip(fit.doc_topics["paragraph_id"],
                                        fit.doc_topics["topic"].tolist(), strict=True))
