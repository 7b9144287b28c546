"""Does numba's persistent cache (NUMBA_CACHE_DIR) shorten the first UMAP fit of a process?

Three fresh processes fit the same small UMAP (300 points, 384 dimensions,
as ``topics_numba_warmup`` in bench.py): one with caching pointed at an
empty folder (cold), then two more on the same folder (warm).  Prints the
import and fit times of each, and the load average.

Usage: ``.venv/bin/python benchmarks/numba_cache.py [--dir FOLDER]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, time
t0 = time.perf_counter()
import numpy as np, umap
t1 = time.perf_counter()
x = np.random.default_rng(0).normal(size=(300, 384)).astype(np.float32)
umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
          random_state=42).fit_transform(x)
t2 = time.perf_counter()
print(json.dumps({"import_s": round(t1 - t0, 2), "fit_s": round(t2 - t1, 2),
                  "load_1min": round(os.getloadavg()[0], 2)}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=None, help="cache folder (default: a new temporary one)")
    args = ap.parse_args(argv)
    folder = args.dir or tempfile.mkdtemp(prefix="numba-cache-")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for label in ("cold", "warm", "warm"):
        env = {**os.environ, "NUMBA_CACHE_DIR": folder}
        out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        print(json.dumps({"run": label, **json.loads(out)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
