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
from IPython.display import Markdown, display

from analysis.config import use_project
from analysis.corpus import read_corpus, rules_table
from analysis.plots import apply_style, lump_tail, palette, plot_audit, plot_counts, save_figure

# %% tags=["parameters"]
project_dir = None  # your project's output root (processed/, figures/, models/, cache/)
corpus_dir = None  # default: processed/ of the project (the package's data/processed/)
max_sources = 8  # sources shown by name in figures; the rest are pooled as "other (k sources)"

# %% [markdown]
# # 01 · The corpus: what went in, what came out, what was removed
#
# **Question.** What does the corpus hold once the raw scrapes are loaded,
# cleaned and split: how many documents, posts and paragraphs, from which
# sources, years and languages; what did cleaning remove; and which posts are
# translations of each other?
#
# The corpus is built by `analysis.build_corpus()` (`make corpus`, or
# `python -m analysis build`) from the manifest (`data/raw/manifest.csv`,
# schema in `data/README.md`) and read here from `corpus_dir`. Every removal
# is in the audit table, so each number below can be traced to the raw text.

# %%
paths = use_project(project_dir)
apply_style()
corpus = read_corpus(corpus_dir)
print(corpus.report)

# %% [markdown]
# ## Documents and their provenance
#
# One row per raw file: the manifest's facts plus the SHA-256 and length of
# the raw bytes, so a reader can check they hold the same files.

# %%
corpus.documents[["doc_id", "kind", "source", "date", "date_precision", "title", "sha256",
                  "n_bytes"]]

# %% [markdown]
# ## Posts
#
# Articles are one post each; listing pages split into their own posts,
# which carry their own dates (from the `posts.csv` beside the manifest, each
# with the reason for the date), at the precision the text allows.
# `truncated` marks excerpts cut short by the site.

# %%
corpus.posts[["post_id", "source", "title", "date", "date_precision", "language", "truncated",
              "n_paragraphs", "n_words", "group_id", "is_canonical"]]

# %%
posts = corpus.posts.assign(year=corpus.posts["date"].dt.year.astype("Int64").astype(str))
posts = lump_tail(posts, n=max_sources)
by_source = posts.groupby(["source", "language"]).size().rename("n").reset_index()
ax = plot_counts(by_source, x="source", hue="language", colors=palette(by_source["language"]))
ax.set_title("Posts by source and language")
ax.set_xlabel("posts")
save_figure(ax.figure, "01-posts-by-source-language")

# %%
by_year = posts.groupby(["year", "source"]).size().rename("n").reset_index()
ax = plot_counts(by_year, x="year", hue="source")
ax.set_title("Posts by year of publication and source")
ax.set_xlabel("posts")
save_figure(ax.figure, "01-posts-by-year-source")

# %%
years = corpus.posts.dropna(subset=["date"]).groupby("source")["date"].agg(
    lambda d: d.dt.year.nunique())
n_sources = corpus.posts["source"].nunique()
display(Markdown(
    f"The corpus holds {len(corpus.posts)} posts from {n_sources} sources"
    + (f", {corpus.posts['date'].min():%Y}–{corpus.posts['date'].max():%Y}"
       if corpus.posts["date"].notna().any() else ", none of them dated")
    + f" ({int(corpus.posts['date'].isna().sum())} without a date). "
    + (f"The figures name the {max_sources} largest sources and pool the other "
       f"{n_sources - max_sources}. " if posts["source"].nunique() < n_sources else "")
    + (f"{int((years <= 1).sum())} of {len(years)} dated sources contribute a single year: "
       "source and period are almost confounded, so the corpus can show how the pipeline "
       "works, not how framings changed." if (years <= 1).mean() > 0.5 else
       f"{int((years > 1).sum())} of {len(years)} dated sources span more than one year.")))

# %% [markdown]
# ## Paragraphs by language
#
# Language is detected with lingua over a restricted set of languages
# (`analysis.config.LANGUAGES`, or the `languages` argument of `build_corpus`).
# Paragraphs too short to identify take their post's language (`language_basis == "post"`).

# %%
corpus.paragraphs.groupby(["source", "language", "language_basis"]).size().rename(
    "paragraphs").reset_index()

# %% [markdown]
# ## What cleaning removed
#
# Each rule is named and documented (`analysis.corpus.rules.RULES`); every removal
# is one audit row with the removed text and its position.

# %%
rules_table()

# %%
audit = corpus.audit.merge(corpus.documents[["doc_id", "source"]], on="doc_id")
# The sources named in the figures above; the rest pooled the same way.
source_names = dict(zip(corpus.posts["source"], posts["source"], strict=True))
audit["source"] = audit["source"].map(source_names).fillna(audit["source"])
removed = audit[audit["stage"] == "clean"].assign(chars=lambda d: d["text"].str.len())
summary = removed.groupby(["rule", "source"])["chars"].sum().reset_index()
ax = plot_audit(summary)
ax.set_title("Characters removed or repaired by cleaning, by rule and source")
ax.set_xlabel("characters")
save_figure(ax.figure, "01-cleaning-by-rule")

# %%
removed[["doc_id", "rule", "start", "text"]].head(25)

# %% [markdown]
# Unicode normalisation (mojibake repair, straight quotes, no-break spaces)
# is audited line by line under stage `normalise`; the rows above are the
# removals. Paragraph joins (`join_broken_*`) repair sentences the page
# layout broke in two and remove only whitespace.

# %% [markdown]
# ## Translation and near-duplicate groups
#
# Posts that are the same statement in several languages, or near-copies,
# share a `group_id`; the canonical member (English first, then the longest)
# stands for the group in analyses that must not count a statement twice.

# %%
groups = corpus.posts[corpus.posts["group_size"] > 1]
groups[["group_id", "post_id", "language", "title", "group_type", "is_canonical"]]

# %%
sizes = groups.assign(language=groups["language"].fillna("undetected")).groupby(
    "group_id")["language"].agg(lambda s: "/".join(sorted(s)))
display(Markdown(
    f"**What this shows.** {groups['group_id'].nunique()} group(s) hold "
    f"{len(groups)} of {len(corpus.posts)} posts"
    + (" (languages per group: " + "; ".join(sizes.value_counts().head(5).index) + ")"
       if len(sizes) else "") + "; all other posts are singletons."))

# %% [markdown]
# **What it cannot show.** The groups rest on shared numbers and names, so a
# translation that shares few of them (a short excerpt, a heavily edited
# version) stays apart; the test suite checks the rule on these cases and on
# hand-made ones, not on a large annotated sample.
