"""CPU time per post of framing scoring, which the machine's load disturbs less than wall time.

One mode per call, in a fresh process: ``raw`` (raw texts, default
options), ``cleaned`` (``cleaned=True``, texts cleaned beforehand and not
timed) or ``cleaned-2jobs`` (plus ``n_jobs=2``); CPU is user plus system
time of the process and its workers.  On a 2-core machine with nothing else
running, 2 / ``cpu_ms_per_post`` x 1000 bounds the posts/s of two workers.
Prints one JSON line (``results/framing-speed-cpu.csv`` holds such lines).

Usage::

    PYTHONPATH=CODE .venv/bin/python benchmarks/framing_cpu.py CODE 10000 cleaned
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(code: str, n: int, mode: str) -> dict:
    sys.path.insert(0, code)
    sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
    from analysis.framing import score_framing
    from benchmarks.framing_speed import _posts

    posts = _posts(n)
    texts = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    langs = posts["language"].tolist()
    score_framing(texts[:5], language=langs[:5])  # model and lexicon loaded once
    options = {}
    if mode.startswith("cleaned"):
        from analysis.framing.io import split_text

        texts = ["\n\n".join(split_text(t)) for t in texts]
        options["cleaned"] = True
    if mode.endswith("2jobs"):
        options["n_jobs"] = 2
    load, cpu, t = os.getloadavg()[0], _cpu(), time.perf_counter()
    score_framing(texts, language=langs, **options)
    wall, cpu = time.perf_counter() - t, _cpu() - cpu
    return {"code": code, "n": n, "mode": mode, "wall_s": round(wall, 2),
            "posts_s": round(n / wall, 1), "cpu_s": round(cpu, 2),
            "cpu_ms_per_post": round(1000 * cpu / n, 3), "posts_per_cpu_s": round(n / cpu, 1),
            "load_1min": round(load, 2), "load_1min_end": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
