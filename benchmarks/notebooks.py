"""Re-running the notebooks on an unchanged corpus: imports versus computation.

Usage::

    .venv/bin/python benchmarks/notebooks.py [--runs 2]

Each notebook's paired ``notebooks/NN-*.py`` (the jupytext source) is run
as a script in a fresh process with ``python -X importtime``, from the
``notebooks/`` folder as papermill does, on the built corpus in
``data/processed/``, with figures written to a temporary folder.  The first
run may fill caches (embeddings, fitted models); the later runs are what a
re-run on an unchanged corpus costs.  For each run the table gives the wall
time and the time spent importing modules (sum of the top-level cumulative
times that ``-X importtime`` reports, lazy imports inside functions
included), and writes ``benchmarks/results/notebooks.csv``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\S.*)$")


def import_seconds(stderr: str) -> float:
    """Sum of the cumulative import times of top-level imports (microseconds -> s)."""
    total = 0
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m and not m.group(3).startswith(" "):
            total += int(m.group(2))
    return total / 1e6


def run(notebook: Path, figures: Path) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "MPLBACKEND": "Agg", "TOKENIZERS_PARALLELISM": "false", "PYTHONHASHSEED": "0",
           "TQDM_DISABLE": "1", "ANALYSIS_FIGURES": str(figures),
           "NUMBA_CACHE_DIR": str(ROOT / ".venv" / "numba-cache")}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", notebook.name],
                          cwd=notebook.parent, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    imports = import_seconds(proc.stderr)
    return {"notebook": notebook.stem, "returncode": proc.returncode,
            "wall_s": round(wall, 2), "import_s": round(imports, 2),
            "import_share": round(imports / wall, 3) if wall else None,
            "error": proc.stderr.strip().splitlines()[-1] if proc.returncode else ""}


def main(argv=None) -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as figures:
        for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.py")):
            for k in range(1, args.runs + 1):
                row = {"run": k, **run(notebook, Path(figures)),
                       "loadavg_1m": round(os.getloadavg()[0], 2)}
                rows.append(row)
                print(row, flush=True)
    df = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out / "notebooks.csv", index=False)
    print(df.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
