"""The paragraph-level framing measure: the fitted four-method model and raw-text scoring.

:class:`FramingModel` fits the lexicon, LSS and the embedding scorers of
:mod:`analysis.framing.paragraph_scorers` (prototypes, gold-trained
classifier) and combines them; :func:`score_framing` scores raw texts
through their paragraphs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .._compat import renamed_keywords
from .combine import _method_supports, _settings, combine_scores
from .evidence import score_lexicon
from .io import read_gold, split_text
from .labels import _EVIDENCE, _P, DEFAULT_GOLD, LABELS, METHODS, MODEL_LANGUAGES
from .lexicon import POLES, Lexicon, load_lexicon
from .paragraph_scorers import FramingClassifier, PrototypeScorer

# --------------------------------------------------------------------------
# The fitted model
# --------------------------------------------------------------------------


class FramingModel:
    """The four framing methods, fitted on the gold set, and their combination.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Defaults to :func:`analysis.framing.lexicon.load_lexicon`.
    gold : DataFrame or path-like, optional
        Gold set used to train the classifier and fit LSS; defaults to
        ``data/annotations/gold.csv``.
    methods : sequence of str
        Which of :data:`METHODS` to use; the lexicon is always used.
    lss_vectors : {"svd", "embedding"}
        Word vectors of the LSS model.
    classifier_features : {"embedding", "tfidf", "both"}
        Features of the classifier.
    settings : mapping, optional
        Overrides of the YAML ``combination`` settings.
    encoder, model_key, cache_dir
        Passed to :func:`analysis.text.embeddings.embed` (a fake encoder makes tests fast).
    seed : int

    Attributes
    ----------
    lexicon_, classifier_, prototypes_, lss_, settings_
    """

    def __init__(self, *, lexicon: Lexicon | None = None, gold=None,
                 methods: Sequence[str] = METHODS, lss_vectors: str = "svd",
                 classifier_features: str = "embedding", settings: Mapping | None = None,
                 encoder=None, model_key: str | None = None,
                 cache_dir: Path | str | None = config.CACHE / "embeddings",
                 seed: int = config.SEED):
        self.lexicon = lexicon
        self.gold = gold
        self.methods = methods
        self.lss_vectors = lss_vectors
        self.classifier_features = classifier_features
        self.settings = settings
        self.encoder = encoder
        self.model_key = model_key
        self.cache_dir = cache_dir
        self.seed = seed

    def fit(self) -> FramingModel:
        """Load the lexicon; train the classifier, prototypes and LSS on the gold set."""
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; choose from {METHODS}")
        self.methods_ = tuple(m for m in METHODS if m in self.methods or m == "lexicon")
        self.lexicon_ = self.lexicon or load_lexicon()
        self.settings_ = _settings(self.lexicon_, self.settings)
        emb = {"encoder": self.encoder, "model_key": self.model_key,
               "cache_dir": self.cache_dir}
        needs_gold = {"classifier", "lss"} & set(self.methods_)
        gold = None
        if needs_gold:
            gold = self.gold if isinstance(self.gold, pd.DataFrame) else read_gold(
                self.gold if self.gold is not None else DEFAULT_GOLD)
            gold = gold[gold["language"].isin(MODEL_LANGUAGES)]
        prototypes = self.lexicon_.config.get("prototypes", {})
        self.classifier_ = self.prototypes_ = self.lss_ = None
        if "classifier" in self.methods_:
            self.classifier_ = FramingClassifier(features=self.classifier_features,
                                                 seed=self.seed, **emb)
            self.classifier_.fit(gold["text"].tolist(), gold["label"].tolist())
        if "prototypes" in self.methods_:
            self.prototypes_ = PrototypeScorer(
                prototypes, temperature=float(self.settings_["prototype_temperature"]),
                **emb).fit()
        if "lss" in self.methods_:
            from .lss import LatentSemanticScaler, seeds_from_lexicon

            reference = gold["text"].tolist() + [t for v in prototypes.values() for t in v]
            self.lss_ = LatentSemanticScaler(
                seeds_from_lexicon(self.lexicon_), vectors=self.lss_vectors,
                min_count=2 if self.lss_vectors == "svd" else 1, seed=self.seed,
                **emb).fit(reference)
        return self

    # ------------------------------------------------------------------
    @renamed_keywords(languages="language", show_progress_bar="progress")
    def score_paragraphs(self, texts: Sequence[str], *,
                         language: str | Sequence[str | None] | None = None,
                         progress: bool = False) -> pd.DataFrame:
        """Score cleaned paragraphs with every method and combine.

        Parameters
        ----------
        texts : sequence of str
            Cleaned paragraphs.
        language : str or sequence of str, optional
            One language for all or one per paragraph; the embedding methods
            run only on English (``"en"``) paragraphs.
        progress : bool
            Show the embedding progress bar.

        Returns
        -------
        DataFrame
            One row per paragraph, in input order: ``language``, ``n_words``,
            the lexicon columns and evidence, ``lss_*``, ``prototype_*``,
            ``classifier_*`` (missing where a method does not apply), the
            supports, ``framing_score``, ``framing`` and ``methods``.
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        n = len(texts)
        if isinstance(language, str) or language is None:
            langs = [language] * n
        else:
            langs = [None if (x is None or (isinstance(x, float) and np.isnan(x))) else str(x)
                     for x in language]
        out = score_lexicon(texts, language=langs, lexicon=self.lexicon_)
        out.insert(0, "language", pd.Series(langs, dtype=object))
        out.insert(1, "n_words", [len(t.split()) for t in texts])
        english = np.array([lang in MODEL_LANGUAGES for lang in langs], dtype=bool)
        idx = np.flatnonzero(english)
        en_texts = [texts[i] for i in idx]
        emb = None
        if len(idx) and (self.classifier_ is not None or self.prototypes_ is not None):
            from ..text.embeddings import embed

            emb = embed(en_texts, encoder=self.encoder, model_key=self.model_key,
                        cache_dir=self.cache_dir, progress=progress)
        if self.lss_ is not None:
            lss = self.lss_.score(en_texts)
            for col in lss.columns:
                out[col] = np.nan
                out.loc[idx, col] = lss[col].to_numpy()
        if self.prototypes_ is not None:
            proto = self.prototypes_.score(embeddings=emb if emb is not None else np.zeros((0, 1)))
            for col in proto.columns:
                out[col] = np.nan
                if len(idx):
                    out.loc[idx, col] = proto[col].to_numpy()
        if self.classifier_ is not None:
            clf = self.classifier_.predict_proba(en_texts, embeddings=emb)
            for col in clf.columns:
                out[col] = None if col == "classifier_label" else np.nan
                if len(idx):
                    out.loc[idx, col] = clf[col].to_numpy()
        return combine_scores(out, lexicon=self.lexicon_, settings=self.settings_)

    # ------------------------------------------------------------------
    def aggregate(self, paragraph_scores: pd.DataFrame, *, by: str | Sequence[str]
                  ) -> pd.DataFrame:
        """Aggregate paragraph scores to posts, documents or any grouping.

        Parameters
        ----------
        paragraph_scores : DataFrame
            Output of :meth:`score_paragraphs` with the grouping column(s)
            added; not modified.
        by : str or sequence of str
            Grouping column(s).

        Returns
        -------
        DataFrame
            One row per group: the grouping columns, ``n_paragraphs``,
            ``n_framed_paragraphs``, ``n_words``, ``language`` (by words),
            the aggregated method scores and evidence, the supports,
            ``framing_score`` and ``framing``.
        """
        by = [by] if isinstance(by, str) else list(by)
        rows = []
        for key, group in paragraph_scores.groupby(by, sort=True, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            rows.append({**dict(zip(by, key, strict=True)), **self._aggregate_group(group)})
        agg = pd.DataFrame(rows)
        if agg.empty:
            return agg
        out = combine_scores(agg, lexicon=self.lexicon_, settings=self.settings_)
        return out

    def _aggregate_group(self, g: pd.DataFrame) -> dict:
        words = g["n_words"].to_numpy(dtype=float) if "n_words" in g else np.ones(len(g))
        framed = (g["framing"] != "none").to_numpy() if "framing" in g else np.zeros(len(g), bool)
        a = float(g["lexicon_all_imperialisms"].sum())
        u = float(g["lexicon_anti_us"].sum())
        row = {"n_paragraphs": len(g), "n_framed_paragraphs": int(framed.sum()),
               "n_words": int(words.sum()), "language": _main_language(g, words),
               "lexicon_all_imperialisms": a, "lexicon_anti_us": u,
               "lexicon_score": (a - u) / (a + u + 1.0),
               "lexicon_n_matches": int(g["lexicon_n_matches"].sum())}
        for pole in POLES:
            row[f"evidence_{pole}"] = _merge_evidence(g[f"evidence_{pole}"])
        if self.lss_ is not None and "lss_sum" in g:
            stats = g[["lss_sum", "lss_sumsq", "lss_n_terms", "lss_n"]].dropna()
            row.update(self.lss_.aggregate(stats) if len(stats) else
                       {"lss_score": np.nan, "lss_se": np.nan, "lss_n_terms": 0,
                        "lss_sum": np.nan, "lss_sumsq": np.nan, "lss_n": 0})
        supports = _method_supports(g, self.settings_)
        for method in ("lexicon", "prototypes", "classifier"):
            for pole, values in zip(("all_imperialisms", "anti_us"), supports[method],
                                    strict=True):
                row[f"{method}_support_{pole}"] = _framed_mean(values, words, framed)
        prob_cols = [c for c in g.columns if c.startswith(("classifier_p_", "prototype_p_",
                                                           "prototype_sim_"))]
        for col in prob_cols:
            row[col] = _framed_mean(g[col].to_numpy(dtype=float), words, framed)
        if "classifier_p_anti_us" in g:
            row["classifier_score"] = row[_P["all_imperialisms"]] - row[_P["anti_us"]]
            p = np.array([row[_P[lb]] for lb in LABELS])
            row["classifier_label"] = LABELS[int(np.argmax(p))] if np.isfinite(p).all() else None
        if "prototype_p_anti_us" in g:
            row["prototype_score"] = (row["prototype_p_all_imperialisms"]
                                      - row["prototype_p_anti_us"])
        return row


def _main_language(g: pd.DataFrame, words: np.ndarray):
    if "language" not in g or g["language"].isna().all():
        return None
    totals = pd.Series(words, index=g.index).groupby(g["language"]).sum()
    return totals.sort_values(ascending=False, kind="stable").index[0]


def _framed_mean(values: np.ndarray, words: np.ndarray, framed: np.ndarray) -> float:
    ok = np.isfinite(values)
    use = ok & framed if (ok & framed).any() else ok
    if not use.any():
        return np.nan
    w = np.where(words[use] > 0, words[use], 1.0)
    return float(np.average(values[use], weights=w))


def _merge_evidence(strings: pd.Series) -> str:
    totals: dict[tuple[str, str], float] = {}
    for s in strings.dropna():
        for part in str(s).split("; "):
            m = _EVIDENCE.match(part)
            if m:
                key = (m["term"], m["entry"])
                totals[key] = totals.get(key, 0.0) + float(m["value"])
    parts = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{term} [{entry}] {value:g}" for (term, entry), value in parts)


@functools.lru_cache(maxsize=4)
def default_model(methods: tuple[str, ...] = METHODS) -> FramingModel:
    """The default model (packaged MiniLM, default lexicon and gold set), fitted once."""
    return FramingModel(methods=methods).fit()


def _model_for(model: FramingModel | None, methods, encoder, model_key) -> FramingModel:
    if model is not None:
        return model
    methods = tuple(m for m in METHODS if m in (methods or METHODS))
    if encoder is not None:
        return FramingModel(methods=methods, encoder=encoder, model_key=model_key).fit()
    return default_model(methods)


@renamed_keywords(languages="language")
def score_paragraphs(texts: Sequence[str], *, language=None, model: FramingModel | None = None,
                     methods: Sequence[str] | None = None) -> pd.DataFrame:
    """Score cleaned paragraphs (see :meth:`FramingModel.score_paragraphs`)."""
    return _model_for(model, methods, None, None).score_paragraphs(texts, language=language)


def aggregate_framing(paragraph_scores: pd.DataFrame, *, by: str | Sequence[str],
                      model: FramingModel | None = None) -> pd.DataFrame:
    """Aggregate paragraph scores to groups (see :meth:`FramingModel.aggregate`)."""
    if model is None:
        used = [m for m in METHODS if any(c.startswith(f"{m}_") or
                                          (m == "prototypes" and c.startswith("prototype_"))
                                          for c in paragraph_scores.columns)]
        model = default_model(tuple(used) or ("lexicon",))
    return model.aggregate(paragraph_scores, by=by)


#: Columns of :func:`score_framing`, in order.
OUTPUT_COLUMNS = (
    "framing", "framing_score", "support_all_imperialisms", "support_anti_us",
    "lexicon_score", "lexicon_all_imperialisms", "lexicon_anti_us",
    "lss_score", "lss_se", "lss_n_terms", "prototype_score", "classifier_score",
    "classifier_p_anti_us", "classifier_p_all_imperialisms", "classifier_p_mixed",
    "classifier_p_none", "language", "n_paragraphs", "n_framed_paragraphs", "n_words",
    "methods", "evidence_all_imperialisms", "evidence_anti_us", "lexicon_version",
)


#: Paragraph language detections below this lingua confidence (or on fewer
#: letters than lingua needs) fall back to the language of the whole text.
MIN_LANGUAGE_CONFIDENCE = 0.5


def _paragraph_languages(paragraphs: list[str], owner: np.ndarray,
                         text_langs: list[str | None]) -> list[str | None]:
    """Language of each paragraph: given per text, or detected with a fallback."""
    langs = [text_langs[int(o)] for o in owner]
    todo = [j for j, lang in enumerate(langs) if lang is None]
    if not todo:
        return langs
    from ..corpus.language import detect_languages

    found = detect_languages([paragraphs[j] for j in todo])
    texts = sorted({int(owner[j]) for j in todo})
    whole = detect_languages(["\n\n".join(paragraphs[j] for j in np.flatnonzero(owner == i))
                              for i in texts])["language"].tolist()
    fallback = dict(zip(texts, whole, strict=True))
    for j, lang, conf in zip(todo, found["language"], found["language_confidence"],
                             strict=True):
        sure = lang is not None and conf >= MIN_LANGUAGE_CONFIDENCE
        langs[j] = lang if sure else fallback[int(owner[j])]
    return langs


def score_framing(texts: Sequence[str], *, language: str | Sequence[str] | None = None,
                  model: FramingModel | None = None, methods: Sequence[str] | None = None,
                  encoder=None, model_key: str | None = None,
                  progress: bool = False) -> pd.DataFrame:
    """Measure the framing of each text: one row per input text.

    Raw, uncleaned text is accepted: each text is cleaned with the corpus
    rules (:func:`analysis.corpus.clean.clean_text`), split into paragraphs at
    blank lines, scored paragraph by paragraph and aggregated.

    Parameters
    ----------
    texts : sequence of str
        Raw texts (documents, posts or paragraphs).  Missing values count as
        empty texts.
    language : str or sequence of str, optional
        ISO 639-1 code for all texts, or one per text.  ``None`` (for all
        or for one text) detects the language of each paragraph with lingua;
        paragraphs too short to detect, or detected with a confidence below
        :data:`MIN_LANGUAGE_CONFIDENCE`, take their text's language.  Only English text is scored by
        the embedding methods; other languages rely on the lexicon.
    model : FramingModel, optional
        A fitted model; the default model otherwise.
    methods : sequence of str, optional
        Subset of :data:`METHODS` (the lexicon is always used).
    encoder, model_key
        A custom encoder for the embedding methods (tests use a fake one).
    progress : bool
        Show progress bars (stderr).

    Returns
    -------
    DataFrame
        :data:`OUTPUT_COLUMNS`: ``framing`` (anti_us, all_imperialisms,
        mixed, none), ``framing_score`` (positive: all-imperialisms,
        negative: anti-US), the supports, per-method scores, the evidence
        terms, the language and paragraph counts.
    """
    from tqdm.auto import tqdm

    fitted = _model_for(model, methods, encoder, model_key)
    raw = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
    n = len(raw)
    if isinstance(language, str) or language is None:
        text_langs = [language] * n
    else:
        text_langs = [None if x is None or (isinstance(x, float) and np.isnan(x)) or x == ""
                      else str(x) for x in language]
        if len(text_langs) != n:
            raise ValueError(f"got {len(text_langs)} languages for {n} texts")
    paragraphs, owner = [], []
    for i, text in enumerate(tqdm(raw, desc="cleaning", unit="text", disable=not progress)):
        parts = split_text(text)
        paragraphs.extend(parts)
        owner.extend([i] * len(parts))
    owner = np.array(owner, dtype=int)
    langs = _paragraph_languages(paragraphs, owner, text_langs)
    scored = fitted.score_paragraphs(paragraphs, language=langs, progress=progress)
    scored["text_index"] = owner
    agg = fitted.aggregate(scored, by="text_index") if len(scored) else pd.DataFrame()
    out = pd.DataFrame({"text_index": np.arange(n)})
    if len(agg):
        out = out.merge(agg, on="text_index", how="left")
    empty = out["n_paragraphs"].isna() if "n_paragraphs" in out else np.ones(n, bool)
    for col in OUTPUT_COLUMNS:
        if col not in out:
            out[col] = np.nan
    out.loc[empty, "framing"] = "none"
    out.loc[empty, ["framing_score", "support_all_imperialisms", "support_anti_us",
                    "lexicon_score", "lexicon_all_imperialisms", "lexicon_anti_us",
                    "n_paragraphs", "n_framed_paragraphs", "n_words"]] = 0
    out.loc[empty, ["evidence_all_imperialisms", "evidence_anti_us", "methods"]] = ""
    out["language"] = [text_langs[i] if empty[i] else lang
                       for i, lang in enumerate(out["language"])]
    out["lexicon_version"] = fitted.lexicon_.version
    for col in ("n_paragraphs", "n_framed_paragraphs", "n_words"):
        out[col] = out[col].astype(int)
    return out[list(OUTPUT_COLUMNS)].reset_index(drop=True)
