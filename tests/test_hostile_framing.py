"""Hostile input to ``framing`` and the API: issue 15's framing rows as regression tests."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.framing import read_texts, score_framing
from analysis.framing.lexicon import FramingInputError
from analysis.framing.output import neutralise_cell
from analysis.text import embeddings as embed_mod

EN = "Against all imperialisms! Neither Washington nor Moscow. Russian troops out of Ukraine."
AR = "ضد كل الإمبرياليات! لا واشنطن ولا موسكو. على القوات الروسية الخروج من أوكرانيا الآن."
ZH = "反对一切帝国主义！既不要华盛顿也不要莫斯科。俄罗斯军队撤出乌克兰，北约撤出欧洲。"


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_output_equal_to_input_is_refused(tmp_path, capsys, monkeypatch):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": EN}])
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    for output in (str(path), "x.jsonl", "./sub/../x.jsonl"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        code, _, err = run(["framing", str(path), "-o", output], capsys)
        assert code == 2 and "would replace the input" in err, err
    assert path.read_bytes() == before


def test_output_is_written_through_a_temporary_file(tmp_path, capsys, monkeypatch):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": EN}])
    out = tmp_path / "out.csv"
    out.write_text("previous\n")

    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    code, _, err = run(["framing", str(path), "-o", str(out)], capsys)
    assert code == 2 and "No space left" in err and "Traceback" not in err
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "x.jsonl"]


def test_duplicate_ids_are_an_error(tmp_path, capsys):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": EN}, {"id": "b", "text": EN},
                                             {"id": "a", "text": EN}])
    code, _, err = run(["framing", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2 and "duplicate id 'a' (line 1, line 3)" in err
    assert not (tmp_path / "o.csv").exists()


def test_unknown_language_codes_are_an_error(tmp_path, capsys):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": EN, "lang": "qq"}])
    code, _, err = run(["framing", str(path), "-o", str(tmp_path / "o.csv"), "--language", "xx"],
                       capsys)
    assert code == 2 and "--language 'xx'" in err
    code, _, err = run(["framing", str(path), "-o", str(tmp_path / "o.csv"),
                        "--language-col", "lang"], capsys)
    assert code == 2 and "'qq'" in err


def test_unsupported_languages_are_flagged_and_summarised(tmp_path, capsys):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "en", "text": EN}, {"id": "zh", "text": ZH},
                                             {"id": "ar", "text": AR}])
    out = tmp_path / "o.csv"
    code, _, err = run(["framing", str(path), "-o", str(out)], capsys)
    assert code == 0, err
    table = pd.read_csv(out, keep_default_na=False)
    flagged = dict(zip(table["id"], table["unsupported_language"], strict=True))
    assert flagged["en"] == False and flagged["zh"] == True  # noqa: E712 - CSV booleans
    n = int(table["unsupported_language"].sum())
    assert f"warning: {n} of 3 texts are in languages no method reads" in err


def test_formula_cells_are_neutralised(tmp_path, capsys):
    ids = ['=HYPERLINK("http://evil","click")', "+1", "-2", "@SUM(A1)", "plain"]
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": i, "text": EN} for i in ids])
    out = tmp_path / "o.csv"
    code, _, err = run(["framing", str(path), "-o", str(out)], capsys)
    assert code == 0, err
    table = pd.read_csv(out, keep_default_na=False, dtype={"id": str})
    assert table["id"].tolist() == ["'" + i for i in ids[:4]] + ["plain"]
    assert (pd.to_numeric(table["framing_score"]) <= 1).all()  # numbers stay numbers
    assert neutralise_cell(-0.5) == -0.5


@pytest.mark.parametrize("value, named", [(12345, "a number"), (["a", "b"], "a list"),
                                          ({"a": 1}, "an object"), (True, "a boolean")])
def test_non_string_text_is_refused_with_its_type(tmp_path, value, named):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": EN}, {"id": "b", "text": value}])
    with pytest.raises(FramingInputError, match=f"line 2: 'text' is {named}"):
        read_texts(path)


def test_jsonl_with_line_separators_inside_strings(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": "one\u2028two " + EN},
                                             {"id": "b", "text": "x\u0085y " + EN}])
    table = read_texts(path)
    assert table["id"].tolist() == ["a", "b"] and "\u2028" in table["text"].iloc[0]


def test_unwritable_cache_falls_back_with_one_warning(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")

    class Encoder:
        def encode(self, texts, **kwargs):
            return np.ones((len(texts), 3))

    monkeypatch.setattr(embed_mod, "_WARNED", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = embed_mod.embed(["a", "b"], encoder=Encoder(), model_key="k",
                                cache_dir=blocker / "embeddings")
        second = embed_mod.embed(["c"], encoder=Encoder(), model_key="k",
                                 cache_dir=blocker / "embeddings")
    assert first.shape == (2, 3) and second.shape == (1, 3)
    messages = [str(w.message) for w in caught if "cannot be used" in str(w.message)]
    assert len(messages) == 1 and "going on without a cache" in messages[0]


def test_score_framing_refuses_a_single_string():
    with pytest.raises(TypeError, match="not one string"):
        score_framing("Against all imperialisms")
