"""Repository hygiene: pre-commit and make lint agree; Binder's postBuild runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from analysis import config


def test_pre_commit_runs_what_make_lint_runs():
    hooks = {h["id"]: h for repo in yaml.safe_load(
        (config.ROOT / ".pre-commit-config.yaml").read_text())["repos"] for h in repo["hooks"]}
    assert all(h["language"] == "system" for h in hooks.values())  # no download
    makefile = (config.ROOT / "Makefile").read_text()
    assert "ruff check" in hooks["ruff"]["entry"] and "ruff check" in makefile
    assert "scripts/check_notebooks.py" in hooks["notebooks"]["entry"]
    assert "scripts/check_notebooks.py" in makefile


def test_check_notebooks_passes_the_repository_and_catches_outputs(tmp_path):
    script = config.ROOT / "scripts" / "check_notebooks.py"
    nbs = sorted((config.ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    ok = subprocess.run([sys.executable, script, *map(str, nbs)], capture_output=True,
                        text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    for suffix in (".ipynb", ".py"):
        shutil.copy(nbs[0].with_suffix(suffix), tmp_path / f"x{suffix}")
    nb = json.loads((tmp_path / "x.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    (tmp_path / "x.ipynb").write_text(json.dumps(nb))
    bad = subprocess.run([sys.executable, script, str(tmp_path / "x.ipynb")],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "stored with outputs" in bad.stderr
    subprocess.run([sys.executable, script, "--strip", str(tmp_path / "x.ipynb")], check=True)
    assert not any(c.get("outputs") for c in json.loads((tmp_path / "x.ipynb").read_text())
                   ["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_binder_postbuild_in_a_clean_venv(tmp_path):
    """postBuild's three steps, offline, in a fresh venv over the running environment."""
    from test_install import _copy_source, make_overlay_venv

    python = make_overlay_venv(tmp_path / "venv")
    repo = _copy_source(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANALYSIS_FIGURES")}
    env.update(PATH=f"{python.parent}{os.pathsep}{env['PATH']}", PIP_NO_INDEX="1")
    script = (repo / "binder" / "postBuild").read_text().replace(
        "python -m pip install", f"{sys.executable} -m pip --python {python} install")
    proc = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    kernel = json.loads((tmp_path / "venv" / "share" / "jupyter" / "kernels" / "analysis" /
                         "kernel.json").read_text())
    assert kernel["argv"][0] == str(python) and kernel["display_name"] == "Python (analysis)"
    assert (repo / "data" / "processed" / "paragraphs.parquet").is_file()
    where = subprocess.run([python, "-c", "import analysis; print(analysis.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(repo / "analysis" / "__init__.py")
