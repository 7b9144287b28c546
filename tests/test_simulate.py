"""The simulator: deterministic, planted structure as stated, recovered by the pipeline."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.corpus.build import build_corpus
from analysis.scale.simulate import (
    DEFAULT_SOURCES,
    EVENT_DATE,
    FRAMINGS,
    TOPICS,
    Source,
    planted_share,
    planted_shares,
    simulate_corpus,
)

#: simulate_corpus(300, seed=42) as it was before the labels were renamed
#: (campist -> anti_us, internationalist -> all_imperialisms) and the vocabulary
#: moved to data/simulate/vocabulary.yaml, with the new label names: the same corpus.
SEED_42_DIGEST = "14b811c84897fff584bd58f6907e002b39c0ef7c702e95ff6a5d43e61d9b1dc8"
SEED_42_FRAMINGS = {"anti_us": 164, "all_imperialisms": 136}


@pytest.fixture(scope="module")
def sim():
    return simulate_corpus(300, seed=11)


@pytest.fixture(scope="module")
def built(sim, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sim")
    manifest = sim.write(folder)
    corpus = build_corpus(manifest, post_metadata=folder / "posts.csv", out_dir=None)
    return sim, corpus


def test_generator_is_deterministic(tmp_path):
    a, b = simulate_corpus(80, seed=3), simulate_corpus(80, seed=3)
    pd.testing.assert_frame_equal(a.posts, b.posts)
    a.write(tmp_path / "a")
    b.write(tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file())
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
                         for f in files)
    assert not simulate_corpus(80, seed=4).posts["text"].equals(a.posts["text"])


def test_framings_are_the_package_labels_and_vocabulary_comes_from_the_data_file(tmp_path):
    import yaml

    from analysis.framing.labels import LABELS
    from analysis.scale.simulate import FRAMING_PHRASES, VOCABULARY_PATH, load_vocabulary

    assert FRAMINGS == LABELS[:2] == ("anti_us", "all_imperialisms")
    assert VOCABULARY_PATH.relative_to(config.DATA).as_posix() == "simulate/vocabulary.yaml"
    assert set(FRAMING_PHRASES) == set(FRAMINGS) and set(load_vocabulary()["topics"]) == set(TOPICS)
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    raw["framings"] = {"campist": raw["framings"]["anti_us"],
                       "internationalist": raw["framings"]["all_imperialisms"]}
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=f"{re.escape(str(bad))}: framings must be anti_us"):
        load_vocabulary(bad)


def test_seed_42_corpus_is_pinned():
    """The benchmarks' corpus: any change to the generator or the vocabulary shows here."""
    sim = simulate_corpus(300, seed=42)
    digest = hashlib.sha256(sim.posts.to_csv(index=False).encode()
                            + json.dumps(sim.documents, sort_keys=True).encode()).hexdigest()
    assert sim.posts["framing"].value_counts().to_dict() == SEED_42_FRAMINGS
    assert digest == SEED_42_DIGEST


def test_planted_structure(sim):
    posts = sim.posts
    assert len(posts) == 300 and posts["post_id"].is_unique
    assert set(posts["framing"]) <= set(FRAMINGS) and set(posts["topic"]) <= set(TOPICS)
    assert set(posts["source"]) == {s.key for s in DEFAULT_SOURCES}
    assert posts["date"].between("2014-01-01", "2024-12-31").all()
    assert posts["duplicate_of"].notna().sum() > 0 and posts["translation_of"].notna().sum() > 0
    assert set(posts.loc[posts["translation_of"].notna(), "language"]) <= {"es", "fr", "ru"}
    # copies keep their original's topic and framing
    orig = posts.set_index("key")
    dup = posts[posts["duplicate_of"].notna()]
    assert (orig.loc[dup["duplicate_of"], "framing"].to_numpy() == dup["framing"]).all()


def test_planted_share_has_an_event_shift():
    src = Source("x", "X", base=1.0, trend=0.0, shift=-3.0)
    before = planted_share(src, EVENT_DATE - pd.Timedelta(days=1))
    after = planted_share(src, EVENT_DATE)
    assert before == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert after == pytest.approx(1 / (1 + np.exp(2.0)))
    table = planted_shares(freq="YS")
    assert len(table) == len(DEFAULT_SOURCES) * 11 and table["planted_share"].between(0, 1).all()


def test_realised_shares_follow_the_planted_ones():
    shares = simulate_corpus(3000, seed=5).planted_shares(freq="YS").dropna()
    shares = shares[shares["n_posts"] >= 20]
    r = np.corrcoef(shares["planted_share"], shares["realised_share"])[0, 1]
    assert r > 0.8


def test_pipeline_recovers_posts_translations_and_duplicates(built):
    sim, corpus = built
    truth = sim.posts.set_index("post_id")
    posts = corpus.posts.set_index("post_id")
    assert truth.index.isin(posts.index).mean() >= 0.98  # segmentation finds the posts
    found = posts.loc[truth.index.intersection(posts.index)]
    assert (found["source"] == truth.loc[found.index, "source"]).all()
    assert (found["date"].dt.normalize() == truth.loc[found.index, "date"]).mean() >= 0.98
    lang = found["language"] == truth.loc[found.index, "language"]
    assert lang.mean() >= 0.98
    key_to_group = dict(zip(truth.loc[found.index, "key"], found["group_id"], strict=True))
    for column, minimum in (("translation_of", 0.8), ("duplicate_of", 0.8)):
        copies = truth[truth[column].notna() & truth.index.isin(posts.index)]
        same = [key_to_group.get(orig) == posts.loc[pid, "group_id"]
                for pid, orig in zip(copies.index, copies[column], strict=True)]
        assert np.mean(same) >= minimum, column


@pytest.mark.slow
def test_lexicon_recovers_the_planted_framing(built):
    from analysis.framing import score_framing

    sim, corpus = built
    posts = corpus.posts[corpus.posts["is_canonical"] & (corpus.posts["language"] == "en")]
    scores = score_framing((posts["title"].fillna("") + "\n\n" + posts["text"]).tolist(),
                           language="en", methods=("lexicon",))
    truth = sim.posts.set_index("post_id").loc[posts["post_id"], "framing"].to_numpy()
    decided = scores["framing"].isin(["anti_us", "all_imperialisms"]).to_numpy()
    predicted = scores["framing"].to_numpy()  # the simulator speaks the package's labels
    assert decided.mean() > 0.5
    assert (predicted[decided] == truth[decided]).mean() > 0.75
