"""Cluster-bootstrap shares (analysis.stats.compare)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.compare import SHARE_COLUMNS, add_period, share_ci


@pytest.fixture
def toy() -> pd.DataFrame:
    """Two sources; source a has three posts, source b two."""
    return pd.DataFrame({
        "source": ["a"] * 5 + ["b"] * 4,
        "post_id": ["a1", "a1", "a2", "a3", "a3", "b1", "b1", "b2", "b2"],
        "topic": [0, 0, 1, 0, -1, 1, 1, 1, 0],
    })


def clustered_table(rng: np.random.Generator, *, n_clusters: int, share: float,
                    spread: float) -> pd.DataFrame:
    """Posts of 1-8 paragraphs whose own share of category 1 varies around ``share``.

    Cluster shares are Beta with mean ``share``; sizes are independent of
    them, so the population ratio of category-1 paragraphs is ``share``.
    """
    a = share * (1 / spread - 1)
    b = (1 - share) * (1 / spread - 1)
    sizes = rng.integers(1, 9, size=n_clusters)
    p = rng.beta(a, b, size=n_clusters)
    post = np.repeat(np.arange(n_clusters), sizes)
    value = (rng.random(len(post)) < p[post]).astype(int)
    return pd.DataFrame({"group": "g", "post_id": post, "value": value})


def test_shares_counts_and_complete_categories(toy):
    out = share_ci(toy, by="source", value="topic", n_resamples=500, random_state=1)
    assert list(out.columns) == ["source", "topic", *SHARE_COLUMNS]
    # every category in every group, zero shares included
    assert out.groupby("source").size().to_dict() == {"a": 3, "b": 3}
    a = out[out["source"] == "a"].set_index("topic")
    assert a["n"].to_dict() == {-1: 1, 0: 3, 1: 1}
    assert a["share"].to_dict() == pytest.approx({-1: 0.2, 0: 0.6, 1: 0.2})
    assert set(a["n_total"]) == {5} and set(a["n_clusters"]) == {3}
    b = out[out["source"] == "b"].set_index("topic")
    assert b.loc[-1, "share"] == 0 and b.loc[-1, "ci_high"] == 0
    assert b.loc[1, "share"] == pytest.approx(0.75)
    assert out.groupby("source")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_intervals_bracket_the_share_and_respect_cluster_bounds(toy):
    out = share_ci(toy, by="source", value="topic", n_resamples=2000, random_state=1)
    assert (out["ci_low"] <= out["share"] + 1e-12).all()
    assert (out["share"] <= out["ci_high"] + 1e-12).all()
    # Resampling posts of source b ({1, 1} and {1, 0}) can only give shares
    # of topic 1 between 0.5 (post b2 twice) and 1 (post b1 twice).
    b1 = out[(out["source"] == "b") & (out["topic"] == 1)].iloc[0]
    assert b1["ci_low"] == pytest.approx(0.5) and b1["ci_high"] == pytest.approx(1.0)


def test_single_cluster_has_no_interval(toy):
    one_post = toy.assign(post_id=toy["source"])
    out = share_ci(one_post, by="source", value="topic", n_resamples=100)
    assert out["ci_low"].isna().all() and out["ci_high"].isna().all()
    assert (out["n_clusters"] == 1).all()
    assert out["share"].notna().all()


def test_deterministic_and_independent_of_other_groups(toy):
    first = share_ci(toy, by="source", value="topic", n_resamples=300, random_state=7)
    again = share_ci(toy.sample(frac=1, random_state=3), by="source", value="topic",
                     n_resamples=300, random_state=7)
    pd.testing.assert_frame_equal(first, again)
    only_a = share_ci(toy[toy["source"] == "a"], by="source", value="topic",
                      n_resamples=300, random_state=7, categories=[-1, 0, 1])
    pd.testing.assert_frame_equal(first[first["source"] == "a"].reset_index(drop=True), only_a)
    other_seed = share_ci(toy, by="source", value="topic", n_resamples=300, random_state=8)
    assert not other_seed[["ci_low", "ci_high"]].equals(first[["ci_low", "ci_high"]])


def test_overall_share_and_input_not_mutated(toy):
    before = toy.copy()
    out = share_ci(toy, by=None, value="topic", n_resamples=200)
    assert list(out.columns) == ["topic", *SHARE_COLUMNS]
    assert out.set_index("topic")["n"].to_dict() == {-1: 1, 0: 4, 1: 4}
    pd.testing.assert_frame_equal(toy, before)


def test_bootstrap_covers_a_known_share():
    """95% intervals from 40 clustered posts cover the true share about 95% of the time."""
    rng = np.random.default_rng(2024)
    truth, hits, reps = 0.3, 0, 200
    for rep in range(reps):
        table = clustered_table(rng, n_clusters=40, share=truth, spread=0.2)
        row = share_ci(table, by="group", value="value", n_resamples=500, random_state=rep,
                       categories=[0, 1]).iloc[1]
        hits += row["ci_low"] <= truth <= row["ci_high"]
    assert 0.88 <= hits / reps <= 0.99


def test_cluster_intervals_are_wider_than_paragraph_intervals():
    """Resampling paragraphs of clustered data understates the uncertainty."""
    rng = np.random.default_rng(5)
    table = clustered_table(rng, n_clusters=30, share=0.4, spread=0.4)
    by_post = share_ci(table, by="group", value="value", cluster="post_id", n_resamples=2000)
    by_row = share_ci(table, by="group", value="value", cluster=None, n_resamples=2000)
    width = lambda t: float((t["ci_high"] - t["ci_low"]).iloc[1])  # noqa: E731
    assert width(by_post) > 1.3 * width(by_row)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": "nope", "value": "topic"}, "nope"),
    ({"by": "source", "value": "topic", "cluster": "doc_id"}, "doc_id"),
    ({"by": "source", "value": "topic", "confidence_level": 95}, "confidence_level"),
    ({"by": "source", "value": "topic", "categories": [0, 1]}, "not in categories"),
])
def test_errors_name_the_problem(toy, kwargs, message):
    with pytest.raises((KeyError, ValueError), match=message):
        share_ci(toy, **kwargs)


def test_missing_values_are_refused(toy):
    with pytest.raises(ValueError, match="missing"):
        share_ci(toy.assign(topic=[0, None, 1, 0, 1, 1, 1, 1, 0]), by="source", value="topic")


def test_add_period_years_and_missing_dates():
    df = pd.DataFrame({"date": pd.to_datetime(["2020-05-17", "2020-12-31", "2021-01-01", None])})
    out = add_period(df)
    assert out["period"].tolist()[:3] == [pd.Timestamp("2020-01-01")] * 2 + [
        pd.Timestamp("2021-01-01")]
    assert pd.isna(out["period"].iloc[3])
    assert "period" not in df.columns
    months = add_period(df, freq="MS")["period"]
    assert months.iloc[0] == pd.Timestamp("2020-05-01")


def test_periods_group_shares():
    df = pd.DataFrame({"date": pd.to_datetime(["2019-03-01", "2019-07-01", "2020-01-01", None]),
                       "post_id": ["p", "q", "r", "s"], "topic": [0, 1, 1, 0]})
    out = share_ci(add_period(df), by="period", value="topic", n_resamples=100)
    assert out["period"].dt.year.unique().tolist() == [2019, 2020]   # NaT left out
    assert out["n_total"].tolist() == [2, 2, 1, 1]
