"""build_corpus: tables, report, files, determinism, nothing lost."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.corpus.build import build_corpus, read_corpus


def test_build_writes_tables_and_report(tmp_path, sample_corpus):
    corpus = build_corpus(config.MANIFEST, out_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["audit.parquet", "complete.json", "documents.parquet",
                     "paragraphs.parquet", "posts.parquet", "report.txt"]
    again = read_corpus(tmp_path)
    pd.testing.assert_frame_equal(again.posts, corpus.posts, check_dtype=False)
    report = (tmp_path / "report.txt").read_text()
    assert "documents in:   5" in report and "posts:          20  (truncated: 15" in report
    assert "truncation_marker" in report and "post_footer" in report


def test_build_is_deterministic(tmp_path):
    build_corpus(config.MANIFEST, out_dir=tmp_path / "a")
    build_corpus(config.MANIFEST, out_dir=tmp_path / "b")
    for name in ("documents", "posts", "paragraphs", "audit"):
        a = (tmp_path / "a" / f"{name}.parquet").read_bytes()
        b = (tmp_path / "b" / f"{name}.parquet").read_bytes()
        assert a == b, name


def test_corpus_table_lists_every_post_with_metadata(sample_corpus):
    posts = sample_corpus.posts
    assert len(posts) == 20
    for col in ("source", "date", "language", "group_id"):
        assert posts[col].notna().all(), col


def test_every_document_in_is_out_or_audited(make_corpus):
    manifest = make_corpus({"a.txt": "Against all imperialisms.\n", "b.txt": b""},
                           ["a,a.txt,article,src,A,2020", "b,b.txt,article,src,B,2020",
                            "c,c.txt,article,src,C,2020"])
    corpus = build_corpus(manifest, post_metadata=None, out_dir=None, on_error="record")
    rejected = set(corpus.audit.loc[corpus.audit["rule"].str.startswith("rejected:"), "doc_id"])
    assert set(corpus.documents["doc_id"]) | rejected == {"a", "b", "c"}
    assert "documents in:   3" in corpus.report and "(rejected: 2)" in corpus.report


def test_cli_build(tmp_path, capsys):
    from analysis.cli import main

    assert main(["build", "--out", str(tmp_path)]) == 0
    assert "Corpus report" in capsys.readouterr().out
    bad = tmp_path / "m.csv"
    bad.write_text("id,file,kind,source\nx,none.txt,article,s\n")
    assert main(["build", "--manifest", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "m.csv line 2: file 'none.txt' not found" in capsys.readouterr().err
