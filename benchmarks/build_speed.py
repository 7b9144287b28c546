"""Corpus build at scale: ``build_corpus()`` with default options, before and after, in one run.

Simulated corpora (``simulate_corpus(n, seed=42)`` written to disk as a
scrape would be, in ``data/cache/bench/sim-{n}``, as ``bench.py`` does) are
built with :func:`analysis.corpus.build.build_corpus` and its default options
(every paragraph's language detected), tables written as parquet to a
temporary folder.  Each code version runs in its own fresh process,
alternately, so both see the same machine load; ``--before`` names a checkout
of the older code (``git archive <commit> | tar -x -C /tmp/before-build``).

Peak memory is sampled every 20 ms as the resident memory of the process
plus its children (``peak_rss_mb``); ``ru_maxrss_mb`` is the kernel's peak of
the process itself.  ``tables_sha256`` hashes the four tables, so that rows
of the two versions can be checked for identical output.

Usage::

    .venv/bin/python benchmarks/build_speed.py --sizes 10000 100000 \
        --before /tmp/before-build --repeat 2
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from _measure import PeakRss, run_worker

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
WORK = ROOT / "data" / "cache" / "bench"
ENV = {"PYTHONHASHSEED": "0", "TQDM_DISABLE": "1", "MPLBACKEND": "Agg"}


def _sim_dir(n: int) -> Path:
    path = WORK / f"sim-{n}"
    if not (path / "manifest.csv").is_file():
        from analysis.scale.simulate import simulate_corpus

        simulate_corpus(n, seed=42).write(path)
    return path


def _tables_hash(corpus) -> str:
    import pandas as pd

    digest = hashlib.sha256()
    for name in ("documents", "posts", "paragraphs", "audit"):
        table = getattr(corpus, name)
        digest.update(name.encode())
        digest.update(",".join(map(str, table.columns)).encode())
        digest.update(pd.util.hash_pandas_object(table.astype("object"), index=True)
                      .to_numpy().tobytes())
    return digest.hexdigest()[:16]


def worker(n: int) -> dict:
    """Build the ``n``-post corpus with the code on ``sys.path``; return the figures."""
    import analysis
    from analysis.corpus.build import build_corpus

    sim = _sim_dir(n)
    out = {"n": n, "code": str(Path(analysis.__file__).parents[1]),
           "load_1min": round(os.getloadavg()[0], 2)}
    peak = PeakRss()
    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        corpus = build_corpus(sim / "manifest.csv", post_metadata=sim / "posts.csv",
                              out_dir=Path(tmp) / "processed")
        out["seconds"] = round(time.perf_counter() - start, 2)
        out["cpu_seconds"] = round(time.process_time() - cpu, 2)
    out["peak_rss_mb"] = round(peak.stop() / 2**20)
    out["ru_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["posts_s"] = round(n / out["seconds"], 1)
    out["posts"], out["paragraphs"] = len(corpus.posts), len(corpus.paragraphs)
    out["audit_rows"] = len(corpus.audit)
    out["tables_sha256"] = _tables_hash(corpus)
    out["load_1min_end"] = round(os.getloadavg()[0], 2)
    return out


def run(code: Path, n: int) -> dict:
    return run_worker([sys.executable, __file__, "--worker", str(n)],
                      {**os.environ, **ENV, "PYTHONPATH": str(code)})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000])
    ap.add_argument("--before", type=Path, help="checkout of the code to compare against")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each version and size")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=RESULTS / "build-speed.csv")
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return 0
    rows = []
    for n in args.sizes:
        _sim_dir(n)
        versions = [("before", args.before)] if args.before else []
        versions.append(("after", ROOT))
        for rep in range(args.repeat):
            for label, code in versions:  # alternating: before, after, before, after
                row = {"version": label, "run": rep + 1, **run(code, n)}
                rows.append(row)
                print(json.dumps(row), flush=True)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                with args.out.open("w", newline="") as fh:  # rewritten after every run
                    writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                    writer.writeheader()
                    writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
