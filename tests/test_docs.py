"""make docs: an API reference built by pdoc from the numpydoc docstrings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import config


def test_api_reference_builds(tmp_path):
    pytest.importorskip("pdoc", reason="pdoc is not installed (it is in requirements.lock; "
                                       "run `make setup`)")
    assert "-m analysis._docs docs/api" in (config.ROOT / "Makefile").read_text()
    proc = subprocess.run([sys.executable, "-m", "analysis._docs", str(tmp_path)], cwd=config.ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    # One page per subpackage and module; the entry points with their numpydoc sections.
    assert (tmp_path / "analysis.html").is_file()
    pages = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8")
             for p in tmp_path.rglob("*.html")}
    for page, name in (("analysis/corpus/build.html", "build_corpus"),
                       ("analysis/corpus/build.html", "read_corpus"),
                       ("analysis/framing.html", "score_framing"),
                       ("analysis/topics/model.html", "fit_topics"),
                       ("analysis/plots.html", "save_figure")):
        assert f'id="{name}"' in pages[page], (page, name)
    assert sum(p.count('<h6 id="parameters">Parameters</h6>') for p in pages.values()) >= 20
    for subpackage in ("corpus", "text", "topics", "framing", "stats", "discourse", "scale"):
        assert f"analysis/{subpackage}.html" in pages, subpackage
    assert (tmp_path / "analysis" / "config.html").is_file()
