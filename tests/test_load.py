"""Loading: provenance, formats, and every kind of bad input."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from analysis import config
from analysis.corpus.load import CorpusInputError, load_corpus, load_manifest, parse_date
from tests.conftest import SEED_FILES

GOOD = "Solidarity with the peoples of the world against imperialism and war.\n"


def test_sample_manifest_loads_every_document_with_provenance():
    docs, audit = load_corpus(config.MANIFEST)
    assert list(docs["doc_id"]) == list(SEED_FILES)
    assert audit.empty
    for row in docs.itertuples():
        data = (config.RAW / row.file).read_bytes()
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.n_bytes == len(data)
        assert row.raw_text == data.decode("utf-8")
        assert row.encoding == "utf-8"
    by_id = docs.set_index("doc_id")
    assert by_id.loc["sll-marathon-2020", "date"] == pd.Timestamp("2020-01-17")
    assert by_id.loc["ilps-week-2020", "date_precision"] == "month"
    assert pd.isna(by_id.loc["ist-statements", "date"])
    assert by_id.loc["saru-blog-2015", "kind"] == "listing"
    assert by_id.loc["essf-elaliberta-2022", "author"] == "Elaliberta.gr"
    assert by_id.loc["sll-marathon-2020", "manifest_line"] == 2


def test_manifest_records_how_each_field_was_established():
    manifest, _ = load_manifest(config.MANIFEST)
    for col in ("source_basis", "title_basis", "author_basis", "date_basis", "language_basis"):
        assert manifest[col].notna().all(), col


@pytest.mark.parametrize("value, expected", [
    ("2022-02-24", (pd.Timestamp("2022-02-24"), "day")),
    ("2014-03", (pd.Timestamp("2014-03-01"), "month")),
    ("2015", (pd.Timestamp("2015-01-01"), "year")),
    ("", (pd.NaT, "unknown")),
])
def test_parse_date(value, expected):
    date, precision = parse_date(value)
    assert precision == expected[1]
    assert (pd.isna(date) and pd.isna(expected[0])) or date == expected[0]


@pytest.mark.parametrize("value", ["2020-13-01", "2020-02-30", "17/01/2020", "January 2020"])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError, match=f"date '{value}' is not a valid ISO date"):
        parse_date(value)


def _error(manifest) -> str:
    with pytest.raises(CorpusInputError) as info:
        load_corpus(manifest)
    return str(info.value)


def test_missing_manifest(tmp_path):
    with pytest.raises(CorpusInputError, match="manifest.csv: manifest not found"):
        load_corpus(tmp_path / "manifest.csv")


def test_missing_file_names_manifest_line(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,article,src,A,2020-01-01",
                                            "b,b.txt,article,src,B,2020-01-01"])
    assert "manifest.csv line 3: file 'b.txt' not found" in _error(manifest)


def test_broken_row_names_line(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,article,src,A,2020-01-01",
                                            "b,b.txt,article,src"])
    assert "manifest.csv line 3: expected 6 fields, found 4" in _error(manifest)


def test_empty_required_field(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,,src,A,2020-01-01"])
    assert "manifest.csv line 2: empty required field(s) 'kind'" in _error(manifest)


def test_missing_required_column(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,src"], header="id,file,source\n")
    assert "manifest.csv line 1: missing required column(s) 'kind'" in _error(manifest)


def test_duplicate_id_names_both_lines(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,article,src,A,2020-01-01",
                                            "x,a.txt,article,src,A,2020-01-01",
                                            "a,a.txt,article,src,A,2020-01-01"])
    assert "manifest.csv line 4: duplicate id 'a' (first on line 2)" in _error(manifest)


def test_unparseable_date_names_line(make_corpus):
    manifest = make_corpus({"a.txt": GOOD}, ["a,a.txt,article,src,A,2020-13-01"])
    assert ("manifest.csv line 2: date '2020-13-01' is not a valid ISO date "
            "(YYYY, YYYY-MM or YYYY-MM-DD)") in _error(manifest)


def test_empty_file(make_corpus):
    manifest = make_corpus({"a.txt": b""}, ["a,a.txt,article,src,A,2020-01-01"])
    assert "a.txt: file is empty" in _error(manifest)


def test_whitespace_only_file(make_corpus):
    manifest = make_corpus({"a.txt": "\n \n\t\n"}, ["a,a.txt,article,src,A,2020-01-01"])
    assert "a.txt: file holds only whitespace" in _error(manifest)


def test_html_given_as_text(make_corpus):
    page = "<html><body><div><p>Against all imperialisms.</p></div></body></html>"
    manifest = make_corpus({"a.txt": page}, ["a,a.txt,article,src,A,2020-01-01"])
    message = _error(manifest)
    assert "a.txt: text file holds HTML (tags: body, div, html, p)" in message
    assert "rename it .html" in message


def test_non_utf8_is_decoded_with_a_recorded_fallback(make_corpus):
    data = "Libérez Frank García Hernández, l’anti-impérialisme".encode("cp1252")
    manifest = make_corpus({"a.txt": data}, ["a,a.txt,article,src,A,2020-01-01"])
    docs, audit = load_corpus(manifest)
    assert docs.loc[0, "raw_text"] == "Libérez Frank García Hernández, l’anti-impérialisme"
    assert docs.loc[0, "encoding"] == "cp1252"
    row = audit.set_index("rule").loc["encoding_fallback"]
    assert "a.txt: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252" in row["detail"]


def test_all_problems_are_reported_together(make_corpus):
    manifest = make_corpus({"a.txt": b""}, ["a,a.txt,article,src,A,2020-01-01",
                                           "b,b.txt,article,src,B,2020-99"])
    with pytest.raises(CorpusInputError) as info:
        load_corpus(manifest)
    assert len(info.value.problems) == 2


def test_record_mode_keeps_good_documents_and_audits_the_rest(make_corpus):
    manifest = make_corpus(
        {"a.txt": GOOD, "e.txt": b"", "h.txt": "<html><body><p>x</p></body></html>"},
        ["a,a.txt,article,src,A,2020-01-01", "e,e.txt,article,src,E,2020",
         "m,missing.txt,article,src,M,2020", "d,a.txt,article,src,D,2020-00",
         "h,h.txt,article,src,H,2020", "a,a.txt,article,src,A,2020"])
    docs, audit = load_corpus(manifest, on_error="record")
    assert list(docs["doc_id"]) == ["a"]
    rejected = audit[audit["rule"].str.startswith("rejected:")]
    assert dict(zip(rejected["doc_id"], rejected["rule"], strict=True)) == {
        "e": "rejected:empty_document", "m": "rejected:missing_file", "d": "rejected:bad_date",
        "h": "rejected:html_as_text", "a": "rejected:duplicate_id"}


def test_html_file_goes_through_trafilatura(make_corpus):
    body = " ".join(["The struggle against imperialism is global and transcends camps."] * 6)
    page = (f"<html><head><title>Statement</title></head><body><nav>Home | About</nav>"
            f"<article><h1>Statement</h1><p>{body}</p><p>{body}</p></article>"
            f"<footer>Copyright</footer></body></html>")
    manifest = make_corpus({"a.html": page}, ["a,a.html,article,src,,2020-01-01"])
    docs, audit = load_corpus(manifest)
    text = docs.loc[0, "raw_text"]
    assert "transcends camps" in text and "<p>" not in text and "Copyright" not in text
    assert docs.loc[0, "title"] == "Statement"
    assert audit["rule"].tolist() == ["html_extraction"]


def test_jsonl_records_become_documents(make_corpus):
    lines = [json.dumps({"id": "1", "text": GOOD, "date": "2022-03"}),
             json.dumps({"id": "2", "text": "Neither Washington nor Moscow.", "title": "T"})]
    manifest = make_corpus({"c.jsonl": "\n".join(lines)}, ["c,c.jsonl,article,src,,2021"])
    docs, _ = load_corpus(manifest)
    assert list(docs["doc_id"]) == ["c:1", "c:2"]
    assert docs.loc[0, "date"] == pd.Timestamp("2022-03-01")
    assert docs.loc[0, "date_precision"] == "month"
    assert docs.loc[1, "date"] == pd.Timestamp("2021-01-01")
    assert docs.loc[1, "title"] == "T"
    assert docs.loc[1, "sha256"] == hashlib.sha256(b"Neither Washington nor Moscow.").hexdigest()


def test_jsonl_errors_name_file_and_line(make_corpus):
    lines = [json.dumps({"id": "1", "text": GOOD}), "{not json",
             json.dumps({"id": "3", "text": ""}),
             json.dumps({"id": "4", "text": GOOD, "date": "2022-02-31"})]
    manifest = make_corpus({"c.jsonl": "\n".join(lines)}, ["c,c.jsonl,article,src,,2021"])
    message = _error(manifest)
    assert "c.jsonl line 2: invalid JSON" in message
    assert "c.jsonl line 3: empty text" in message
    assert "c.jsonl line 4: date '2022-02-31' is not a valid ISO date" in message


def test_csv_and_parquet_records(make_corpus, tmp_path):
    frame = pd.DataFrame({"doc": ["x", "y"], "body": [GOOD, "Against NATO expansion."]})
    frame.to_parquet(tmp_path / "p.parquet")
    header = "id,file,kind,source,title,date,id_col,text_col\n"
    manifest = make_corpus({"c.csv": frame.to_csv(index=False)},
                           ["c,c.csv,article,src,,2021,doc,body",
                            "p,p.parquet,article,src,,2021,doc,body"], header=header)
    docs, _ = load_corpus(manifest)
    assert list(docs["doc_id"]) == ["c:x", "c:y", "p:x", "p:y"]


def test_missing_text_column_is_named(make_corpus):
    manifest = make_corpus({"c.csv": "id,body\n1,hello\n"}, ["c,c.csv,article,src,,2021"])
    assert "c.csv: no text column 'text' (columns: id, body)" in _error(manifest)


def test_unknown_format(make_corpus):
    manifest = make_corpus({"a.docx": GOOD}, ["a,a.docx,article,src,A,2020"])
    assert "manifest.csv line 2: cannot tell the format of 'a.docx'" in _error(manifest)
