"""Fuzzing hostile input (issue 15): manifests, JSON lines, CSV, framing inputs, interrupted writes.

At least 1,000 generated cases per run: manifests, the raw files they name,
framing inputs, CSV cells and write plans (counted; the last test checks).  The
seed is fixed, and recorded in the test report (``record_property``): 15, or
``FUZZ_SEED`` from the environment; with ``FUZZ_SEED=random`` hypothesis
chooses one (and prints it with any failure).  Invariants:

* nothing is raised but the package's named error types;
* under ``on_error="record"``, documents in = documents out + audited rejections;
* the output folder holds the previous complete build or the new one, never a mix.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from analysis.corpus import build as corpus_mod
from analysis.corpus.build import build_corpus, read_corpus, write_corpus
from analysis.corpus.load import load_corpus
from analysis.errors import ERROR_TYPES
from analysis.framing import read_texts
from analysis.framing.output import FORMULA_PREFIXES, neutralise_formulas

_SEED = os.environ.get("FUZZ_SEED", "15")
FUZZ_SEED = None if _SEED == "random" else int(_SEED)
COUNTS: dict[str, int] = {}
def fuzz(n: int):
    """Settings of one fuzz test: ``n`` examples, no deadline, no example database."""
    return settings(max_examples=n, deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))
SECRET = "root:x:0:0:fuzz-secret"


def seeded(test):
    return seed(FUZZ_SEED)(test) if FUZZ_SEED is not None else test


@pytest.fixture(autouse=True)
def _record_seed(record_property):
    record_property("fuzz_seed", _SEED)


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


# ----------------------------------------------------------------- strategies

WORDS = ["Against", "all", "imperialisms", "NATO", "Moscow", "<p>", "<html><body>", "\u2028",
         "\u0085", "\r", "\x00", "\ufeff", "=cmd", "１２", "ä", "😀", "\ud800", " ", "\t", "\n"]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
    st.text(max_size=40),
    st.just("Against all imperialisms, neither Washington nor Moscow. " * 3),
)
json_values = st.one_of(texts, st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                        st.booleans(), st.none(), st.lists(texts, max_size=2),
                        st.dictionaries(st.text(max_size=3), texts, max_size=2))
ids = st.one_of(st.from_regex(r"[a-z0-9]{1,4}", fullmatch=True),
                st.sampled_from(["", " ", "1", "0", "0_", "a b", "a/b", "../x", "=1", "ü"]),
                st.integers(-5, 5), st.none(), st.booleans())
dates = st.sampled_from(["", "2020", "2020-05", "2020-05-17", "1648", "2099-01-01", "2262",
                         "1677-12", "2020-13-01", "soon", "２０２０", "0000", "9999-12-31"])
records = st.fixed_dictionaries(
    {}, optional={"id": ids, "text": json_values, "body": texts, "date": dates,
                  "title": json_values, "source": json_values})
raw_bytes = st.one_of(
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("utf-16", "surrogatepass")),
    st.binary(max_size=64),
    st.sampled_from([b"\x89PNG\r\n\x1a\n....", b"\x1f\x8b\x08\x00", b"%PDF-1.4", b"",
                     b"\xff\xfe\x00\x00A\x00\x00\x00", b"caf\xe9 " * 20]),
)


@st.composite
def jsonl_files(draw):
    lines = []
    for rec in draw(st.lists(records, max_size=5)):
        lines.append(json.dumps(rec, ensure_ascii=draw(st.booleans())))
    lines += draw(st.lists(st.sampled_from(["", "{broken", "[1,2]", "  ", "null", "\r"]),
                           max_size=2))
    random.Random(draw(st.integers(0, 99))).shuffle(lines)
    sep = draw(st.sampled_from(["\n", "\r\n"]))
    return sep.join(lines).encode("utf-8", "surrogatepass")


@st.composite
def csv_files(draw):
    header = draw(st.sampled_from([["id", "text"], ["id", "body"], ["text"], ["id", "text",
                                                                              "date"]]))
    rows = draw(st.lists(st.lists(texts, min_size=len(header), max_size=len(header)),
                         max_size=4))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def corpora(draw):
    n = draw(st.integers(1, 6))
    rows, files = [], {}
    for i in range(n):
        kind = draw(st.sampled_from(["txt", "jsonl", "csv", "outside", "absolute", "missing"]))
        name = {"txt": f"f{i}.txt", "jsonl": f"f{i}.jsonl", "csv": f"f{i}.csv",
                "outside": "../secret.txt", "absolute": "/etc/passwd",
                "missing": f"gone{i}.txt"}[kind]
        if kind == "txt":
            files[name] = draw(raw_bytes)
        elif kind == "jsonl":
            files[name] = draw(jsonl_files())
        elif kind == "csv":
            files[name] = draw(csv_files())
        doc_id = draw(st.one_of(st.just(f"d{i}"), st.sampled_from(["bad id", "a/b", "", "d0"])))
        fmt = "txt" if kind in ("outside", "absolute") else ""
        rows.append([doc_id, name, draw(st.sampled_from(["article", "listing", "other"])),
                     "src", draw(dates), fmt])
    return rows, files


def _write_corpus(folder: Path, rows, files) -> Path:
    (folder / "c").mkdir()
    (folder / "secret.txt").write_text(SECRET)
    for name, data in files.items():
        (folder / "c" / name).write_bytes(data)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "file", "kind", "source", "date", "format"])
    writer.writerows(rows)
    (folder / "c" / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    return folder / "c" / "manifest.csv"


def _units(rows, files, audit) -> int:
    """Documents in: a manifest row, or each non-blank record of a readable container."""
    rejected_whole = set(audit.loc[audit["rule"].str.startswith("rejected:"), "doc_id"])
    n = 0
    for doc_id, name, *_ in rows:
        data = files.get(name)
        if data is None or not name.endswith((".jsonl", ".csv")) or not doc_id:
            n += 1
        elif doc_id in rejected_whole:  # the file as one, plus its broken lines
            n += 1 + int(audit["doc_id"].str.startswith(f"{doc_id}:line").sum())
        elif name.endswith(".jsonl"):
            n += sum(1 for line in data.decode("utf-8", "replace").split("\n") if line.strip())
        else:
            n += len(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))
    return n


# ----------------------------------------------------------------- the fuzz tests

@seeded
@fuzz(150)
@given(corpora())
def test_fuzz_loading_accounts_for_every_document(corpus):
    rows, files = corpus
    count("manifests")
    for _ in files:
        count("files")
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _write_corpus(Path(tmp), rows, files)
        try:
            docs, audit = load_corpus(manifest, on_error="record")
        except ERROR_TYPES:
            return
        rejected = audit[audit["rule"].str.startswith("rejected:")]
        assert docs["doc_id"].is_unique
        assert not docs["raw_text"].str.contains(SECRET, regex=False).any()
        assert docs["raw_text"].map(lambda t: isinstance(t, str) and bool(t.strip())).all()
        if len({r[0] for r in rows}) == len(rows):  # duplicates are counted per id
            assert len(docs) + len(rejected) == _units(rows, files, audit), (
                docs["doc_id"].tolist(), rejected[["doc_id", "rule"]].values.tolist())


@seeded
@fuzz(500)
@given(st.one_of(jsonl_files(), csv_files()), st.booleans())
def test_fuzz_framing_inputs_are_read_or_refused_by_name(data, as_csv):
    count("framing")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("in.csv" if as_csv else "in.jsonl")
        path.write_bytes(data)
        try:
            table = read_texts(path)
        except ERROR_TYPES:
            return
        assert table["id"].is_unique
        assert table["text"].map(lambda t: isinstance(t, str)).all()
        assert table["id"].map(lambda t: isinstance(t, str)).all()


@seeded
@fuzz(150)
@given(st.lists(st.one_of(texts.map(lambda t: t.encode("utf-8", "replace").decode()),
                          st.sampled_from(["=1+1", "+A1", "-2", "@SUM(A1)", "\t=x", "\r=x"]),
                          st.floats(), st.integers()), min_size=1, max_size=6))
def test_fuzz_no_cell_can_start_a_formula(cells):
    count("csv_cells")
    out = neutralise_formulas(pd.DataFrame({"=id": cells, "n": range(len(cells))}))
    assert list(out.columns) == ["'=id", "n"]
    for value in [*out["'=id"], *out.columns]:
        assert not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES))
    assert out["n"].tolist() == list(range(len(cells)))


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-builds")
    built = []
    for text in ("Against all imperialisms. Neither Washington nor Moscow.\n",
                 "US imperialism is the main enemy of the peoples.\n\nHands off Cuba.\n"):
        sub = folder / str(len(built))
        sub.mkdir()
        (sub / "a.txt").write_text(text)
        (sub / "manifest.csv").write_text("id,file,kind,source\na,a.txt,article,src\n")
        built.append(build_corpus(sub / "manifest.csv", out_dir=None))
    return built


@seeded
@fuzz(60)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 6)), min_size=1, max_size=4))
def test_fuzz_interrupted_writes_never_leave_a_mix(two_builds, plan):
    count("writes")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        current = None
        for which, stop_at in plan:
            calls = {"n": 0}
            real = corpus_mod._write_table

            def flaky(table, path, _stop=stop_at, _calls=calls, _real=real):
                _calls["n"] += 1
                if _calls["n"] == _stop:
                    raise KeyboardInterrupt
                _real(table, path)

            corpus_mod._write_table = flaky
            try:
                write_corpus(two_builds[which], out)
                current = which
            except KeyboardInterrupt:
                pass
            finally:
                corpus_mod._write_table = real
            if current is None:
                assert not out.exists()
            else:
                got = read_corpus(out)
                assert got.documents["raw_text"].tolist() == \
                    two_builds[current].documents["raw_text"].tolist()
            assert [p.name for p in Path(tmp).iterdir() if not p.name.startswith(".out.lock")] \
                == (["out"] if current is not None else [])
        shutil.rmtree(out, ignore_errors=True)


def test_fuzz_ran_at_least_1000_cases(record_property):
    total = sum(COUNTS.values())
    record_property("fuzz_cases", json.dumps(COUNTS))
    print(f"fuzz cases: {total} {COUNTS} (seed {_SEED})")
    if len(COUNTS) < 5:
        pytest.skip("run the whole module to count its cases")
    assert total >= 1000, COUNTS
