"""make report: HTML with the figures inline and the provenance on top."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import subprocess

import matplotlib.pyplot as plt
import nbformat

from analysis import config


def _script():
    spec = importlib.util.spec_from_file_location("make_report",
                                                  config.ROOT / "scripts" / "make_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_embeds_figures_and_provenance(tmp_path):
    from analysis.plots import save_figure

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    png = save_figure(fig, "demo", directory=tmp_path, formats=("png",), show=False)[0]
    executed = tmp_path / "executed"
    executed.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "save_figure(...)", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(png.read_bytes()).decode()})])])
    nbformat.write(nb, executed / "01-demo.ipynb")

    report = _script()
    assert report.main([str(executed), str(tmp_path / "reports")]) == 0
    html = (tmp_path / "reports" / "01-demo.html").read_text(encoding="utf-8")
    figure = f"data:image/png;base64,{base64.b64encode(png.read_bytes()).decode()}"
    assert figure in html
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=config.ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    lock = hashlib.sha256((config.ROOT / "requirements.lock").read_bytes()).hexdigest()
    first = html.index("Provenance")
    assert html.index(commit) > first and html.index(lock) > first
    assert first < html.index(figure)  # on top, before the first figure


def test_report_without_executed_notebooks(tmp_path, capsys):
    assert _script().main([str(tmp_path), str(tmp_path / "out")]) == 2
    assert "make notebooks" in capsys.readouterr().err
