"""Cost of the source bootstraps on a corpus of 150 sources: before and after.

Notebook 03's known-groups cell (``bootstrap_framing``) and notebook 04's
shares and means by source (``share_ci``, ``mean_ci``) on paragraphs of a
simulated corpus with 150 sources.  *Before* is the bootstrap as first
written (each resample copied as rows and aggregated again), timed on the
first ``--before-sources`` sources only, because on all 150 it takes many
minutes; its cost per source is reported and, as the loop is linear in the
sources, extrapolated.  *After* is the weighted bootstrap of the package on
all 150 sources.  Both use the same draws; the largest difference of their
bounds on the common sources is printed.

Run::

    .venv/bin/python benchmarks/bootstrap.py                 # ~2 min here
    .venv/bin/python benchmarks/bootstrap.py --sources 150 --posts 1500 --n-boot 200

The lexicon-only model keeps the benchmark offline and quick; the cost of
the copying bootstrap is in aggregating the copies, whatever the methods.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.framing import FramingModel, bootstrap_framing
from analysis.scale.simulate import Source, simulate_corpus
from analysis.stats.compare import add_period, mean_ci, share_ci

RESULTS = Path(__file__).resolve().parent / "results"


def copying_bootstrap(paragraph_scores, *, by, model, n_boot, level=0.95, seed=42):
    """``bootstrap_framing`` as first written (commit before the weighted one)."""
    point = model.aggregate(paragraph_scores, by=by)
    rng = np.random.default_rng(seed)
    frames = []
    for _, group in paragraph_scores.groupby(by, sort=True):
        idx = np.arange(len(group))
        for b in range(n_boot):
            sample = group.iloc[rng.choice(idx, size=len(idx), replace=True)]
            frames.append(sample.assign(_boot=b))
    boot = model.aggregate(pd.concat(frames, ignore_index=True), by=[by, "_boot"])
    alpha = (1 - level) / 2
    bounds = boot.groupby(by)["framing_score"].quantile([alpha, 1 - alpha]).unstack()
    bounds.columns = ["low", "high"]
    return point.merge(bounds.reset_index(), on=by, how="left")


def paragraphs_of(n_sources: int, n_posts: int, seed: int) -> pd.DataFrame:
    """Paragraphs (source, post_id, date, text) of a simulated corpus of many sources."""
    rng = np.random.default_rng(seed)
    sources = [Source(f"site-{i:03d}", f"Site {i}", base=float(rng.normal(0, 1.5)),
                      trend=float(rng.normal(0, 0.1)), shift=float(rng.normal(0, 1)),
                      weight=float(rng.lognormal(0, 0.8))) for i in range(n_sources)]
    sim = simulate_corpus(n_posts, seed=seed, sources=sources, duplicate_share=0.0,
                          translation_share=0.0, quoted_share=0.0, noise=0.0)
    rows = [(src, key, date, para) for src, key, date, text in
            zip(sim.posts["source"], sim.posts["key"], sim.posts["date"], sim.posts["text"],
                strict=True) for para in text.split("\n\n")]
    return pd.DataFrame(rows, columns=["source", "post_id", "date", "text"])


def main(argv=None) -> None:
    """Time the bootstraps before and after and print (and save) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=150)
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--n-boot", type=int, default=200, help="notebook 03's n_boot_groups")
    parser.add_argument("--n-resamples", type=int, default=2000, help="notebook 04's")
    parser.add_argument("--before-sources", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    paras = paragraphs_of(args.sources, args.posts, args.seed)
    model = FramingModel(methods=("lexicon",)).fit()
    scored = model.score_paragraphs(paras["text"].tolist(), language="en")
    scored[["source", "post_id", "date"]] = paras[["source", "post_id", "date"]]
    scored = add_period(scored, freq="YS")
    n_sources = scored["source"].nunique()
    print(f"{len(scored)} paragraphs, {scored['post_id'].nunique()} posts, {n_sources} sources")

    rows = []
    first = sorted(scored["source"].unique())[:args.before_sources]
    subset = scored[scored["source"].isin(first)]
    t = time.perf_counter()
    before = copying_bootstrap(subset, by="source", model=model, n_boot=args.n_boot,
                               seed=args.seed)
    before_s = time.perf_counter() - t
    t = time.perf_counter()
    after_subset = bootstrap_framing(subset, by="source", model=model, n_boot=args.n_boot,
                                     seed=args.seed)
    after_subset_s = time.perf_counter() - t
    diff = float(np.nanmax(np.abs(before[["low", "high"]].to_numpy()
                                  - after_subset[["low", "high"]].to_numpy())))
    t = time.perf_counter()
    bootstrap_framing(scored, by="source", model=model, n_boot=args.n_boot, seed=args.seed)
    after_s = time.perf_counter() - t
    rows += [
        {"job": "bootstrap_framing", "version": "before (copying)", "sources": len(first),
         "seconds": before_s, "note": "measured"},
        {"job": "bootstrap_framing", "version": "before (copying)", "sources": n_sources,
         "seconds": before_s / len(first) * n_sources, "note": "extrapolated, linear"},
        {"job": "bootstrap_framing", "version": "after (weighted)", "sources": len(first),
         "seconds": after_subset_s, "note": f"max |bound difference| {diff:.1e}"},
        {"job": "bootstrap_framing", "version": "after (weighted)", "sources": n_sources,
         "seconds": after_s, "note": "measured"},
    ]
    for job, call in {
        "share_ci by source": lambda: share_ci(scored, by="source", value="framing",
                                               n_resamples=args.n_resamples, seed=args.seed),
        "mean_ci by source": lambda: mean_ci(scored, by="source", value="framing_score",
                                             cluster="post_id", n_resamples=args.n_resamples),
        "mean_ci by source x year": lambda: mean_ci(scored, by=["source", "period"],
                                                    value="framing_score", cluster="post_id",
                                                    n_resamples=args.n_resamples),
    }.items():
        t = time.perf_counter()
        call()
        rows.append({"job": job, "version": "package", "sources": n_sources,
                     "seconds": time.perf_counter() - t, "note": "measured"})
    table = pd.DataFrame(rows).assign(
        n_boot=lambda d: np.where(d["job"] == "bootstrap_framing", args.n_boot,
                                  args.n_resamples),
        paragraphs=len(scored), python=platform.python_version())
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.round(2).to_string(index=False))
    RESULTS.mkdir(exist_ok=True)
    table.round(3).to_csv(RESULTS / "bootstrap.csv", index=False)


if __name__ == "__main__":
    main()
