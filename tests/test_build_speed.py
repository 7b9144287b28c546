"""The fast paths of the corpus build give exactly the tables of the slow reference code.

Each fast path keeps its plain predecessor as a private ``_reference_*``
function; :func:`analysis.corpus.build._reference_paths` swaps them all in, so a
build can be run both ways and compared table by table.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import build as corpus
from analysis.corpus import clean, coverage, language, minhash, normalise
from analysis.corpus.build import _reference_paths, build_corpus
from analysis.scale.simulate import simulate_corpus


def _texts(n: int, seed: int = 0) -> list[str]:
    sim = simulate_corpus(n, seed=seed)
    return (sim.posts["title"].fillna("") + "\n\n" + sim.posts["text"]).tolist()


def test_vectorised_minhash_equals_datasketch():
    from datasketch import MinHash

    texts = _texts(300) + ["", "one", "two words", "Straße İstanbul ſ ÉCOLE", "a b c", "x " * 9000]
    for seed in (42, 7):
        expected = np.stack([mh.hashvalues for mh in MinHash.generator(
            (sorted(minhash._shingles(t)) for t in texts), num_perm=128, seed=seed)])
        got = minhash.minhash_signatures(texts, seed=seed)
        assert got.dtype == expected.dtype == np.uint32
        np.testing.assert_array_equal(got, expected)
    assert minhash.minhash_signatures([]).shape == (0, 128)


def test_vectorised_minhash_blocks_do_not_change_values(monkeypatch):
    texts = _texts(60)
    whole = minhash.minhash_signatures(texts)
    monkeypatch.setattr(minhash, "_MINHASH_BLOCK", 7)  # every text bigger than a block
    monkeypatch.setattr(minhash, "_MINHASH_TEXTS", 13)
    np.testing.assert_array_equal(minhash.minhash_signatures(texts), whole)


@pytest.mark.parametrize("threshold", [0.2, 0.6, 0.9])
def test_near_duplicate_pairs_equal_datasketch_lsh(threshold):
    texts = _texts(400, seed=3)
    rng = random.Random(threshold)
    # near copies: a sentence or two changed, so some pairs straddle the threshold
    for text in rng.sample(texts, 60):
        words = text.split()
        k = rng.randint(0, len(words) - 1)
        texts.append(" ".join(words[:k] + ["changed"] * rng.randint(1, 40) + words[k:]))
    hashvalues = minhash.minhash_signatures(texts)
    expected = minhash._reference_near_duplicate_pairs(hashvalues, threshold, 42)
    assert len(expected) > 10
    assert minhash._near_duplicate_pairs(hashvalues, threshold, 42) == expected


def test_near_duplicate_pairs_of_tiny_inputs():
    assert minhash._near_duplicate_pairs(np.zeros((0, 128), dtype=np.uint32), 0.6, 42) == set()
    one = minhash.minhash_signatures(["only one text here"])
    assert minhash._near_duplicate_pairs(one, 0.6, 42) == set()
    two = minhash.minhash_signatures(["the same text, twice"] * 2)
    assert minhash._near_duplicate_pairs(two, 0.6, 42) == {(0, 1)}


def test_detect_languages_equals_the_reference_with_repeats():
    texts = [t for post in _texts(40, seed=5) for t in post.split("\n\n")]
    texts += texts[:30] + ["", "Hi.", "12345 67890", "Merhaba dünya, nasılsınız bugün?"]
    fast = language.detect_languages(texts)
    slow = language._reference_detect_languages(texts)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast["language"].notna().sum() > 100


class _Value:
    def __init__(self, value, code):
        self.value = value
        self.language = type("L", (), {"iso_code_639_1": type("I", (), {"name": code})})()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["EN", "ES", "FR", "DE", "RU"])),
                max_size=6, unique_by=lambda v: v[1]),
       st.booleans())
def test_best_language_equals_the_reference_rule(values, near_tie):
    if near_tie and values:  # values that round to the same 4 decimals
        values = [(round(values[0][0], 4) + d, c) for d, (_, c) in
                  zip([0, 4e-5, -4e-5, 1e-5, -1e-5, 0], values, strict=False)]
        values = [(min(max(v, 0.0), 1.0), c) for v, c in values]
    objs = [_Value(v, c) for v, c in values]
    scored = [(round(v, 4), c.lower()) for v, c in values]
    expected = None
    if scored and max(scored)[0] > 0:
        value, code = max(scored, key=lambda s: (s[0], [-ord(ch) for ch in s[1]]))
        expected = (code, value)
    assert language._best_language(objs, {}) == expected


def test_line_cache_gives_the_same_cleaning(raw_texts):
    for raw in raw_texts.values():
        plain = clean.clean_text(raw)
        with normalise._shared_lines():
            cached = clean.clean_text(raw)
            again = clean.clean_text(raw)
        assert cached == plain == again
    assert normalise._LINE_CACHE is None


def test_reference_paths_swap_and_restore():
    fast = language.detect_languages
    with _reference_paths() as pairs:
        assert language.detect_languages is language._reference_detect_languages
        assert corpus.clean_with_boilerplate.__name__ == "_reference_clean_with_boilerplate"
        assert len(pairs) >= 5
    assert language.detect_languages is fast


@pytest.mark.slow
def test_fast_build_equals_the_reference_build(tmp_path):
    """A few thousand simulated posts, built the old way and the new: identical tables."""
    sim = simulate_corpus(2500, seed=11)
    sim.write(tmp_path / "sim")
    kwargs = dict(post_metadata=tmp_path / "sim" / "posts.csv", out_dir=None)
    with _reference_paths():
        slow = build_corpus(tmp_path / "sim" / "manifest.csv", **kwargs)
    fast = build_corpus(tmp_path / "sim" / "manifest.csv", **kwargs)
    assert len(fast.posts) >= 2500 and (fast.posts["group_size"] > 1).sum() > 50
    assert fast.audit["rule"].nunique() > 8
    for name in ("documents", "posts", "paragraphs", "audit"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), obj=name)
    assert fast.report == slow.report


def test_audit_concatenation_equals_the_reference(sample_corpus):
    audit = sample_corpus.audit
    empty = audit.iloc[:0]
    warnings = coverage.language_warnings(sample_corpus.paragraphs)
    for frames in ((audit, warnings), (empty, empty), (empty, audit), (audit.iloc[:5], empty),
                   (warnings,)):
        pd.testing.assert_frame_equal(corpus._concat_audit(*frames),
                                      corpus._reference_concat_audit(*frames))
