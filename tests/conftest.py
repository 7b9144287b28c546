"""Shared fixtures: the real sample corpus, and a factory for small corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

from analysis import config  # noqa: E402
from analysis.corpus.build import build_corpus  # noqa: E402

SEED_FILES = {
    "sll-marathon-2020": "000_237f7623a1894a7f.txt",
    "essf-elaliberta-2022": "001_03cec3e63b08c063.txt",
    "ist-statements": "002_2a3025f1237eddc6.txt",
    "ilps-week-2020": "003_99ac0beb4e797241.txt",
    "saru-blog-2015": "004_875045949426a60b.txt",
}


@pytest.fixture(scope="session")
def sample_corpus():
    """The sample corpus built in memory (nothing written)."""
    return build_corpus(config.MANIFEST, post_metadata=config.POST_METADATA, out_dir=None)


@pytest.fixture(scope="session")
def raw_texts() -> dict[str, str]:
    """Raw text of each sample document by id."""
    return {doc_id: (config.RAW / name).read_text(encoding="utf-8")
            for doc_id, name in SEED_FILES.items()}


HEADER = "id,file,kind,source,title,date\n"


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write files and a manifest into a temporary folder; return the manifest path.

    ``make_corpus({"a.txt": b"..."}, rows=["a,a.txt,article,src,Title,2020-01-02"])``
    """

    def make(files: dict[str, bytes | str], rows: list[str], header: str = HEADER) -> Path:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (tmp_path / name).write_bytes(data)
        manifest = tmp_path / "manifest.csv"
        manifest.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
        return manifest

    return make
