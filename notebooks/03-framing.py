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
import json
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display
from scipy.stats import spearmanr

from analysis import read_corpus
from analysis.config import use_project
from analysis.framing import (
    MODEL_VERSION,
    add_framing,
    default_document_model,
    devcorpus,
    report,
    score_framing,
)
from analysis.framing import crossval as cv
from analysis.framing.handlabels import read_known_groups, validate_framing
from analysis.framing.lexicon import load_lexicon
from analysis.framing.model import training_data
from analysis.plots import (
    apply_style,
    plot_known_groups,
    plot_learning_curve,
    plot_subsets,
    plot_validation,
    save_figure,
)
from analysis.stats.compare import mean_ci

# %% tags=["parameters"]
project_dir = None  # your project's output root (processed/, figures/, models/, cache/)
corpus_dir = None  # default: processed/ of the project (the package's data/processed/)
real_dir = "../data/annotations/real"  # the real, double-coded development corpus
validation_dir = "../data/annotations/real/validation"  # its committed validation tables
recompute = False  # True: redo the cross-validation (a few minutes) and compare
unseen_path = "../data/examples/unseen.jsonl"
unseen_expected = "../data/examples/unseen-expected.csv"
# Your own hand labels of your corpus's posts: a CSV with post_id, label; None skips.
hand_labels = None
# Known groups: a CSV (source, expected_rank; 1 = most anti-US), or a list of
# sources from most anti-US to most against all imperialisms, or None to skip.
known_groups = "../data/annotations/known_groups.csv"
min_known_groups = 3
seed = 42
n_resamples = 1000

# %% [markdown]
# # 03 · Framing: anti-US-imperialism or against all imperialisms?
#
# **Question.** Does a text frame imperialism as *anti-US-imperialism* (the
# US, NATO or "the West" as the main enemy; siding with states opposed to
# Washington) or as *against all imperialisms* (Russian or any other
# imperialism condemned too; solidarity with peoples, not camps), both
# (`mixed`) or neither (`none`)? How well does the package's measure agree
# with two independent human coders **on sites it never saw**, in every
# language and period, and where does it fail?
#
# **The measure** (`analysis.framing`, model version below). The document
# is the unit of decision. A raw text is cleaned with the corpus rules; a
# logistic regression on hashed word and character n-grams plus the framing
# lexicon's evidence (negation, contrast and distancing included) gives one
# probability per label. `none` is given only when its probability reaches
# the model's threshold. The regression is trained on the development split
# of a real, double-coded corpus (`data/annotations/real/`, see its README);
# paragraph-level lexicon evidence stays available for inspection.
#
# **Validation.** Everything below that rests on coded documents is
# cross-validated with folds grouped by site (`StratifiedGroupKFold`), so a
# site is never in training and evaluation at once, and intervals resample
# sites. The locked test split (a fifth of the sites) was scored once, for
# this model version. The headline metric is the **pole macro-F1**: the mean
# F1 of `anti_us` and `all_imperialisms` over all documents.

# %%
paths = use_project(project_dir)
apply_style()
model = default_document_model()
lexicon = load_lexicon()
docs = devcorpus.read_real_documents(Path(real_dir) / "documents.csv")
meta = model.metadata_
print(f"document measure {meta['model_version']} (this package: {MODEL_VERSION}), "
      f"lexicon {lexicon.version}; trained on {meta['n_documents']} development documents "
      f"from {meta['n_sites']} sites; parameters C={meta['params']['C']}, "
      f"none_threshold={meta['params']['none_threshold']}")

# %% [markdown]
# ## The real corpus
#
# Documents by label and period, and by split; the reliability of the two
# blind coders (nominal Krippendorff's alpha, before adjudication).

# %%
display(pd.crosstab([docs["split"], docs["period"]], docs["label"], margins=True))
alpha = pd.read_csv(Path(real_dir) / "tables" / "alpha.csv")
display(alpha[(alpha["n"] >= 10) | (alpha["language"] == "all")].round(3))
overall_alpha = alpha.set_index("language").loc["all"]
display(Markdown(
    f"{len(docs)} documents from {docs['site'].nunique()} sites in "
    f"{docs['language'].nunique()} languages, {docs['year'].min()}–{docs['year'].max()}. "
    f"The coders agreed on {overall_alpha['agreement']:.0%} of documents "
    f"(alpha {overall_alpha['alpha']:.2f}); {int(docs['adjudicated'].sum())} disagreements "
    f"went to the adjudicator."))

# %% [markdown]
# ## Agreement on unseen sites
#
# Each measure against the consensus labels: the plain 20-keyword count that
# a measure must beat, the lexicon alone (its rule, and a regression on its
# evidence), the n-gram regression alone, and the combination (the default).
# The development-split rows are out of fold; the lexicon itself was written
# while reading the development split, so its rows there are in-sample for
# the dictionary (not for the regression weights). The locked-test rows are
# the only ones on texts that nothing in the measure has seen.

# %%
tables = {name: report.read_validation_table(name, validation_dir)
          for name in ("agreement", "locked_test", "tuning", "learning_curve", "confounds",
                       "errors")}
if recompute:
    fresh = report.dev_tables(real_dir, n_resamples=n_resamples, seed=seed)
    pd.testing.assert_frame_equal(fresh["agreement"], tables["agreement"], check_dtype=False,
                                  atol=1e-6)
    print("recomputed the cross-validation: identical to the committed tables")
locked = tables["locked_test"]
assert set(locked["model_version"].astype(str)) == {meta["model_version"]}, \
    "the locked test was scored for another model version"
overall = pd.concat([tables["agreement"].assign(evaluation="development, grouped CV"),
                     locked.assign(evaluation="locked test (once)")])
overall = overall[overall["subset"].isin(["overall", "language", "period"])
                  & overall["value"].isin(["all", "non-English", "-2021", "2022-"])]
display(overall.pivot_table(index=["evaluation", "scorer"], columns="value",
                            values="pole_f1", sort=False).round(3))

# %%
ax = plot_validation({"development (grouped CV)": tables["agreement"],
                      "locked test (unseen sites)": locked})
ax.set_title("Framing measures against two blind coders")
save_figure(ax.figure, "03-validation")

# %%
dev_h, test_h = report.headline(tables["agreement"]), report.headline(locked)
base = report.headline(locked, "keyword baseline")
rows = [("overall", "overall"), ("non-English", "non_english"), ("2014–2021", "2014_2021"),
        ("2022 on", "2022_on")]
beats = all(test_h[k] > base[k] for _, k in rows)
display(Markdown(
    "On the locked test split the default measure reaches a pole macro-F1 of "
    f"{test_h['overall']:.2f} ({test_h['n']} documents), {test_h['non_english']:.2f} on "
    f"non-English documents, {test_h['2014_2021']:.2f} within 2014–2021 and "
    f"{test_h['2022_on']:.2f} from 2022 on, against {base['overall']:.2f}, "
    f"{base['non_english']:.2f}, {base['2014_2021']:.2f} and {base['2022_on']:.2f} for "
    f"the keyword count: it {'beats' if beats else 'does not beat'} the baseline in every "
    f"row. It labels {test_h['abstain']:.0%} of clearly framed documents `none` "
    f"(development CV: {dev_h['abstain']:.0%}). The targets set for this measure were 0.90 "
    f"overall and 0.85 for each other row; the shortfall is "
    f"{0.90 - test_h['overall']:.2f} overall."))

# %% [markdown]
# ## By language, period and topic
#
# The development split's out-of-fold agreement for the default measure and
# the keyword baseline, in every language, period and topic with at least 10
# documents.

# %%
ax = plot_subsets(tables["agreement"], scorers=["combined (default)", "keyword baseline"])
ax.set_title("Agreement by subset (development split, grouped CV by site)")
save_figure(ax.figure, "03-validation-subsets")

# %% [markdown]
# ## Would more data help?
#
# The learning curve: the training part of each fold is subsampled by whole
# sites; the held-out sites are unchanged.

# %%
curve = tables["learning_curve"]
ax = plot_learning_curve(curve)
ax.set_title("Learning curve of the default measure")
save_figure(ax.figure, "03-learning-curve")
means = curve.groupby("fraction")["pole_f1"].mean()
display(Markdown(
    f"From a quarter to all of the training sites, the pole macro-F1 moves from "
    f"{means.iloc[0]:.2f} to {means.iloc[-1]:.2f}"
    + (": still rising, so more coded documents should help."
       if means.iloc[-1] - means.iloc[-2] > 0.01 else ": it has flattened out.")))

# %% [markdown]
# ## Confounds and the choice of parameters
#
# Does the measure work within each period and topic, and how much would a
# rule that knows only the year, the topic or the site get? (A site-only
# rule cannot predict an unseen site, which is the point of grouping folds
# by site.) The parameter grid below was searched on the development split
# only; the default takes the best pole macro-F1 among settings that label
# at most 10% of framed documents `none`.

# %%
display(tables["confounds"].round(3))
display(tables["tuning"].round(3))

# %% [markdown]
# ## The lexicon on real text
#
# Per-entry precision on the development split: in how many documents each
# entry fires (not negated or distanced), and how often those documents were
# coded with the entry's own pole. Entries below 0.5 on three or more
# documents were pruned when the lexicon was rebuilt (version 2.0.0); this
# is in-sample for the lexicon.

# %%
dev_docs, _, _ = training_data(real_dir, split="dev")
evidence = pd.read_parquet(Path(real_dir) / "evidence.parquet")
precision = cv.entry_precision(evidence, dev_docs, lexicon_table=lexicon.table())
display(precision[precision["n_docs"] >= 3].round(2))
coverage = (dev_docs.assign(any=dev_docs["doc_id"].isin(evidence.loc[evidence["weight"] > 0,
                                                                      "doc_id"]))
            .groupby("language")["any"].agg(["mean", "size"]))
display(coverage[coverage["size"] >= 10].round(2).rename(
    columns={"mean": "share with lexicon evidence", "size": "n"}))

# %% [markdown]
# ## Error analysis
#
# The 20 most confident errors out of fold, with the coders' evidence and
# rationale, and the error rate by genre and language.

# %%
errors = tables["errors"]
display(errors[["doc_id", "site", "language", "year", "topic", "genre", "label", "prediction",
                "confidence", "evidence", "rationale"]].round(2))
display(errors.groupby("label")["prediction"].value_counts().rename("n").reset_index())

# %% [markdown]
# ## LSS and the MiniLM prototypes: opt-in
#
# The earlier paragraph methods were measured once on the English
# development documents (`python -m analysis.framing.report --texts ...`,
# which needs the excerpts). None of them was fitted on the real corpus, but
# the lexicon was written on this split, so the lexicon rows are in-sample.

# %%
methods = report.read_validation_table("paragraph_methods", validation_dir)
display(methods.round(3))
m = methods.set_index("measure")["pole_f1"]
gain_lss = m["paragraph: lexicon+lss"] - m["paragraph: lexicon"]
gain_proto = m["paragraph: lexicon+prototypes"] - m["paragraph: lexicon"]
display(Markdown(
    f"Adding LSS to the lexicon changes the pole macro-F1 by {gain_lss:+.3f}, adding the "
    f"MiniLM prototypes by {gain_proto:+.3f}, on {int(methods['n'].iloc[0])} English "
    f"documents; the document measure reaches {m.iloc[-1]:.3f} out of fold on the same "
    "documents. Neither adds measurable value beyond the default, and both read English "
    "only, so they stay opt-in (`measure='paragraph'`)."))

# %% [markdown]
# ## The sample corpus: known groups
#
# Each post of the sample corpus is scored as one document (translations
# counted once: canonical posts only). The expected order comes from the
# `known_groups` parameter; the section is skipped when none is given or
# fewer than `min_known_groups` of its sources are in the corpus. Intervals
# resample posts within each source.

# %%
corpus = read_corpus(corpus_dir)
posts = corpus.posts[corpus.posts["is_canonical"]].reset_index(drop=True)
posts = add_framing(posts.assign(full_text=posts["title"].fillna("") + "\n\n" + posts["text"]),
                    text_col="full_text", language_col="language")
display(posts[["post_id", "source", "language", "framing", "framing_score", "p_none",
               "evidence_entries"]].round(2))
expected = read_known_groups(known_groups)
expected = expected[expected["source"].isin(posts["source"])]
run_known_groups = len(expected) >= min_known_groups
if run_known_groups:
    by_source = mean_ci(posts[posts["source"].isin(expected["source"])], by="source",
                        value="framing_score", cluster="post_id", n_resamples=n_resamples,
                        random_state=seed)
    by_source = by_source.rename(columns={"mean": "framing_score"})
    by_source["framing"] = by_source["framing_score"].map(
        lambda s: "all_imperialisms" if s > 0.2 else "anti_us" if s < -0.2 else "none")
    by_source["expected_rank"] = by_source["source"].map(
        dict(zip(expected["source"], expected["expected_rank"], strict=True)))
    rho = spearmanr(by_source["expected_rank"], by_source["framing_score"]).statistic
    display(by_source.round(3))
    ax = plot_known_groups(by_source, label="source")
    ax.set_title("Known groups: mean framing score per source (95% CI over posts)")
    save_figure(ax.figure, "03-known-groups")
    display(Markdown(f"Spearman's rho between the expected and the measured order: "
                     f"{rho:.2f} over {len(by_source)} sources. With one to ten posts per "
                     f"source and one period each, this checks direction, not positions."))
else:
    print(f"Known groups skipped: {len(expected)} source(s) with an expected position in this "
          f"corpus (known_groups = {known_groups!r}; at least {min_known_groups} needed).")

# %% [markdown]
# ## Your own hand labels
#
# With `hand_labels` (a CSV of `post_id, label`), the package's labels are
# compared with yours: agreement with an interval, shares by period, per
# source, and the shift at 2022-02-24, package against hand.

# %%
if hand_labels is not None:
    labels = pd.read_csv(hand_labels)
    checked = validate_framing(posts.rename(columns={"post_id": "doc_id"}),
                               labels.rename(columns={"post_id": "doc_id"}),
                               n_resamples=n_resamples, random_state=seed)
    for name, table in checked.items():
        print(name)
        display(table.round(3))
else:
    print("No hand labels given (hand_labels = None): section skipped.")

# %% [markdown]
# ## The regression set
#
# `data/examples/unseen.jsonl` holds 14 short documents written by the
# project for a demonstration of the command line. They are **not** a
# validation set: the earlier lexicon was revised with similar phrasings.
# They are a regression set: the labels of this model version are committed
# in `data/examples/unseen-expected.csv`, and a change shows here and fails a
# test. Their agreement with the intended labels is printed for reference.

# %%
unseen = pd.DataFrame([json.loads(line) for line in Path(unseen_path).read_text().splitlines()
                       if line.strip()])
scored = score_framing(unseen["text"].tolist())
scored.insert(0, "id", unseen["id"])
scored.insert(1, "intended", unseen["intended_framing"])
expected_labels = pd.read_csv(unseen_expected)
changed = scored["framing"].to_numpy() != expected_labels["framing"].to_numpy()
print(f"changed since the committed run: {int(changed.sum())}; agreement with the intended "
      f"labels: {(scored['framing'] == scored['intended']).mean():.2f}")
scored[["id", "intended", "framing", "framing_score", "p_none", "language"]].round(3)

# %% [markdown]
# ## Where the measure is weak
#
# * **Accuracy.** See the locked-test figures above: the measure beats the
#   keyword count and each single method, but it falls short of the
#   targets, and the learning curve says how much more data might help.
# * **`none` and `mixed`.** `none` is rare in the predictions (the
#   threshold keeps framed documents from abstaining), so many unframed
#   documents get a pole; `mixed` has too few coded examples to be learned.
# * **Excerpts.** Documents are opening excerpts of about 2,000 characters
#   with boilerplate: a long article's stance may come after the excerpt.
# * **Small languages.** Languages with fewer than 30 documents have wide
#   intervals or none; languages outside the lexicon (e.g. sv, nl, tr) rely
#   on character n-grams learned mostly from other languages.
# * **Paragraph methods.** LSS and the MiniLM prototypes read English only
#   and add no measurable value (above); they remain available with
#   `measure="paragraph"`.
