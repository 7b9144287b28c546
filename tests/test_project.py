"""One output root: while a project is set, nothing is written inside the package."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import config
from analysis.text.embeddings import embed


class FakeEncoder:
    def encode(self, texts, **kwargs):
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


@pytest.fixture
def project(tmp_path):
    previous = config.PROJECT
    paths = config.use_project(tmp_path / "proj")
    yield tmp_path / "proj", paths
    config.use_project(previous)


def test_project_paths_and_restore(project):
    root, paths = project
    assert paths == {n: root / n for n in ("processed", "figures", "models", "cache")}
    assert (config.PROCESSED, config.FIGURES, config.CACHE) == (
        root / "processed", root / "figures", root / "cache")
    config.use_project(None)
    assert config.PROCESSED == config.ROOT / "data" / "processed"
    assert config.CACHE == config.ROOT / "data" / "cache"
    assert config.FIGURES == config.PACKAGE_OUTPUTS["figures"]


@pytest.mark.parametrize(("given", "expected"), [
    ("cache/embeddings", "cache/embeddings"),
    ("cache/models", "models"),
    ("cache/models/02-topics", "models/02-topics"),
    ("cache", "cache"),
])
def test_package_cache_paths_move_into_the_project(project, given, expected):
    root, _ = project
    assert config.cache_path(config.ROOT / "data" / given) == root / expected
    assert config.cache_path(root / "x") == root / "x"


def test_embedding_cache_default_goes_to_the_project(project):
    root, _ = project
    before = sorted((config.ROOT / "data").rglob("*"))
    vectors = embed(["one text", "another"], encoder=FakeEncoder(), model_key="fake",
                    cache_dir=config.ROOT / "data" / "cache" / "embeddings")
    assert vectors.shape == (2, 2)
    assert len(list((root / "cache" / "embeddings" / "fake").glob("chunk-*.npz"))) == 1
    assert sorted((config.ROOT / "data").rglob("*")) == before


def test_cli_build_with_project_writes_only_there(tmp_path, capsys):
    from analysis.cli import main

    before = sorted((config.ROOT / "data").rglob("*"))
    assert main(["build", "--project", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / "processed" / "posts.parquet").is_file()
    assert f"wrote {tmp_path / 'p' / 'processed'}/" in capsys.readouterr().out
    assert sorted((config.ROOT / "data").rglob("*")) == before
    assert config.PROJECT is None
