"""Framing at scale: the document measure and the lexicon, before and after, in one run.

Simulated posts (``simulate_corpus(n, seed=42)``: title and body, their
planted languages) are scored by ``score_framing`` (the default document
measure: cleaning, hashed n-grams, lexicon evidence, logistic regression)
and, separately, by ``lexicon_matches`` on the cleaned texts.  Each code
version runs in its own fresh process, alternately, so that both see the
same machine load; ``--before`` names a checkout of the older code (e.g.
``git archive HEAD~3 | tar -x -C /tmp/before``).  A cProfile of the current
code's document measure is written with ``--profile``.

The current code is timed in the modes of ``--modes``: ``raw`` (raw texts,
default options, as the older code), ``cleaned`` (``cleaned=True`` on the
texts cleaned beforehand, as the corpus tables hold them; cleaning is not
timed) and ``cleaned-2jobs`` (plus ``n_jobs=2``).  Peak memory is the
process's own (``peak_rss_mb``) and its largest worker's
(``peak_rss_worker_mb``).

Usage::

    .venv/bin/python benchmarks/framing_speed.py --sizes 10000 100000 \
        --before /tmp/before --before-max 10000 --modes raw cleaned cleaned-2jobs
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import time
from pathlib import Path

from _measure import run_worker

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CACHE = ROOT / "data" / "cache" / "bench"


def _posts(n: int):
    import pandas as pd

    path = CACHE / f"framing-posts-{n}.parquet"
    if not path.exists():
        from analysis.scale.simulate import simulate_corpus

        path.parent.mkdir(parents=True, exist_ok=True)
        posts = simulate_corpus(n, seed=42).posts[["post_id", "language", "title", "text"]]
        posts.to_parquet(path)
    return pd.read_parquet(path)


def worker(n: int, profile: str | None, lexicon_stage: bool = True, mode: str = "raw") -> dict:
    """Time the two stages in this process (the code on ``sys.path``)."""
    import analysis
    from analysis.framing import score_framing
    from analysis.framing.evidence import lexicon_matches
    from analysis.framing.io import split_text
    from analysis.framing.lexicon import load_lexicon

    posts = _posts(n)
    texts = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    langs = posts["language"].tolist()
    score_framing(texts[:5], language=langs[:5])  # model, lexicon and rules loaded once
    options = {}
    if mode.startswith("cleaned"):  # the corpus tables hold cleaned text: not timed
        texts = ["\n\n".join(split_text(x)) for x in texts]
        options["cleaned"] = True
    if mode.endswith("2jobs"):
        options["n_jobs"] = 2
    out = {"n": n, "mode": mode, "code": str(Path(analysis.__file__).parents[1]),
           "load_1min": round(os.getloadavg()[0], 2)}
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t = time.perf_counter()
    scores = score_framing(texts, language=langs, **options)
    out["document_s"] = round(time.perf_counter() - t, 2)
    if profile:
        prof.disable()
        prof.dump_stats(profile)
    out["document_posts_s"] = round(n / out["document_s"], 1)
    matches = []
    if lexicon_stage:
        cleaned = (texts if options.get("cleaned")
                   else ["\n\n".join(split_text(x)) for x in texts])
        lexicon = load_lexicon()
        t = time.perf_counter()
        matches = lexicon_matches(cleaned, language=langs, lexicon=lexicon)
        out["lexicon_s"] = round(time.perf_counter() - t, 2)
        out["lexicon_posts_s"] = round(n / out["lexicon_s"], 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["peak_rss_worker_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                      / 1024)
    out["framing_counts"] = json.dumps(scores["framing"].value_counts().sort_index().to_dict())
    out["n_matches"] = len(matches)
    out["load_1min_end"] = round(os.getloadavg()[0], 2)
    return out


def run(code: Path, n: int, profile: str | None, lexicon_stage: bool = True,
        mode: str = "raw") -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, __file__, "--worker", str(n)] + (["--profile-to", profile]
                                                           if profile else [])
    cmd += ([] if lexicon_stage else ["--no-lexicon"]) + ["--mode", mode]
    return run_worker(cmd, env)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000])
    ap.add_argument("--before", type=Path, help="checkout of the code to compare against")
    ap.add_argument("--before-max", type=int, default=10**9,
                    help="largest size to time the older code on")
    ap.add_argument("--profile", action="store_true", help="cProfile the current code")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--profile-to", help=argparse.SUPPRESS)
    ap.add_argument("--no-lexicon", action="store_true",
                    help="time the document measure only (the lexicon is inside it)")
    ap.add_argument("--out", type=Path, default=RESULTS / "framing-speed.csv")
    ap.add_argument("--modes", nargs="+", default=["raw"],
                    choices=["raw", "cleaned", "cleaned-2jobs"],
                    help="how the current code is called (the older code: raw)")
    ap.add_argument("--mode", default="raw", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.profile_to, not args.no_lexicon, args.mode)))
        return 0
    rows = []
    for n in args.sizes:
        _posts(n)
        versions = [("after", ROOT, mode) for mode in args.modes]
        if args.before and n <= args.before_max:
            versions.insert(0, ("before", args.before, "raw"))
        for label, code, mode in versions:
            prof = (str(RESULTS / f"framing-profile-{n}-{mode}.prof")
                    if args.profile and label == "after" else None)
            row = {"version": label, **run(code, n, prof, not args.no_lexicon, mode)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
