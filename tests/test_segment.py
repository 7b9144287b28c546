"""Listing pages split into posts, posts into paragraphs, with stable ids."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.clean import clean_documents
from analysis.corpus.load import CorpusInputError
from analysis.corpus.segment import attach_post_metadata, split_paragraphs, split_posts


def test_number_of_posts_per_document(sample_corpus):
    counts = sample_corpus.posts.groupby("doc_id").size().to_dict()
    assert counts == {"ist-statements": 10, "saru-blog-2015": 7, "sll-marathon-2020": 1,
                      "essf-elaliberta-2022": 1, "ilps-week-2020": 1}


def test_listing_post_titles(sample_corpus):
    posts = sample_corpus.posts.set_index("post_id")
    assert posts.loc["ist-statements/p01", "title"] == (
        "Online conference: The Revolutionary Alternative to Capitalism's Climate Disaster")
    assert posts.loc["ist-statements/p03", "title"] == (
        "Libérez Frank García Hernández et ses camarades")
    assert pd.isna(posts.loc["ist-statements/p04", "title"])  # the English excerpt has none
    assert posts.loc["ist-statements/p04", "text"].startswith("For years, indeed decades,")
    assert posts.loc["ist-statements/p07", "title"] == (
        "Беларусь и борьба с режимом Александра Лукашенко.")
    assert posts.loc["saru-blog-2015/p03", "title"] == (
        "Banda Bassotti and International Antifascist Forum participants say farewell to "
        "Alchevsk")
    assert posts.loc["saru-blog-2015/p02", "text"].startswith('"we condemn EU, US')


def test_article_titles_come_from_the_heading(sample_corpus):
    posts = sample_corpus.posts.set_index("post_id")
    row = posts.loc["essf-elaliberta-2022/p01"]
    assert row["title_basis"] == "heading"
    assert row["text"].startswith("On 24 February Russian troops")


def test_truncated_flags(sample_corpus):
    flags = sample_corpus.posts.set_index("post_id")["truncated"]
    assert flags[flags.index.str.startswith("ist-statements")].all()
    saru = flags[flags.index.str.startswith("saru-blog-2015")]
    assert saru.tolist() == [True, False, False, True, True, True, True]
    assert not flags["sll-marathon-2020/p01"] and not flags["ilps-week-2020/p01"]


def test_posts_carry_their_own_dates(sample_corpus):
    posts = sample_corpus.posts.set_index("post_id")
    assert posts.loc["saru-blog-2015/p07", "date"] == pd.Timestamp("2015-05-03")
    assert posts.loc["saru-blog-2015/p07", "date_precision"] == "day"
    assert posts.loc["ist-statements/p05", "date"] == pd.Timestamp("2020-11-01")
    assert posts.loc["ist-statements/p06", "date_precision"] == "year"
    assert posts.loc["ist-statements/p05", "date_basis"].startswith("post: ")
    assert posts.loc["sll-marathon-2020/p01", "date_basis"] == "document"
    assert posts["date"].notna().all()


def test_paragraph_ids_are_nested_and_stable(sample_corpus):
    paras = sample_corpus.paragraphs
    assert paras["paragraph_id"].is_unique
    assert (paras["paragraph_id"].str.rsplit("/", n=1).str[0] == paras["post_id"]).all()
    assert (paras["post_id"].str.rsplit("/", n=1).str[0] == paras["doc_id"]).all()
    assert paras.groupby("post_id").size().to_dict() == sample_corpus.posts.set_index(
        "post_id")["n_paragraphs"].to_dict()
    marathon = paras[paras["post_id"] == "sll-marathon-2020/p01"]
    assert len(marathon) == 19
    assert marathon.iloc[1]["text"].endswith("who helped to organize the Anti-Imperialist "
                                             "Marathon. Readers can entire broadcast here.")
    assert marathon.iloc[1]["paragraph_id"] == "sll-marathon-2020/p01/002"


def _docs(text: str, kind: str = "listing") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["d"], "kind": [kind], "source": ["s"], "title": [None],
                         "date": [pd.NaT], "date_precision": ["unknown"], "raw_text": [text]})


def test_listing_without_boundary_markers_splits_at_titles():
    text = ("First title\n\nA first post body that runs on for a good many words here.\n\n"
            "Second title\n\nA second post body, again long enough to be a body.")
    docs, audit = clean_documents(_docs(text))
    posts = split_posts(docs, audit)
    assert posts["title"].tolist() == ["First title", "Second title"]
    assert not posts["truncated"].any()


def test_listing_split_at_footers_and_markers():
    text = ("One\n\nBody one goes on. Continue reading\n\nPosted in News | Leave a comment\n\n"
            "Two\n\nBody two [...]\n\nThree\n\nBody three.\n\nPosted in News | 1 Comment")
    docs, audit = clean_documents(_docs(text))
    posts = split_posts(docs, audit)
    assert posts[["title", "text", "truncated"]].values.tolist() == [
        ["One", "Body one goes on.", True], ["Two", "Body two", True],
        ["Three", "Body three.", False]]
    paras = split_paragraphs(posts)
    assert paras["paragraph_id"].tolist() == ["d/p01/001", "d/p02/001", "d/p03/001"]


def test_listing_cut_where_cleaning_joined_the_text():
    text = "One\n\nBody one goes on to the [...]\n\nsecond post, untitled, in lower case."
    docs, audit = clean_documents(_docs(text))
    joined = "One\n\nBody one goes on to the second post, untitled, in lower case."
    assert docs.loc[0, "text"] == joined
    posts = split_posts(docs, audit)
    assert posts[["text", "truncated"]].values.tolist() == [
        ["Body one goes on to the", True], ["second post, untitled, in lower case.", False]]
    assert posts.loc[0, "title"] == "One" and pd.isna(posts.loc[1, "title"])


def test_post_metadata_mismatch_names_the_line(tmp_path, sample_corpus):
    meta = tmp_path / "posts.csv"
    meta.write_text("doc_id,post_no,title,date\nsaru-blog-2015,2,Wrong title,2015-05\n")
    posts = sample_corpus.posts.drop(columns=["language"])
    with pytest.raises(CorpusInputError, match=r"posts.csv line 2: title 'Wrong title' does not "
                                               r"match post 2 of saru-blog-2015"):
        attach_post_metadata(posts, meta)


def test_post_metadata_bad_date_names_the_line(tmp_path, sample_corpus):
    meta = tmp_path / "posts.csv"
    meta.write_text("doc_id,post_no,title,date\nsaru-blog-2015,7,,2015-05-32\n"
                    "saru-blog-2015,9,,2015\n")
    with pytest.raises(CorpusInputError) as info:
        attach_post_metadata(sample_corpus.posts, meta)
    assert info.value.problems == [
        f"{meta} line 2: date '2015-05-32' is not a valid ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
        f"{meta} line 3: saru-blog-2015 has no post 9"]
