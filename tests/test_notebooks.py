"""Execute every notebook end to end with papermill on the project's kernel."""

from __future__ import annotations

import base64
import json
import os

import pytest

from analysis import config
from analysis.corpus.build import build_corpus

NOTEBOOKS = sorted((config.ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_notebooks_are_paired_and_stripped():
    import jupytext

    assert NOTEBOOKS
    for nb_path in NOTEBOOKS:
        nb = json.loads(nb_path.read_text())
        assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), \
            f"{nb_path.name} is committed with outputs"
        py = nb_path.with_suffix(".py")
        assert py.is_file(), f"{nb_path.name} has no paired {py.name}"
        paired = jupytext.read(py)
        assert [c.source for c in paired.cells] == [c["source"] if isinstance(c["source"], str)
                                                   else "".join(c["source"])
                                                   for c in nb["cells"]], \
            f"{nb_path.name} and {py.name} differ: run `make sync-notebooks`"
        tags = [c.get("metadata", {}).get("tags", []) for c in nb["cells"]]
        assert ["parameters"] in tags, f"{nb_path.name} has no parameters cell"
        assert "def " not in py.read_text().split("# ---", 2)[-1].replace("# def", "")


def test_figures_readme_lists_every_figure():
    from analysis.plots.catalogue import catalogue_markdown, figure_catalogue, readme_table

    catalogue = figure_catalogue()
    assert catalogue["figure"].is_unique
    assert {n.stem.split("-")[0] for n in NOTEBOOKS} == set(catalogue["figure"].str[:2])
    assert readme_table() == catalogue_markdown(catalogue), "run `make figures-readme`"


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    build_corpus(config.MANIFEST, out_dir=out)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_writes_its_figures(nb_path, corpus_dir, tmp_path, monkeypatch):
    import papermill

    figures = tmp_path / "figures"
    monkeypatch.setenv("ANALYSIS_FIGURES", str(figures))
    # The kernel imports the `analysis` under test, not another installed copy.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(config.ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    out = tmp_path / nb_path.name
    papermill.execute_notebook(str(nb_path), str(out), parameters={"corpus_dir": str(corpus_dir)},
                               kernel_name="analysis", cwd=str(nb_path.parent), progress_bar=False)
    executed = json.loads(out.read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    from analysis.plots.catalogue import figure_catalogue

    catalogue = figure_catalogue()
    expected = {f"{name}.{ext}" for name in catalogue.loc[catalogue["notebook"] == nb_path.name,
                                                          "figure"] for ext in ("png", "pdf")}
    assert expected, f"{nb_path.name} saves no figure"
    assert {p.name for p in figures.iterdir()} == expected
    # Every saved figure is also shown inline: the executed notebook holds the
    # very bytes of each PNG file as an image/png output.
    shown = [base64.b64decode(o["data"]["image/png"]) for c in executed["cells"]
             for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(shown) >= 1
    assert sorted(shown) == sorted(p.read_bytes() for p in figures.glob("*.png"))


# The last cell appended to a notebook under test: what the kernel computed
# (not loaded) and which model libraries it imported.
_PROBE = """\
import json, sys
from analysis.topics.cache import FITS
print("PROBE " + json.dumps({"fits": FITS, "heavy": sorted(
    m for m in ("torch", "sentence_transformers", "transformers", "bertopic", "umap",
                "hdbscan", "pynndescent", "numba") if m in sys.modules)}))
"""


def _run_probed(nb_path, out_dir, parameters):
    import nbformat
    import papermill

    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))
    probed = out_dir / f"probed-{nb_path.name}"
    nbformat.write(nb, probed)
    out = out_dir / nb_path.name
    papermill.execute_notebook(str(probed), str(out), parameters=parameters,
                               kernel_name="analysis", cwd=str(nb_path.parent),
                               progress_bar=False)
    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs)
    return json.loads(text.split("PROBE ", 1)[1])


@pytest.mark.slow
def test_a_cached_rerun_fits_nothing_imports_no_model_and_draws_the_same_figures(
        corpus_dir, tmp_path, monkeypatch):
    """02 then 04 with refit=True, then both again from the cache: same figure bytes."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(config.ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    project = tmp_path / "project"   # its own cache/ and figures/
    names = ["02-topics.ipynb", "04-time-and-source.ipynb"]
    runs = {}
    for refit in (True, False):
        out_dir = tmp_path / f"refit-{refit}"
        out_dir.mkdir()
        probes = [_run_probed(config.ROOT / "notebooks" / name, out_dir,
                              {"corpus_dir": str(corpus_dir), "project_dir": str(project),
                               "refit": refit}) for name in names]
        figures = {p.name: p.read_bytes() for p in sorted((project / "figures").iterdir())}
        runs[refit] = probes, figures
        for p in (project / "figures").iterdir():
            p.unlink()
    (fit_02, fit_04), figures_fitted = runs[True]
    (hit_02, hit_04), figures_cached = runs[False]
    assert fit_02["fits"]["topics"] == 1 and fit_04["fits"]["topics"] == 1
    assert fit_02["fits"]["tables"] >= 2 and fit_04["fits"]["tables"] >= 5
    assert "bertopic" in fit_02["heavy"]
    for probe in (hit_02, hit_04):
        assert probe["fits"] == {"topics": 0, "evaluations": 0, "tables": 0}
        assert probe["heavy"] == []
    assert figures_cached.keys() == figures_fitted.keys() and len(figures_cached) >= 8
    changed = [name for name in figures_fitted if figures_cached[name] != figures_fitted[name]]
    assert not changed
