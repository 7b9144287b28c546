"""Language detection and translation / near-duplicate groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.groups import _assign_groups, _components, anchors, group_posts
from analysis.corpus.language import detect_languages


def test_post_languages_of_the_sample(sample_corpus):
    langs = sample_corpus.posts.set_index("post_id")["language"]
    assert langs["ist-statements/p02"] == "es"
    assert langs["ist-statements/p03"] == "fr"
    assert langs["ist-statements/p07"] == "ru"
    assert (langs.drop(["ist-statements/p02", "ist-statements/p03",
                        "ist-statements/p07"]) == "en").all()


def test_paragraph_languages_and_basis(sample_corpus):
    paras = sample_corpus.paragraphs.set_index("paragraph_id")
    assert paras.loc["ist-statements/p07/001", "language"] == "ru"
    short = paras.loc["essf-elaliberta-2022/p01/010"]
    assert short["text"] == "Speakers will be:"
    assert short["language_basis"] == "post" and short["language"] == "en"
    assert set(paras["language_basis"]) <= {"detected", "post"}


def test_detect_languages_restricted_set_and_short_text():
    out = detect_languages(["Nous sommes des internationalistes convaincus.", "ok",
                            "Wir sind überzeugte Internationalisten und Antiimperialisten."],
                           languages=["en", "fr", "de"])
    assert out["language"].tolist() == ["fr", None, "de"]
    assert out["language_confidence"].isna().tolist() == [False, True, False]


def test_translation_groups_of_the_sample(sample_corpus):
    posts = sample_corpus.posts.set_index("post_id")
    cuba = posts.loc[["ist-statements/p02", "ist-statements/p03", "ist-statements/p04"]]
    assert set(cuba["group_id"]) == {"ist-statements/p04"}  # canonical: the English one
    assert cuba["is_canonical"].tolist() == [False, False, True]
    assert set(cuba["group_type"]) == {"translation"}
    belarus = posts.loc[["ist-statements/p07", "ist-statements/p08"]]
    assert set(belarus["group_id"]) == {"ist-statements/p08"}
    others = posts.drop(list(cuba.index) + list(belarus.index))
    assert (others["group_type"] == "singleton").all()
    assert (others["group_id"] == others.index).all()
    assert posts["group_id"].nunique() == 17


def test_anchors_are_language_independent():
    en = anchors("We denounce the blockade. Adopted by Washington since 1959-1960 against Cuba.")
    es = anchors("Denunciamos el bloqueo. Adoptadas por Washington desde 1959-1960 contra Cuba.")
    assert en == es == frozenset({"washi", "1959", "1960", "cuba"})


def _posts(rows):
    return pd.DataFrame(rows, columns=["post_id", "title", "text", "language"])


def test_near_duplicates_group_and_canonical_rule():
    base = ("The refugees are being made to pay the price for the war in the Middle East while "
            "the governments of Turkey and Greece try to benefit from the conflict between the "
            "imperialist blocks and to block the entry of refugees at their borders today.")
    posts = _posts([
        ("a/p01", None, base, "en"),
        ("b/p01", "Copy", base.replace("today", "this week"), "en"),
        ("c/p01", None, "An unrelated text about a climate conference in November.", "en"),
    ])
    out = group_posts(posts).set_index("post_id")
    assert out.loc["a/p01", "group_id"] == out.loc["b/p01", "group_id"] == "b/p01"  # longer
    assert out.loc["a/p01", "group_type"] == "near_duplicate"
    assert out.loc["c/p01", "group_type"] == "singleton"
    assert out["is_canonical"].sum() == 2


def test_same_language_posts_sharing_names_are_not_translations():
    posts = _posts([
        ("a/p01", None, "Protests in Moscow against Putin and Lukashenko in 2020 and 2021.", "en"),
        ("b/p01", None, "A rally in Moscow denounced Putin and Lukashenko in 2020 and 2021.", "en"),
    ])
    assert group_posts(posts)["group_type"].tolist() == ["singleton", "singleton"]


def _union_find_roots(n, pairs):
    """The hand-written union-find that ``group_posts`` used before connected_components."""
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(pairs):
        parent[find(i)] = find(j)
    return np.array([find(i) for i in range(n)])


def _partition(labels):
    """The groups as a set of frozensets of row numbers, whatever the labels."""
    groups = {}
    for i, label in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", range(40))
def test_components_and_groups_equal_the_union_find_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 60))
    m = int(rng.integers(0, 2 * n + 1)) if n > 1 else 0
    pairs = {(min(i, j), max(i, j)) for i, j in rng.integers(0, max(n, 1), size=(m, 2)).tolist()
             if i != j}
    near = {p for p in pairs if rng.random() < 0.5}
    trans = pairs - near | {p for p in near if rng.random() < 0.2}
    reference = _union_find_roots(n, near | trans)
    labels = _components(n, near | trans)
    assert len(labels) == n
    assert _partition(labels) == _partition(reference)
    posts = pd.DataFrame({
        "post_id": [f"s/p{i:03d}" for i in rng.permutation(n)],
        "text": pd.Series(["x" * int(k) for k in rng.integers(1, 5, size=n)], dtype=object),
        "language": rng.choice(np.array(["en", "es", "ru", None], dtype=object), size=n)})
    order = ("en", "es")
    got = _assign_groups(posts.copy(), labels, near, trans, posts["language"].tolist(), order)
    expected = _assign_groups(posts.copy(), reference, near, trans, posts["language"].tolist(),
                              order)
    pd.testing.assert_frame_equal(got, expected)
    if pairs:
        assert (got["group_size"] > 1).any()
