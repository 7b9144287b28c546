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
import pandas as pd
from IPython.display import Markdown, display

from analysis.config import use_project
from analysis.corpus.build import read_corpus
from analysis.discourse.tools import collocations, keyness, kwic, stop_words
from analysis.framing import add_framing
from analysis.plots import (
    FRAMING_COLORS,
    apply_style,
    lump_tail,
    mark_events,
    plot_event_difference,
    plot_heatmap,
    plot_keyness,
    plot_prevalence,
    plot_stacked_shares,
    save_figure,
    topic_labels,
)
from analysis.stats.compare import (
    EVENTS,
    add_period,
    event_difference,
    flag_thin,
    mean_ci,
    regress,
    share_ci,
)
from analysis.topics.cache import cached_table, fit_topics_cached
from analysis.topics.units import embed_units, select_units

# %% tags=["parameters"]
project_dir = None  # your project's output root (processed/, figures/, models/, cache/)
corpus_dir = None  # default: processed/ of the project (the package's data/processed/)
period_freq = "YS"
event_date = "2022-02-24"
sources = None
max_sources = 8  # sources shown by name; the rest are pooled as "other (k sources)"
measure = "document"  # or "paragraph" (the earlier four-method measure)
framing_methods = ["lexicon"]  # methods of the paragraph measure only
cluster = "post_id"
min_n = 2
n_resamples = 2000
confidence_level = 0.95
seed = 42
min_topic_size = 5
refit = False  # True: fit the topic model and the bootstraps again, ignoring the cache

# %% [markdown]
# # 04 · Who frames imperialism how, and when did that change?
#
# **Question.** How do the sources divide between the *anti-US-imperialism*
# framing (US/NATO as the main enemy, solidarity with states opposed to
# Washington) and the *against all imperialisms* framing (any imperialism
# condemned, solidarity with peoples rather than camps), and did that change
# around 2014 (Maidan, Crimea, Donbass) and the invasion of 24 February 2022?
#
# **Method.** Each published text (a post: an article, or one post of a
# listing page) gets a framing label and a continuous `framing_score`
# (positive: all-imperialisms; negative: anti-US) from the document measure
# of `analysis.framing` (`add_framing(posts, by="post_id")`, joined to the
# posts by their id). Translations count once (the canonical member of each
# group). Shares and mean scores by period and by source come with
# bootstrap intervals that resample posts within each group
# (`analysis.stats.compare`). Cells with fewer than `min_n` posts are *thin*:
# figures grey them out and tables flag them. The `max_sources` largest
# sources are shown by name and the rest pooled as one group, so the
# figures stay readable on a corpus of any size. The bootstraps and the topic
# fit of section 6 are cached by a hash of their inputs and parameters
# (`analysis.topics.cache`), so a re-run on an unchanged corpus reads them;
# `refit = True` (`make reproduce REFIT=1`) computes them again.
#
# Notebook 03 validates the measure against hand-coded texts; on your own
# corpus, check it against your own labels there (`validate_framing`)
# before reading the figures below as findings.

# %%
paths = use_project(project_dir)
apply_style()
corpus = read_corpus(corpus_dir)
posts = corpus.posts[corpus.posts["is_canonical"]].reset_index(drop=True)
if sources is not None:
    posts = posts[posts["source"].isin(sources)].reset_index(drop=True)
framed = add_framing(posts[["post_id", "doc_id", "source", "date", "language", "text"]],
                     text_col="text", by="post_id", language_col="language", measure=measure,
                     **({"methods": framing_methods} if measure == "paragraph" else {}))
framed = add_period(framed, freq=period_freq)
named = lump_tail(framed, n=max_sources)
framed["framing"].value_counts()

# %%
n_none = int((framed["framing"] == "none").sum())
n_sources = framed["source"].nunique()
display(Markdown(
    f"The corpus holds {len(framed)} canonical posts from {n_sources} sources; "
    f"{n_none} of them ({n_none / max(len(framed), 1):.0%}) take neither side "
    f"(`none`). Figures show the {named['source'].nunique()} groups of the table below "
    + ("(every source by name)." if named["source"].nunique() == n_sources else
       f"(the {max_sources} largest sources by name, the other "
       f"{n_sources - max_sources} pooled).")))
named["source"].value_counts().rename("posts").to_frame()

# %% [markdown]
# ## 1 · Framing shares over time

# %%
by_period = cached_table(share_ci, framed, by="period", value="framing", cluster=cluster,
                         n_resamples=n_resamples, confidence_level=confidence_level,
                         random_state=seed, categories=list(FRAMING_COLORS), refit=refit)
by_period = flag_thin(by_period, min_n=min_n)
ax = plot_prevalence(by_period, x="period", value="framing", colors=FRAMING_COLORS)
mark_events(ax, EVENTS)
ax.set_title("Framing of posts by year, with 95% bootstrap intervals")
ax.set_xlabel("year of publication")
ax.set_ylabel("share of posts")
save_figure(ax.figure, "04-framing-over-time")
by_period

# %%
per_year = framed.dropna(subset=["period"]).groupby("period")["source"].nunique()
display(Markdown(
    "**Figure 1.** Share of posts per framing label by year; bars are 95% "
    "intervals from resampling posts within each year; hollow points are years "
    "with a single post (no interval). Dashed lines mark Maidan (22 Feb 2014), "
    "the annexation of Crimea (18 Mar 2014) and the invasion (24 Feb 2022). "
    "*n:* the `n_total` and `n_clusters` columns above. "
    f"*Cannot show:* a trend by itself. Each year here holds between {per_year.min()} "
    f"and {per_year.max()} sources (median {per_year.median():g}), "
    + ("so a change between years is largely a change of which sources "
       "published, not of time." if per_year.median() < 5 else
       "and the mix of sources changes from year to year; compare within "
       "sources (section 3) before reading a change as one of time.")
    if len(per_year) else "*Cannot show:* anything over time: no post has a date."))

# %% [markdown]
# ## 2 · Framing by source

# %%
by_source = cached_table(share_ci, named, by="source", value="framing", cluster=cluster,
                         n_resamples=n_resamples, confidence_level=confidence_level,
                         random_state=seed, categories=list(FRAMING_COLORS), refit=refit)
by_source = flag_thin(by_source, min_n=min_n)
ax = plot_prevalence(by_source, x="source", value="framing", colors=FRAMING_COLORS, dodge=0.18)
ax.set_title("Framing of posts by source, with 95% bootstrap intervals")
ax.set_ylabel("share of posts")
save_figure(ax.figure, "04-framing-by-source")
mean_by_source = flag_thin(cached_table(mean_ci, named, by="source", value="framing_score",
                                        cluster=cluster, n_resamples=n_resamples, random_state=seed,
                                        refit=refit), min_n=min_n)
mean_by_source

# %%
posts_per_source = framed.groupby("source")["post_id"].nunique()
years_per_source = framed.dropna(subset=["period"]).groupby("source")["period"].nunique()
display(Markdown(
    "**Figure 2.** Dot-and-whisker plot of framing shares per source; hollow "
    "points have no interval (one post). *n:* in the table (`n_clusters`: "
    "posts). The mean `framing_score` per source orders the sources from "
    "anti-US (negative) to all-imperialisms (positive). "
    f"*Cannot show:* a source's position in general: sources have "
    f"{posts_per_source.min()} to {posts_per_source.max()} posts (median "
    f"{posts_per_source.median():g}) from {years_per_source.min() if len(years_per_source) else 0}"
    f" to {years_per_source.max() if len(years_per_source) else 0} years."))

# %% [markdown]
# ## 3 · Source × period

# %%
cells = flag_thin(cached_table(mean_ci, named, by=["source", "period"], value="framing_score",
                               cluster=cluster, n_resamples=n_resamples, random_state=seed,
                               refit=refit), min_n=min_n)
ax = plot_heatmap(cells, row="source", col="period", value="mean", n="n_clusters")
ax.set_title("Mean framing score by source and year (n = posts)")
save_figure(ax.figure, "04-source-by-period")
cells

# %%
n_long = int((years_per_source > 2).sum())
display(Markdown(
    "**Figure 3.** Mean post `framing_score` (negative: anti-US; positive: "
    "all-imperialisms) in each source-year cell; each cell shows the number of "
    f"posts; cells with fewer than {min_n} posts are grey. Empty cells: no text. "
    + ("*Cannot show:* change within a source: no source has texts in more than "
       "two years." if n_long == 0 else
       f"{n_long} of {n_sources} sources have texts in more than two years; "
       "only their rows can show change within a source.")))

# %% [markdown]
# ## 4 · Before and after the event, and a regression view

# %%
event = cached_table(event_difference, framed, value="framing_score", by="source",
                     event=event_date, cluster=cluster, n_resamples=n_resamples, random_state=seed,
                     min_clusters=min_n, refit=refit)
pooled = cached_table(event_difference, framed.assign(source="all sources"),
                      value="framing_score", by="source", event=event_date, cluster=cluster,
                      n_resamples=n_resamples, random_state=seed, min_clusters=min_n, refit=refit)
both_sides = event[(event["clusters_before"] > 0) & (event["clusters_after"] > 0)]
estimable = event[(event["clusters_before"] >= min_n) & (event["clusters_after"] >= min_n)]
ax = plot_event_difference(pd.concat([pooled, event]), min_clusters=max(min_n, 2))
ax.set_xlabel(f"change in mean framing score after {event_date} (after minus before)")
save_figure(ax.figure, "04-event-change")
pd.concat([pooled, estimable], ignore_index=True)

# %%
display(Markdown(
    f"Of {len(event)} sources with a dated post, {len(both_sides)} have posts on both "
    f"sides of {event_date} and {len(estimable)} have at least {max(min_n, 2)} on each "
    "side; only these are drawn, since a change measured from a single post says "
    "nothing about a source. "
    + (f"Pooled over all sources the mean score moves by "
       f"{pooled['difference'].iloc[0]:+.2f} (95% interval "
       f"{pooled['ci_low'].iloc[0]:+.2f} to {pooled['ci_high'].iloc[0]:+.2f}; "
       f"{pooled['clusters_before'].iloc[0]} posts before, "
       f"{pooled['clusters_after'].iloc[0]} after), a change that mixes shifts "
       "within sources with changes in which sources publish."
       if pooled["ci_low"].notna().iloc[0] else
       f"Pooled over all sources there are {pooled['clusters_before'].iloc[0]} posts "
       f"before and {pooled['clusters_after'].iloc[0]} after: too few to estimate a "
       "change; the corpus cannot say.")))

# %%
framed["after_event"] = (framed["date"] >= pd.Timestamp(event_date)).map(
    {True: "after", False: "before"})
model_data = lump_tail(framed.dropna(subset=["date"]), n=max_sources)
regression_refused = None
try:
    coefficients = regress(model_data, "framing_score ~ C(after_event, Treatment('before')) "
                           "+ C(source)", cluster=cluster)
except ValueError as err:
    regression_refused = str(err)
    coefficients = regress(model_data, "framing_score ~ C(source)", cluster=cluster)
coefficients

# %%
display(Markdown(
    "The regression `framing_score ~ after_event + source` (the named sources and "
    "the pooled rest), with standard errors clustered by post, is the covariate "
    "view stm users expect: the `after` coefficient is the change within sources. "
    + ("Here it is **not identified** — " + regression_refused.split(": ", 1)[-1]
       + " — so `regress` refuses it rather than return arbitrary numbers, and the "
       "table shows the source-only model instead (differences from the first "
       "source in mean post score)." if regression_refused else
       "Here it is identified; the table shows it. ")
    + " Terms resting on a single post (`term_clusters` = 1) get an estimate but "
    "no interval."))

# %% [markdown]
# ## 5 · The words of each framing: keyness

# %%
sided = framed[framed["framing"].isin(["all_imperialisms", "anti_us"])]
if sided["framing"].nunique() == 2:
    keys = keyness(sided, "all_imperialisms", "anti_us", by="framing", min_count=2,
                   exclude=stop_words(framed["language"].dropna().unique()))
    ax = plot_keyness(keys, n_terms=10, labels=("all_imperialisms", "anti_us"))
    ax.set_title("Key terms of all-imperialisms vs anti-US posts")
    save_figure(ax.figure, "04-keyness-framings")
    display_keys = keys.head(15)
else:
    print("Keyness skipped: the corpus has posts of at most one of the two framings.")
    display_keys = pd.DataFrame()
display_keys

# %% [markdown]
# **Figure 4.** Terms most over-represented in posts labelled
# all-imperialisms (top) and anti-US (bottom), by log-ratio (bar) with G²
# (label); the stop words of every language in the corpus (stopwords-iso)
# are left out of the chart (they still count in the totals), capitalised
# acronyms are kept apart, so `US` is the country and `us` the pronoun, and
# `U.S.` is one token, `US`. *n:* the `target_total` and
# `reference_total` columns (tokens).
# *Cannot show:* significance in any strong sense: the measure reads some of
# these very words (its lexicon features), so keyness here describes the
# labelled posts rather than testing the labels.

# %% [markdown]
# ### Concordance and collocates
#
# Keyword in context for the terms that separate the framings, and the
# collocates of *imperialism* (log-Dice, window of five words).

# %%
kwic(framed, r"imperialis\w*", regex=True, window=6, id_col="post_id",
     meta=["source", "date"])[["source", "left", "match", "right"]].head(15)

# %%
collocations(framed, "imperialism", window=5, min_count=2,
             exclude=stop_words(framed["language"].dropna().unique())).head(10)

# %% [markdown]
# ## 6 · Topic × framing
#
# Do the sources frame different themes differently? Topics are fitted as
# in notebook 02 (English canonical paragraphs, same seed and cached
# embeddings, so the same topics, read from the same cache entry when
# notebook 02 has fitted them); each paragraph takes the framing of its
# post (joined by `post_id`).

# %%
units, _ = select_units(corpus)
fit = fit_topics_cached(units, embed_units(units), seed=seed, min_topic_size=min_topic_size,
                        refit=refit)
topical = (fit.doc_topics[["paragraph_id", "topic"]]
           .merge(corpus.paragraphs[["paragraph_id", "post_id"]], on="paragraph_id")
           .merge(framed[["post_id", "framing"]], on="post_id"))
by_topic = cached_table(share_ci, topical, by="topic", value="framing", cluster=cluster,
                        n_resamples=n_resamples, random_state=seed, categories=list(FRAMING_COLORS),
                        refit=refit)
ax = plot_stacked_shares(by_topic, by="topic", value="framing",
                         labels=topic_labels(fit.topic_info))
ax.set_title("Framing of the posts of each topic's paragraphs")
ax.set_xlabel("share of paragraphs (labelled by their post)")
save_figure(ax.figure, "04-topic-by-framing")
by_topic

# %%
n_topics = int((fit.topic_info["topic"] != -1).sum())
display(Markdown(
    "**Figure 5.** Distribution of the framing of their posts among the "
    "paragraphs of each topic (-1: outliers). *n:* paragraphs per topic in the "
    f"labels. *Cannot show:* causes. There are {n_topics} topics on "
    f"{len(topical)} paragraphs from {topical['post_id'].nunique()} posts"
    + ("; with so few, topic and source are nearly the same split." if n_topics <= 3
       else "; a topic's framing mixes which sources write on it with how they frame it.")))

# %% [markdown]
# ## What this corpus supports

# %%
display(Markdown(
    f"{len(framed)} posts from {n_sources} sources, "
    f"{framed['date'].min():%Y}–{framed['date'].max():%Y}. "
    f"{len(estimable)} of {n_sources} sources have at least {max(min_n, 2)} posts on each "
    f"side of {event_date}, and {n_long} have texts in more than two years. "
    + ("Claims about change over time need within-source comparisons; this "
       "corpus has none, so it exercises every step without supporting such a "
       "claim. Point the notebook at a larger corpus "
       "(`papermill -p corpus_dir ...`) for that." if len(estimable) == 0 else
       "Section 4's per-source changes are the within-source evidence; read "
       "them with their intervals and post counts.")))
