"""Fitted topic models cached by content hash: loaded, not fitted, when nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_topics import fake_units

from analysis import config
from analysis.topics import cache as fitcache
from analysis.topics.cache import fit_topics_cached

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fake():
    return fake_units()


@pytest.fixture(scope="module")
def cached(fake, tmp_path_factory):
    """The cache folder, one fit counted, the fresh fit and the same call again."""
    units, embeddings = fake
    folder = tmp_path_factory.mktemp("topics")
    start = fitcache.FITS["topics"]
    fresh = fit_topics_cached(units, embeddings, cache_dir=folder, min_topic_size=5,
                              seed=config.SEED)
    again = fit_topics_cached(units, embeddings, cache_dir=folder, min_topic_size=5,
                              seed=config.SEED)
    return folder, fitcache.FITS["topics"] - start, fresh, again


def test_an_unchanged_call_loads_instead_of_fitting(cached):
    folder, fits, fresh, again = cached
    assert fits == 1
    assert isinstance(again.model, fitcache.CachedTopicModel)
    assert len(list(folder.iterdir())) == 1


def test_the_loaded_fit_equals_the_fresh_one(cached):
    _, _, fresh, again = cached
    pd.testing.assert_frame_equal(again.doc_topics, fresh.doc_topics)
    pd.testing.assert_frame_equal(again.topic_info, fresh.topic_info)
    assert again.vocabulary == fresh.vocabulary
    assert again.outlier_share == fresh.outlier_share
    assert again.params == fresh.params
    assert again.top_words(10) == fresh.top_words(10)
    assert again.model._model is None  # top words came from the cache: BERTopic not loaded


def test_the_loaded_model_still_assigns_new_embeddings(cached, fake):
    _, _, fresh, again = cached
    units, embeddings = fake
    docs = units["text"].tolist()[:5]
    got = again.model.transform(docs, embeddings=embeddings[:5])[0]
    assert list(got) == list(fresh.doc_topics["topic"][:5])


@pytest.mark.parametrize("change", ["refit", "parameter", "text", "embedding"])
def test_refit_or_any_change_fits_again(cached, fake, change):
    folder = cached[0]
    units, embeddings = fake
    kwargs = {"min_topic_size": 5, "seed": config.SEED}
    if change == "parameter":
        kwargs["top_n_words"] = 8
    elif change == "text":
        units = units.assign(text=units["text"].str.replace("people", "folk"))
    elif change == "embedding":
        embeddings = embeddings.copy()
        embeddings[0, 0] += 1e-6
    start = fitcache.FITS["topics"]
    fit_topics_cached(units, embeddings, cache_dir=folder, refit=change == "refit", **kwargs)
    assert fitcache.FITS["topics"] - start == 1


def test_a_cache_hit_imports_no_model_library(cached, fake, tmp_path):
    folder = cached[0]
    units, embeddings = fake
    units.to_parquet(tmp_path / "units.parquet")
    np.save(tmp_path / "emb.npy", embeddings)
    code = (
        "import sys, numpy as np, pandas as pd\n"
        "from analysis.topics.cache import fit_topics_cached, FITS\n"
        f"u = pd.read_parquet({str(tmp_path / 'units.parquet')!r})\n"
        f"e = np.load({str(tmp_path / 'emb.npy')!r})\n"
        f"fit = fit_topics_cached(u, e, cache_dir={str(folder)!r}, min_topic_size=5, "
        f"seed={config.SEED})\n"
        "fit.top_words(10)\n"
        "heavy = [m for m in ('bertopic', 'umap', 'hdbscan', 'torch', 'sentence_transformers',"
        " 'numba') if m in sys.modules]\n"
        "print(FITS['topics'], heavy)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.strip().splitlines()[-1]
    assert out == "0 []"


def test_bootstrap_tables_are_cached_and_equal(tmp_path):
    from analysis.stats.compare import share_ci

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"post_id": [f"p{i // 2}" for i in range(60)],
                          "source": rng.choice(["a", "b"], size=60),
                          "framing": rng.choice(["anti_us", "all_imperialisms"], size=60)})
    start = fitcache.FITS["tables"]
    first = fitcache.cached_table(share_ci, frame, by="source", value="framing",
                                  n_resamples=200, cache_dir=tmp_path)
    again = fitcache.cached_table(share_ci, frame, by="source", value="framing",
                                  n_resamples=200, cache_dir=tmp_path)
    assert fitcache.FITS["tables"] - start == 1
    pd.testing.assert_frame_equal(again, first)
    fitcache.cached_table(share_ci, frame, by="source", value="framing", n_resamples=300,
                          cache_dir=tmp_path)
    fitcache.cached_table(share_ci, frame.iloc[1:], by="source", value="framing",
                          n_resamples=200, cache_dir=tmp_path)
    fitcache.cached_table(share_ci, frame, by="source", value="framing", n_resamples=200,
                          cache_dir=tmp_path, refit=True)
    assert fitcache.FITS["tables"] - start == 4


def test_default_parameters_share_one_entry(cached, fake):
    """Notebook 04 passes fewer arguments than notebook 02 for the same fit: one entry."""
    folder = cached[0]
    units, embeddings = fake
    start = fitcache.FITS["topics"]
    fit = fit_topics_cached(units, embeddings, cache_dir=folder, min_topic_size=5,
                            seed=config.SEED, unit="paragraph", reduce_outliers=None,
                            top_n_words=10)
    assert fitcache.FITS["topics"] - start == 0
    assert isinstance(fit.model, fitcache.CachedTopicModel)
    with pytest.raises(TypeError, match="fit_topics_cached"):
        fit_topics_cached(units, embeddings, cache_dir=folder, min_topic_sise=5)


def test_saved_topic_info_matches_the_reloaded_model(cached, fake, tmp_path):
    from analysis.topics.persist import load_topic_model, save_topic_model, saved_topic_info

    folder, _, fresh, _ = cached
    units, embeddings = fake
    again = fit_topics_cached(units, embeddings, cache_dir=folder, min_topic_size=5,
                              seed=config.SEED)
    save_topic_model(again, tmp_path / "model")
    assert again.model._model is None  # saving a cached fit copies files, loads nothing
    shown = saved_topic_info(tmp_path / "model")
    reloaded = load_topic_model(tmp_path / "model").get_topic_info()[["Topic", "Count", "Name"]]
    pd.testing.assert_frame_equal(shown, reloaded.reset_index(drop=True), check_dtype=False)
    assert shown["Count"].sum() == len(fresh.doc_topics)


def test_evaluation_is_cached_and_equal(cached, tmp_path):
    from analysis.topics.evaluate import evaluate_topics

    _, _, fresh, again = cached
    start = fitcache.FITS["evaluations"]
    first = fitcache.evaluate_topics_cached(fresh, cache_dir=tmp_path)
    second = fitcache.evaluate_topics_cached(again, cache_dir=tmp_path)  # the loaded fit: a hit
    assert fitcache.FITS["evaluations"] - start == 1
    pd.testing.assert_frame_equal(second, first)
    pd.testing.assert_frame_equal(first, evaluate_topics(fresh))
    fitcache.evaluate_topics_cached(again, cache_dir=tmp_path, seed=7)
    fitcache.evaluate_topics_cached(again, cache_dir=tmp_path, refit=True)
    assert fitcache.FITS["evaluations"] - start == 3


def test_tables_with_unhashable_cells_are_cached(tmp_path):
    frame = pd.DataFrame({"post_id": ["a", "b"], "entries": [["x"], ["y", "z"]]})
    calls = []

    def count_rows(df):
        calls.append(1)
        return pd.DataFrame({"n": [len(df)]})

    fitcache.cached_table(count_rows, frame, cache_dir=tmp_path)
    fitcache.cached_table(count_rows, frame, cache_dir=tmp_path)
    fitcache.cached_table(count_rows, frame.assign(entries=[["x"], ["y"]]), cache_dir=tmp_path)
    assert len(calls) == 2


def test_package_source_key_leaves_out_plots_only():
    key = fitcache.package_source_key()
    assert len(key) == 64 and key == fitcache.package_source_key()
    from analysis import plots

    assert Path(plots.__file__).parent.name == "plots"


HEAVY = ("torch", "sentence_transformers", "bertopic", "umap", "hdbscan", "numba",
         "transformers", "pynndescent", "statsmodels")


def test_modules_of_the_rerun_path_import_no_model_library():
    """The modules a cached notebook re-run imports bring nothing heavy along."""
    code = (
        "import sys\n"
        "import analysis, analysis.topics.cache, analysis.topics.model\n"
        "import analysis.topics.units, analysis.topics.evaluate, analysis.topics.persist\n"
        "import analysis.text.embeddings, analysis.stats.compare, analysis.corpus.build\n"
        "import analysis.plots, analysis.plots.topics\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == "[]"
