"""validate_framing on hand labels, and known groups read from a parameter or a file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.framing.handlabels import read_known_groups, validate_framing


@pytest.fixture
def scored():
    scores = pd.DataFrame({
        "doc_id": list("abcdefgh"),
        "source": ["s1", "s1", "s1", "s2", "s2", "s3", "s3", "s3"],
        "date": pd.to_datetime(["2020-05-01", "2021-01-01", "2023-01-01", "2020-02-01",
                                "2023-03-01", "2021-06-01", "2022-06-01", None]),
        "framing": ["anti_us", "anti_us", "all_imperialisms", "none", "none",
                    "anti_us", "mixed", "none"],
        "framing_score": [-0.8, -0.5, 0.6, 0.0, 0.1, -0.4, 0.0, 0.0],
    })
    labels = pd.DataFrame({"doc_id": list("abcdefg"),
                           "label": ["anti_us", "none", "all_imperialisms", "none",
                                     "all_imperialisms", "anti_us", "all_imperialisms"]})
    return scores, labels


def test_agreement(scored):
    out = validate_framing(*scored, n_resamples=200)
    row = out["agreement"].iloc[0]
    assert row["n"] == 7 and row["n_unlabelled"] == 1
    assert row["accuracy"] == pytest.approx(4 / 7)
    assert row["ci_low"] <= row["macro_f1"] <= row["ci_high"]
    assert row["n_clusters"] == 7


def test_by_source_and_period(scored):
    out = validate_framing(*scored, n_resamples=0)
    src = out["by_source"].set_index("source")
    assert src.loc["s1", "n"] == 3 and src.loc["s1", "accuracy"] == pytest.approx(2 / 3)
    assert src.loc["s2", "hand_ordinal"] == pytest.approx(0.5)
    assert src.loc["s2", "package_ordinal"] == 0
    period = out["by_period"]
    y2020 = period[period["period"] == pd.Timestamp("2020-01-01")].set_index("label")
    assert y2020.loc["anti_us", "package_share"] == 0.5
    assert y2020.loc["none", "hand_share"] == 0.5 and (y2020["n"] == 2).all()
    assert np.allclose(period.groupby("period")[["package_share", "hand_share"]].sum(), 1)


def test_event_shift_package_against_hand(scored):
    event = validate_framing(*scored, n_resamples=0)["event"].set_index("measure")
    # before: a, b, d, f; after: c, e, g
    assert event.loc["hand_ordinal", "before"] == pytest.approx((-1 + 0 + 0 - 1) / 4)
    assert event.loc["hand_ordinal", "after"] == pytest.approx(1.0)
    assert event.loc["package_ordinal", "change"] == pytest.approx(1 / 3 - (-3 / 4))
    assert event.loc["framing_score", "n_before"] == 4
    assert event.loc["framing_score", "n_after"] == 3
    assert event.loc["framing_score", "sources_both_sides"] == 3


def test_unknown_label_names_it(scored):
    scores, labels = scored
    with pytest.raises(ValueError, match="labels row 0: label 'campist' is not one of anti_us"):
        validate_framing(scores, labels.assign(label="campist"), n_resamples=0)


def test_known_groups_from_a_list_a_file_or_nothing(tmp_path):
    assert read_known_groups(["a", "b", "c"]).to_dict("list") == {
        "source": ["a", "b", "c"], "expected_rank": [1, 2, 3]}
    path = tmp_path / "kg.csv"
    path.write_text("# order\nsource,expected_rank,evidence\nb,2,x\na,1,y\n")
    assert read_known_groups(path).to_dict("list") == {"source": ["b", "a"],
                                                       "expected_rank": [2, 1]}
    assert read_known_groups(None).empty
    with pytest.raises(FileNotFoundError, match="no known-groups file"):
        read_known_groups(tmp_path / "none.csv")
    (tmp_path / "bad.csv").write_text("source\na\n")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['expected_rank'\]"):
        read_known_groups(tmp_path / "bad.csv")
