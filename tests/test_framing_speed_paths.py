"""The fast scoring paths of the document measure give the slow path's output exactly.

``cleaned=True`` on already-cleaned texts, chunking and worker processes
must not change a single label, probability or evidence row; neither may
the lexicon's literal-head search (checked against running every entry over
every whole text, ``prefilter=False``).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.framing import add_framing, score_framing
from analysis.framing import features as F
from analysis.framing import model as M
from analysis.framing.io import split_text
from analysis.framing.lexicon import load_lexicon
from analysis.scale.simulate import simulate_corpus


def _posts(n: int):
    posts = simulate_corpus(n, seed=42).posts
    raw = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    return raw, posts["language"].tolist()


def _slow(texts, langs, monkeypatch):
    slow_lexicon = dataclasses.replace(load_lexicon(), prefilter=False)
    with monkeypatch.context() as m:
        m.setattr(M, "load_lexicon", lambda: slow_lexicon)
        m.setattr(F, "load_lexicon", lambda: slow_lexicon)
        return M.score_documents(texts, language=langs, return_evidence=True,
                                 chunk_size=10**9)


def _same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
    pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)


def _check(raw, langs, monkeypatch, chunk_size):
    cleaned = ["\n\n".join(split_text(t)) for t in raw]
    slow = _slow(raw, langs, monkeypatch)
    assert slow[0]["n_evidence"].sum() > len(raw) / 2  # the texts do hold evidence
    assert slow[0]["framing"].nunique() >= 3
    default = M.score_documents(raw, language=langs, return_evidence=True)
    _same(default, slow)
    for options in ({"chunk_size": chunk_size}, {"chunk_size": chunk_size, "n_jobs": 2}):
        _same(M.score_documents(cleaned, language=langs, return_evidence=True, cleaned=True,
                                **options), slow)
    _same(M.score_documents(raw, language=langs, return_evidence=True, n_jobs=2,
                            chunk_size=chunk_size), slow)


def test_fast_paths_equal_the_slow_path_on_simulated_posts(monkeypatch):
    raw, langs = _posts(300)
    _check(raw, langs, monkeypatch, chunk_size=70)


@pytest.mark.slow
def test_fast_paths_equal_the_slow_path_on_3000_simulated_posts(monkeypatch):
    raw, langs = _posts(3000)
    _check(raw, langs, monkeypatch, chunk_size=700)


def test_corpus_texts_scored_as_cleaned_equal_the_raw_path(sample_corpus):
    """The corpus tables hold cleaned text: ``cleaned=True`` skips cleaning it again."""
    posts = sample_corpus.posts
    assert all("\n\n".join(split_text(t)) == t for t in posts["text"])
    raw = add_framing(posts, language_col="language")
    fast = add_framing(posts, language_col="language", cleaned=True, n_jobs=2, chunk_size=7)
    pd.testing.assert_frame_equal(fast, raw, check_exact=True)


def test_chunking_keeps_empty_texts_and_languages():
    texts = ["", None, "NATO's proxy war against Russia.", "   ", "Against all imperialisms!"]
    whole = score_framing(texts, language="en")
    for size in (1, 2, 4):
        for jobs in (1, 2):
            got = score_framing(texts, language="en", chunk_size=size, n_jobs=jobs)
            pd.testing.assert_frame_equal(got, whole, check_exact=True)
    assert whole["framing"].tolist()[:2] == ["none", "none"]
    empty = M.score_documents([], language="en", return_evidence=True, n_jobs=2)
    assert len(empty[0]) == 0 and len(empty[1]) == 0


def test_scoring_options_are_checked():
    with pytest.raises(ValueError, match="chunk_size"):
        score_framing(["a text"], language="en", chunk_size=0)
    with pytest.raises(ValueError, match="n_jobs"):
        score_framing(["a text"], language="en", n_jobs=0)
    with pytest.raises(ValueError, match="languages for"):
        score_framing(["a", "b"], language=["en"])
    with pytest.raises(ValueError, match="measure='document'"):
        score_framing(["a text"], measure="paragraph", cleaned=True)
