"""The one cluster bootstrap (analysis.stats.bootstrap): scipy agreement, coverage, clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats.bootstrap import (
    RESULT_COLUMNS,
    bootstrap_ratio,
    cluster_bootstrap,
    group_rng,
)
from analysis.stats.compare import mean_ci, share_ci

# --------------------------------------------------------------------------
# Simulated clustered data with a known truth
# --------------------------------------------------------------------------


def clustered_share(rng: np.random.Generator, n_clusters: int, share: float,
                    spread: float = 0.2) -> pd.DataFrame:
    """Posts of 1-8 paragraphs; each post has its own Beta share of category 1.

    Sizes are independent of the posts' shares, so the population ratio of
    category-1 paragraphs is ``share``.
    """
    a, b = share * (1 / spread - 1), (1 - share) * (1 / spread - 1)
    sizes = rng.integers(1, 9, size=n_clusters)
    p = rng.beta(a, b, size=n_clusters)
    post = np.repeat(np.arange(n_clusters), sizes)
    return pd.DataFrame({"post_id": post, "value": (rng.random(len(post)) < p[post]).astype(int)})


def clustered_mean(rng: np.random.Generator, n_clusters: int, mean: float) -> pd.DataFrame:
    """Documents of 1-8 paragraphs sharing a document effect (sd 1) plus noise (sd 1)."""
    sizes = rng.integers(1, 9, size=n_clusters)
    effect = rng.normal(0, 1, n_clusters)
    doc = np.repeat(np.arange(n_clusters), sizes)
    return pd.DataFrame({"doc_id": doc, "x": mean + effect[doc] + rng.normal(0, 1, len(doc))})


# --------------------------------------------------------------------------
# Agreement with scipy.stats.bootstrap (clusters of one row, the mean)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_agrees_with_scipy_bootstrap_on_single_row_clusters(method):
    x = np.random.default_rng(0).exponential(size=40)        # skewed: BCa differs
    ours = bootstrap_ratio(x, np.ones(40), clusters=np.arange(40), n_resamples=9999,
                           method=method, random_state=1)
    ref = stats.bootstrap((x,), np.mean, n_resamples=9999, method=method,
                          rng=np.random.default_rng(2))
    # Independent draws: equal within Monte-Carlo error (a few hundredths of
    # the standard error at 9999 resamples; the tolerance is ~3 MC sd).
    se = ref.standard_error
    assert ours.estimate[0] == pytest.approx(x.mean())
    assert ours.se[0] == pytest.approx(se, rel=0.05)
    assert abs(ours.ci_low[0] - ref.confidence_interval.low) < 0.25 * se
    assert abs(ours.ci_high[0] - ref.confidence_interval.high) < 0.25 * se


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_same_draws_as_scipy_give_the_same_interval(method):
    """Where the two draw the same resamples, the bounds agree to rounding.

    scipy draws ``rng.integers(0, n, (n_resamples, n))``, as this module
    does for one stratum; if a scipy version draws otherwise, only the
    Monte-Carlo agreement above is checked.
    """
    x = np.random.default_rng(3).lognormal(size=30)
    ours = cluster_bootstrap(lambda rows: x[rows].mean(), np.arange(30), n_resamples=2000,
                             method=method, random_state=5)
    fast = bootstrap_ratio(x, np.ones(30), clusters=np.arange(30), n_resamples=2000,
                           method=method, random_state=5)
    ref = stats.bootstrap((x,), np.mean, n_resamples=2000, method=method,
                          rng=np.random.default_rng(5))
    np.testing.assert_allclose(ours.bootstrap_distribution[:, 0],
                               fast.bootstrap_distribution[:, 0], rtol=1e-12)
    if not np.allclose(np.sort(ref.bootstrap_distribution),
                       np.sort(ours.bootstrap_distribution[:, 0]), rtol=1e-12):
        pytest.skip("this scipy draws its resamples differently")
    for res in (ours, fast):
        assert res.ci_low[0] == pytest.approx(ref.confidence_interval.low, rel=1e-10)
        assert res.ci_high[0] == pytest.approx(ref.confidence_interval.high, rel=1e-10)
        assert res.se[0] == pytest.approx(ref.standard_error, rel=1e-10)


def test_bca_corrects_towards_the_skew():
    x = np.random.default_rng(0).exponential(size=40)
    pct = bootstrap_ratio(x, np.ones(40), clusters=np.arange(40), n_resamples=4000)
    bca = bootstrap_ratio(x, np.ones(40), clusters=np.arange(40), n_resamples=4000,
                          method="bca")
    # Right-skewed mean: BCa moves both bounds up (as scipy's does).
    assert bca.ci_low[0] > pct.ci_low[0] and bca.ci_high[0] > pct.ci_high[0]


# --------------------------------------------------------------------------
# Coverage at the nominal level, clusters resampled
# --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_share_ci_coverage_is_nominal_for_a_clustered_share(method):
    """1,000 simulated corpora of 120 posts: the 95% interval covers the true share 93-97%."""
    rng = np.random.default_rng(2024)
    truth, hits = 0.3, []
    for rep in range(1000):
        table = clustered_share(rng, 120, truth)
        row = share_ci(table, by=None, value="value", n_resamples=400, method=method,
                       random_state=rep, categories=[0, 1]).iloc[1]
        hits.append(row["ci_low"] <= truth <= row["ci_high"])
    assert 0.93 <= np.mean(hits) <= 0.97, np.mean(hits)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_mean_ci_coverage_is_nominal_for_a_clustered_mean(method):
    """1,000 simulated corpora of 120 documents: the 95% interval covers the true mean 93-97%."""
    rng = np.random.default_rng(7)
    truth, hits = 0.5, []
    for rep in range(1000):
        table = clustered_mean(rng, 120, truth)
        row = mean_ci(table, by=None, value="x", n_resamples=400, method=method,
                      random_state=rep).iloc[0]
        hits.append(row["ci_low"] <= truth <= row["ci_high"])
    assert 0.93 <= np.mean(hits) <= 0.97, np.mean(hits)


def test_the_cluster_is_what_is_resampled():
    """Resampling paragraphs of clustered data gives too narrow intervals; posts do not."""
    rng = np.random.default_rng(11)
    truth = 0.4
    cover = {"post": [], "paragraph": []}
    width = {"post": [], "paragraph": []}
    for rep in range(300):
        table = clustered_share(rng, 40, truth, spread=0.4)
        ones = np.ones(len(table))
        for unit, clusters in (("post", table["post_id"]), ("paragraph", np.arange(len(table)))):
            res = bootstrap_ratio(table["value"], ones, clusters=clusters, n_resamples=400,
                                  random_state=rep)
            cover[unit].append(res.ci_low[0] <= truth <= res.ci_high[0])
            width[unit].append(res.ci_high[0] - res.ci_low[0])
    assert np.mean(cover["post"]) >= 0.90
    assert np.mean(cover["paragraph"]) <= 0.80
    assert np.mean(width["post"]) > 1.5 * np.mean(width["paragraph"])


# --------------------------------------------------------------------------
# The two forms of the statistic, strata, determinism, edge cases
# --------------------------------------------------------------------------


def test_generic_and_weighted_forms_draw_the_same_resamples():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 90).astype(float)
    post = rng.integers(0, 25, 90)
    words = rng.integers(5, 50, 90).astype(float)
    for method in ("percentile", "bca"):
        generic = cluster_bootstrap(lambda r: (y[r] * words[r]).sum() / words[r].sum(), post,
                                    n_resamples=300, method=method, random_state=9)
        weighted = cluster_bootstrap(lambda w: (w @ (y * words)) / (w @ words), post,
                                     weighted=True, n_resamples=300, method=method,
                                     random_state=9)
        np.testing.assert_allclose(generic.bootstrap_distribution,
                                   weighted.bootstrap_distribution, rtol=1e-12)
        np.testing.assert_allclose([generic.ci_low, generic.ci_high],
                                   [weighted.ci_low, weighted.ci_high], rtol=1e-12)
        assert generic.n_clusters == weighted.n_clusters == len(np.unique(post))


def test_chunked_draws_are_the_draws_of_one_block(monkeypatch):
    import analysis.stats.bootstrap as bs

    x = np.random.default_rng(1).normal(size=200)
    whole = bootstrap_ratio(x, np.ones(200), clusters=np.arange(200) // 4, n_resamples=500)
    monkeypatch.setattr(bs, "_CHUNK_ENTRIES", 1000)          # 20 resamples a chunk
    chunked = bootstrap_ratio(x, np.ones(200), clusters=np.arange(200) // 4, n_resamples=500)
    np.testing.assert_array_equal(whole.bootstrap_distribution, chunked.bootstrap_distribution)


def test_strata_keep_their_sizes():
    # Stratum a: clusters with values 0 and 1; stratum b: one value 5, twice.
    values = np.array([0.0, 1.0, 5.0, 5.0])
    res = cluster_bootstrap(lambda w: w @ values / w.sum(axis=1), np.array([1, 2, 3, 4]),
                            weighted=True, strata=np.array(["a", "a", "b", "b"]),
                            n_resamples=500)
    # Each resample draws two clusters from a and two from b: the mean is 2.5 + (0, 0.25, 0.5)
    assert set(np.round(res.bootstrap_distribution[:, 0], 10)) == {2.5, 2.75, 3.0}
    with pytest.raises(ValueError, match="spans several strata"):
        cluster_bootstrap(np.mean, np.array([1, 1, 2]), strata=np.array(["a", "b", "b"]))


def test_deterministic_with_a_fixed_seed():
    table = clustered_share(np.random.default_rng(3), 30, 0.3)
    args = (table["value"], np.ones(len(table)))
    first = bootstrap_ratio(*args, clusters=table["post_id"], n_resamples=300, random_state=4)
    again = bootstrap_ratio(*args, clusters=table["post_id"], n_resamples=300, random_state=4)
    other = bootstrap_ratio(*args, clusters=table["post_id"], n_resamples=300, random_state=5)
    np.testing.assert_array_equal(first.bootstrap_distribution, again.bootstrap_distribution)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert not np.array_equal(first.bootstrap_distribution, other.bootstrap_distribution)
    # Shuffled rows, same clusters: the same interval (clusters are taken in sorted order).
    order = np.random.default_rng(0).permutation(len(table))
    shuffled = table.iloc[order]
    moved = bootstrap_ratio(shuffled["value"], np.ones(len(table)), clusters=shuffled["post_id"],
                            n_resamples=300, random_state=4)
    np.testing.assert_allclose(moved.bootstrap_distribution, first.bootstrap_distribution,
                               rtol=1e-12)
    # Group streams depend on the group's value only.
    assert group_rng(42, ("a",)).integers(10**9) == group_rng(42, ("a",)).integers(10**9)
    assert group_rng(42, ("a",)).integers(10**9) != group_rng(42, ("b",)).integers(10**9)


def test_tidy_result_and_no_interval_cases():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    res = bootstrap_ratio(np.stack([x, 1 - x], axis=1), np.ones(4), clusters=[1, 1, 2, 2],
                          n_resamples=100, method="bca", confidence_level=0.9)
    frame = res.to_frame()
    assert list(frame.columns) == RESULT_COLUMNS and len(frame) == 2
    assert frame["estimate"].tolist() == pytest.approx([2.5, -1.5])
    assert set(frame["method"]) == {"bca"} and set(frame["n_resamples"]) == {100}
    assert set(frame["confidence_level"]) == {0.9} and set(frame["n_clusters"]) == {2}
    one = bootstrap_ratio(x, np.ones(4), clusters=[1, 1, 1, 1], n_resamples=100)
    assert one.estimate[0] == 2.5 and np.isnan(one.ci_low[0]) and one.n_resamples == 0
    none = bootstrap_ratio(x, np.ones(4), clusters=[1, 2, 3, 4], n_resamples=0)
    assert np.isnan(none.se[0]) and none.to_dict()["estimate"] == 2.5
    with pytest.raises(ValueError, match="2 components"):
        res.to_dict()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "basic"}, "method must be one of percentile, bca"),
    ({"confidence_level": 95}, "confidence_level"),
    ({"n_resamples": -1}, "n_resamples"),
])
def test_bad_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cluster_bootstrap(np.mean, np.arange(5), **kwargs)


def test_missing_cluster_labels_are_refused():
    with pytest.raises(ValueError, match="clusters has 1 missing"):
        cluster_bootstrap(np.mean, np.array([1.0, np.nan, 2.0]))


def test_retired_keywords_still_work_for_one_release_with_a_future_warning():
    import warnings

    from analysis.framing import macro_f1_ci

    truth, pred = ["a", "b", "a", "b", "a"], ["a", "b", "b", "b", "a"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = macro_f1_ci(truth, pred, n_boot=200, level=0.9, seed=3)
    assert [w.category for w in caught] == [FutureWarning] * 3
    assert "n_boot= is now n_resamples=" in str(caught[0].message)
    new = macro_f1_ci(truth, pred, n_resamples=200, confidence_level=0.9, random_state=3)
    assert old == new
    table = clustered_share(np.random.default_rng(0), 10, 0.3)
    with pytest.warns(FutureWarning, match="seed= is now random_state="):
        old = share_ci(table, by=None, value="value", n_resamples=100, seed=3)
    pd.testing.assert_frame_equal(old, share_ci(table, by=None, value="value", n_resamples=100,
                                                random_state=3))
