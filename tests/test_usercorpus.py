"""A student's corpus end to end: README's "Your own corpus" commands on a 150-source corpus."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess

import pandas as pd
import pytest

from analysis import config
from analysis.plots import MAX_PNG_PIXELS, png_size
from analysis.scale.usercorpus import FOREIGN, LANGUAGES, write_user_corpus

README = config.ROOT / "README.md"
#: What the package must not write into: its figures, data and caches.
GUARDED = [config.ROOT / "figures", config.ROOT / "data", config.ROOT / "models",
           config.ROOT / "analysis" / "_data"]


def readme_commands() -> tuple[list[str], str]:
    """The three input lines and the commands of README's "Your own corpus" block."""
    section = README.read_text(encoding="utf-8").split("## Your own corpus", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = block.splitlines()
    return lines[:3], "\n".join(lines[3:]) + "\n"


def _digests() -> dict[str, str]:
    out = {}
    for root in GUARDED:
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                out[str(path.relative_to(config.ROOT))] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return out


def test_readme_block_takes_the_corpus_project_and_languages_first():
    inputs, commands = readme_commands()
    assert [line.split("=", 1)[0] for line in inputs] == ["CORPUS", "PROJECT", "LANGUAGES"]
    assert "analysis build --manifest \"$CORPUS\" --project \"$PROJECT\"" in commands
    assert "-p project_dir" in commands and "notebooks/0[1-4]-*.ipynb" in commands


def test_user_corpus_has_the_faults_of_a_real_collection(tmp_path):
    manifest = write_user_corpus(tmp_path / "a", n_sources=40, n_posts=120, seed=3)
    again = write_user_corpus(tmp_path / "b", n_sources=40, n_posts=120, seed=3)
    assert manifest.read_bytes() == again.read_bytes()
    m = pd.read_csv(manifest)
    assert m["source"].nunique() == 40
    assert set(m["format"]) == {"txt", "html", "jsonl"}
    for column in ("title", "date", "url"):
        assert m[column].isna().sum() > 0, column
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a").rglob("*.txt"))
    # Every page of a site repeats its menu: boilerplate to detect from repetition.
    assert texts.count("Skip to content | Home | About Site") == m["format"].eq("txt").sum()
    everything = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a").rglob("*.*")
                           if p.suffix in (".txt", ".html", ".jsonl"))
    for lang, sentences in FOREIGN.items():
        assert any(sentence in everything for sentence in sentences), lang
    assert len(LANGUAGES) == 8 and {"sv", "ar"} <= set(LANGUAGES)


@pytest.mark.slow
def test_readme_commands_run_a_150_source_corpus_without_touching_the_package(tmp_path):
    corpus = tmp_path / "corpus"
    manifest = write_user_corpus(corpus, n_sources=150, n_posts=250)
    project = tmp_path / "project"
    inputs, commands = readme_commands()
    before = _digests()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(config.ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    script = (f"CORPUS={manifest}\nPROJECT={project}\n{inputs[2]}\nset -e\n{commands}"
              # the loop's `|| break` must fail the run, not end it quietly
              f'[ "$(ls "$PROJECT/notebooks" | wc -l)" -eq 4 ]\n')
    run = subprocess.run(["bash", "-c", script], cwd=config.ROOT, env=env, capture_output=True,
                         text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    assert _digests() == before, "the run wrote into the package"

    posts = pd.read_parquet(project / "processed" / "posts.parquet")
    assert posts["source"].nunique() == 150
    assert posts["title"].isna().any() and posts["date"].isna().any()
    audit = pd.read_parquet(project / "processed" / "audit.parquet")
    assert (audit["rule"] == "site_boilerplate").sum() > 100
    # Boilerplate is learnt from repetition (3 documents or more of a source):
    # gone from those sources, kept (and audited) where a site has fewer pages.
    docs = pd.read_parquet(project / "processed" / "documents.parquet")
    repeated = docs["source"].value_counts().loc[lambda n: n >= 3].index
    menu = posts["text"].str.contains("Skip to content | Home", regex=False)
    assert menu[~posts["source"].isin(repeated)].any()
    assert not menu[posts["source"].isin(repeated)].any()
    for nb in sorted((project / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, f"{nb.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    figures = sorted((project / "figures").glob("*.png"))
    assert {f.name[:2] for f in figures} == {"01", "02", "03", "04"}
    for png in figures:
        width, height = png_size(png)
        assert width <= MAX_PNG_PIXELS[0] and height <= MAX_PNG_PIXELS[1], (png.name, width,
                                                                              height)
