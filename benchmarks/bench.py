"""Per-stage wall time and peak memory of the pipeline on simulated corpora.

Usage (``make bench`` runs the default)::

    .venv/bin/python benchmarks/bench.py                    # 1k, 10k, 100k posts
    .venv/bin/python benchmarks/bench.py --sizes 1000 10000 # quicker
    .venv/bin/python benchmarks/bench.py --only topics      # one job family

Every job runs in a fresh Python process.  Inside it, a sampler thread reads
the resident memory of the process and its children (Dask workers) every
20 ms; a stage's ``peak_rss_mb`` is the largest value seen while the stage
ran (so it includes what earlier stages of the same job still hold), and
``process_peak_mb`` is the kernel's ``ru_maxrss`` of the whole job, read
with ``os.wait4``.  Wall time is ``time.perf_counter`` around the stage's
call only (reading inputs from disk is not counted).  The table is printed
and written to ``benchmarks/results/bench.csv``; ``scaling.png`` plots cost
against size on log-log axes with the fitted scaling exponent of each stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from _measure import PeakRss

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WORK = ROOT / "data" / "cache" / "bench"
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg",
       "TOKENIZERS_PARALLELISM": "false", "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1",
       "NUMBA_CACHE_DIR": str(ROOT / ".venv" / "numba-cache")}
FAST_LANGUAGE = {"detect_paragraphs": "uncertain", "max_chars": 500}
N_TOPICS_LDA = 8
#: Largest corpus on which the default (every paragraph) language detection
#: is timed; above it only the fast path runs, to keep ``make bench`` short.
MAX_DEFAULT_LANGUAGE = 10000


# --------------------------------------------------------------------------- in the job


class Recorder:
    """Times stages and samples peak RSS of this process and its children."""

    def __init__(self, job: str, size: int):
        self.job, self.size, self.rows = job, size, []
        self.memory = PeakRss()

    @contextlib.contextmanager
    def stage(self, name: str, *, n: int, unit: str, **extra):
        self.memory.reset()
        start = time.perf_counter()
        yield extra
        seconds = time.perf_counter() - start
        peak = self.memory.current_peak()
        row = {"job": self.job, "size": self.size, "stage": name, "n": n, "unit": unit,
               "seconds": round(seconds, 3), "peak_rss_mb": round(peak / 2**20, 1),
               "loadavg_1m": round(os.getloadavg()[0], 2), **extra}
        self.rows.append(row)
        print(f"{self.job} {self.size} {name}: {seconds:.2f} s", file=sys.stderr, flush=True)

    def flush(self):
        """Print every row as JSON, once the job has added its figures (ARI, ...)."""
        for row in self.rows:
            print(json.dumps(row, default=str), flush=True)


def _sim_dir(size: int) -> Path:
    return WORK / f"sim-{size}"


def _corpus_dir(size: int) -> Path:
    return WORK / f"corpus-{size}"


def job_simulate(rec: Recorder, size: int):
    from analysis.scale.simulate import simulate_corpus

    with rec.stage("simulate", n=size, unit="posts"):
        sim = simulate_corpus(size, seed=42)
        sim.write(_sim_dir(size))
    sim.posts.drop(columns=["text"]).to_parquet(_sim_dir(size) / "truth.parquet")


def job_corpus(rec: Recorder, size: int):
    """load -> clean -> segment -> language (default and fast) -> dedup -> validate."""
    from analysis.corpus.build import assemble_corpus, write_corpus
    from analysis.corpus.clean import clean_documents
    from analysis.corpus.groups import group_posts
    from analysis.corpus.language import add_languages
    from analysis.corpus.load import load_corpus
    from analysis.corpus.segment import attach_post_metadata, split_paragraphs, split_posts

    sim = _sim_dir(size)
    with rec.stage("load", n=size, unit="posts"):
        documents, load_audit = load_corpus(sim / "manifest.csv")
    with rec.stage("clean", n=size, unit="posts", documents=len(documents)):
        documents, clean_audit = clean_documents(documents)
    with rec.stage("segment", n=size, unit="posts"):
        posts = split_posts(documents, clean_audit).pipe(attach_post_metadata,
                                                         sim / "posts.csv")
        paragraphs = split_paragraphs(posts)
    rec.rows[-1]["paragraphs"] = len(paragraphs)
    with rec.stage("language_model_load", n=1, unit="model", note="lingua, 10 languages, once"):
        add_languages(posts.iloc[:1], paragraphs.iloc[:0])
    with rec.stage("language_fast", n=size, unit="posts", paragraphs=len(paragraphs),
                   option="detect_paragraphs='uncertain', max_chars=500"):
        fast_posts, fast_paragraphs = add_languages(posts, paragraphs, **FAST_LANGUAGE)
    if size <= MAX_DEFAULT_LANGUAGE:
        with rec.stage("language", n=size, unit="posts", paragraphs=len(paragraphs)):
            posts, paragraphs = add_languages(posts, paragraphs)
        agree = float((fast_paragraphs["language"].fillna("-")
                       == paragraphs["language"].fillna("-")).mean())
        agree_posts = float((fast_posts["language"].fillna("-")
                             == posts["language"].fillna("-")).mean())
        rec.rows[-2].update(agreement_paragraphs=round(agree, 5),
                            agreement_posts=round(agree_posts, 5))
    else:  # the default path costs ~10x the fast one; measured up to MAX_DEFAULT_LANGUAGE
        posts, paragraphs = fast_posts, fast_paragraphs
    del fast_posts, fast_paragraphs
    with rec.stage("dedup", n=size, unit="posts"):
        posts = group_posts(posts)
    with rec.stage("validate", n=size, unit="posts"):
        corpus = assemble_corpus(documents, posts, paragraphs, load_audit, clean_audit)
    write_corpus(corpus, _corpus_dir(size))
    stages = {r["stage"]: r for r in rec.rows}
    for name, language in (("build", "language"), ("build_fast", "language_fast")):
        parts = ["load", "clean", "segment", language, "dedup", "validate"]
        if language not in stages:
            continue
        seconds = sum(stages[p]["seconds"] for p in parts)
        row = {"job": rec.job, "size": size, "stage": name, "n": size, "unit": "posts",
               "seconds": round(seconds, 3),
               "peak_rss_mb": max(stages[p]["peak_rss_mb"] for p in parts),
               "loadavg_1m": round(os.getloadavg()[0], 2), "note": " + ".join(parts)}
        rec.rows.append(row)


def job_corpus_dask(rec: Recorder, size: int):
    """build_corpus_dask on a LocalCluster of 2 single-threaded worker processes."""
    from dask.distributed import Client, LocalCluster

    from analysis.scale.distributed import build_corpus_dask

    sim = _sim_dir(size)
    with rec.stage("dask_cluster_start", n=size, unit="posts"):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    with rec.stage("build_dask_fast", n=size, unit="posts", workers=2,
                   option="detect_paragraphs='uncertain', max_chars=500"):
        build_corpus_dask(sim / "manifest.csv", post_metadata=sim / "posts.csv", out_dir=None,
                          client=client, npartitions=8, **FAST_LANGUAGE)
    client.close()
    cluster.close()


def _units(n: int):
    """The first ``n`` English canonical paragraphs of the largest corpus built, and truth."""
    import pandas as pd

    from analysis.corpus.build import read_corpus
    from analysis.topics.units import select_units

    sizes = sorted(int(p.name.split("-")[1]) for p in WORK.glob("corpus-*"))
    for size in sizes:
        corpus = read_corpus(_corpus_dir(size))
        units, _ = select_units(corpus, unit="paragraph", languages=["en"])
        if len(units) >= n or size == sizes[-1]:
            break
    truth = pd.read_parquet(_sim_dir(size) / "truth.parquet")[["post_id", "topic", "framing"]]
    units = units.iloc[:n].reset_index(drop=True)
    planted = units[["post_id"]].merge(truth, on="post_id", how="left")["topic"]
    return units, planted.to_numpy()


def job_embed(rec: Recorder, size: int):
    """Full MiniLM (capped at 1,000 paragraphs), the model2vec fast path, and cache hits."""
    import tempfile

    import numpy as np

    from analysis.text.embeddings import embed, embed_fast, fast_model_path, load_encoder

    units, _ = _units(size)
    texts = units["text"].tolist()
    n = len(texts)
    with rec.stage("distill_fast_model", n=1, unit="model", note="once; cached after"):
        fast_model_path()
    with tempfile.TemporaryDirectory() as cache:
        fast = embed_fast(texts[:2], cache_dir=None)  # load the model outside the timing
        with rec.stage("embed_fast", n=n, unit="paragraphs", model="model2vec from MiniLM"):
            fast = embed_fast(texts, cache_dir=cache)
        with rec.stage("embed_fast_cached", n=n, unit="paragraphs", note="second call"):
            embed_fast(texts, cache_dir=cache)
        np.save(WORK / f"emb-fast-{size}.npy", fast)
        n_full = min(n, 1000)
        load_encoder()
        with rec.stage("embed_full", n=n_full, unit="paragraphs", model="all-MiniLM-L6-v2"):
            full = embed(texts[:n_full], cache_dir=cache)
        with rec.stage("embed_full_cached", n=n_full, unit="paragraphs", note="second call"):
            embed(texts[:n_full], cache_dir=cache)
        np.save(WORK / f"emb-full-{n_full}.npy", full)
        rec.rows[-2]["agreement_spearman"] = round(_agreement(full, fast[:n_full]), 4)


def _agreement(a, b) -> float:
    """Spearman correlation of the pairwise cosine similarities of two embeddings."""
    import numpy as np
    from scipy.stats import spearmanr

    def cos(x):
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        s = x @ x.T
        return s[np.triu_indices(len(x), 1)]

    return float(spearmanr(cos(a), cos(b)).statistic)


def job_topics(rec: Recorder, size: int):
    """fit_topics on precomputed fast embeddings (and full ones at 1k), with ARI."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from analysis.topics.model import fit_topics

    units, planted = _units(size)
    emb = np.load(WORK / f"emb-fast-{size}.npy")
    variants = [("topics_fit_fast_emb", emb)]
    full_path = WORK / f"emb-full-{len(units)}.npy"
    if full_path.is_file():
        variants.append(("topics_fit_full_emb", np.load(full_path)))
    min_size = max(10, len(units) // 200)
    with rec.stage("topics_numba_warmup", n=300, unit="paragraphs",
                   note="first fit in a process compiles UMAP/HDBSCAN code"):
        fit_topics(units.iloc[:300], emb[:300], unit="paragraph", min_topic_size=10)
    for name, vectors in variants:
        with rec.stage(name, n=len(units), unit="paragraphs", min_topic_size=min_size):
            fit = fit_topics(units, vectors, unit="paragraph", min_topic_size=min_size)
        topics = fit.doc_topics["topic"].to_numpy()
        inlier = topics >= 0
        rec.rows[-1].update(
            n_topics=fit.n_topics, outliers=round(float(1 - inlier.mean()), 3),
            ari=round(adjusted_rand_score(planted, topics), 4),
            ari_inliers=round(adjusted_rand_score(planted[inlier], topics[inlier]), 4))


def job_baselines(rec: Recorder, size: int):
    """Plain BERTopic (it embeds the documents itself, no cache) and scikit-learn LDA."""
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.metrics import adjusted_rand_score

    from analysis.config import SEED

    units, planted = _units(size)
    docs = units["text"].tolist()
    if len(docs) <= 10000:
        with rec.stage("baseline_lda", n=len(docs), unit="paragraphs", n_topics=N_TOPICS_LDA):
            counts = CountVectorizer(stop_words="english", min_df=2,
                                     max_df=0.5).fit_transform(docs)
            lda = LatentDirichletAllocation(n_components=N_TOPICS_LDA, random_state=SEED)
            labels = lda.fit_transform(counts).argmax(axis=1)
        rec.rows[-1]["ari"] = round(adjusted_rand_score(planted, labels), 4)
    if len(docs) <= 2000:
        from bertopic import BERTopic
        from sentence_transformers import SentenceTransformer

        from analysis.text.embeddings import model_path

        with rec.stage("baseline_bertopic_default", n=len(docs), unit="paragraphs",
                       note="BERTopic() with the MiniLM model, embedding itself, no cache"):
            model = BERTopic(embedding_model=SentenceTransformer(str(model_path()),
                                                                 device="cpu"))
            topics, _ = model.fit_transform(docs)
        rec.rows[-1]["ari"] = round(adjusted_rand_score(planted, topics), 4)


def job_framing(rec: Recorder, size: int):
    """score_framing (lexicon) on canonical English posts, then compare.share_ci."""
    import pandas as pd

    from analysis.corpus.build import read_corpus
    from analysis.framing import score_framing
    from analysis.framing.evidence import lexicon_matches
    from analysis.framing.io import split_text
    from analysis.stats.compare import add_period, share_ci

    corpus = read_corpus(_corpus_dir(size))
    posts = corpus.posts[corpus.posts["is_canonical"]].reset_index(drop=True)
    texts = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
    posts_all, texts_all = posts, texts
    score_framing(texts[:5], language="en", methods=("lexicon",))  # load the lexicon once
    score_framing(texts[:5], language="en")  # and the document model
    n_lex = min(len(texts), 10000)
    with rec.stage("framing_lexicon", n=n_lex, unit="posts", methods="lexicon"):
        scores = score_framing(texts[:n_lex],
                               language=posts["language"].fillna("en").tolist()[:n_lex],
                               methods=("lexicon",))
    posts = posts.iloc[:n_lex]
    frame = pd.concat([posts[["post_id", "source", "date"]], scores[["framing"]]], axis=1)
    frame = add_period(frame, freq="YS")
    with rec.stage("compare_share_ci", n=len(frame), unit="posts", n_resamples=2000):
        share_ci(frame, by=["source", "period"], value="framing", cluster="post_id")
    langs = posts_all["language"].fillna("en").tolist()
    with rec.stage("framing_document", n=len(texts_all), unit="posts",
                   note="default document measure: clean, n-grams, lexicon, regression"):
        score_framing(texts_all, language=langs)
    cleaned = ["\n\n".join(split_text(t)) for t in texts_all]
    with rec.stage("framing_lexicon_matches", n=len(cleaned), unit="posts",
                   note="lexicon evidence alone, on cleaned posts (prefiltered)"):
        lexicon_matches(cleaned, language=langs)
    n_full = min(len(texts), 100)
    with rec.stage("framing_model_fit", n=1, unit="model",
                   note="default FramingModel fitted on the gold set, once per process"):
        score_framing(texts[:1], language="en")
    with rec.stage("framing_all_methods", n=n_full, unit="posts",
                   methods="lexicon+lss+prototypes+classifier",
                   note="MiniLM embeddings cached in data/cache/embeddings: warm on re-runs"):
        score_framing(texts[:n_full], language="en")


def job_rerun(rec: Recorder, size: int):
    """What an unchanged re-run costs: the corpus stamp, a cached topic fit, a cached bootstrap."""
    import subprocess
    import sys
    import tempfile

    import numpy as np

    from analysis.corpus.build import read_corpus
    from analysis.stats.compare import add_period, share_ci
    from analysis.topics.cache import FITS, cached_table, fit_topics_cached

    with rec.stage("rerun_corpus_stamp_check", n=1, unit="checks",
                   note="python analysis/corpus/stamp.py check on the sample corpus (make corpus)"):
        subprocess.run([sys.executable, str(ROOT / "analysis" / "corpus" / "stamp.py"), "check"],
                       capture_output=True, check=False)
    units, _ = _units(min(size, 10000))
    emb = np.load(WORK / f"emb-fast-{size}.npy")[:len(units)]
    min_size = max(10, len(units) // 200)
    with tempfile.TemporaryDirectory() as cache:
        with rec.stage("rerun_topics_first", n=len(units), unit="paragraphs",
                       note="fit_topics_cached, empty cache: fits and saves"):
            fit_topics_cached(units, emb, cache_dir=cache, min_topic_size=min_size)
        with rec.stage("rerun_topics_cached", n=len(units), unit="paragraphs",
                       note="same call: loads tables, no BERTopic import"):
            fit = fit_topics_cached(units, emb, cache_dir=cache, min_topic_size=min_size)
            fit.top_words(10)
        rec.rows[-1]["fits"] = FITS["topics"]
        corpus = read_corpus(_corpus_dir(size))
        posts = corpus.posts[corpus.posts["is_canonical"]].reset_index(drop=True)
        frame = add_period(posts[["post_id", "source", "date", "language"]], freq="YS")
        for label in ("first", "cached"):
            with rec.stage(f"rerun_bootstrap_{label}", n=len(frame), unit="posts",
                           n_resamples=2000):
                cached_table(share_ci, frame, by=["source", "period"], value="language",
                             cluster="post_id", cache_dir=cache)


JOBS = {"simulate": job_simulate, "corpus": job_corpus, "corpus_dask": job_corpus_dask,
        "embed": job_embed, "topics": job_topics, "baselines": job_baselines,
        "framing": job_framing, "rerun": job_rerun}


def worker(job: str, size: int) -> None:
    sys.path.insert(0, str(ROOT))
    rec = Recorder(job, size)
    try:
        JOBS[job](rec, size)
    finally:
        rec.flush()


# --------------------------------------------------------------------------- runner


def run_job(job: str, size: int, log) -> list[dict]:
    env = {**os.environ, **ENV}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", job, str(size)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=env, text=True,
                            cwd=ROOT)
    rows = []
    for line in proc.stdout:
        if line.startswith("{"):
            rows.append(json.loads(line))
            r = rows[-1]
            print(f"  {job:12s} {size:>7d}  {r['stage']:28s} {r['n']:>8d} {r['unit']:10s} "
                  f"{r['seconds']:9.2f} s  {r['peak_rss_mb']:8.0f} MB", flush=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in rows:
        r["process_peak_mb"] = round(usage.ru_maxrss / 1024, 1)
        r["job_seconds"] = round(time.perf_counter() - start, 1)
    if proc.returncode != 0:
        print(f"  {job} {size}: exit {proc.returncode} (see {log.name})", flush=True)
    return rows


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (f"{cpu}; {os.cpu_count()} cores; {psutil.virtual_memory().total / 2**30:.0f} GiB; "
            f"Python {platform.python_version()}; {platform.system()} {platform.release()}")


def table(rows: list[dict]):
    import pandas as pd

    df = pd.DataFrame(rows)
    df["per_s"] = (df["n"] / df["seconds"].where(df["seconds"] > 0)).round(1)
    cols = ["job", "size", "stage", "n", "unit", "seconds", "per_s", "peak_rss_mb",
            "process_peak_mb", "loadavg_1m"]
    extra = [c for c in df.columns if c not in cols]
    return df[cols + extra]


def plot(df, path: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
    exponents = {}
    for stage, g in df.groupby("stage"):
        g = g[(g["seconds"] > 0) & (g["n"] > 1)].sort_values("n")
        if g["n"].nunique() < 2:
            continue
        slope = float(np.polyfit(np.log(g["n"]), np.log(g["seconds"]), 1)[0])
        mslope = float(np.polyfit(np.log(g["n"]), np.log(g["peak_rss_mb"]), 1)[0])
        exponents[stage] = {"time_exponent": round(slope, 2), "memory_exponent": round(mslope, 2)}
        axes[0].loglog(g["n"], g["seconds"], "o-", label=f"{stage} (b={slope:.2f})")
        axes[1].loglog(g["n"], g["peak_rss_mb"], "o-", label=f"{stage} (b={mslope:.2f})")
    for ax, ylabel in zip(axes, ("wall time (s)", "peak RSS (MB)"), strict=True):
        ax.set_xlabel("items (posts or paragraphs, see table)")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    axes[0].set_title("Cost ~ n^b: b is the scaling exponent")
    axes[1].set_title("Peak memory")
    fig.tight_layout()
    fig.savefig(path, dpi=120, metadata={"Software": None})
    return exponents


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--only", nargs="+", choices=list(JOBS), default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs=2, metavar=("JOB", "SIZE"))
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return 0
    import pandas as pd

    WORK.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = args.only or list(JOBS)
    print(f"Machine: {machine()}\nload average at start: {os.getloadavg()}", flush=True)
    rows: list[dict] = []
    started = time.perf_counter()
    with open(WORK / "bench.log", "w") as log:  # stderr of the jobs
        for size in sorted(args.sizes):
            if "simulate" in jobs and not (_sim_dir(size) / "truth.parquet").is_file():
                rows += run_job("simulate", size, log)
            if "corpus" in jobs:
                rows += run_job("corpus", size, log)
            if "corpus_dask" in jobs and size >= 10000:
                rows += run_job("corpus_dask", size, log)
            for job in ("embed", "topics", "baselines", "framing", "rerun"):
                if job in jobs:
                    rows += run_job(job, size, log)
    df = table(rows)
    df.insert(0, "machine", machine())
    name = "bench" if not args.only else "bench-" + "-".join(args.only)
    if len(args.sizes) < 3 and not args.only:
        name = "bench-quick"
    df.to_csv(args.out / f"{name}.csv", index=False)
    exponents = plot(df, args.out / f"{name}-scaling.png")
    pd.DataFrame([{"stage": k, **v} for k, v in exponents.items()]).to_csv(
        args.out / f"{name}-exponents.csv", index=False)
    show = df[["job", "size", "stage", "n", "unit", "seconds", "per_s", "peak_rss_mb"]]
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        print("\n" + show.to_string(index=False))
    print(f"\nScaling exponents (time, memory): {exponents}")
    print(f"Total {time.perf_counter() - started:.0f} s; results in {args.out}/{name}.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
