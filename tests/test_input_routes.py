"""Every documented input route, with the optional fields (title, date, url) absent."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main
from analysis.corpus.build import build_corpus, post_metadata_path

BODY = ("Workers in the port city held a rally against the war on Sunday, and the union "
        "said more would follow.\n\nThe statement called for solidarity with the strikers "
        "across the border and for an end to the arms shipments.")
BARE = "id,file,kind,source\n"


def _jsonl(records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


ROUTES = {
    "one-jsonl": ({"all.jsonl": _jsonl([{"id": "a", "text": BODY},
                                        {"id": "b", "text": BODY.replace("port", "river")}])},
                  ["all,all.jsonl,article,site"], 2),
    # distinct documents: a paragraph recurring in all of a source's documents
    # would be removed as site boilerplate (tests/test_boilerplate.py)
    "folder-of-txt": ({f"t{i}.txt": BODY.replace("Sunday", day).replace("arms", arms)
                       for i, (day, arms) in enumerate((("Monday", "tank"), ("Friday", "shell"),
                                                        ("Sunday", "arms")))},
                      [f"t{i},t{i}.txt,article,site" for i in range(3)], 3),
    "html": ({"p.html": f"<html><body><article><p>{BODY.split(chr(10))[0]}</p>"
                        f"<p>{BODY.split(chr(10))[-1]}</p></article></body></html>"},
             ["p,p.html,article,site"], 1),
    "csv": ({"t.csv": pd.DataFrame({"id": ["x", "y"], "text": [BODY, BODY[::-1]]})
             .to_csv(index=False)}, ["c,t.csv,article,site"], 2),
    "listing-txt": ({"l.txt": "A first post on the strike\n\n" + BODY + " [...]\n\n"
                              "A second post on the war\n\n" + BODY + " [...]"},
                    ["l,l.txt,listing,site"], 2),
}


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("on_error", ["raise", "record"])
def test_route_without_title_date_or_url(route, on_error, make_corpus):
    files, rows, n_posts = ROUTES[route]
    manifest = make_corpus(files, rows, header=BARE)
    corpus = build_corpus(manifest, out_dir=None, on_error=on_error)
    assert len(corpus.posts) == n_posts
    assert not corpus.audit["rule"].str.startswith("rejected:").any()
    assert corpus.posts["date"].isna().all()
    assert (corpus.posts["date_basis"] == "unknown").all()
    if route != "listing-txt":
        assert corpus.posts["title"].isna().all()
        assert (corpus.posts["title_basis"] == "none").all()
    assert corpus.paragraphs["text"].str.contains("solidarity|ytiradilos").any()


def test_cli_builds_a_bare_jsonl(make_corpus, tmp_path, capsys):
    manifest = make_corpus(ROUTES["one-jsonl"][0], ROUTES["one-jsonl"][1], header=BARE)
    assert main(["build", "--manifest", str(manifest), "--out", str(tmp_path / "out"),
                 "--record-errors"]) == 0
    assert "posts:          2  (truncated: 0; without a title: 2)" in capsys.readouterr().out


def test_record_errors_catches_a_failure_in_segmentation(make_corpus, monkeypatch):
    from analysis.corpus import build as corpus_module

    real = corpus_module.split_posts

    def fragile(documents, audit):
        if "t1" in set(documents["doc_id"]):
            raise TypeError("boom")
        return real(documents, audit)

    monkeypatch.setattr(corpus_module, "split_posts", fragile)
    files, rows, _ = ROUTES["folder-of-txt"]
    manifest = make_corpus(files, rows, header=BARE)
    with pytest.raises(TypeError, match="boom"):
        build_corpus(manifest, out_dir=None)
    corpus = build_corpus(manifest, out_dir=None, on_error="record")
    assert sorted(corpus.documents["doc_id"]) == ["t0", "t2"]
    rejected = corpus.audit[corpus.audit["rule"] == "rejected:segment_error"]
    assert rejected["doc_id"].tolist() == ["t1"]
    assert "TypeError: boom" in rejected["detail"].iloc[0]
    assert "(rejected: 1)" in corpus.report


def test_post_dates_come_from_beside_the_manifest_only(make_corpus, tmp_path):
    # A user's listing page with the same id as a sample document: the sample's
    # posts.csv must not date (or reject) it.
    files = {"l.txt": "A first post on the strike\n\n" + BODY + " [...]\n\n"
                      "A second post on the war\n\n" + BODY + " [...]"}
    manifest = make_corpus(files, ["ist-statements,l.txt,listing,site"], header=BARE)
    assert post_metadata_path(manifest) is None
    assert post_metadata_path(config.MANIFEST) == config.POST_METADATA
    corpus = build_corpus(manifest, out_dir=None)
    assert corpus.posts["date"].isna().all()
    (tmp_path / "posts.csv").write_text(
        "doc_id,post_no,title,date\nist-statements,2,A second post on the war,2023-05-01\n")
    dated = build_corpus(manifest, out_dir=None)
    assert dated.posts["date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == ["", "2023-05-01"]
    assert build_corpus(manifest, post_metadata=None, out_dir=None).posts["date"].isna().all()
