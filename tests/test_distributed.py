"""The Dask path gives the same tables as the pandas path, on a LocalCluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.corpus.build import build_corpus
from analysis.corpus.load import CorpusInputError
from analysis.scale.distributed import (
    build_corpus_dask,
    embed_dask,
    partition_bounds,
    score_framing_dask,
)
from analysis.scale.simulate import simulate_corpus
from analysis.text.embeddings import embed

TABLES = ("documents", "posts", "paragraphs", "audit")


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sim")
    return simulate_corpus(250, seed=8).write(folder), folder / "posts.csv"


def _assert_same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


@pytest.mark.slow
@pytest.mark.parametrize("options", [{}, {"detect_paragraphs": "uncertain", "max_chars": 500}])
def test_dask_build_equals_pandas_build_on_a_simulated_corpus(client, simulated, options):
    manifest, posts_csv = simulated
    expected = build_corpus(manifest, post_metadata=posts_csv, out_dir=None, **options)
    got = build_corpus_dask(manifest, post_metadata=posts_csv, out_dir=None, client=client,
                            npartitions=5, **options)
    _assert_same(expected, got)
    assert got.posts["group_type"].ne("singleton").sum() > 10  # groups cross partitions


def test_dask_build_equals_pandas_build_on_the_sample(client, sample_corpus, tmp_path):
    got = build_corpus_dask(config.MANIFEST, post_metadata=config.POST_METADATA,
                            out_dir=tmp_path, client=client, npartitions=3)
    _assert_same(sample_corpus, got)
    assert (tmp_path / "report.txt").read_text() == sample_corpus.report


def test_dask_build_reports_bad_input_like_pandas(client, simulated, tmp_path):
    manifest, posts_csv = simulated
    lines = posts_csv.read_text().splitlines()
    bad = [lines[0]] + [line.replace(line.split(",")[2], "Wrong title", 1) if i in (1, len(lines)
                                                                                      - 2)
                        else line for i, line in enumerate(lines[1:], start=1)]
    bad_csv = tmp_path / "posts.csv"
    bad_csv.write_text("\n".join(bad) + "\n")
    with pytest.raises(CorpusInputError) as pandas_err:
        build_corpus(manifest, post_metadata=bad_csv, out_dir=None)
    with pytest.raises(CorpusInputError) as dask_err:
        build_corpus_dask(manifest, post_metadata=bad_csv, out_dir=None, client=client,
                          npartitions=4)
    assert len(pandas_err.value.problems) == 2
    assert dask_err.value.problems == pandas_err.value.problems


def test_dask_framing_equals_pandas_framing(client):
    texts = simulate_corpus(40, seed=2).posts["text"].tolist() + ["", "Against all imperialisms!"]
    from analysis.framing import score_framing

    expected = score_framing(texts, language="en", methods=("lexicon",))
    got = score_framing_dask(texts, language="en", methods=("lexicon",), client=client,
                             npartitions=4)
    pd.testing.assert_frame_equal(expected, got)


class Fake:
    """A picklable encoder: vectors from text length and vowel count."""

    def encode(self, texts, **kwargs):
        return np.array([[len(t), sum(c in "aeiou" for c in t)] for t in texts], dtype=np.float32)


class Refuses:
    def encode(self, texts, **kwargs):
        raise AssertionError(f"embedded {len(texts)} texts again")


def test_dask_embedding_equals_embed_and_fills_one_cache(client, tmp_path):
    texts = [f"text number {i} " * (i % 5 + 1) for i in range(30)]
    expected = embed(texts, encoder=Fake(), model_key="fake", cache_dir=None)
    got = embed_dask(texts, encoder=Fake(), model_key="fake", cache_dir=tmp_path, client=client,
                     npartitions=3)
    np.testing.assert_array_equal(expected, got)
    assert len(list((tmp_path / "fake").glob("chunk-*.npz"))) == 3
    again = embed(texts, encoder=Refuses(), model_key="fake", cache_dir=tmp_path)
    np.testing.assert_array_equal(expected, again)  # served from the cache the workers wrote


def test_partition_bounds_cover_everything_once():
    for n in (0, 1, 7, 100):
        for k in (1, 3, 8):
            bounds = partition_bounds(n, k)
            assert sum(b - a for a, b in bounds) == n
            assert all(b > a for a, b in bounds)
