"""Re-running ``make reproduce``: nothing changed, cold caches, one plotting parameter.

Usage::

    git archive <commit> | tar -x -C /tmp/before-rerun
    ln -s "$PWD/.venv" /tmp/before-rerun/.venv
    .venv/bin/python benchmarks/rerun.py --before /tmp/before-rerun [--repeat 2]

For each tree (``before``: a checkout of older code sharing this ``.venv``;
``after``: this one), alternately so that both see the same load:

``cold``
    ``data/cache`` and ``data/processed`` deleted (the venv kept, as after
    ``make setup``), then ``make reproduce``: corpus build, embeddings, fits.
``rerun``
    ``make reproduce`` again with nothing changed.
``plot_param``
    Notebook 02 alone through papermill with a plotting parameter changed
    (``-p max_sources 4``: sources shown by name in the by-source figure),
    caches warm: what a user waits for after changing a figure.

Every command runs with ``PYTHONPATH`` set to its tree, so the kernels import
that tree's ``analysis`` (the shared venv's editable install points at this
one).  Wall time, exit code and the 1-minute load average before and after
each run go to ``benchmarks/results/rerun.csv``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def _env(tree: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(tree)}


def timed(tree: Path, cmd: list[str]) -> dict:
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, env=_env(tree), capture_output=True, text=True)
    wall = time.perf_counter() - start
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] if proc.returncode else []
    return {"wall_s": round(wall, 2), "returncode": proc.returncode,
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            "error": tail[0] if tail else ""}


def cold(tree: Path) -> dict:
    for sub in ("data/cache", "data/processed"):
        shutil.rmtree(tree / sub, ignore_errors=True)
    return timed(tree, ["make", "reproduce"])


def rerun(tree: Path) -> dict:
    return timed(tree, ["make", "reproduce"])


def plot_param(tree: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return timed(tree, [str(tree / ".venv" / "bin" / "papermill"), "--kernel", "analysis",
                            "--cwd", "notebooks", "--log-level", "WARNING", "--no-progress-bar",
                            "-p", "max_sources", "4", "notebooks/02-topics.ipynb",
                            str(Path(tmp) / "02.ipynb")])


JOBS = {"cold": cold, "rerun": rerun, "plot_param": plot_param}


def main(argv=None) -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of older code")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "rerun.csv")
    args = parser.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": ROOT}
    for tree in trees.values():
        if not (tree / ".venv" / "bin" / "papermill").exists():
            parser.error(f"{tree}: no .venv with papermill (symlink this tree's .venv there)")
    rows = []
    for k in range(1, args.repeat + 1):
        for job, run in JOBS.items():
            for label, tree in trees.items():
                row = {"job": job, "code": label, "repeat": k, **run(tree)}
                rows.append(row)
                print(row, flush=True)
    df = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False)
    print(df.groupby(["job", "code"], sort=False)["wall_s"].describe()[["count", "min", "max"]]
          .to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
