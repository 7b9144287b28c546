"""Site boilerplate found by repetition, on a synthetic multi-site corpus."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis.corpus.boilerplate import MIN_DOCS, clean_with_boilerplate, repeated_lines
from analysis.corpus.build import build_corpus
from analysis.corpus.clean import clean_documents

SITES = {
    "alpha": ["Skip to content", "Home | About | Campaigns | Donate",
              "Log in to leave a comment. Not a member? Register here."],
    "beta": ["Share this: Facebook Twitter Telegram Email",
             "Subscribe to read the full article. Already a subscriber? Sign in.",
             "Most read this week"],
    "gamma": ["Menu", "Search for:", "Support independent socialist media: donate today."],
}
WORDS = ("strike union war workers solidarity port rally border sanctions peace pension "
         "factory government statement movement").split()


def _paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(18, 30))).capitalize() + "."


def multi_site_corpus(n_docs: int = 6, seed: int = 3) -> tuple[pd.DataFrame, dict]:
    rng = random.Random(seed)
    rows, body = [], {}
    for site, lines in SITES.items():
        for i in range(n_docs):
            paras = [_paragraph(rng) for _ in range(3)]
            head = lines[:2] if rng.random() < 0.9 else lines[:1]
            # a slogan in two documents only: below the threshold, kept
            if i < 2:
                paras.append("Workers of the world, unite!")
            text = "\n".join(head) + "\n\n" + "\n\n".join(paras) + "\n\n" + lines[-1]
            doc_id = f"{site}-{i}"
            rows.append({"doc_id": doc_id, "source": site, "raw_text": text})
            body[doc_id] = paras
    return pd.DataFrame(rows), body


def test_repeated_lines_per_source():
    docs, _ = multi_site_corpus()
    found = repeated_lines(docs)
    assert {s: set(v) for s, v in found.items()} == {s: set(v) for s, v in SITES.items()}


def test_removed_under_its_own_rule_and_content_kept():
    docs, body = multi_site_corpus()
    cleaned, audit = clean_with_boilerplate(docs)
    for doc_id, text in zip(cleaned["doc_id"], cleaned["text"], strict=True):
        assert text == "\n\n".join(body[doc_id]), doc_id
    site_rows = audit[audit["rule"] == "site_boilerplate"]
    assert set(site_rows["text"]) == {line for lines in SITES.values() for line in lines}
    n_lines = sum(t.count("\n") + 1 for t in docs["raw_text"]) - sum(
        sum(p.count("\n") + 1 for p in paras) for paras in body.values())
    blank = sum(t.count("\n\n") for t in docs["raw_text"])
    assert len(site_rows) == n_lines - blank


@pytest.mark.parametrize("n_docs", [MIN_DOCS - 1, 1])
def test_too_few_documents_means_no_boilerplate(n_docs):
    docs, _ = multi_site_corpus(n_docs=n_docs)
    assert repeated_lines(docs) == {}
    cleaned, audit = clean_with_boilerplate(docs)
    expected, expected_audit = clean_documents(docs)
    assert cleaned["text"].tolist() == expected["text"].tolist()
    pd.testing.assert_frame_equal(audit, expected_audit)


def test_share_threshold():
    docs, _ = multi_site_corpus(n_docs=10)
    # the slogan recurs in 2 of 10 documents of each site
    assert "Workers of the world, unite!" not in repeated_lines(docs, min_docs=2,
                                                                min_share=0.3)["alpha"]
    assert "Workers of the world, unite!" in repeated_lines(docs, min_docs=2,
                                                            min_share=0.2)["alpha"]


def test_build_corpus_removes_site_boilerplate(make_corpus):
    docs, body = multi_site_corpus()
    files = {f"{d}.txt": t for d, t in zip(docs["doc_id"], docs["raw_text"], strict=True)}
    rows = [f"{d},{d}.txt,article,{s}" for d, s in zip(docs["doc_id"], docs["source"],
                                                      strict=True)]
    corpus = build_corpus(make_corpus(files, rows, header="id,file,kind,source\n"),
                          out_dir=None)
    texts = set(corpus.paragraphs["text"])
    assert not texts & {line for lines in SITES.values() for line in lines}
    assert "site_boilerplate" in corpus.report


def test_sample_corpus_is_untouched(sample_corpus):
    assert not (sample_corpus.audit["rule"] == "site_boilerplate").any()
