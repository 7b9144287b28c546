"""What ``import`` costs, before and after, measured with ``python -X importtime``.

Usage::

    .venv/bin/python benchmarks/imports.py --before /tmp/before-rerun [--repeat 3]

Each statement runs in a fresh interpreter with ``PYTHONPATH`` set to the
tree; the figure is the cumulative time of the top-level import that
``-X importtime`` reports for the statement's first module (microseconds),
and the heavy libraries the process holds afterwards.  Results go to
``benchmarks/results/imports.csv``.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "sentence_transformers", "bertopic", "umap", "hdbscan", "numba", "lingua",
         "pandera", "matplotlib")
#: (label, statement) pairs; "old" is the same statement spelled for the older layout.
STATEMENTS = (
    ("import analysis", "import analysis", "import analysis"),
    ("read_corpus", "from analysis.corpus import read_corpus",
     "from analysis.corpus import read_corpus"),
    ("cached topic re-run path", "import analysis.topics.cache",
     "import analysis.fitcache"),
)


def measure(tree: Path, statement: str) -> tuple[float, str]:
    """Total import time (s) of ``statement`` and the heavy modules it loaded."""
    code = f"{statement}\nimport sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                          text=True, check=True, cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    total = 0
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[1].isdigit() and not parts[2].startswith(" "):
            if not line.split("|")[2].startswith("  "):
                total += int(parts[1])
    return total / 1e6, proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "imports.csv")
    args = parser.parse_args()
    rows = []
    for label, new, old in STATEMENTS:
        for repeat in range(1, args.repeat + 1):
            for version, tree, statement in (("before", args.before, old), ("after", ROOT, new)):
                seconds, heavy = measure(tree, statement)
                rows.append({"what": label, "version": version, "repeat": repeat,
                             "statement": statement, "import_s": round(seconds, 4),
                             "heavy_loaded": heavy, "load_1min": round(os.getloadavg()[0], 2)})
                print(rows[-1])
    with args.out.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
