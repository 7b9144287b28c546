"""save_figure writes deterministic bytes; plot functions honour ax."""

from __future__ import annotations

import hashlib

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.plots import (
    FRAMING_COLORS,
    SOURCE_COLORS,
    apply_style,
    plot_counts,
    save_figure,
    source_colors,
)


def _figure():
    apply_style()
    counts = pd.DataFrame({"source": ["a", "a", "b"], "language": ["en", "fr", "en"],
                           "n": [3, 1, 2]})
    fig, ax = plt.subplots()
    assert plot_counts(counts, x="source", hue="language", ax=ax) is ax
    return fig


def test_save_figure_is_byte_deterministic(tmp_path):
    digests = []
    for run in ("one", "two"):
        paths = save_figure(_figure(), "demo", directory=tmp_path / run)
        assert [p.suffix for p in paths] == [".png", ".pdf"]
        digests.append([hashlib.sha256(p.read_bytes()).hexdigest() for p in paths])
    assert digests[0] == digests[1]


def test_fixed_colours():
    assert set(FRAMING_COLORS) == {"anti_us", "all_imperialisms", "mixed", "none"}
    colors = source_colors(["essf", "zzz-new", "saru"])
    assert colors["essf"] != colors["saru"] != colors["zzz-new"]
    assert source_colors(["essf"])["essf"] == colors["essf"]


def test_save_figure_shows_the_saved_png_in_a_notebook(tmp_path, monkeypatch):
    import IPython.display

    from analysis.plots import save as save_module

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    fig = _figure()
    paths = save_figure(fig, "demo", directory=tmp_path, show=True)
    assert len(shown) == 1
    assert shown[0].data == paths[0].read_bytes()
    # Drawn at savefig.dpi (200), shown at the figure's dpi (100): half the pixels.
    width_px = int.from_bytes(paths[0].read_bytes()[16:20], "big")
    assert shown[0].width == round(width_px / 2)
    assert not plt.fignum_exists(fig.number)
    # Outside a Jupyter kernel nothing is displayed.
    assert not save_module.in_notebook()
    save_figure(_figure(), "demo", directory=tmp_path)
    assert len(shown) == 1


# --------------------------------------------------------------------------
# Figures on a corpus of many sources
# --------------------------------------------------------------------------

def _many_sources(n_sources=150, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 30, n_sources)
    rows = [{"source": f"site-{i:03d}", "year": str(2014 + j % 11), "language": "en",
             "framing": ["anti_us", "all_imperialisms", "mixed", "none"][j % 4],
             "post_id": f"p{i}-{j}", "framing_score": float(rng.uniform(-1, 1))}
            for i, size in enumerate(sizes) for j in range(size)]
    return pd.DataFrame(rows), sizes


def test_lump_tail_keeps_the_largest_sources_and_counts_the_rest():
    from analysis.plots import lump_tail

    posts, sizes = _many_sources()
    lumped = lump_tail(posts, n=8)
    names = lumped["source"].unique()
    assert len(names) == 9
    assert "other (142 sources)" in names
    kept = sorted(set(names) - {"other (142 sources)"})
    largest = posts["source"].value_counts()
    assert min(largest[kept]) >= largest.drop(kept).max()
    assert len(lumped) == len(posts)                     # no row lost
    assert (lumped["source"] == "other (142 sources)").sum() == largest.drop(kept).sum()
    # Nine groups or fewer: nothing to lump, nothing renamed.
    few = posts[posts["source"].isin(largest.index[:9])]
    assert lump_tail(few, n=8)["source"].tolist() == few["source"].tolist()


def test_new_sources_get_eight_distinct_colours_and_the_tail_is_grey():
    from analysis.plots import OTHER_COLOR

    names = [f"site-{i}" for i in range(8)] + ["other (142 sources)"]
    colors = source_colors(names)
    assert len({colors[n] for n in names[:8]}) == 8
    assert colors["other (142 sources)"] == OTHER_COLOR
    # The sample's sources keep their fixed colours.
    sample = ["struggle-la-lucha", "essf", "ist", "ilps", "saru"]
    assert [source_colors(sample)[s] for s in sample] == [SOURCE_COLORS[s] for s in sample]


def _plots_of_many_sources(posts):
    from analysis.plots import (
        plot_audit,
        plot_heatmap,
        plot_known_groups,
        plot_paragraph_scores,
        plot_prevalence,
        plot_stacked_shares,
    )
    from analysis.stats.compare import event_difference, flag_thin, mean_ci, share_ci

    counts = posts.groupby(["source", "year"]).size().rename("n").reset_index()
    yield plot_counts(counts, x="source", hue="year")
    yield plot_counts(counts, x="year", hue="source")
    yield plot_audit(counts.rename(columns={"year": "rule", "n": "chars"}))
    dated = posts.assign(period=pd.to_datetime(posts["year"]))
    cells = flag_thin(mean_ci(dated, by=["source", "period"], value="framing_score",
                              cluster="post_id", n_resamples=50), min_n=2)
    yield plot_heatmap(cells, row="source", col="period")
    shares = share_ci(posts, by="source", value="framing", n_resamples=50)
    yield plot_prevalence(shares, x="source", value="framing", colors=FRAMING_COLORS)
    yield plot_stacked_shares(shares, by="source")
    groups = mean_ci(posts, by="source", value="framing_score", cluster="post_id",
                     n_resamples=50).rename(columns={"mean": "framing_score"})
    yield plot_known_groups(groups.assign(framing="none"))
    yield plot_paragraph_scores(posts)
    event = event_difference(dated.assign(date=dated["period"]), value="framing_score",
                             event="2019-01-01", cluster="post_id", n_resamples=50)
    from analysis.plots import plot_event_difference

    yield plot_event_difference(event)


@pytest.mark.parametrize("lumped", [pytest.param(False, marks=pytest.mark.slow), True],
                         ids=["raw", "lumped"])
def test_figures_of_150_sources_stay_within_their_size_bound(tmp_path, lumped):
    from analysis.plots import MAX_FIGSIZE, MAX_PNG_PIXELS, lump_tail, png_size

    apply_style()
    posts, _ = _many_sources()
    if lumped:
        posts = lump_tail(posts, n=8)
    for i, ax in enumerate(_plots_of_many_sources(posts)):
        width, height = ax.figure.get_size_inches()
        assert width <= MAX_FIGSIZE[0] and height <= MAX_FIGSIZE[1], i
        png = save_figure(ax.figure, f"fig{i}", directory=tmp_path, formats=("png",))[0]
        px = png_size(png)
        assert px[0] <= MAX_PNG_PIXELS[0] and px[1] <= MAX_PNG_PIXELS[1], (i, px)
    # Lumped, the counts chart has one bar per kept source plus the tail.
    if lumped:
        counts = posts.groupby(["source", "year"]).size().rename("n").reset_index()
        ax = plot_counts(counts, x="source", hue="year")
        assert len(ax.get_yticklabels()) == 9
        assert ax.get_yticklabels()[0].get_text() == "other (142 sources)"
        plt.close(ax.figure)


def test_plot_counts_lumps_a_legend_of_150_sources():
    posts, _ = _many_sources()
    counts = posts.groupby(["year", "source"]).size().rename("n").reset_index()
    ax = plot_counts(counts, x="year", hue="source")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 20 and labels[-1] == "other (131 sources)"
    plt.close(ax.figure)


def test_event_difference_plot_refuses_a_change_from_a_single_post():
    from analysis.plots import plot_event_difference

    table = pd.DataFrame({"source": ["a", "b", "c"], "clusters_before": [5, 1, 0],
                          "clusters_after": [4, 3, 2], "difference": [0.3, 0.9, float("nan")],
                          "ci_low": [0.1, float("nan"), float("nan")],
                          "ci_high": [0.5, float("nan"), float("nan")]})
    ax = plot_event_difference(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a (5 / 4)"]
    assert ax.get_title() == "1 of 3 groups with 2+ posts on each side (2 with any on both)"
    plt.close(ax.figure)
    ax = plot_event_difference(table[table["source"] != "a"])
    assert ax.get_yticklabels() == [] and not ax.lines
    assert "no change drawn: no source has 2 posts or more" in ax.texts[0].get_text()
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="single post"):
        plot_event_difference(table, min_clusters=1)


def test_event_difference_plot_draws_at_most_max_rows_with_the_most_posts():
    from analysis.plots import plot_event_difference

    table = pd.DataFrame({"source": [f"s{i:02d}" for i in range(25)],
                          "clusters_before": [2 + i for i in range(25)],
                          "clusters_after": [2] * 20 + [9] * 5,
                          "difference": 0.1, "ci_low": 0.0, "ci_high": 0.2})
    ax = plot_event_difference(table, max_rows=5)
    assert sorted(t.get_text().split()[0] for t in ax.get_yticklabels()) == [
        "s20", "s21", "s22", "s23", "s24"]
    assert ax.get_title().endswith("; the 5 with most posts drawn")
    plt.close(ax.figure)


# --------------------------------------------------------------------------
# seaborn figures: what they show, their fixed colours, their bytes
# --------------------------------------------------------------------------

_FRAMINGS = ["anti_us", "all_imperialisms", "mixed", "none"]


def _confusion_table():
    # gold x predicted counts; row "all_imperialisms" is 6 of 7 in one cell (dark)
    counts = {("anti_us", "anti_us"): 17, ("anti_us", "none"): 5,
              ("all_imperialisms", "anti_us"): 6, ("all_imperialisms", "mixed"): 1,
              ("mixed", "mixed"): 12, ("none", "none"): 14}
    return pd.DataFrame([{"true": t, "predicted": p, "n": counts.get((t, p), 0)}
                         for t in _FRAMINGS for p in _FRAMINGS])


def _heatmap_cells():
    return pd.DataFrame({
        "source": ["essf", "essf", "ist", "ist", "saru"],
        "period": pd.to_datetime(["2014-01-01", "2015-01-01", "2014-01-01", "2015-01-01",
                                  "2015-01-01"]),
        "mean": [0.25, -0.5, 0.8, float("nan"), -0.125],
        "n_clusters": [5, 1, 7, 0, 4],
        "thin": [False, True, False, False, False]})


def _known_groups():
    return pd.DataFrame({"source": ["essf", "ilps", "ist", "saru"],
                         "framing_score": [-0.5, 0.2, 0.6, 0.0],
                         "ci_low": [-0.7, 0.0, 0.4, -0.3], "ci_high": [-0.3, 0.4, 0.8, 0.3],
                         "framing": ["anti_us", "mixed", "all_imperialisms", "none"]})


def _paragraphs(seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    return pd.DataFrame({"source": rng.choice(["essf", "ilps", "ist"], 40),
                         "framing_score": rng.uniform(-1, 1, 40),
                         "framing": rng.choice(_FRAMINGS + ["unlabelled"], 40)})


def test_confusion_is_an_annotated_heatmap_of_counts_shaded_by_row_share():
    from matplotlib.colors import to_hex

    from analysis.plots import plot_confusion

    ax = plot_confusion(_confusion_table())
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["17", "0", "0", "5", "6", "0", "1", "0", "0", "0", "12", "0",
                     "0", "0", "0", "14"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["anti_us", "all_imp.", "mixed",
                                                             "none"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["anti_us", "all_imp.", "mixed",
                                                             "none"]
    # the darkest cell (6 of 7 gold all_imperialisms) is written in white, a pale one not
    assert to_hex(ax.texts[4].get_color()) == "#ffffff"
    assert to_hex(ax.texts[6].get_color()) != "#ffffff"
    # shade = share of the row on Greys from 0 to 1.4
    mesh = ax.collections[0]
    assert mesh.norm.vmin == 0 and mesh.norm.vmax == 1.4
    assert float(mesh.get_array()[1, 0]) == pytest.approx(6 / 7)
    plt.close(ax.figure)


def test_heatmap_shows_value_and_count_greys_thin_cells_and_leaves_empty_ones_blank():
    from analysis.plots import plot_heatmap

    ax = plot_heatmap(_heatmap_cells(), row="source", col="period")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["essf", "ist", "saru"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2014", "2015"]
    texts = sorted((round(t.get_position()[1] - 0.5), round(t.get_position()[0] - 0.5),
                    t.get_text()) for t in ax.texts)
    assert texts == [(0, 0, "+0.25\nn=5"), (0, 1, "n=1"), (1, 0, "+0.80\nn=7"),
                     (2, 1, "-0.12\nn=4")]
    # the estimate layer: symmetric limits at the largest |mean|, thin cell masked
    values, thin = ax.collections[0], ax.collections[1]
    assert (values.norm.vmin, values.norm.vmax) == (-0.8, 0.8)
    assert values.get_array().mask.tolist() == [[False, True], [False, True],
                                                 [True, False]]
    assert thin.get_array().mask.tolist() == [[True, False], [True, True], [True, True]]
    assert ax.figure.axes[-1].get_ylabel() == "mean"          # the colour bar
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["too few texts (grey)"]
    plt.close(ax.figure)


def test_points_by_framing_take_the_fixed_framing_colours():
    from matplotlib.colors import to_hex

    from analysis.plots import plot_known_groups, plot_paragraph_scores

    ax = plot_known_groups(_known_groups())
    points = ax.collections[-1]
    # sorted by score: essf, saru, ilps, ist
    assert [to_hex(c) for c in points.get_facecolors()] == [
        FRAMING_COLORS[f].lower() for f in ("anti_us", "none", "mixed", "all_imperialisms")]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["essf", "saru", "ilps", "ist"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == _FRAMINGS
    plt.close(ax.figure)

    paragraphs = _paragraphs()
    ax = plot_paragraph_scores(paragraphs)
    points = ax.collections[-1]
    labelled = paragraphs[paragraphs["framing"].isin(_FRAMINGS)]
    assert len(points.get_offsets()) == len(labelled)          # unlabelled ones not drawn
    colours = {(round(x, 9), to_hex(c)) for (x, _), c in
               zip(points.get_offsets(), points.get_facecolors(), strict=True)}
    expected = {(round(x, 9), FRAMING_COLORS[f].lower()) for x, f in
                zip(labelled["framing_score"], labelled["framing"], strict=True)}
    assert colours == expected
    assert ax.get_legend().get_title().get_text() == "paragraph label"
    plt.close(ax.figure)


def test_paragraph_jitter_follows_its_seed_and_stays_within_the_row():
    import numpy as np

    from analysis.plots import plot_paragraph_scores

    def offsets(seed):
        # numpy's global state (which seaborn's stripplot would jitter with)
        # is moved between calls; it must not matter.
        state = np.random.get_state()  # noqa: NPY002
        np.random.seed(12345 + seed)  # noqa: NPY002
        try:
            ax = plot_paragraph_scores(_paragraphs(), seed=seed)
        finally:
            np.random.set_state(state)  # noqa: NPY002
        out = ax.collections[-1].get_offsets().copy()
        plt.close(ax.figure)
        return out

    first, again, other = offsets(0), offsets(0), offsets(1)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    rows = np.round(first[:, 1])
    assert np.all(np.abs(first[:, 1] - rows) <= 0.18)


@pytest.mark.parametrize("which", ["confusion", "heatmap", "known_groups", "paragraphs"])
def test_seaborn_figures_are_byte_identical_run_after_run(tmp_path, which):
    from analysis.plots import (
        plot_confusion,
        plot_heatmap,
        plot_known_groups,
        plot_paragraph_scores,
    )

    draw = {"confusion": lambda: plot_confusion(_confusion_table()),
            "heatmap": lambda: plot_heatmap(_heatmap_cells(), row="source", col="period"),
            "known_groups": lambda: plot_known_groups(_known_groups()),
            "paragraphs": lambda: plot_paragraph_scores(_paragraphs())}[which]
    apply_style()
    digests = []
    for run in ("one", "two"):
        paths = save_figure(draw().figure, which, directory=tmp_path / run)
        digests.append([hashlib.sha256(p.read_bytes()).hexdigest() for p in paths])
    assert digests[0] == digests[1]


def test_interval_plots_draw_ci_low_to_ci_high():
    """plot_agreement and plot_known_groups draw the bootstrap's ci_low..ci_high."""
    import numpy as np

    from analysis.framing import agreement_table
    from analysis.plots import plot_agreement, plot_known_groups

    gold = pd.DataFrame({"label": ["none", "anti_us", "mixed", "none", "anti_us", "none"],
                         "group": ["a", "a", "b", "c", "d", "e"],
                         "constructed": [False, False, False, True, True, True]})
    labels = pd.DataFrame({"lexicon": ["none", "anti_us", "anti_us", "none", "none", "none"]})
    table = agreement_table(gold, labels, n_resamples=200)
    ax = plot_agreement(table, subsets=("corpus",))
    segments = ax.collections[0].get_segments()       # the horizontal error bars
    corpus = table[table["subset"] == "corpus"].iloc[0]
    assert [tuple(s[:, 0]) for s in segments] == [pytest.approx((corpus["ci_low"],
                                                                 corpus["ci_high"]))]
    groups = pd.DataFrame({"source": ["s1", "s2"], "framing_score": [-0.5, 0.4],
                           "ci_low": [-0.7, 0.1], "ci_high": [-0.2, 0.6],
                           "framing": ["anti_us", "all_imperialisms"]})
    ax = plot_known_groups(groups)
    drawn = sorted(tuple(s[:, 0]) for s in ax.collections[0].get_segments())
    assert np.allclose(drawn, [(-0.7, -0.2), (0.1, 0.6)])
    plt.close("all")
