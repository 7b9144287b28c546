"""save_figure writes deterministic bytes; plot functions honour ax."""

from __future__ import annotations

import hashlib

import matplotlib.pyplot as plt
import pandas as pd

from analysis.plots import FRAMING_COLORS, apply_style, plot_counts, save_figure, source_colors


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
