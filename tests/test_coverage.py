"""Language warnings in the audit, method coverage in the report, changed-character counts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.build import build_corpus
from analysis.corpus.coverage import changed_characters, language_warnings, method_coverage

SV = ("Arbetarna i hamnen strejkade i går mot kriget och facket sa att fler aktioner "
      "kommer att följa under hösten, eftersom regeringen vägrar att lyssna på dem.")
AR = ("نظم العمال في الميناء إضرابا أمس ضد الحرب وقالت النقابة إن مزيدا من التحركات "
      "ستتبع خلال الخريف لأن الحكومة ترفض الاستماع إليهم")
EN = ("Workers in the port struck yesterday against the war, and the union said that more "
      "actions would follow in the autumn because the government refuses to listen.")
BARE = "id,file,kind,source\n"


@pytest.fixture
def manifest(make_corpus):
    return make_corpus({"en.txt": EN, "sv.txt": SV, "ar.txt": AR},
                       ["en,en.txt,article,a", "sv,sv.txt,article,b", "ar,ar.txt,article,c"],
                       header=BARE)


def _rules(corpus) -> dict[str, str]:
    warned = corpus.audit[corpus.audit["stage"] == "language"]
    return dict(zip(warned["doc_id"], warned["rule"], strict=True))


def test_default_languages_warn_on_arabic_and_doubt_swedish(manifest):
    corpus = build_corpus(manifest, out_dir=None)
    assert _rules(corpus) == {"ar": "language_undetected", "sv": "language_doubtful"}
    assert "language warnings in the audit: language_doubtful 1, language_undetected 1" \
        in corpus.report


def test_added_languages_are_detected_and_flagged_unsupported(manifest):
    corpus = build_corpus(manifest, out_dir=None, languages=("en", "sv", "ar"))
    langs = dict(zip(corpus.posts["doc_id"], corpus.posts["language"], strict=True))
    assert langs == {"en": "en", "sv": "sv", "ar": "ar"}
    # Arabic is read by the lexicon since 2.0.0; Swedish by no method
    assert _rules(corpus) == {"sv": "language_unsupported"}
    n_en = len(EN.split())
    total = n_en + len(SV.split()) + len(AR.split())
    n_ar = len(AR.split())
    assert f"framing lexicon [en, es, fr, de, it, ru, pt, ar, uk]: 2 paragraphs (66.7%), " \
           f"{n_en + n_ar} words ({(n_en + n_ar) / total:.1%})" in corpus.report


def test_cli_languages(manifest, tmp_path, capsys):
    assert main(["build", "--manifest", str(manifest), "--out", str(tmp_path / "o"),
                 "--languages", "en,SV, ar"]) == 0
    assert "language_unsupported 1" in capsys.readouterr().out
    posts = pd.read_parquet(tmp_path / "o" / "posts.parquet")
    assert sorted(posts["language"]) == ["ar", "en", "sv"]


def test_sample_has_no_language_warnings(sample_corpus):
    assert not (sample_corpus.audit["stage"] == "language").any()
    assert language_warnings(sample_corpus.paragraphs).empty


def test_method_coverage_counts(sample_corpus):
    cov = method_coverage(sample_corpus.paragraphs).set_index("method")
    assert cov.loc["framing lexicon", "paragraphs"] == 57
    assert cov.loc["embedding methods (LSS, prototypes, classifier)", "paragraphs"] == 54
    assert cov.loc["topic model (default units)", "paragraphs"] == 50


@pytest.mark.parametrize(("text", "replacement", "n"), [
    ("it\u2019s \u201cfine\u201d", "it's \"fine\"", 3),
    ("a\u00a0b", "a b", 1),
    ("same", "same", 0),
    ("removed", None, 7),
    ("\n\n", " ", 2),
    ("x" * 500 + "\u2019" + "y" * 500, "x" * 500 + "'" + "y" * 500, 1),
])
def test_changed_characters(text, replacement, n):
    assert changed_characters(text, replacement) == n


def test_report_counts_changed_characters_not_lines(make_corpus):
    line = "The union\u2019s statement " + "was long and said many things " * 20
    manifest = make_corpus({"q.txt": line + "\n\nAnd a second paragraph of plain text here."},
                           ["q,q.txt,article,a"], header=BARE)
    report = build_corpus(manifest, out_dir=None).report
    row = next(r for r in report.splitlines() if "normalise_unicode" in r)
    assert row.split()[-2:] == ["1", "1"], row


def test_cli_rejects_an_unknown_language(manifest, tmp_path, capsys):
    assert main(["build", "--manifest", str(manifest), "--out", str(tmp_path / "o"),
                 "--languages", "en,xx"]) == 2
    assert "unknown ISO 639-1 code(s) xx" in capsys.readouterr().err
