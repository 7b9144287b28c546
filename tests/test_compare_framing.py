"""Comparisons for framing over time and by source, on synthetic tables with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.compare import event_difference, flag_thin, mean_ci, regress, share_ci

FRAMINGS = ["all_imperialisms", "anti_us", "mixed", "none"]


def _planted(seed: int = 0, docs_per_cell: int = 60, paras: int = 4) -> tuple[pd.DataFrame, dict]:
    """Paragraph table with known framing shares per source x period."""
    rng = np.random.default_rng(seed)
    truth = {("a", 2014): [0.1, 0.6, 0.1, 0.2], ("a", 2022): [0.2, 0.5, 0.1, 0.2],
             ("b", 2014): [0.4, 0.2, 0.1, 0.3], ("b", 2022): [0.7, 0.05, 0.05, 0.2]}
    rows = []
    for (source, year), probs in truth.items():
        for d in range(docs_per_cell):
            # each document leans to one framing, so paragraphs cluster
            lean = rng.choice(FRAMINGS, p=probs)
            for k in range(paras):
                framing = lean if rng.random() < 0.8 else rng.choice(FRAMINGS, p=probs)
                rows.append({"source": source, "period": year, "doc_id": f"{source}{year}-{d}",
                             "paragraph_id": f"{source}{year}-{d}/{k}", "framing": framing})
    return pd.DataFrame(rows), truth


def test_planted_shares_are_recovered_within_their_cis():
    df, truth = _planted()
    out = share_ci(df, by=["source", "period"], value="framing", cluster="doc_id",
                   n_resamples=1000)
    inside = 0
    for row in out.itertuples():
        expected = truth[(row.source, row.period)][FRAMINGS.index(row.framing)]
        inside += row.ci_low <= expected <= row.ci_high
        assert abs(row.share - expected) < 0.15
    assert inside >= 15  # 16 cells at 95%: at most one miss expected


def test_mean_ci_coverage_is_near_nominal():
    rng = np.random.default_rng(1)
    covered = []
    for rep in range(200):
        n_docs = 30
        doc_effect = rng.normal(0, 1, n_docs)
        rows = [{"doc_id": d, "x": 0.5 + doc_effect[d] + rng.normal(0, 1)}
                for d in range(n_docs) for _ in range(3)]
        out = mean_ci(pd.DataFrame(rows), by=None, value="x", n_resamples=500, random_state=rep)
        covered.append(out.loc[0, "ci_low"] <= 0.5 <= out.loc[0, "ci_high"])
    coverage = float(np.mean(covered))
    assert 0.88 <= coverage <= 0.99, coverage


def test_cluster_bootstrap_is_wider_than_row_bootstrap_for_clustered_data():
    df, _ = _planted(docs_per_cell=40)
    df = df.assign(is_all=(df["framing"] == "all_imperialisms").astype(float))
    by_doc = mean_ci(df, by="source", value="is_all", cluster="doc_id", n_resamples=1000)
    by_row = mean_ci(df, by="source", value="is_all", cluster=None, n_resamples=1000)
    assert ((by_doc["ci_high"] - by_doc["ci_low"]) > (by_row["ci_high"] - by_row["ci_low"])).all()


def test_flag_thin_and_drop():
    table = pd.DataFrame({"source": ["a", "b", "c"], "n_clusters": [1, 2, 9]})
    assert flag_thin(table, min_n=2)["thin"].tolist() == [True, False, False]
    assert flag_thin(table, min_n=3, action="drop")["source"].tolist() == ["c"]
    with pytest.raises(ValueError, match="action must be"):
        flag_thin(table, action="grey")


def test_event_difference_recovers_a_planted_shift():
    rng = np.random.default_rng(2)
    rows = []
    for source, shift in (("moves", 1.0), ("stays", 0.0)):
        for d in range(40):
            date = pd.Timestamp("2021-06-01") if d < 20 else pd.Timestamp("2022-06-01")
            effect = shift if date >= pd.Timestamp("2022-02-24") else 0.0
            doc_noise = rng.normal(0, 0.3)
            rows += [{"source": source, "doc_id": f"{source}{d}", "date": date,
                      "score": effect + doc_noise + rng.normal(0, 0.3)} for _ in range(3)]
    out = event_difference(pd.DataFrame(rows), value="score").set_index("source")
    moves, stays = out.loc["moves"], out.loc["stays"]
    assert moves["ci_low"] < 1.0 < moves["ci_high"] and moves["ci_low"] > 0
    assert stays["ci_low"] < 0 < stays["ci_high"]
    assert (moves["clusters_before"], moves["clusters_after"]) == (20, 20)
    assert moves["n_before"] == 60


def test_event_difference_with_one_side_empty_has_no_interval():
    df = pd.DataFrame({"source": ["a"] * 3, "doc_id": [1, 2, 3], "score": [1.0, 2.0, 3.0],
                       "date": pd.to_datetime(["2020-01-01"] * 3)})
    row = event_difference(df, value="score").iloc[0]
    assert row["clusters_after"] == 0 and np.isnan(row["ci_low"])


def test_regression_recovers_planted_effects_with_cluster_robust_errors():
    rng = np.random.default_rng(3)
    rows = []
    for d in range(120):
        source = ["a", "b", "c"][d % 3]
        period = "after" if d % 2 else "before"
        doc_noise = rng.normal(0, 1.0)
        for _ in range(5):
            y = (1.0 + {"a": 0.0, "b": 0.5, "c": -0.5}[source]
                 + (0.8 if period == "after" else 0.0) + doc_noise + rng.normal(0, 0.2))
            rows.append({"doc_id": d, "source": source, "period": period, "y": y})
    df = pd.DataFrame(rows)
    out = regress(df, "y ~ C(period, Treatment('before')) + C(source)").set_index("term")
    effect = out.loc["C(period, Treatment('before'))[T.after]"]
    assert effect["ci_low"] < 0.8 < effect["ci_high"]
    assert out.loc["C(source)[T.b]", "estimate"] == pytest.approx(0.5, abs=0.4)
    assert (out["n_obs"] == 600).all() and (out["n_clusters"] == 120).all()
    import statsmodels.formula.api as smf

    naive = smf.ols("y ~ C(period, Treatment('before')) + C(source)", data=df).fit()
    assert effect["std_error"] > 1.5 * naive.bse["C(period, Treatment('before'))[T.after]"]


def test_regression_gives_no_interval_for_a_term_resting_on_one_cluster():
    df = pd.DataFrame({"doc_id": [0, 0, 1, 1, 2, 2, 3, 3],
                       "y": [1.0, 1.2, 0.1, 0.3, 0.2, 0.0, 2, 2.1],
                       "source": ["a", "a", "b", "b", "b", "b", "c", "c"]})
    out = regress(df, "y ~ C(source)").set_index("term")
    assert out.loc["C(source)[T.b]", "term_clusters"] == 2
    assert np.isfinite(out.loc["C(source)[T.b]", "std_error"])
    assert out.loc["C(source)[T.c]", "term_clusters"] == 1
    assert np.isnan(out.loc["C(source)[T.c]", "std_error"])
    assert out.loc["C(source)[T.c]", "estimate"] == pytest.approx(2.05 - 1.1)


def test_regression_refuses_a_confounded_design():
    df = pd.DataFrame({"doc_id": range(6), "y": [1.0, 2, 3, 4, 5, 6],
                       "source": ["a", "a", "a", "b", "b", "b"],
                       "period": ["p1", "p1", "p1", "p2", "p2", "p2"]})
    with pytest.raises(ValueError, match="rank-deficient"):
        regress(df, "y ~ C(period) + C(source)")


def test_regression_with_few_clusters_uses_t_with_g_minus_1_df():
    """With 6 clusters the interval uses t(5), wider than the normal one by t/z."""
    import statsmodels.formula.api as smf
    from scipy import stats

    rng = np.random.default_rng(4)
    rows = []
    for d in range(6):
        effect = rng.normal(0, 1)
        rows += [{"doc_id": d, "after": d % 2, "y": 0.5 * (d % 2) + effect + rng.normal(0, 0.2)}
                 for _ in range(5)]
    df = pd.DataFrame(rows)
    out = regress(df, "y ~ after").set_index("term").loc["after"]
    assert out["df"] == 5 and out["n_clusters"] == 6
    normal = smf.ols("y ~ after", data=df).fit(cov_type="cluster",
                                               cov_kwds={"groups": df["doc_id"]})
    lo, hi = normal.conf_int().loc["after"]
    assert out["std_error"] == pytest.approx(normal.bse["after"])   # same covariance
    assert out["ci_high"] - out["ci_low"] > hi - lo
    ratio = (out["ci_high"] - out["ci_low"]) / (hi - lo)
    assert ratio == pytest.approx(stats.t.ppf(0.975, 5) / stats.norm.ppf(0.975))
    assert out["p_value"] == pytest.approx(2 * stats.t.sf(abs(out["estimate"] /
                                                              out["std_error"]), 5))
