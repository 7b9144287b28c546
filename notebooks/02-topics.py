# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (analysis)
#     language: python
#     name: analysis
# ---

# %%
import time

from IPython.display import Markdown, display

from analysis.config import use_project
from analysis.corpus.build import read_corpus
from analysis.plots import (
    apply_style,
    lump_tail,
    plot_evaluation,
    plot_prevalence,
    plot_topic_sizes,
    save_figure,
    topic_labels,
    topic_word_barchart,
)
from analysis.stats.compare import add_period, share_ci
from analysis.topics.cache import FITS, cached_table, evaluate_topics_cached, fit_topics_cached
from analysis.topics.evaluate import adequacy
from analysis.topics.persist import save_topic_model, saved_topic_info
from analysis.topics.units import LazyEncoder, embed_units, select_units

# %% tags=["parameters"]
project_dir = None  # your project's output root (processed/, figures/, models/, cache/)
corpus_dir = None  # default: processed/ of the project (the package's data/processed/)
unit = "paragraph"
languages = ["en"]
canonical_only = True
min_words = 10
seed = 42
min_topic_size = 5
reduce_outliers = None
period_freq = "YS"
max_sources = 8  # sources shown by name; the rest are pooled as "other (k sources)"
cluster = "post_id"
n_resamples = 2000
confidence_level = 0.95
model_dir = None  # default: models/02-topics in the project
refit = False  # True: fit the topic model, LDA/NMF and the bootstraps again, ignoring the cache

# %% [markdown]
# # 02 · Topics: which themes each source writes about, and when
#
# **Question.** Which themes run through the corpus, how much of each
# source's writing does each theme take up, and how do the themes rise and
# fall over the years, with honest uncertainty?
#
# **Method.** BERTopic on the packaged all-MiniLM-L6-v2 embeddings
# (`analysis.text.embeddings`, on the CPU, offline, cached by model and exact text),
# with seeded UMAP, HDBSCAN and one vocabulary shared with the LDA and NMF
# baselines (`analysis.topics.model`, `analysis.topics.evaluate`). The fit
# sorts the units by id before fitting, so the same corpus in any order gives
# the same topics. Shares
# come with cluster-bootstrap intervals that resample posts, not paragraphs
# (`analysis.stats.compare.share_ci`).
#
# **Caching.** The fit, the LDA/NMF evaluation and the bootstraps are
# cached by a hash of their inputs and parameters (`analysis.topics.cache`):
# a re-run on an unchanged corpus reads their tables from `data/cache/`
# and imports neither BERTopic, UMAP, HDBSCAN nor torch. Every table and
# figure below comes from those tables, so a cached run draws the same
# figures as a fitting one. `refit = True` (`make reproduce REFIT=1`)
# computes everything again.

# %% [markdown]
# ## Units and language policy
#
# MiniLM is an English model: on a mixed corpus it clusters by language, and
# the topic words then list the same word in several languages. The default
# keeps English units only, and only the canonical member of each
# translation group, so a statement published in three languages counts
# once, through its English text. Units shorter than `min_words` (datelines,
# sign-offs) are left out. Every unit left out is listed with its reason.

# %%
paths = use_project(project_dir)
apply_style()
corpus = read_corpus(corpus_dir)
units, excluded = select_units(corpus, unit=unit, languages=languages,
                               canonical_only=canonical_only, min_words=min_words)
print(f"{len(units)} {unit}s modelled, {len(excluded)} left out")
units.groupby(["source", "language"]).size().rename(f"{unit}s").reset_index()

# %%
excluded

# %%
reasons = excluded["reason"].value_counts()
n_language = int(reasons.get("language", 0))
display(Markdown(
    f"Left out: {len(excluded)} {unit}s ("
    + (", ".join(f"{n} {r}" for r, n in reasons.items()) or "none") + "). "
    + (f"{n_language} canonical {unit}s in other languages than {', '.join(languages)} are "
       "statements this model does not read: **they are absent from the topics below**; a "
       "corpus with such originals needs a multilingual or per-language model."
       if n_language else
       "Every non-English unit is a translation of a statement modelled through its "
       "canonical text (`not_canonical`), so leaving it out loses no statement and "
       "counting it would count the statement twice.")))

# %% [markdown]
# ## Embeddings
#
# The first run embeds every unit and writes the vectors to
# `data/cache/embeddings/`; a re-run finds every text in the cache and does
# not load the model at all.

# %%
encoder = LazyEncoder()
start = time.perf_counter()
embeddings = embed_units(units, encoder=encoder)
print(f"{len(units)} units: {encoder.n_texts} embedded, {len(units) - encoder.n_texts} "
      f"from the cache, in {time.perf_counter() - start:.1f} s "
      f"(model loaded: {encoder.encoder is not None}; dimension {embeddings.shape[1]})")

# %% [markdown]
# ## Fitting the topic model

# %%
start = time.perf_counter()
fits = FITS["topics"]
fit = fit_topics_cached(units, embeddings, refit=refit, unit=unit, seed=seed,
                        min_topic_size=min_topic_size, reduce_outliers=reduce_outliers)
print(f"{'fitted' if FITS['topics'] > fits else 'read from the cache'} in "
      f"{time.perf_counter() - start:.1f} s: {fit.n_topics} topic(s); "
      f"outlier share {fit.outlier_share['before']:.1%} before and "
      f"{fit.outlier_share['after']:.1%} after outlier reduction ({reduce_outliers})")
print(adequacy(fit))

# %% [markdown]
# ## Topics and their sizes
#
# Each topic with its top words (c-TF-IDF over the shared vocabulary) and
# the units closest to its centre. Topic -1 holds HDBSCAN's outliers.

# %%
fit.topic_info

# %%
labels = topic_labels(fit.topic_info)
ax = plot_topic_sizes(fit.topic_info, unit=f"{unit}s")
ax.set_title("Topic sizes and top words")
save_figure(ax.figure, "02-topic-sizes")

# %%
fit.doc_topics.head(10)

# %% [markdown]
# ## Prevalence over time
#
# The share of each topic among the units of each year, with
# `confidence_level` percentile intervals from a bootstrap that resamples
# whole posts within each year. Hollow points are years with a single post:
# one post cannot show how much a share varies between posts.

# %%
doc_topics = fit.doc_topics.pipe(add_period, freq=period_freq)
by_period = cached_table(share_ci, doc_topics, by="period", value="topic", cluster=cluster,
                         n_resamples=n_resamples, confidence_level=confidence_level,
                         random_state=seed, refit=refit)
by_period

# %%
ax = plot_prevalence(by_period, x="period", labels=labels)
ax.set_xlabel("year")
ax.set_title(f"Topic shares by year ({confidence_level:.0%} cluster-bootstrap intervals)")
save_figure(ax.figure, "02-prevalence-time")

# %% [markdown]
# ## Prevalence by source

# %%
by_source = cached_table(share_ci, lump_tail(doc_topics, n=max_sources), by="source",
                         value="topic", cluster=cluster, n_resamples=n_resamples,
                         confidence_level=confidence_level, random_state=seed, refit=refit)
by_source

# %%
ax = plot_prevalence(by_source, x="source", labels=labels, dodge=0.2)
ax.set_title(f"Topic shares by source ({confidence_level:.0%} cluster-bootstrap intervals)")
save_figure(ax.figure, "02-prevalence-source")

# %% [markdown]
# ## Evaluation against LDA and NMF
#
# NPMI coherence (do a topic's top words co-occur in the same units more than
# chance? -1 to 1) and topic diversity (share of distinct words among all
# topics' top ten) for BERTopic and for scikit-learn LDA and NMF with as many
# topics, fitted on the same units and the same vocabulary. Coherence is
# measured on the modelled units themselves, which favours every model
# equally but flatters all of them.

# %%
evaluation = evaluate_topics_cached(fit, seed=seed, refit=refit)
evaluation

# %%
ax = plot_evaluation(evaluation)
ax.set_title(f"Topic quality on {len(units)} {unit}s")
save_figure(ax.figure, "02-evaluation")

# %% [markdown]
# ## Saving the model
#
# The fitted model is saved with safetensors (no pickle). Below is what the
# saved files hold, read without BERTopic; `analysis.topics.persist.load_topic_model(model_dir)`
# reopens it offline, and the reopened model assigns units by similarity
# to the topic embeddings (the test suite checks that it assigns the
# modelled units as the fit did).

# %%
model_dir = model_dir or paths["models"] / "02-topics"
save_topic_model(fit, model_dir)
print(saved_topic_info(model_dir))

# %% [markdown]
# ## Exploration (interactive, not saved)
#
# The top words of each topic with their c-TF-IDF weights, in plotly (the
# view of BERTopic's `visualize_barchart`, drawn from the cached words), for
# looking around; the figures above are the record. BERTopic's other views
# need the model itself: `fit.model.visualize_topics()` and the like load it.

# %%
barchart = (topic_word_barchart(fit.model.get_topics(), n_words=8)
            if fit.n_topics >= 1 else "no topics to show")
barchart

# %% [markdown]
# ## What this shows, and what it cannot show

# %%
best = evaluation.sort_values("npmi", ascending=False).iloc[0]
posts_per_source = doc_topics.groupby("source")["post_id"].nunique()
years_per_source = doc_topics.dropna(subset=["period"]).groupby("source")["period"].nunique()
n_single = int((posts_per_source == 1).sum())
display(Markdown(
    f"**What it shows.** {fit.n_topics} topic(s) on {len(units)} {unit}s from "
    f"{units['post_id'].nunique()} posts and {units['source'].nunique()} sources; their "
    "top words and closest units are above. A topic is a subject, not a stance: framing "
    "is measured separately (notebook 03). On NPMI coherence, "
    f"{best['model']} scores highest here ({best['npmi']:.2f}); "
    + ("the margins between models are small against the noise of so few units."
       if len(units) < 500 else "compare the margins with the spread across seeds "
       "before preferring a model.")
    + "\n\n**What it cannot show.** "
    + (f"With {len(units)} units, topics are not findings: another `min_topic_size` or "
       "seed may merge or split them. " if len(units) < 500 else
       "Topics depend on `min_topic_size` and the seed; re-fit with others before "
       "reading a small topic as a finding. ")
    + (f"{n_single} of {len(posts_per_source)} sources have a single post, so their "
       "shares have no sampling interval. " if n_single else "")
    + ("Most sources write in a single year, so 'over time' and 'by source' describe "
       "largely the same posts. " if years_per_source.median() <= 1 else "")
    + "Intervals built from a handful of posts are too narrow."))
