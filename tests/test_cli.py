"""Tests for ``python -m analysis framing``: outputs, progress and every input error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main

TEXTS = {
    "a": "Against all imperialisms!\n\nNeither Washington nor Moscow.",
    "b": "US imperialism is the main enemy of the peoples. Hands off Venezuela!",
    "c": "The meeting is on Sunday.\n\nShare this:",
}
LEXICON_ONLY = ["--methods", "lexicon", "--language", "en"]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


@pytest.fixture
def jsonl(tmp_path):
    return write_jsonl(tmp_path / "in.jsonl", [{"id": k, "text": v} for k, v in TEXTS.items()])


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# --------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------


def test_jsonl_to_csv(jsonl, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, stdout, err = run(["framing", str(jsonl), "-o", str(out), *LEXICON_ONLY], capsys)
    assert code == 0, err
    table = pd.read_csv(out, keep_default_na=False)
    assert table["id"].tolist() == ["a", "b", "c"]
    assert table["framing"].tolist() == ["all_imperialisms", "anti_us", "none"]
    assert list(table.columns[:3]) == ["id", "framing", "framing_score"]
    assert {"lexicon_score", "evidence_all_imperialisms", "evidence_anti_us",
            "lexicon_version"} <= set(table.columns)
    assert table.loc[2, "n_paragraphs"] == 1  # "Share this:" was cleaned away
    assert "scored 3 texts (anti_us 1, all_imperialisms 1, mixed 0, none 1)" in stdout


def test_csv_with_other_column_names(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"doc": ["x", "y"], "body": [TEXTS["a"], TEXTS["b"]],
                  "lang": ["en", "en"]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    code, _, err = run(["framing", str(src), "-o", str(out), "--id-col", "doc", "--text-col",
                        "body", "--language-col", "lang", "--methods", "lexicon"], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    assert table.columns[0] == "doc"
    assert table["framing"].tolist() == ["all_imperialisms", "anti_us"]
    assert table["language"].tolist() == ["en", "en"]


def test_parquet_input(tmp_path, capsys):
    src = tmp_path / "in.parquet"
    pd.DataFrame({"id": [1, 2], "text": [TEXTS["c"], TEXTS["a"]]}).to_parquet(src)
    out = tmp_path / "out.csv"
    code, _, err = run(["framing", str(src), "-o", str(out), *LEXICON_ONLY], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    assert table["id"].tolist() == [1, 2]
    assert table["framing"].tolist() == ["none", "all_imperialisms"]


def test_progress_bar_on_long_inputs(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl",
                      [{"id": i, "text": TEXTS["abc"[i % 3]]} for i in range(25)])
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv"), *LEXICON_ONLY],
                       capsys)
    assert code == 0 and "cleaning" in err and "25/25" in err
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv"), *LEXICON_ONLY,
                        "--no-progress"], capsys)
    assert code == 0 and "cleaning" not in err


def test_short_inputs_show_no_progress_bar(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), *LEXICON_ONLY],
                       capsys)
    assert code == 0 and err == ""


# --------------------------------------------------------------------------
# Errors: exit status 2 and one line on stderr naming the problem
# --------------------------------------------------------------------------


def test_missing_file(tmp_path, capsys):
    code, _, err = run(["framing", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.csv")],
                       capsys)
    assert_error(code, err, "nope.jsonl", "no such file")


def test_unsupported_format(tmp_path, capsys):
    src = tmp_path / "in.xlsx"
    src.write_bytes(b"PK\x03\x04")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, "in.xlsx", "unsupported file type '.xlsx'", ".jsonl, .csv or .parquet")


def test_invalid_json_names_the_line(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "ok"}\n\n{"id": 2, "text": "broken\n', encoding="utf-8")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, f"{src} line 3", "not valid JSON")


def test_json_line_that_is_not_an_object(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "ok"}\n["a list"]\n', encoding="utf-8")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, f"{src} line 2", "expected a JSON object, got list")


@pytest.mark.parametrize("flag, column", [("--text-col", "body"), ("--id-col", "doc_id")])
def test_missing_column(jsonl, tmp_path, capsys, flag, column):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), flag, column],
                       capsys)
    assert_error(code, err, f"no column '{column}'", "columns: id, text")


def test_missing_language_column(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"),
                        "--language-col", "lang"], capsys)
    assert_error(code, err, "no column 'lang'")


def test_missing_text_value_names_the_row(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,fine\n2,\n", encoding="utf-8")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, f"{src} row 2", "missing 'text'")


def test_missing_text_value_in_jsonl_names_the_line(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "fine"}, {"id": 2}])
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, f"{src} line 2", "missing 'text'")


def test_empty_file(tmp_path, capsys):
    for name in ("in.jsonl", "in.csv"):
        src = tmp_path / name
        src.write_text("", encoding="utf-8")
        code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
        assert_error(code, err, name)
        assert "empty" in err or "no records" in err


def test_header_only_csv(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n", encoding="utf-8")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, "holds no records")


def test_unreadable_parquet(tmp_path, capsys):
    src = tmp_path / "in.parquet"
    src.write_bytes(b"this is not parquet")
    code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, "in.parquet", "cannot read as parquet")


def test_non_utf8_input(tmp_path, capsys):
    for name in ("in.jsonl", "in.csv"):
        src = tmp_path / name
        src.write_bytes(b'{"id": 1, "text": "caf\xe9"}\n' if name.endswith("jsonl")
                        else b"id,text\n1,caf\xe9\n")
        code, _, err = run(["framing", str(src), "-o", str(tmp_path / "o.csv")], capsys)
        assert_error(code, err, name, "not UTF-8")


def test_a_folder_as_input(tmp_path, capsys):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    code, _, err = run(["framing", str(folder), "-o", str(tmp_path / "o.csv")], capsys)
    assert_error(code, err, "data.csv", "no such file")


def test_output_folder_missing(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "nope" / "o.csv")], capsys)
    assert_error(code, err, "does not exist")


def test_output_not_writable(jsonl, tmp_path, capsys):
    target = tmp_path / "o.csv"
    target.mkdir()  # a folder where the file should go
    code, _, err = run(["framing", str(jsonl), "-o", str(target), *LEXICON_ONLY], capsys)
    assert_error(code, err, "cannot write")


def test_unknown_method(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), "--methods",
                        "lexicon,vibes"], capsys)
    assert_error(code, err, "unknown method(s) vibes")


def test_paragraph_options_with_the_document_measure(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), "--measure",
                        "document", "--methods", "lexicon"], capsys)
    assert_error(code, err, "--methods and --lexicon apply to --measure paragraph")


def test_document_measure_is_the_default(jsonl, tmp_path, capsys):
    out = tmp_path / "o.csv"
    code, stdout, err = run(["framing", str(jsonl), "-o", str(out), "--language", "en"], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    assert {"p_anti_us", "p_all_imperialisms", "model_version"} <= set(table.columns)
    assert "with the document measure 2.0.0" in stdout


def test_language_and_language_column_together(jsonl, tmp_path, capsys):
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), "--language", "en",
                        "--language-col", "lang"], capsys)
    assert_error(code, err, "--language or --language-col")


def test_missing_output_option(jsonl, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["framing", str(jsonl)])
    assert exit_info.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_build_subcommand_still_listed(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "build" in out and "framing" in out


# --------------------------------------------------------------------------
# The real command (slow: real model)
# --------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_on_the_regression_set(tmp_path):
    """The 14 constructed documents are a regression set: the labels of this model version
    are committed, so any change to the measure shows here."""
    out = tmp_path / "unseen.csv"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "analysis", "framing",
                           str(config.DATA / "examples" / "unseen.jsonl"), "-o", str(out)],
                          capture_output=True, text=True, env=env, cwd=config.ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out)
    expected = pd.read_csv(config.DATA / "examples" / "unseen-expected.csv")
    assert table["id"].tolist() == expected["id"].tolist()
    assert table["framing"].tolist() == expected["framing"].tolist()
    assert set(expected["model_version"]) == set(table["model_version"])
    assert set(table["language"]) == {"en", "es", "fr", "de", "it", "ru"}
    assert "scored 14 texts" in proc.stdout and "document measure" in proc.stdout


# --------------------------------------------------------------------------
# Help, version, lexicon and progress
# --------------------------------------------------------------------------


def test_version(capsys):
    from analysis.cli import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"analysis {version()}"


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["framing", "--help"]])
def test_help_is_plain_text(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "usage: analysis" in out
    assert "``" not in out and ":func:" not in out


@pytest.mark.parametrize("content, fragment", [
    (None, "cannot read the lexicon"),
    ("entries: [unclosed", "not valid YAML"),
])
def test_unreadable_lexicon(jsonl, tmp_path, capsys, content, fragment):
    lexicon = tmp_path / "lexicon.yaml"
    if content is not None:
        lexicon.write_text(content, encoding="utf-8")
    code, _, err = run(["framing", str(jsonl), "-o", str(tmp_path / "o.csv"), *LEXICON_ONLY,
                        "--lexicon", str(lexicon)], capsys)
    assert_error(code, err, "lexicon.yaml", fragment)


def test_own_lexicon_is_used(jsonl, tmp_path, capsys):
    import yaml

    from analysis.framing.lexicon import DEFAULT_LEXICON

    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["version"] = "test-only"
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = run(["framing", str(jsonl), "-o", str(out), *LEXICON_ONLY,
                        "--lexicon", str(lexicon)], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    assert set(table["lexicon_version"]) == {"test-only"}
    assert table["framing"].tolist() == ["all_imperialisms", "anti_us", "none"]


@pytest.mark.parametrize("tty, flags, shown", [
    (True, [], True), (True, ["--no-progress"], False), (False, [], False)])
def test_build_progress_only_on_a_terminal(tmp_path, capsys, monkeypatch, tty, flags, shown):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    code = main(["build", "--out", str(tmp_path / "processed"), *flags])
    err = capsys.readouterr().err
    assert code == 0
    assert ("build: 100%" in err and "6/6" in err) is shown, err
    assert (tmp_path / "processed" / "paragraphs.parquet").is_file()
