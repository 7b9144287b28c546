"""Cost of the cluster bootstraps on a corpus of 150 sources.

Notebook 03's known-groups interval (``bootstrap_framing``), notebook 04's
shares and means by source (``share_ci``, ``mean_ci``), and the validation
tables' ``macro_f1_ci``, all on :mod:`analysis.stats.bootstrap`, on
paragraphs of a simulated corpus with 150 sources.

``bootstrap_framing`` resamples posts.  *Generic* is the cluster bootstrap
with each resample's paragraphs copied and aggregated by the model, timed on
the first ``--generic-sources`` sources only (linear in the sources, so it
is also extrapolated); *weighted* is the package's path (weights x
per-paragraph values) on all sources.  Both draw the same posts from the
same seed; the largest difference of their bounds is printed.
``macro_f1_ci`` is timed against the loop it replaced (same draws, same
bounds) on 435 items in 60 sites, the size of the development split.

Run::

    .venv/bin/python benchmarks/bootstrap.py                 # ~1 min here
    .venv/bin/python benchmarks/bootstrap.py --sources 150 --posts 1500 --n-resamples-groups 200

The lexicon-only model keeps the benchmark offline and quick.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.framing import FramingModel, bootstrap_framing, macro_f1_ci
from analysis.framing.validate import _macro_f1
from analysis.scale.simulate import Source, simulate_corpus
from analysis.stats.bootstrap import cluster_bootstrap, group_rng
from analysis.stats.compare import add_period, mean_ci, share_ci

RESULTS = Path(__file__).resolve().parent / "results"


def generic_bootstrap(paragraph_scores, *, by, model, n_resamples, random_state=42):
    """``bootstrap_framing`` through the generic path: copy each resample's rows, aggregate."""
    point = model.aggregate(paragraph_scores, by=by)
    rows = []
    for key, group in paragraph_scores.groupby(by, sort=True):
        def score(idx, group=group):
            return model.aggregate(group.iloc[idx].assign(_one=0), by="_one")["framing_score"][0]

        res = cluster_bootstrap(score, group["post_id"].to_numpy(), n_resamples=n_resamples,
                                random_state=group_rng(random_state, (key,)))
        rows.append({by: key, "ci_low": res.ci_low[0], "ci_high": res.ci_high[0]})
    return point.merge(pd.DataFrame(rows), on=by, how="left")


def loop_macro_f1_ci(y_true, y_pred, groups, *, n_resamples, random_state=42):
    """``macro_f1_ci`` as it was: one resample of concatenated rows per loop."""
    rng = np.random.default_rng(random_state)
    uniq, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    stats = []
    for _ in range(n_resamples):
        idx = np.concatenate([members[g] for g in rng.integers(0, len(uniq), len(uniq))])
        stats.append(_macro_f1(y_true[idx], y_pred[idx]))
    return np.quantile(stats, [0.025, 0.975])


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


def _timed(call):
    t = time.perf_counter()
    out = call()
    return out, time.perf_counter() - t


def main(argv=None) -> None:
    """Time the bootstraps and print (and save) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=150)
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--n-resamples-groups", type=int, default=200,
                        help="bootstrap_framing's n_resamples")
    parser.add_argument("--n-resamples", type=int, default=2000, help="notebook 04's")
    parser.add_argument("--generic-sources", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS / "bootstrap.csv")
    args = parser.parse_args(argv)

    paras = paragraphs_of(args.sources, args.posts, args.seed)
    model = FramingModel(methods=("lexicon",)).fit()
    scored = model.score_paragraphs(paras["text"].tolist(), language="en")
    scored[["source", "post_id", "date"]] = paras[["source", "post_id", "date"]]
    scored = add_period(scored, freq="YS")
    n_sources = scored["source"].nunique()
    print(f"{len(scored)} paragraphs, {scored['post_id'].nunique()} posts, {n_sources} sources")

    b = args.n_resamples_groups
    first = sorted(scored["source"].unique())[:args.generic_sources]
    subset = scored[scored["source"].isin(first)]
    generic, generic_s = _timed(lambda: generic_bootstrap(
        subset, by="source", model=model, n_resamples=b, random_state=args.seed))
    weighted, weighted_sub_s = _timed(lambda: bootstrap_framing(
        subset, by="source", model=model, n_resamples=b, random_state=args.seed))
    diff = float(np.nanmax(np.abs(generic[["ci_low", "ci_high"]].to_numpy()
                                  - weighted[["ci_low", "ci_high"]].to_numpy())))
    _, weighted_s = _timed(lambda: bootstrap_framing(scored, by="source", model=model,
                                                     n_resamples=b, random_state=args.seed))
    _, bca_s = _timed(lambda: bootstrap_framing(scored, by="source", model=model, n_resamples=b,
                                                method="bca", random_state=args.seed))
    rows = [
        {"job": "bootstrap_framing", "version": "generic (rows copied)", "sources": len(first),
         "n_resamples": b, "seconds": generic_s, "note": "measured"},
        {"job": "bootstrap_framing", "version": "generic (rows copied)", "sources": n_sources,
         "n_resamples": b, "seconds": generic_s / len(first) * n_sources,
         "note": "extrapolated, linear"},
        {"job": "bootstrap_framing", "version": "weighted", "sources": len(first),
         "n_resamples": b, "seconds": weighted_sub_s,
         "note": f"max |bound difference| {diff:.1e}"},
        {"job": "bootstrap_framing", "version": "weighted", "sources": n_sources,
         "n_resamples": b, "seconds": weighted_s, "note": "measured"},
        {"job": "bootstrap_framing", "version": "weighted, bca", "sources": n_sources,
         "n_resamples": b, "seconds": bca_s, "note": "measured"},
    ]
    r = args.n_resamples
    for job, call in {
        "share_ci by source": lambda m: share_ci(scored, by="source", value="framing",
                                                 n_resamples=r, method=m),
        "mean_ci by source": lambda m: mean_ci(scored, by="source", value="framing_score",
                                               cluster="post_id", n_resamples=r, method=m),
        "mean_ci by source x year": lambda m: mean_ci(scored, by=["source", "period"],
                                                      value="framing_score", cluster="post_id",
                                                      n_resamples=r, method=m),
    }.items():
        for method in ("percentile", "bca"):
            _, seconds = _timed(lambda call=call, method=method: call(method))
            rows.append({"job": job, "version": method, "sources": n_sources, "n_resamples": r,
                         "seconds": seconds, "note": "measured"})

    rng = np.random.default_rng(args.seed)
    labels = np.array(["anti_us", "all_imperialisms", "mixed", "none"])
    truth = labels[rng.integers(0, 4, 435)]
    pred = np.where(rng.random(435) < 0.6, truth, labels[rng.integers(0, 4, 435)])
    sites = rng.integers(0, 60, 435)
    loop, loop_s = _timed(lambda: loop_macro_f1_ci(truth, pred, sites, n_resamples=1000,
                                                   random_state=args.seed))
    new, new_s = _timed(lambda: macro_f1_ci(truth, pred, groups=sites, n_resamples=1000,
                                            random_state=args.seed))
    f1_diff = max(abs(loop[0] - new["ci_low"]), abs(loop[1] - new["ci_high"]))
    rows += [{"job": "macro_f1_ci (435 items, 60 sites)", "version": "loop (before)",
              "sources": 60, "n_resamples": 1000, "seconds": loop_s, "note": "measured"},
             {"job": "macro_f1_ci (435 items, 60 sites)", "version": "weighted",
              "sources": 60, "n_resamples": 1000, "seconds": new_s,
              "note": f"max |bound difference| {f1_diff:.1e}"}]
    table = pd.DataFrame(rows).assign(paragraphs=len(scored), python=platform.python_version(),
                                      load_1min=round(os.getloadavg()[0], 2))
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.round(3).to_string(index=False))
    args.out.parent.mkdir(exist_ok=True)
    table.round(3).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
