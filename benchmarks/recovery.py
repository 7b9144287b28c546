"""Recovery of planted structure: does the pipeline find the framing trend and the topics?

Usage::

    .venv/bin/python benchmarks/recovery.py [--posts 2000] [--seed 42]

Simulates a corpus (:mod:`analysis.scale.simulate`), builds it with
:func:`analysis.corpus.build.build_corpus`, and compares with the ground truth:

* segmentation, translation and near-duplicate groups (recall, precision);
* framing: :func:`analysis.framing.score_framing` (lexicon only, and all
  methods) on the canonical English posts; the estimated anti_us share per
  source and year (``anti_us / (anti_us + all_imperialisms)``) is correlated
  with the planted share and with the realised share of the sample, and the
  event shift per source (mean share from 2022 minus before) with the
  planted shift;
* topics: :func:`analysis.topics.model.fit_topics` on the English canonical
  paragraphs with full MiniLM embeddings and with the fast static ones;
  adjusted Rand index against the planted topic of the post.

Writes ``benchmarks/results/recovery.csv`` (one row per figure),
``recovery-shares.csv`` (planted, realised and estimated shares) and
``recovery.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for key, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg",
                   "TOKENIZERS_PARALLELISM": "false", "TQDM_DISABLE": "1",
                   "NUMBA_CACHE_DIR": str(ROOT / ".venv" / "numba-cache")}.items():
    os.environ.setdefault(key, value)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.corpus.build import build_corpus  # noqa: E402
from analysis.scale.simulate import EVENT_DATE, simulate_corpus  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def _pairs(truth: pd.DataFrame, posts: pd.DataFrame, column: str) -> dict:
    """Recall and precision of the copy -> original links of one kind."""
    key_to_post = dict(zip(truth["key"], truth["post_id"], strict=True))
    group = posts.set_index("post_id")["group_id"]
    copies = truth[truth[column].notna()]
    found = [group.get(pid) is not None and group.get(pid) == group.get(key_to_post[orig])
             for pid, orig in zip(copies["post_id"], copies[column], strict=True)]
    kind = "translation" if column == "translation_of" else "near_duplicate"
    grouped = posts[posts["group_type"].str.contains(kind)]
    planted_groups = set(copies["post_id"]) | {key_to_post[k] for k in copies[column]}
    precision = grouped["post_id"].isin(planted_groups).mean() if len(grouped) else np.nan
    return {"recall": float(np.mean(found)) if found else np.nan,
            "precision": float(precision), "n": len(copies)}


def _shares(scores: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    frame = posts[["source", "date"]].assign(label=scores["framing"].to_numpy())
    frame["period"] = frame["date"].dt.to_period("Y").dt.start_time
    decided = frame[frame["label"].isin(["anti_us", "all_imperialisms"])]
    return (decided.assign(anti_us=decided["label"] == "anti_us")
            .groupby(["source", "period"])["anti_us"].agg(["mean", "size"])
            .rename(columns={"mean": "estimated", "size": "n_decided"}).reset_index())


def _framing_figures(name: str, shares: pd.DataFrame) -> list[dict]:
    from scipy.stats import pearsonr, spearmanr

    ok = shares.dropna(subset=["estimated", "planted_share"])
    ok = ok[ok["n_decided"] >= 10]
    rows = [{"figure": f"framing_{name}_pearson_vs_planted",
             "value": pearsonr(ok["planted_share"], ok["estimated"]).statistic,
             "n": len(ok), "note": "source x year cells with >= 10 decided posts"},
            {"figure": f"framing_{name}_spearman_vs_planted",
             "value": spearmanr(ok["planted_share"], ok["estimated"]).statistic, "n": len(ok)},
            {"figure": f"framing_{name}_pearson_vs_realised",
             "value": pearsonr(ok["realised_share"], ok["estimated"]).statistic, "n": len(ok)}]
    after = ok["period"] >= EVENT_DATE.to_period("Y").start_time + pd.offsets.YearBegin(1)
    before = ok["period"] < EVENT_DATE.to_period("Y").start_time
    shift = (ok[after].groupby("source")[["planted_share", "estimated"]].mean()
             - ok[before].groupby("source")[["planted_share", "estimated"]].mean()).dropna()
    rows.append({"figure": f"framing_{name}_event_shift_pearson",
                 "value": pearsonr(shift["planted_share"], shift["estimated"]).statistic,
                 "n": len(shift), "note": "per source: mean 2023-24 minus mean 2014-21"})
    for source, r in shift.iterrows():
        rows.append({"figure": f"framing_{name}_event_shift[{source}]",
                     "value": r["estimated"], "planted": r["planted_share"], "n": 1})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    from sklearn.metrics import adjusted_rand_score

    from analysis.framing import score_framing
    from analysis.text.embeddings import embed, embed_fast
    from analysis.topics.model import fit_topics
    from analysis.topics.units import select_units

    args.out.mkdir(parents=True, exist_ok=True)
    work = ROOT / "data" / "cache" / "bench" / f"recovery-{args.posts}-{args.seed}"
    sim = simulate_corpus(args.posts, seed=args.seed)
    manifest = sim.write(work)
    corpus = build_corpus(manifest, post_metadata=work / "posts.csv", out_dir=None)
    truth, posts = sim.posts, corpus.posts
    rows = [{"figure": "posts_found", "value": truth["post_id"].isin(posts["post_id"]).mean(),
             "n": len(truth), "note": "planted posts whose id the segmentation reproduces"}]
    merged = posts.merge(truth[["post_id", "language", "topic", "framing"]], on="post_id",
                         suffixes=("", "_true"))
    rows.append({"figure": "post_language_accuracy",
                 "value": (merged["language"] == merged["language_true"]).mean(),
                 "n": len(merged)})
    for column in ("translation_of", "duplicate_of"):
        res = _pairs(truth, posts, column)
        rows += [{"figure": f"{column}_recall", "value": res["recall"], "n": res["n"]},
                 {"figure": f"{column}_precision", "value": res["precision"], "n": res["n"]}]

    canon = merged[merged["is_canonical"] & (merged["language"] == "en")].reset_index(drop=True)
    texts = (canon["title"].fillna("") + "\n\n" + canon["text"]).tolist()
    planted = sim.planted_shares(freq="YS")
    all_shares = planted.copy()
    for name, methods in (("lexicon", ("lexicon",)), ("all_methods", None)):
        start = time.perf_counter()
        scores = score_framing(texts, language="en", methods=methods)
        decided = scores["framing"].isin(["anti_us", "all_imperialisms"]).to_numpy()
        predicted = scores["framing"].to_numpy()  # the simulator uses the package's labels
        rows += [{"figure": f"framing_{name}_post_accuracy",
                  "value": (predicted[decided] == canon["framing"].to_numpy()[decided]).mean(),
                  "n": int(decided.sum()), "note": "posts labelled anti_us or all_imperialisms"},
                 {"figure": f"framing_{name}_decided_share", "value": decided.mean(),
                  "n": len(texts), "seconds": time.perf_counter() - start}]
        shares = planted.merge(_shares(scores, canon), on=["source", "period"], how="left")
        rows += _framing_figures(name, shares)
        all_shares[f"estimated_{name}"] = shares["estimated"]
        all_shares[f"n_decided_{name}"] = shares["n_decided"]

    units, _ = select_units(corpus, unit="paragraph", languages=["en"])
    topic_truth = units[["post_id"]].merge(truth[["post_id", "topic"]], on="post_id",
                                           how="left")["topic"].to_numpy()
    for name, fn in (("full", embed), ("fast", embed_fast)):
        start = time.perf_counter()
        vectors = fn(units["text"].tolist())
        fit = fit_topics(units, vectors, unit="paragraph",
                         min_topic_size=max(10, len(units) // 200))
        topics = fit.doc_topics["topic"].to_numpy()
        inl = topics >= 0
        rows += [{"figure": f"topics_{name}_ari", "value": adjusted_rand_score(topic_truth, topics),
                  "n": len(units), "n_topics": fit.n_topics, "outliers": 1 - inl.mean(),
                  "seconds": time.perf_counter() - start},
                 {"figure": f"topics_{name}_ari_inliers",
                  "value": adjusted_rand_score(topic_truth[inl], topics[inl]), "n": int(inl.sum())}]
    table = pd.DataFrame(rows)
    table.insert(0, "posts", args.posts)
    table.insert(1, "seed", args.seed)
    table.to_csv(args.out / "recovery.csv", index=False, float_format="%.4f")
    all_shares.to_csv(args.out / "recovery-shares.csv", index=False, float_format="%.4f")
    _plot(all_shares, args.out / "recovery.png")
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print(table.to_string(index=False))
    return 0


def _plot(shares: pd.DataFrame, path: Path) -> None:
    import matplotlib.pyplot as plt

    sources = sorted(shares["source"].unique())
    fig, axes = plt.subplots(1, len(sources), figsize=(3.2 * len(sources), 3.4), sharey=True)
    for ax, source in zip(np.atleast_1d(axes), sources, strict=True):
        g = shares[shares["source"] == source]
        ax.plot(g["period"].dt.year, g["planted_share"], "k-", label="planted")
        ax.plot(g["period"].dt.year, g["realised_share"], "k:", label="realised (sample)")
        ax.plot(g["period"].dt.year, g["estimated_lexicon"], "o-", color="#0072B2",
                label="estimated: lexicon")
        ax.plot(g["period"].dt.year, g["estimated_all_methods"], "s-", color="#D55E00",
                label="estimated: all methods")
        ax.axvline(EVENT_DATE.year + EVENT_DATE.dayofyear / 365, color="grey", lw=0.8)
        ax.set_title(source, fontsize=9)
        ax.set_ylim(0, 1)
    np.atleast_1d(axes)[0].set_ylabel("anti_us share")
    np.atleast_1d(axes)[0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})


if __name__ == "__main__":
    raise SystemExit(main())
