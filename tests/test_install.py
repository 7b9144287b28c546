"""``pip install .`` works from any folder: packaged data, outputs outside site-packages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pandas as pd
import pytest

from analysis import config

pytestmark = pytest.mark.slow


def _copy_source(dest: Path) -> Path:
    """The tracked and untracked-but-not-ignored files, so no build/ or caches leak in."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                           cwd=config.ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        src = config.ROOT / name
        if src.is_file() and not name.startswith(".venv"):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def make_overlay_venv(path: Path) -> Path:
    """A fresh venv that sees the running environment's packages after its own.

    A venv made from a venv's python would only see the base interpreter, so
    the running site-packages are added with a ``.pth`` line (which, unlike
    ``--system-site-packages``, does not run that folder's own .pth files:
    an editable ``analysis`` there stays invisible).
    """
    venv.EnvBuilder(with_pip=False).create(path)
    python = path / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig;print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True, check=True)
    (Path(purelib.stdout.strip()) / "zz_outer_env.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this tree, installed with --no-deps into a fresh venv."""
    root = tmp_path_factory.mktemp("install")
    source = _copy_source(root / "src")
    wheels = root / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(wheels), str(source)],
                   check=True)
    python = make_overlay_venv(root / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", *map(str, wheels.glob("*.whl"))], check=True)
    return python


def _run(args, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANALYSIS_FIGURES")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANALYSIS_CACHE=str(cwd / "cache"))
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, **kw)


def test_wheel_ships_the_data_and_imports_from_site_packages(installed, tmp_path):
    proc = _run([installed, "-c", "import analysis, analysis.config as c, json; print(json.dumps("
                 "[analysis.__file__, str(c.DATA), str(c.PROCESSED), c.IN_CHECKOUT]))"],
                tmp_path, check=True)
    module, data, processed, in_checkout = json.loads(proc.stdout)
    site = str(installed.parent.parent)
    assert module.startswith(site) and data.startswith(site)
    assert not in_checkout
    assert processed == str(tmp_path / "data" / "processed")
    for name in ("raw/manifest.csv", "raw/posts.csv", "lexicons/framing.yaml",
                 "annotations/gold.csv", "annotations/codebook.md", "simulate/vocabulary.yaml"):
        assert (Path(data) / name).read_bytes() == (config.DATA / name).read_bytes()


def test_build_and_framing_from_another_folder(installed, tmp_path, sample_corpus):
    before = {p: p.stat().st_mtime_ns for p in installed.parent.parent.rglob("*")
              if p.is_file()}
    build = _run([installed.parent / "analysis", "build"], tmp_path)
    assert build.returncode == 0, build.stderr
    paragraphs = pd.read_parquet(tmp_path / "data" / "processed" / "paragraphs.parquet")
    assert paragraphs["doc_id"].nunique() == 5
    assert paragraphs["paragraph_id"].tolist() == sample_corpus.paragraphs["paragraph_id"].tolist()
    assert build.stderr == ""  # not a terminal: no progress bar

    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "a", "text": "Against all imperialisms! Neither "
                                 "Washington nor Moscow."}) + "\n", encoding="utf-8")
    framing = _run([installed, "-m", "analysis", "framing", "texts.jsonl", "-o", "out.csv",
                    "--methods", "lexicon", "--language", "en"], tmp_path)
    assert framing.returncode == 0, framing.stderr
    assert pd.read_csv(tmp_path / "out.csv")["framing"].tolist() == ["all_imperialisms"]

    bad = _run([installed, "-m", "analysis", "framing", "texts.jsonl", "-o", "out.csv",
                "--lexicon", "missing.yaml"], tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("error: missing.yaml")
    # Nothing was written into the installed environment (no outputs, no caches).
    after = {p: p.stat().st_mtime_ns for p in installed.parent.parent.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    assert {p: t for p, t in after.items() if before.get(p) != t} == {}
