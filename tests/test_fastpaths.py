"""The speed-ups of cleaning, language and grouping give exactly the old results."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import clean, groups, language, normalise, rules
from analysis.corpus.groups import _translation_pairs
from analysis.corpus.language import add_languages


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200))
def test_plain_lines_are_left_alone_by_the_normalisers(line):
    if normalise._is_plain(line):
        assert normalise.normalise_line(line) == line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u2003xy", max_size=40))
def test_whitespace_patterns_match_the_original_ones(text):
    assert clean._HSPACE.sub(" ", text) == re.sub(r"[^\S\n]+", " ", text)
    assert clean._EDGE_SPACE.sub("\n", text) == re.sub(r" ?\n ?", "\n", text)
    old = [m.span() for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text)]
    assert [m.span() for m in rules._BLOCK.finditer(text)] == old


WORDS = ["subscribe", "sign up", "sign-up", "abonnez", "abonner", "suscrib", "suscríb", "photo",
         "image", "credit", "foto", "picture"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORDS), st.lists(st.booleans(), min_size=9, max_size=9),
       st.sampled_from(["", "ſ", "ı", "K", "İ"]))
def test_folded_text_holds_every_ignorecase_match(word, upper, odd):
    cased = "".join(c.upper() if u else c for c, u in zip(word, upper + [False] * 9,
                                                          strict=False))
    variants = [cased, cased.replace("s", odd or "s"), cased.replace("i", odd or "i"),
                cased.replace("k", odd or "k")]
    for text in variants:
        if re.search(re.escape(word), text, re.I):
            assert word in rules._folded(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Ab .!?:;\t\u00a0", max_size=30), st.integers(0, 30))
def test_sentence_start_test_matches_the_regex(line, pos):
    pos = min(pos, len(line))
    expected = bool(re.search(r"[.!?:;]\s*$|^\s*$", line[:pos]))
    assert groups._starts_sentence(line, pos) == expected


def _reference_translation_pairs(sets, langs, *, min_shared, overlap, max_df):
    """The original inverted-index algorithm, kept as the reference."""
    index = defaultdict(list)
    for i, anchor_set in enumerate(sets):
        for a in anchor_set:
            index[a].append(i)
    shared = defaultdict(int)
    for members in index.values():
        if len(members) > max_df:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                shared[(i, j)] += 1
    return {(i, j) for (i, j), n in shared.items()
            if n >= min_shared and langs[i] and langs[j] and langs[i] != langs[j]
            and n / min(len(sets[i]), len(sets[j])) >= overlap}


def test_sparse_translation_pairs_equal_the_reference():
    rng = random.Random(0)
    vocab = [f"a{k}" for k in range(40)]
    for _ in range(30):
        n = rng.randint(2, 60)
        sets = [frozenset(rng.sample(vocab, rng.randint(0, 8))) for _ in range(n)]
        langs = [rng.choice(["en", "es", "fr", None, ""]) for _ in range(n)]
        kwargs = dict(min_shared=rng.randint(1, 3), overlap=rng.choice([0.3, 0.6]),
                      max_df=rng.randint(2, 12))
        assert _translation_pairs(sets, langs, **kwargs) == \
            _reference_translation_pairs(sets, langs, **kwargs)


def test_uncertain_paragraph_detection_agrees_on_the_sample(sample_corpus):
    posts = sample_corpus.posts.drop(columns=["language", "language_confidence", "group_id",
                                              "group_type", "group_size", "is_canonical"])
    paragraphs = sample_corpus.paragraphs[["paragraph_id", "post_id", "doc_id", "para_no",
                                           "source", "date", "text", "n_words"]]
    full_posts, full = add_languages(posts, paragraphs)
    fast_posts, fast = add_languages(posts, paragraphs, detect_paragraphs="uncertain")
    pd.testing.assert_frame_equal(full_posts, fast_posts)
    assert fast["language"].tolist() == full["language"].tolist()
    skipped = fast["language_basis"].eq("post") & full["language_basis"].eq("detected")
    assert skipped.sum() > 20  # most English paragraphs skip lingua
    assert fast.loc[skipped, "language_confidence"].isna().all()


def test_function_word_check_sends_other_languages_to_lingua():
    assert language._agrees_with("The workers of the world and their unions are on strike.",
                                 "en")
    assert not language._agrees_with("Los trabajadores del mundo y sus sindicatos están en "
                                     "huelga.", "en")
    assert not language._agrees_with("Рабочие всего мира и их профсоюзы бастуют сегодня.",
                                     "ru")  # no word list: always detected
    assert not language._agrees_with("Too short.", "en")
