"""The fast framing paths give exactly the slow paths' output.

The lexicon prefilter (:mod:`analysis.framing.prefilter`), the keyword
prefilter and the hashed n-gram counts through distinct words are checked
against running every regex and scikit-learn's ``HashingVectorizer`` on the
sample corpus, the gold paragraphs, simulated posts and random strings built
from the lexicon's own words with case and look-alike changes.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from analysis import config
from analysis.framing import features as F
from analysis.framing.evidence import lexicon_matches
from analysis.framing.io import split_text
from analysis.framing.lexicon import load_lexicon
from analysis.framing.prefilter import Prefilter
from analysis.framing.regex_literals import fold, required_literals
from analysis.scale.simulate import simulate_corpus

LANGUAGES = [None, "en", "es", "fr", "de", "it", "ru", "pt", "ar", "uk", "xx"]


def _lexicon_words() -> list[str]:
    lex = load_lexicon()
    words = set()
    for entry in lex.entries:
        words.update(re.findall(r"\w+(?:['’-]\w+)*", entry.pattern))
    for block in lex.config.get("camps", {}).values():
        for terms in block.values():
            for term in terms:
                words.update(re.findall(r"[^\W\d_]{2,}", term))
    for kind in ("negation", "contrast", "distancing"):
        words.update(re.findall(r"[^\W\d_]{2,}", json.dumps(lex.rules.get(kind, {}),
                                                              ensure_ascii=False)))
    return sorted(words)


WORDS = _lexicon_words()
ODD = ["ſ", "ı", "İ", "K", "ς", "Σ", "ẛ", "\u0307", "’", "'", "-", "‐", "«", "»", '"',
       ", ", ": ", ".", "!", "\n", "\n\n", "U.S.", "l'", "\u00a0"]


def _random_text(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        word = rng.choice(WORDS)
        r = rng.random()
        if r < 0.2:
            word = word.upper()
        elif r < 0.35:
            word = word.capitalize()
        elif r < 0.45:
            word = word.replace("s", "ſ").replace("i", "ı")
        parts.append(word)
        parts.append(rng.choice(ODD) if rng.random() < 0.15 else " ")
    return "".join(parts)


@pytest.fixture(scope="module")
def texts(sample_corpus) -> tuple[list[str], list]:
    """Sample paragraphs and posts, gold paragraphs, unseen examples, simulated posts
    and random texts, with their languages (some missing or unknown)."""
    paras = sample_corpus.paragraphs
    out = list(zip(paras["text"], paras["language"], strict=True))
    posts = sample_corpus.posts
    out += list(zip(posts["text"], posts["language"], strict=True))
    gold = pd.read_csv(config.DATA / "annotations" / "gold.csv")
    out += list(zip(gold["text"], gold["language"], strict=True))
    unseen = [json.loads(line) for line in
              (config.DATA / "examples" / "unseen.jsonl").read_text().splitlines() if line]
    out += [(u["text"], None) for u in unseen]
    sim = simulate_corpus(150, seed=3).posts
    out += [("\n\n".join(split_text(t + "\n\n" + b)), lang)
            for t, b, lang in zip(sim["title"], sim["text"], sim["language"], strict=True)]
    rng = random.Random(0)
    out += [(_random_text(rng, rng.randint(3, 60)), rng.choice(LANGUAGES)) for _ in range(400)]
    return [t for t, _ in out], [lang for _, lang in out]


def test_lexicon_prefilter_gives_every_match_of_the_slow_path(texts):
    fast = load_lexicon()
    slow = dataclasses.replace(fast, prefilter=False)
    got = lexicon_matches(texts[0], language=texts[1], lexicon=fast)
    expected = lexicon_matches(texts[0], language=texts[1], lexicon=slow)
    assert len(expected) > 300  # the texts do hold evidence
    pd.testing.assert_frame_equal(got, expected)


def test_each_entry_is_skipped_only_where_it_has_no_match(texts):
    lex = load_lexicon()
    pf = Prefilter([e.regex for e in lex.entries])
    skipped_hits = []
    n_skipped = 0
    for text in texts[0]:
        run = set(pf.candidates(text))
        for i, entry in enumerate(lex.entries):
            if i not in run:
                n_skipped += 1
                if any(m.end() > m.start() for m in entry.regex.finditer(text)):
                    skipped_hits.append((entry.id, text[:80]))
    assert skipped_hits == []
    assert n_skipped > 0.8 * len(texts[0]) * len(lex.entries)  # it does prune


def test_keyword_counts_equal_running_every_keyword(texts):
    expected = np.array([[len(r.findall(t)) for r in F._KEYWORD_RES] for t in texts[0]],
                        dtype=float)
    got = F.keyword_counts(texts[0])
    assert expected.sum() > 50
    np.testing.assert_array_equal(got, expected)


def test_hashed_counts_equal_the_hashing_vectorizers(texts, monkeypatch):
    monkeypatch.setattr(F, "_CHUNK", 97)  # several chunks
    docs = texts[0] + ["", "   ", "ΟΔΟΣ ΣΑΣ İstanbul ſoviet", "a  b\tc\u00a0d\u2003x"]
    expected = sparse.hstack([v.transform(docs) for v in F._vectorizers().values()],
                             format="csr")
    got = F.hashed_counts(docs)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    for name in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeinorstuAINSTU ſıİKςΣ\u0307.-'’\n")),
               max_size=40),
       st.sampled_from(["nations", "united states", "soviet", "imperialism", "us", "σας"]))
def test_folded_text_holds_every_ignorecase_match(text, word):
    for m in re.finditer(re.escape(word), text, re.IGNORECASE):
        assert fold(word) in fold(m.group())
        assert fold(word) in fold(text)


@pytest.mark.parametrize(("regex", "expected"), [
    (r"(?<!\w)(?:USA|NATO) imperialis\w*", [frozenset({"usa", "nato"}),
                                           frozenset({" imperialis"})]),
    # re's parser factors the common prefix out of the alternatives
    (r"(?:US|U\.S\.) imperialis\w*", [frozenset({"u"}), frozenset({"s", ".s."}),
                                       frozenset({" imperialis"})]),
    (r"nato(?:-| )?expansion", [frozenset({"nato"}), frozenset({"expansion"})]),
    (r"\bproxy[- ]war|guerre par procuration",
     [({"proxy", "war"}, {"guerre par procuration"})]),
    (r"(?:golpistas)?", []),
    (r"a{2,}b", [frozenset({"a"}), frozenset({"b"})]),
])
def test_required_literals(regex, expected):
    got = required_literals(re.compile(regex, re.IGNORECASE))
    norm = [g if isinstance(g, frozenset) else
            tuple({s for c in alt for s in c} for alt in g) for g in got]
    assert norm == [e if isinstance(e, frozenset) else tuple(e) for e in expected]


def test_document_scores_equal_the_slow_path_on_the_sample(sample_corpus, monkeypatch):
    from analysis.framing import model as M

    posts = sample_corpus.posts
    texts = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    langs = posts["language"].tolist()
    fast, fast_ev = M.score_documents(texts, language=langs, return_evidence=True)
    slow_lexicon = dataclasses.replace(load_lexicon(), prefilter=False)
    monkeypatch.setattr(M, "load_lexicon", lambda: slow_lexicon)
    monkeypatch.setattr(F, "load_lexicon", lambda: slow_lexicon)
    monkeypatch.setattr(F, "hashed_counts", lambda docs: sparse.hstack(
        [v.transform(list(docs)) for v in F._vectorizers().values()], format="csr"))
    monkeypatch.setattr(F, "keyword_counts", lambda docs, **_: np.array(
        [[len(r.findall(t)) for r in F._KEYWORD_RES] for t in docs], dtype=float
    ).reshape(len(docs), len(F.KEYWORDS)))
    slow, slow_ev = M.score_documents(texts, language=langs, return_evidence=True)
    assert fast["n_evidence"].sum() > 0
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(fast_ev, slow_ev)


def _every_regex():
    from analysis.framing.lexicon import _entries_for, _prefilter

    lex = load_lexicon()
    out = [(F._keyword_prefilter(), None)]
    out += [(_prefilter(lex, lang), lang) for lang in [None, *lex.languages]]
    assert len(_entries_for(lex, None)) == len(lex.entries)
    return out


def test_prefilter_finditer_gives_the_matches_of_a_full_scan(texts):
    """Trying a regex only where its literal heads occur, or only over the runs
    between its breakers, finds what ``regex.finditer`` over the whole text finds."""
    from analysis.framing.prefilter import folded_words

    prefilters = _every_regex()
    n_heads = n_compared = n_matches = 0
    for pf, _ in prefilters:
        n_heads += sum(h is not None for h in pf.starts_)
        for text in texts[0]:
            scan = folded_words(text)
            present = pf.present(text, scan)
            for i in pf.candidates(text, scan, present):
                got = [m.span() for m in pf.finditer(i, text, scan[0], {}, present)]
                expected = [m.span() for m in pf.regexes[i].finditer(text)]
                assert got == expected, (pf.regexes[i].pattern, text[:80])
                n_compared += 1
                n_matches += len(expected)
    assert n_heads > 250 and n_compared > 5000 and n_matches > 1000


def test_prefilter_windows_hold_every_match(texts):
    """The breaker runs alone (the fall-back of regexes without literal heads) give
    the same matches as a full scan, for every regex that has breakers."""
    n_cut = 0
    for pf, _ in _every_regex():
        for i, regex in enumerate(pf.regexes):
            if not pf.breakers_[i]:
                continue
            for text in texts[0]:
                windows = pf.windows(i, text)
                got = [m.span() for a, b in windows for m in regex.finditer(text, a, b)]
                assert got == [m.span() for m in regex.finditer(text)], (regex.pattern, text)
                n_cut += sum(b - a for a, b in windows) < len(text)
    assert n_cut > 1000  # windows do cut texts


@pytest.mark.parametrize(("pattern", "heads"), [
    (r"(?<!\w)(?:US|NATO) imperialis\w*", ("nato imperialis", "us imperialis")),
    (r"(?:the )?West(?:ern)?", ("the west", "west")),
    (r"[ÉE]tats", ("etats", "états")),
    (r"\w+ war", None),
    (r"(?:golpistas)?", None),
])
def test_literal_heads(pattern, heads):
    from analysis.framing.regex_literals import starts

    assert starts(re.compile(pattern, re.IGNORECASE)) == heads


def test_breakers_are_characters_no_part_of_the_regex_reads():
    from analysis.framing.regex_literals import BREAK_CANDIDATES, breakers

    assert breakers(re.compile(r"(?<!\w)proxy[- ]war(?!\w)", re.I)) == BREAK_CANDIDATES
    assert "." not in breakers(re.compile(r"U\.S\. [^\s.!?]+", re.I))
    assert "!" in breakers(re.compile(r"U\.S\. [^\s.!?]+", re.I))
    assert breakers(re.compile(r"a|b?", re.I)) is None  # can match the empty string
    assert breakers(re.compile(r"(a)\1", re.I)) is None  # a back-reference


def test_folding_keeps_positions_without_a_combining_dot():
    """Literal heads found in the folded text are at the same places in the text:
    every character folds to exactly one, except U+0307 (dropped)."""
    chars = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    assert "\u0307" in chars
    for ch in chars:
        if ch != "\u0307":
            assert len(fold(ch)) == 1, hex(ord(ch))
