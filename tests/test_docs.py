"""make docs: an API reference built by pdoc from the numpydoc docstrings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from analysis import config


def test_api_reference_builds(tmp_path):
    pytest.importorskip("pdoc", reason="pdoc is not installed (it is in requirements.lock; "
                                       "run `make setup`)")
    command = re.search(r"pdoc (--docformat numpy --output-directory docs/api .*)",
                        (config.ROOT / "Makefile").read_text()).group(1).split()
    command[command.index("docs/api")] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pdoc", *command], cwd=config.ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "analysis.html").read_text(encoding="utf-8")
    # The public API with its numpydoc sections rendered as headings.
    for name in ("build_corpus", "score_framing", "fit_topics", "read_corpus"):
        assert f'id="{name}"' in page, name
    assert page.count('<h6 id="parameters">Parameters</h6>') >= 20
    plots = (tmp_path / "analysis" / "plots.html").read_text(encoding="utf-8")
    assert 'id="save_figure"' in plots
    assert (tmp_path / "analysis" / "config.html").is_file()
