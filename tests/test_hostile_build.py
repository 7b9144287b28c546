"""Hostile input to ``build``: each row of issue 15's table, as a regression test.

Confined paths, atomic and locked outputs, ``--record-errors`` without
tracebacks, loaders that read what the format says, size limits, Ctrl-C.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import build as corpus_mod
from analysis.corpus.build import build_corpus, read_corpus
from analysis.corpus.load import CorpusInputError, load_corpus
from analysis.corpus.outputs import MARKER, check_output
from analysis.corpus.stamp import STAMP_NAME
from analysis.errors import BuildLockedError, CorpusOutputError, IncompleteCorpusError

TEXT = ("Against all imperialisms: neither Washington nor Moscow. Russian troops out of "
        "Ukraine, and NATO out of Europe.\n\nThe workers of every country share one cause.\n")
OTHER = ("US imperialism is the main enemy of the peoples of the world. Hands off Venezuela "
         "and Cuba!\n\nSolidarity with every people under sanctions.\n")
ROOT = Path(__file__).resolve().parent.parent


def rejected(audit: pd.DataFrame) -> dict[str, str]:
    """Rejected doc ids and their reasons."""
    rows = audit[audit["rule"].str.startswith("rejected:")]
    return dict(zip(rows["doc_id"], rows["rule"].str.removeprefix("rejected:"), strict=True))


def load_recorded(manifest):
    return load_corpus(manifest, on_error="record")


# ----------------------------------------------------------------- confined paths

@pytest.mark.parametrize("target", ["../../../../../../etc/passwd", "/etc/passwd", "link.txt"])
def test_files_outside_the_manifest_folder_are_refused(make_corpus, tmp_path, target):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret: root:x:0:0\n" + TEXT)
    (tmp_path / "link.txt").symlink_to(outside)
    manifest = make_corpus({"a.txt": TEXT},
                           ["a,a.txt,article,src,,2020,txt",
                            f"evil,{target},article,src,,2020,txt"],
                           header="id,file,kind,source,title,date,format\n")
    with pytest.raises(CorpusInputError, match="outside the manifest's folder"):
        load_corpus(manifest)
    docs, audit = load_recorded(manifest)
    assert docs["doc_id"].tolist() == ["a"]
    assert rejected(audit) == {"evil": "path_outside_corpus"}
    assert not docs["raw_text"].str.contains("root:x").any()


def test_allow_root_admits_another_folder(make_corpus, tmp_path):
    other = tmp_path.parent / f"{tmp_path.name}-shared"
    other.mkdir()
    (other / "b.txt").write_text(OTHER)
    manifest = make_corpus({}, [f"b,{other / 'b.txt'},article,src,,2020"])
    docs, _ = load_corpus(manifest, allow_roots=[other])
    assert docs["doc_id"].tolist() == ["b"]


# ----------------------------------------------------------------- atomic, locked outputs

def test_interrupted_write_keeps_the_previous_build(make_corpus, tmp_path, monkeypatch):
    manifest = make_corpus({"a.txt": TEXT}, ["a,a.txt,article,src,,2020"])
    out = tmp_path / "out"
    first = build_corpus(manifest, out_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "a.txt").write_text(OTHER)
    real = corpus_mod._write_table

    def interrupted(table, path):
        if path.name == "posts.parquet":  # just after documents.parquet
            raise KeyboardInterrupt
        real(table, path)

    monkeypatch.setattr(corpus_mod, "_write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_corpus(manifest, out_dir=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []
    again = read_corpus(out)
    assert again.documents["raw_text"].tolist() == first.documents["raw_text"].tolist()


def test_read_corpus_refuses_a_folder_without_marker(make_corpus, tmp_path):
    manifest = make_corpus({"a.txt": TEXT}, ["a,a.txt,article,src,,2020"])
    out = tmp_path / "out"
    build_corpus(manifest, out_dir=out)
    (out / MARKER).unlink()
    with pytest.raises(IncompleteCorpusError, match="no complete.json"):
        read_corpus(out)
    build_corpus(manifest, out_dir=out)
    pd.DataFrame({"doc_id": []}).to_parquet(out / "documents.parquet")  # a 0-row table
    with pytest.raises(IncompleteCorpusError, match="documents.parquet: changed since"):
        read_corpus(out)


def test_a_second_build_into_the_same_folder_is_refused(make_corpus, tmp_path):
    manifest = make_corpus({"a.txt": TEXT}, ["a,a.txt,article,src,,2020"])
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom analysis.corpus.outputs import output_lock\n"
         "with output_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(60)",
         str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BuildLockedError, match=f"another build is writing.*pid {holder.pid}"):
            build_corpus(manifest, out_dir=out)
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    build_corpus(manifest, out_dir=out)  # the lock died with its holder
    assert (out / MARKER).is_file()


def test_output_is_checked_before_any_work(make_corpus, tmp_path, monkeypatch, capsys):
    manifest = make_corpus({"a.txt": TEXT}, ["a,a.txt,article,src,,2020"])

    def no_work(*args, **kwargs):
        raise AssertionError("the build started")

    monkeypatch.setattr(corpus_mod, "load_corpus", no_work)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    code = main(["build", "--manifest", str(manifest), "--out", str(a_file)])
    err = capsys.readouterr().err
    assert code == 2 and "is a file, not a folder" in err and "Traceback" not in err
    read_only = tmp_path / "ro"
    read_only.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == read_only
                        else real_access(p, mode, **kw))
    with pytest.raises(CorpusOutputError, match="read-only"):
        build_corpus(manifest, out_dir=read_only)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.md").write_text("my notes")
    with pytest.raises(CorpusOutputError, match="not build outputs.*notes.md"):
        build_corpus(manifest, out_dir=tmp_path / "mine")
    # A previous build with `make corpus`'s input stamp beside it is rebuilt, not refused.
    (tmp_path / "mine" / "notes.md").unlink()
    (tmp_path / "mine" / STAMP_NAME).write_text("{}")
    assert check_output(tmp_path / "mine", expected=("posts.parquet",)) == tmp_path / "mine"


# ----------------------------------------------------------------- --record-errors

def test_record_errors_never_tracebacks(make_corpus, tmp_path, capsys):
    lines = [{"id": "good", "text": TEXT}, {"id": "has space", "text": OTHER},
             {"id": "a/b", "text": OTHER}, {"id": "old", "text": OTHER, "date": "1648"},
             {"id": "late", "text": OTHER, "date": "2099-01-01"}]
    manifest = make_corpus(
        {"r.jsonl": "".join(json.dumps(x) + "\n" for x in lines), "b.txt": OTHER},
        ["r,r.jsonl,article,src,,2020", "m,b.txt,article,src,,1648-05-01"])
    out = tmp_path / "out"
    code = main(["build", "--manifest", str(manifest), "--out", str(out), "--record-errors",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 0, err
    built = read_corpus(out)
    assert sorted(built.documents["doc_id"]) == ["r:good", "r:late"]
    assert rejected(built.audit) == {"r:line2": "bad_id", "r:line3": "bad_id",
                                     "r:old": "date_out_of_range", "m": "date_out_of_range"}
    future = built.audit[built.audit["rule"] == "future_date"]
    assert future["doc_id"].tolist() == ["r:late"]
    with pytest.raises(CorpusInputError, match="outside the range a table can store"):
        load_corpus(manifest)


# ----------------------------------------------------------------- loaders

def test_jsonl_splits_on_newline_only(make_corpus):
    records = [{"id": "ls", "text": "First line\u2028still the same line. " + TEXT},
               {"id": "nel", "text": "Next\u0085line. " + OTHER}, "broken"]
    body = "\n".join(json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else "{broken"
                     for r in records) + "\n"
    manifest = make_corpus({"r.jsonl": body}, ["r,r.jsonl,article,src,,2020"])
    docs, audit = load_recorded(manifest)
    assert docs["doc_id"].tolist() == ["r:ls", "r:nel"]
    assert "\u2028" in docs["raw_text"].iloc[0] and "\u0085" in docs["raw_text"].iloc[1]
    assert rejected(audit) == {"r:line3": "broken_record"}
    assert "r.jsonl line 3" in audit["detail"].iloc[0]


def test_generated_ids_never_collide_with_given_ones(make_corpus):
    body = "".join(json.dumps(r) + "\n" for r in
                   [{"text": TEXT}, {"text": OTHER}, {"id": "1", "text": OTHER + " Again."},
                    {"id": "0_", "text": TEXT + " More."}])
    manifest = make_corpus({"r.jsonl": body}, ["r,r.jsonl,article,src,,2020"])
    docs, audit = load_corpus(manifest)
    assert sorted(docs["doc_id"]) == ["r:0", "r:0_", "r:1", "r:1_"]
    assert docs.set_index("doc_id").loc["r:1", "raw_text"].endswith("Again.")


def test_a_record_without_text_is_rejected_alone(make_corpus):
    body = "".join(json.dumps(r) + "\n" for r in
                   [{"id": "x", "body": "no text"}, {"id": "y", "text": TEXT}])
    manifest = make_corpus({"r.jsonl": body}, ["r,r.jsonl,article,src,,2020"])
    docs, audit = load_recorded(manifest)
    assert docs["doc_id"].tolist() == ["r:y"]
    assert rejected(audit) == {"r:x": "missing_text"}


@pytest.mark.parametrize("value, named", [(12345, "a number"), (["Against all", "imperialisms"],
                                           "a list"), ({"a": 1}, "an object"), (True, "a boolean")])
def test_non_string_text_is_rejected_with_its_type(make_corpus, value, named):
    body = json.dumps({"id": "bad", "text": value}) + "\n" + json.dumps({"id": "ok", "text": TEXT})
    manifest = make_corpus({"r.jsonl": body}, ["r,r.jsonl,article,src,,2020"])
    docs, audit = load_recorded(manifest)
    assert docs["doc_id"].tolist() == ["r:ok"]
    assert rejected(audit) == {"r:bad": "non_string_text"}
    assert f"text is {named}" in audit["detail"].iloc[0]


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
                                  gzip.compress(TEXT.encode() * 20),
                                  b"text\x00\x00\x01\x02" * 100])
def test_binary_files_are_rejected(make_corpus, data):
    manifest = make_corpus({"b.txt": data, "a.txt": TEXT},
                           ["b,b.txt,article,src,,2020", "a,a.txt,article,src,,2020"])
    docs, audit = load_recorded(manifest)
    assert docs["doc_id"].tolist() == ["a"]
    assert rejected(audit) == {"b": "binary_file"}


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_pick_their_codec(make_corpus, codec):
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    manifest = make_corpus({"u.txt": data}, ["u,u.txt,article,src,,2020"])
    docs, audit = load_corpus(manifest)
    assert docs["raw_text"].iloc[0] == TEXT
    assert not (audit["rule"] == "encoding_fallback").any()


def test_oversized_documents_fail_fast(make_corpus, tmp_path):
    manifest = make_corpus({"a.txt": TEXT}, ["a,a.txt,article,src,,2020",
                                             "big,big.txt,article,src,,2020"])
    with (tmp_path / "big.txt").open("wb") as fh:  # 200 MB, sparse: never read
        fh.truncate(200 * 1024 * 1024)
    start = time.perf_counter()
    docs, audit = load_recorded(manifest)
    assert time.perf_counter() - start < 5
    assert rejected(audit) == {"big": "too_large"}
    assert "200.0 MB, over the limit of 20.0 MB" in audit["detail"].iloc[0]
    docs, audit = load_corpus(manifest, on_error="record", max_document_bytes=100)
    assert rejected(audit) == {"big": "too_large", "a": "too_large"}


def _interruptible() -> None:
    """Give the child the default Ctrl-C: a test run started in the background (``cmd &``,
    nohup) ignores SIGINT, and Python keeps an inherited ignore."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("delay", [1.5, 6.0])  # loading, then language detection
def test_ctrl_c_stops_within_a_second(tmp_path, delay):
    words = ("Against all imperialisms, neither Washington nor Moscow, workers unite. " * 40
             + "\n\n")
    # Four documents of about 9 MB of distinct paragraphs (the build detects each
    # distinct text once), so that the build is still running at ``delay``.
    rows = ["id,file,kind,source"]
    for doc in "abcd":
        (tmp_path / f"{doc}.txt").write_text("".join(f"Paragraph {doc}{i}. {words}"
                                                     for i in range(3000)))
        rows.append(f"{doc},{doc}.txt,article,src")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", "--manifest",
                             str(tmp_path / "manifest.csv"), "--out", str(out),
                             "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_interruptible)
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the build has begun once it holds the output's lock
    time.sleep(delay)
    assert proc.poll() is None, proc.communicate()
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    waited = time.perf_counter() - sent
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    # Under 1 s on an idle machine (measured); the bound leaves room for a loaded CI host.
    assert waited < 2.5, waited
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []
