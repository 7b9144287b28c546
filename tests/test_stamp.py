"""The corpus stamp: a build is skipped only when inputs and tables are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.corpus import stamp


@pytest.fixture
def project(tmp_path: Path):
    raw, lex, out = tmp_path / "raw", tmp_path / "lexicons", tmp_path / "processed"
    for folder in (raw, lex, out):
        folder.mkdir()
    (raw / "manifest.csv").write_text("id,file\na,a.txt\n")
    (raw / "a.txt").write_text("text")
    (lex / "framing.yaml").write_text("version: 1\n")
    (out / "posts.parquet").write_bytes(b"table")
    stamp.write_stamp(out, raw=raw, lexicons=lex)
    return raw, lex, out


def _current(project) -> bool:
    raw, lex, out = project
    return stamp.is_current(out, raw=raw, lexicons=lex)


def test_unchanged_inputs_and_tables_are_current(project):
    assert _current(project)


@pytest.mark.parametrize("change", ["raw file", "new raw file", "manifest", "lexicon",
                                    "table edited", "table deleted", "stamp deleted"])
def test_any_change_asks_for_a_build(project, change):
    raw, lex, out = project
    {"raw file": lambda: (raw / "a.txt").write_text("text!"),
     "new raw file": lambda: (raw / "b.txt").write_text("more"),
     "manifest": lambda: (raw / "manifest.csv").write_text("id,file\n"),
     "lexicon": lambda: (lex / "framing.yaml").write_text("version: 2\n"),
     "table edited": lambda: (out / "posts.parquet").write_bytes(b"tablE"),
     "table deleted": lambda: (out / "posts.parquet").unlink(),
     "stamp deleted": lambda: (out / stamp.STAMP_NAME).unlink()}[change]()
    assert not _current(project)


def test_an_empty_output_folder_is_never_current(tmp_path):
    (tmp_path / "raw").mkdir()
    stamp.write_stamp(tmp_path, raw=tmp_path / "raw", lexicons=tmp_path / "raw")
    assert not stamp.is_current(tmp_path, raw=tmp_path / "raw", lexicons=tmp_path / "raw")
