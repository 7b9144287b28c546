"""A real browser: JupyterLab in headless Chromium runs notebook 01 and shows its figures.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright's
Python package drives it, pointed at that executable since Playwright's own
browser download is not reachable. Screenshots are kept in a temporary folder
(printed) for debugging.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from analysis import config
from analysis.corpus.build import build_corpus

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
NOTEBOOK = "01-corpus.ipynb"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a free local port with a token, serving a copy of notebook 01."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (.ci/run installs it: "
                    "apt-get install -y chromium)")
    pytest.importorskip("playwright", reason="the playwright package is not installed "
                                             "(it is in requirements.lock; run `make setup`)")
    (tmp_path / "notebooks").mkdir()
    corpus = tmp_path / "data" / "processed"
    build_corpus(config.MANIFEST, out_dir=corpus)
    # The copy reads the corpus just built (as `papermill -p corpus_dir` would).
    nb = json.loads((config.ROOT / "notebooks" / NOTEBOOK).read_text())
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"])
            assert "corpus_dir = None" in source
            cell["source"] = source.replace("corpus_dir = None", f"corpus_dir = {str(corpus)!r}")
    (tmp_path / "notebooks" / NOTEBOOK).write_text(json.dumps(nb, indent=1))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "ANALYSIS_FIGURES": str(tmp_path / "figures"),
           "PYTHONPATH": str(config.ROOT), "HF_HUB_OFFLINE": "1",
           "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime")}
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.news_url=None", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "lab.log").read_text()) from None
                time.sleep(0.5)
        yield base, token, tmp_path
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server and its kernels, by PID
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()


def test_notebook_01_runs_in_jupyterlab_and_shows_figures(lab):
    from playwright.sync_api import sync_playwright

    base, token, root = lab
    shots = Path(tempfile.mkdtemp(prefix="analysis-browser-"))
    print(f"screenshots in {shots}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.get_by_text("Python (analysis) | Idle").wait_for(timeout=120_000)
            page.screenshot(path=shots / "1-opened.png")
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            # Done when no cell is queued or running and the kernel is idle again.
            page.wait_for_function(
                """() => {
                    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                        .map(p => p.textContent.trim());
                    return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
                }""", timeout=240_000)
            page.get_by_text("Python (analysis) | Idle").wait_for(timeout=60_000)
            page.screenshot(path=shots / "2-ran.png", full_page=True)
            stderr = page.locator('.jp-OutputArea-output[data-mime-type='
                                  '"application/vnd.jupyter.stderr"]').all_inner_texts()
            tracebacks = [t for t in stderr if "Traceback" in t or "Error" in t.split("\n")[1:2]
                          or t.lstrip().startswith("----")]
            assert not tracebacks, tracebacks[0][:2000]
            images = page.locator(".jp-RenderedImage img")
            assert images.count() >= 1
            widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
            assert all(w > 100 for w in widths), widths  # decoded, not broken
            images.first.scroll_into_view_if_needed()
            page.screenshot(path=shots / "3-figure.png")
        finally:
            page.screenshot(path=shots / "last.png")
            browser.close()
    assert sorted(p.name for p in (root / "figures").glob("*.png")) == [
        "01-cleaning-by-rule.png", "01-posts-by-source-language.png",
        "01-posts-by-year-source.png"]
