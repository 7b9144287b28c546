"""Framing measurement: anti-US-imperialism versus against-all-imperialisms.

Four methods score every paragraph; a documented rule combines them.

Lexicon (:mod:`analysis.lexicon`)
    The versioned dictionary ``data/lexicons/framing.yaml`` (en, es, fr, de,
    it, ru) with negation, contrast and distancing rules.  It is the only
    method for languages other than English.
Latent Semantic Scaling (:mod:`analysis.scaling`)
    Word polarity from seed words (in the same YAML file), fitted on the
    English gold texts; document scores with standard errors.
Embedding prototypes (:class:`PrototypeScorer`)
    Similarity of the packaged MiniLM embedding of a paragraph to short
    exemplar statements of each pole (and of no framing), turned into
    probabilities by a softmax.
Supervised classifier (:class:`FramingClassifier`)
    Logistic regression on MiniLM embeddings (or TF-IDF) trained on the
    hand-coded gold set ``data/annotations/gold.csv`` (codebook in
    ``data/annotations/codebook.md``).

The embedding methods are applied to English paragraphs only: the packaged
model is English-only.

Combined decision (:func:`combine_scores`)
    Each method gives a *support* in [0, 1] for each pole:

    * lexicon: ``1 - exp(-E / lexicon_scale)`` where E is the summed weight
      of the pole's matches;
    * classifier: ``P(pole) + P(mixed) / 2``;
    * prototypes: ``P(pole)``;
    * LSS: ``max(0, tanh(+-z / 2))`` (weight 0 by default).

    The support of a pole is the weighted mean over the methods available
    for the paragraph (weights in the YAML ``combination`` section).  Then
    ``framing_score = support_all - support_us`` (positive: all
    imperialisms; negative: anti-US), and

    * ``none`` if neither support reaches ``threshold``;
    * ``mixed`` if both do and the weaker is at least ``mixed_ratio`` of
      the stronger;
    * otherwise the pole with the larger support.

Aggregation (:meth:`FramingModel.aggregate`)
    A post or document takes, for each method and pole, the mean support of
    its paragraphs that carry a framing (weighted by words), or of all its
    paragraphs when none does; LSS is recomputed exactly for the
    concatenated text.  The same rule then labels the aggregate, so a long
    all-imperialisms text that mentions "NATO imperialism" in passing in
    many paragraphs does not become ``mixed`` by accumulation.  The summed
    lexicon evidence and the merged evidence terms are reported alongside.

Examples
--------
>>> out = score_framing(["Against all imperialisms: neither Washington nor Moscow!"],
...                     language="en", methods=("lexicon",))
>>> out.loc[0, "framing"], round(float(out.loc[0, "framing_score"]), 2)
('all_imperialisms', 0.95)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .lexicon import POLES, FramingInputError, Lexicon, load_lexicon, score_lexicon
from .scaling import unit_rows

__all__ = [
    "LABELS",
    "METHODS",
    "DEFAULT_GOLD",
    "FramingInputError",
    "read_gold",
    "read_texts",
    "split_text",
    "PrototypeScorer",
    "FramingClassifier",
    "FramingModel",
    "default_model",
    "combine_scores",
    "score_paragraphs",
    "aggregate_framing",
    "score_framing",
    "cross_validate_classifier",
    "transfer_predictions",
    "method_labels",
    "macro_f1_ci",
    "agreement_table",
    "confusion_table",
    "bootstrap_framing",
    "krippendorff_alpha",
]

#: The four framing labels.
LABELS = ("anti_us", "all_imperialisms", "mixed", "none")
#: The scoring methods, in the order their columns appear.
METHODS = ("lexicon", "lss", "prototypes", "classifier")
#: Languages the embedding-based methods (LSS, prototypes, classifier) are applied to.
MODEL_LANGUAGES = ("en",)
DEFAULT_GOLD = config.DATA / "annotations" / "gold.csv"
_GOLD_COLUMNS = ("item_id", "group", "language", "label", "coder", "constructed", "text")
_P = {label: f"classifier_p_{label}" for label in LABELS}
_PROTO_LABELS = ("anti_us", "all_imperialisms", "none")
_EVIDENCE = re.compile(r"^(?P<term>.*) \[(?P<entry>[^\]]+)\] (?P<value>[-\d.e]+)$")


# --------------------------------------------------------------------------
# Gold labels and input text
# --------------------------------------------------------------------------


def read_gold(path: Path | str = DEFAULT_GOLD) -> pd.DataFrame:
    """Read and check the hand-coded gold set.

    Parameters
    ----------
    path : path-like
        CSV with at least ``item_id, group, language, label, coder,
        constructed, text`` (see ``data/annotations/codebook.md``).

    Returns
    -------
    DataFrame
        One row per item; ``constructed`` as bool.

    Raises
    ------
    FramingInputError
        For an unreadable file, a missing column, an unknown label, an
        empty text or a duplicate id, naming the file and line.
    """
    path = Path(path)
    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise FramingInputError(f"{path}: cannot read the gold file ({err})") from err
    missing = [c for c in _GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise FramingInputError(f"{path}: missing column(s) {', '.join(missing)}")
    for i, row in enumerate(gold.itertuples(index=False), start=2):
        if row.label not in LABELS:
            raise FramingInputError(f"{path} line {i}: label {row.label!r} is not one of "
                                   f"{', '.join(LABELS)}")
        if not row.text.strip():
            raise FramingInputError(f"{path} line {i}: empty text for item {row.item_id!r}")
        if row.constructed not in ("True", "False", "true", "false", "1", "0"):
            raise FramingInputError(f"{path} line {i}: constructed must be True or False, "
                                   f"not {row.constructed!r}")
    dupes = gold["item_id"].duplicated(keep="first")
    if dupes.any():
        i = int(np.flatnonzero(dupes.to_numpy())[0]) + 2
        raise FramingInputError(f"{path} line {i}: duplicate item_id "
                               f"{gold['item_id'].iloc[i - 2]!r}")
    return gold.assign(constructed=gold["constructed"].isin(["True", "true", "1"]))


#: Input formats of :func:`read_texts`, by file suffix.
INPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                 ".pq": "parquet"}


def _read_jsonl(path: Path) -> pd.DataFrame:
    import json

    records, lines = [], []
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise FramingInputError(f"{path} line {number}: not valid JSON "
                                            f"({err.msg})") from err
                if not isinstance(record, dict):
                    raise FramingInputError(f"{path} line {number}: expected a JSON object, "
                                            f"got {type(record).__name__}")
                records.append(record)
                lines.append(number)
    except UnicodeDecodeError as err:
        raise FramingInputError(f"{path}: not UTF-8 text ({err.reason} at byte "
                                f"{err.start})") from err
    return pd.DataFrame(records).assign(_where=[f"line {n}" for n in lines])


def read_texts(path: Path | str, *, id_col: str = "id", text_col: str = "text",
               language_col: str | None = None) -> pd.DataFrame:
    """Read texts to score from a JSON-lines, CSV or Parquet file.

    Parameters
    ----------
    path : path-like
        ``.jsonl`` (one JSON object per line), ``.csv`` (with a header) or
        ``.parquet``.
    id_col, text_col : str
        Columns holding each text's id and raw text.
    language_col : str, optional
        A column of ISO 639-1 codes, if the languages are known.

    Returns
    -------
    DataFrame
        ``id``, ``text`` (and ``language``), one row per record, in file order.

    Raises
    ------
    FramingInputError
        For a missing or unreadable file, an unsupported format, invalid
        JSON, a missing column, or a record without id or text; the message
        names the file and the line (JSON lines) or row (CSV, Parquet).
    """
    path = Path(path)
    fmt = INPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FramingInputError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                                f"use .jsonl, .csv or .parquet")
    if not path.is_file():
        raise FramingInputError(f"{path}: no such file")
    try:
        if fmt == "jsonl":
            table = _read_jsonl(path)
        elif fmt == "csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            table["_where"] = [f"row {i}" for i in range(1, len(table) + 1)]
        else:
            table = pd.read_parquet(path)
            table["_where"] = [f"row {i}" for i in range(1, len(table) + 1)]
    except FramingInputError:
        raise
    except UnicodeDecodeError as err:
        raise FramingInputError(f"{path}: not UTF-8 text ({err.reason})") from err
    except pd.errors.EmptyDataError as err:
        raise FramingInputError(f"{path}: the file is empty") from err
    except (pd.errors.ParserError, OSError, ValueError) as err:
        detail = " ".join(str(err).split())[:200]
        raise FramingInputError(f"{path}: cannot read as {fmt} ({detail})") from err
    if table.empty:
        raise FramingInputError(f"{path}: the file holds no records")
    wanted = [id_col, text_col] + ([language_col] if language_col else [])
    for col in wanted:
        if col not in table.columns:
            have = ", ".join(str(c) for c in table.columns if c != "_where") or "none"
            raise FramingInputError(f"{path}: no column {col!r} (columns: {have}); "
                                    f"choose others with --id-col/--text-col")
    for col in (id_col, text_col):
        missing = table[col].isna()
        if missing.any():
            where = table["_where"][missing].iloc[0]
            raise FramingInputError(f"{path} {where}: missing {col!r}")
    out = pd.DataFrame({"id": table[id_col].to_numpy(),
                        "text": table[text_col].astype(str).to_numpy()})
    if language_col:
        out["language"] = table[language_col].to_numpy()
    return out


def split_text(raw: str) -> list[str]:
    """Clean a raw text with the corpus rules and split it into paragraphs.

    Examples
    --------
    >>> split_text("First paragraph.\\n\\nSecond one. Continue reading\\n\\nShare this:")
    ['First paragraph.', 'Second one.']
    """
    from .clean import clean_text

    text = clean_text(raw if isinstance(raw, str) else "").text
    return [p.strip() for p in text.split("\n\n") if p.strip()]


# --------------------------------------------------------------------------
# Embedding methods
# --------------------------------------------------------------------------


def _embed(texts: Sequence[str], encoder, model_key, cache_dir) -> np.ndarray:
    from .embed import embed

    texts = list(texts)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return embed(texts, encoder=encoder, model_key=model_key, cache_dir=cache_dir)


class PrototypeScorer:
    """Score texts by their similarity to exemplar statements of each label.

    Parameters
    ----------
    prototypes : mapping of str to sequence of str
        Exemplar statements for ``anti_us``, ``all_imperialisms`` and
        ``none``.
    temperature : float
        Softmax temperature turning mean cosine similarities into
        probabilities.
    encoder, model_key, cache_dir
        Passed to :func:`analysis.embed.embed`.

    Attributes
    ----------
    labels_ : tuple of str
    centroids_ : ndarray
        Unit embeddings of each exemplar, stacked, with ``owner_`` giving the
        label of each row.
    """

    def __init__(self, prototypes: Mapping[str, Sequence[str]], *, temperature: float = 0.05,
                 encoder=None, model_key: str | None = None,
                 cache_dir: Path | str | None = config.CACHE / "embeddings"):
        self.prototypes = prototypes
        self.temperature = temperature
        self.encoder = encoder
        self.model_key = model_key
        self.cache_dir = cache_dir

    def fit(self) -> PrototypeScorer:
        """Embed the exemplars."""
        self.labels_ = tuple(label for label in _PROTO_LABELS if self.prototypes.get(label))
        texts = [t for label in self.labels_ for t in self.prototypes[label]]
        self.owner_ = np.array([label for label in self.labels_
                                for _ in self.prototypes[label]])
        self.centroids_ = unit_rows(_embed(texts, self.encoder, self.model_key, self.cache_dir))
        return self

    def score(self, texts: Sequence[str] = (), *, embeddings: np.ndarray | None = None
              ) -> pd.DataFrame:
        """Similarities and probabilities of each text.

        Returns
        -------
        DataFrame
            ``prototype_sim_<label>`` (mean cosine similarity to the
            label's exemplars), ``prototype_p_<label>`` and
            ``prototype_score`` = P(all_imperialisms) - P(anti_us).
        """
        if embeddings is None:
            embeddings = _embed(texts, self.encoder, self.model_key, self.cache_dir)
        if len(embeddings) == 0:
            cols = ([f"prototype_sim_{lb}" for lb in self.labels_]
                    + [f"prototype_p_{lb}" for lb in self.labels_] + ["prototype_score"])
            return pd.DataFrame(columns=cols, dtype=float)
        sims = unit_rows(np.asarray(embeddings, dtype=np.float64)) @ self.centroids_.T
        mean = np.column_stack([sims[:, self.owner_ == lb].mean(axis=1) for lb in self.labels_])
        logits = mean / self.temperature
        prob = np.exp(logits - logits.max(axis=1, keepdims=True))
        prob /= prob.sum(axis=1, keepdims=True)
        out = pd.DataFrame({f"prototype_sim_{lb}": mean[:, i] for i, lb in enumerate(self.labels_)})
        for i, lb in enumerate(self.labels_):
            out[f"prototype_p_{lb}"] = prob[:, i]
        out["prototype_score"] = (out.get("prototype_p_all_imperialisms", 0.0)
                                  - out.get("prototype_p_anti_us", 0.0))
        return out


class FramingClassifier:
    """Logistic regression on sentence embeddings and/or TF-IDF features.

    Parameters
    ----------
    features : {"embedding", "tfidf", "both"}
        MiniLM embeddings (standardised), word 1-2-gram TF-IDF, or both.
    C : float
        Inverse regularisation strength.
    seed : int
        Random state of the solver.
    encoder, model_key, cache_dir
        Passed to :func:`analysis.embed.embed`.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels seen in training.
    model_ : sklearn LogisticRegression
    """

    def __init__(self, *, features: str = "embedding", C: float = 1.0, seed: int = config.SEED,
                 encoder=None, model_key: str | None = None,
                 cache_dir: Path | str | None = config.CACHE / "embeddings"):
        self.features = features
        self.C = C
        self.seed = seed
        self.encoder = encoder
        self.model_key = model_key
        self.cache_dir = cache_dir

    def _matrix(self, texts: Sequence[str], embeddings, *, fit: bool):
        from scipy import sparse

        parts = []
        if self.features in ("embedding", "both"):
            emb = embeddings if embeddings is not None else _embed(
                texts, self.encoder, self.model_key, self.cache_dir)
            emb = np.asarray(emb, dtype=np.float64)
            if fit:
                from sklearn.preprocessing import StandardScaler

                self.scaler_ = StandardScaler().fit(emb)
            parts.append(self.scaler_.transform(emb))
        if self.features in ("tfidf", "both"):
            if fit:
                from sklearn.feature_extraction.text import TfidfVectorizer

                self.tfidf_ = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
                self.tfidf_.fit(texts)
            parts.append(self.tfidf_.transform(texts))
        if not parts:
            raise ValueError(f"features must be 'embedding', 'tfidf' or 'both', "
                             f"not {self.features!r}")
        if len(parts) == 1:
            return parts[0]
        return sparse.hstack([sparse.csr_matrix(parts[0]), parts[1]]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str], *,
            embeddings: np.ndarray | None = None) -> FramingClassifier:
        """Fit on texts and their gold labels (balanced class weights)."""
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        x = self._matrix(texts, embeddings, fit=True)
        self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000,
                                         random_state=self.seed)
        self.model_.fit(x, list(labels))
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, texts: Sequence[str] = (), *, embeddings: np.ndarray | None = None
                      ) -> pd.DataFrame:
        """Class probabilities, one column per label (0 for labels never seen).

        Returns
        -------
        DataFrame
            ``classifier_p_<label>`` for the four labels, ``classifier_label``
            and ``classifier_score`` = P(all_imperialisms) - P(anti_us).
        """
        texts = list(texts)
        n = len(embeddings) if embeddings is not None else len(texts)
        out = pd.DataFrame({_P[lb]: np.zeros(n) for lb in LABELS})
        if n:
            prob = self.model_.predict_proba(self._matrix(texts, embeddings, fit=False))
            for i, lb in enumerate(self.classes_):
                out[_P[lb]] = prob[:, i]
        p = out[[_P[lb] for lb in LABELS]].to_numpy()
        out["classifier_label"] = np.array(LABELS, dtype=object)[p.argmax(axis=1)] if n else []
        out["classifier_score"] = out[_P["all_imperialisms"]] - out[_P["anti_us"]]
        return out


# --------------------------------------------------------------------------
# The combined decision
# --------------------------------------------------------------------------


def _settings(lexicon: Lexicon | None, overrides: Mapping | None = None) -> dict:
    lexicon = lexicon or load_lexicon()
    settings = dict(lexicon.config.get("combination", {}))
    settings.setdefault("lexicon_scale", 2.0)
    settings.setdefault("threshold", 0.35)
    settings.setdefault("mixed_ratio", 0.6)
    settings["weights"] = {"lexicon": 1.0, "classifier": 1.0, "prototypes": 0.5, "lss": 0.0,
                           **dict(settings.get("weights", {}))}
    for key, value in (overrides or {}).items():
        if key == "weights":
            settings["weights"] = {**settings["weights"], **value}
        else:
            settings[key] = value
    return settings


def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    return df[name].to_numpy(dtype=float) if name in df.columns else np.full(len(df), np.nan)


def _method_supports(scores: pd.DataFrame, settings: Mapping) -> dict[str, tuple]:
    """Each method's support for each pole; precomputed ``<method>_support_<pole>`` win."""
    scale = float(settings["lexicon_scale"])
    out = {}
    a, u = _col(scores, "lexicon_all_imperialisms"), _col(scores, "lexicon_anti_us")
    out["lexicon"] = (1 - np.exp(-a / scale), 1 - np.exp(-u / scale))
    mixed = np.nan_to_num(_col(scores, _P["mixed"]), nan=0.0)
    pa, pu = _col(scores, _P["all_imperialisms"]), _col(scores, _P["anti_us"])
    out["classifier"] = (pa + mixed / 2, pu + mixed / 2)
    out["prototypes"] = (_col(scores, "prototype_p_all_imperialisms"),
                         _col(scores, "prototype_p_anti_us"))
    z = np.tanh(_col(scores, "lss_score") / 2)
    out["lss"] = (np.clip(z, 0, None), np.clip(-z, 0, None))
    for method in METHODS:
        cols = (f"{method}_support_all_imperialisms", f"{method}_support_anti_us")
        if all(c in scores.columns for c in cols):
            out[method] = (_col(scores, cols[0]), _col(scores, cols[1]))
    return out


def _decide(s_all: np.ndarray, s_us: np.ndarray, threshold: float, ratio: float) -> np.ndarray:
    hi, lo = np.fmax(s_all, s_us), np.fmin(s_all, s_us)
    label = np.where(s_all >= s_us, "all_imperialisms", "anti_us").astype(object)
    label = np.where((lo >= threshold) & (lo >= ratio * hi), "mixed", label)
    label = np.where(~(hi >= threshold), "none", label)
    return label


def combine_scores(scores: pd.DataFrame, *, lexicon: Lexicon | None = None,
                   settings: Mapping | None = None) -> pd.DataFrame:
    """Combine per-method scores into supports, ``framing_score`` and ``framing``.

    Parameters
    ----------
    scores : DataFrame
        Any of the columns ``lexicon_all_imperialisms``,
        ``lexicon_anti_us``, ``classifier_p_<label>``,
        ``prototype_p_<label>``, ``lss_score``; or a method's supports
        directly as ``<method>_support_all_imperialisms`` and
        ``<method>_support_anti_us`` (as aggregates carry them).  Missing
        columns or values mean the method is not available for that row.
        Not modified.
    lexicon : Lexicon, optional
        Source of the ``combination`` settings (default lexicon otherwise).
    settings : mapping, optional
        Overrides of the settings: ``lexicon_scale``, ``threshold``,
        ``mixed_ratio`` and ``weights`` (per method).

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``support_all_imperialisms``,
        ``support_anti_us``, ``framing_score`` (in [-1, 1]), ``framing`` and
        ``methods`` (the methods that contributed, joined by '+').

    Examples
    --------
    >>> df = pd.DataFrame({"lexicon_all_imperialisms": [3.0, 0.0, 3.0, 0.4],
    ...                    "lexicon_anti_us": [0.0, 3.0, 3.0, 0.0]})
    >>> combine_scores(df)["framing"].tolist()
    ['all_imperialisms', 'anti_us', 'mixed', 'none']
    """
    settings = _settings(lexicon, settings)
    weights = settings["weights"]
    supports = _method_supports(scores, settings)
    num_all, num_us, den = (np.zeros(len(scores)) for _ in range(3))
    used = [[] for _ in range(len(scores))]
    for method in METHODS:
        w = float(weights.get(method, 0.0))
        if w <= 0:
            continue
        s_all, s_us = supports[method]
        ok = np.isfinite(s_all) & np.isfinite(s_us)
        num_all += np.where(ok, w * np.nan_to_num(s_all), 0.0)
        num_us += np.where(ok, w * np.nan_to_num(s_us), 0.0)
        den += np.where(ok, w, 0.0)
        for i in np.flatnonzero(ok):
            used[i].append(method)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_all = np.where(den > 0, num_all / den, 0.0)
        s_us = np.where(den > 0, num_us / den, 0.0)
    out = scores.copy()
    out["support_all_imperialisms"] = s_all
    out["support_anti_us"] = s_us
    out["framing_score"] = s_all - s_us
    out["framing"] = _decide(s_all, s_us, float(settings["threshold"]),
                             float(settings["mixed_ratio"]))
    out["methods"] = ["+".join(m) for m in used]
    return out


# --------------------------------------------------------------------------
# The fitted model
# --------------------------------------------------------------------------


class FramingModel:
    """The four framing methods, fitted on the gold set, and their combination.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Defaults to :func:`analysis.lexicon.load_lexicon`.
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
        Passed to :func:`analysis.embed.embed` (a fake encoder makes tests fast).
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
                prototypes, temperature=float(self.settings_.get("prototype_temperature", 0.05)),
                **emb).fit()
        if "lss" in self.methods_:
            from .scaling import LatentSemanticScaler, seeds_from_lexicon

            reference = gold["text"].tolist() + [t for v in prototypes.values() for t in v]
            self.lss_ = LatentSemanticScaler(
                seeds_from_lexicon(self.lexicon_), vectors=self.lss_vectors,
                min_count=2 if self.lss_vectors == "svd" else 1, seed=self.seed,
                **emb).fit(reference)
        return self

    # ------------------------------------------------------------------
    def score_paragraphs(self, texts: Sequence[str], *,
                         languages: str | Sequence[str | None] | None = None,
                         show_progress_bar: bool = False) -> pd.DataFrame:
        """Score cleaned paragraphs with every method and combine.

        Parameters
        ----------
        texts : sequence of str
            Cleaned paragraphs.
        languages : str or sequence of str, optional
            One language for all or one per paragraph; the embedding methods
            run only on English (``"en"``) paragraphs.
        show_progress_bar : bool
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
        if isinstance(languages, str) or languages is None:
            langs = [languages] * n
        else:
            langs = [None if (x is None or (isinstance(x, float) and np.isnan(x))) else str(x)
                     for x in languages]
        out = score_lexicon(texts, languages=langs, lexicon=self.lexicon_)
        out.insert(0, "language", pd.Series(langs, dtype=object))
        out.insert(1, "n_words", [len(t.split()) for t in texts])
        english = np.array([lang in MODEL_LANGUAGES for lang in langs], dtype=bool)
        idx = np.flatnonzero(english)
        en_texts = [texts[i] for i in idx]
        emb = None
        if len(idx) and (self.classifier_ is not None or self.prototypes_ is not None):
            from .embed import embed

            emb = embed(en_texts, encoder=self.encoder, model_key=self.model_key,
                        cache_dir=self.cache_dir, show_progress_bar=show_progress_bar)
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


def score_paragraphs(texts: Sequence[str], *, languages=None, model: FramingModel | None = None,
                     methods: Sequence[str] | None = None) -> pd.DataFrame:
    """Score cleaned paragraphs (see :meth:`FramingModel.score_paragraphs`)."""
    return _model_for(model, methods, None, None).score_paragraphs(texts, languages=languages)


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
    from .language import detect_languages

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
    rules (:func:`analysis.clean.clean_text`), split into paragraphs at
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
    scored = fitted.score_paragraphs(paragraphs, languages=langs, show_progress_bar=progress)
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


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def cross_validate_classifier(gold: pd.DataFrame, *, features: str = "embedding",
                              n_splits: int = 5, seed: int = config.SEED,
                              languages: Sequence[str] = MODEL_LANGUAGES, encoder=None,
                              model_key: str | None = None,
                              cache_dir: Path | str | None = config.CACHE / "embeddings"
                              ) -> pd.DataFrame:
    """Out-of-fold classifier predictions for the gold items, grouped folds.

    Folds are made with scikit-learn's ``StratifiedGroupKFold`` on the
    ``group`` column: a post's paragraphs and its translations stay in one
    fold, and so do constructed paraphrases of one idea, so no near-copy of
    a test item is seen in training.  Training folds mix corpus and
    constructed items.

    Parameters
    ----------
    gold : DataFrame
        From :func:`read_gold`; not modified.
    features : {"embedding", "tfidf", "both"}
        Classifier features (see :class:`FramingClassifier`).
    n_splits : int
        Number of folds.
    seed : int
        Seed of the fold assignment and of the solver.
    languages : sequence of str
        Items in these languages are used (the model is English-only).
    encoder, model_key, cache_dir
        Passed to :func:`analysis.embed.embed`.

    Returns
    -------
    DataFrame
        ``item_id``, ``fold`` and the classifier columns, one row per item
        used, in gold order.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    data = gold[gold["language"].isin(languages)].reset_index(drop=True)
    texts = data["text"].tolist()
    emb = (_embed(texts, encoder, model_key, cache_dir)
           if features in ("embedding", "both") else None)
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    parts = []
    for k, (train, test) in enumerate(folds.split(texts, data["label"], data["group"])):
        clf = FramingClassifier(features=features, seed=seed, encoder=encoder,
                                model_key=model_key, cache_dir=cache_dir)
        clf.fit([texts[i] for i in train], data["label"].iloc[train].tolist(),
                embeddings=emb[train] if emb is not None else None)
        pred = clf.predict_proba([texts[i] for i in test],
                                 embeddings=emb[test] if emb is not None else None)
        pred.insert(0, "item_id", data["item_id"].iloc[test].to_numpy())
        pred.insert(1, "fold", k)
        pred.index = test
        parts.append(pred)
    return pd.concat(parts).sort_index().reset_index(drop=True)


def transfer_predictions(gold: pd.DataFrame, *, features: str = "embedding",
                         seed: int = config.SEED, languages: Sequence[str] = MODEL_LANGUAGES,
                         encoder=None, model_key: str | None = None,
                         cache_dir: Path | str | None = config.CACHE / "embeddings"
                         ) -> pd.DataFrame:
    """Train on the constructed items only and predict the corpus items.

    The strictest test of the constructed paraphrases: does a model that has
    seen no real paragraph label real ones?

    Returns
    -------
    DataFrame
        ``item_id`` and the classifier columns for each corpus item.
    """
    data = gold[gold["language"].isin(languages)]
    train, test = data[data["constructed"]], data[~data["constructed"]]
    clf = FramingClassifier(features=features, seed=seed, encoder=encoder, model_key=model_key,
                            cache_dir=cache_dir)
    clf.fit(train["text"].tolist(), train["label"].tolist())
    pred = clf.predict_proba(test["text"].tolist())
    pred.insert(0, "item_id", test["item_id"].to_numpy())
    return pred


def method_labels(scores: pd.DataFrame, *, lexicon: Lexicon | None = None,
                  lss_cut: float = 1.0) -> pd.DataFrame:
    """Each method's own label, for agreement with the gold labels.

    * lexicon: the combination rule applied to the lexicon alone;
    * lss: ``all_imperialisms`` if z >= ``lss_cut``, ``anti_us`` if
      z <= -``lss_cut``, else ``none`` (LSS cannot say ``mixed``);
    * prototypes: the most probable of anti_us, all_imperialisms, none;
    * classifier: the most probable label;
    * combined: ``framing``.

    Parameters
    ----------
    scores : DataFrame
        Output of :meth:`FramingModel.score_paragraphs` (with or without
        classifier columns from cross-validation); not modified.
    lexicon : Lexicon, optional
        Source of the combination settings used for the lexicon label.
    lss_cut : float
        The |z| an LSS score needs to count as a pole.

    Returns
    -------
    DataFrame
        One column per method present, missing where it does not apply.
    """
    out = pd.DataFrame(index=scores.index)
    lex_cols = [c for c in ("lexicon_all_imperialisms", "lexicon_anti_us",
                            "lexicon_support_all_imperialisms", "lexicon_support_anti_us")
                if c in scores.columns]
    lex_only = combine_scores(scores[lex_cols],
                              lexicon=lexicon,
                              settings={"weights": {"classifier": 0, "prototypes": 0,
                                                    "lss": 0, "lexicon": 1}})
    out["lexicon"] = lex_only["framing"]
    if "lss_score" in scores:
        z = scores["lss_score"].to_numpy(dtype=float)
        lab = np.where(z >= lss_cut, "all_imperialisms",
                       np.where(z <= -lss_cut, "anti_us", "none")).astype(object)
        out["lss"] = np.where(np.isfinite(z), lab, None)
    if "prototype_p_anti_us" in scores:
        cols = [f"prototype_p_{lb}" for lb in _PROTO_LABELS]
        p = scores[cols].to_numpy(dtype=float)
        ok = np.isfinite(p).all(axis=1)
        lab = np.array(_PROTO_LABELS, dtype=object)[np.nan_to_num(p, nan=-1).argmax(axis=1)]
        out["prototypes"] = np.where(ok, lab, None)
    if "classifier_p_anti_us" in scores:
        p = scores[[_P[lb] for lb in LABELS]].to_numpy(dtype=float)
        ok = np.isfinite(p).all(axis=1)
        lab = np.array(LABELS, dtype=object)[np.nan_to_num(p, nan=-1).argmax(axis=1)]
        out["classifier"] = np.where(ok, lab, None)
    if "framing" in scores:
        out["combined"] = scores["framing"]
    return out


def _macro_f1(y_true, y_pred) -> float:
    """Macro-F1 over the labels present in either vector (as scikit-learn's, zero_division=0)."""
    labels, codes = np.unique(np.concatenate([y_true, y_pred]).astype(str), return_inverse=True)
    t, p = codes[:len(y_true)], codes[len(y_true):]
    k = len(labels)
    tp = np.bincount(t[t == p], minlength=k).astype(float)
    support, predicted = np.bincount(t, minlength=k), np.bincount(p, minlength=k)
    denom = support + predicted
    f1 = np.divide(2 * tp, denom, out=np.zeros(k), where=denom > 0)
    return float(f1.mean())


def macro_f1_ci(y_true: Sequence[str], y_pred: Sequence[str], *,
                groups: Sequence | None = None, n_boot: int = 2000, level: float = 0.95,
                seed: int = config.SEED) -> dict:
    """Macro-F1 with a percentile bootstrap confidence interval.

    Macro-F1 averages the F1 of every label present in the truth or the
    predictions.  With ``groups`` the bootstrap resamples whole groups
    (cluster bootstrap), so paragraphs of one post or paraphrases of one
    idea do not count as independent evidence.

    Returns
    -------
    dict
        ``macro_f1``, ``low``, ``high``, ``n``, ``accuracy``.

    Examples
    --------
    >>> r = macro_f1_ci(["a", "b", "a", "b"], ["a", "b", "a", "a"], n_boot=200)
    >>> round(r["macro_f1"], 3), r["n"]
    (0.733, 4)
    """
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    n = len(y_true)
    if n == 0:
        return {"macro_f1": np.nan, "low": np.nan, "high": np.nan, "n": 0, "accuracy": np.nan}
    point = _macro_f1(y_true, y_pred)
    if n_boot <= 0:
        return {"macro_f1": point, "low": np.nan, "high": np.nan, "n": n,
                "accuracy": float(np.mean(y_true == y_pred))}
    rng = np.random.default_rng(seed)
    groups = np.arange(n) if groups is None else np.asarray(groups)
    uniq, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    stats = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(uniq), len(uniq))
        idx = np.concatenate([members[g] for g in pick])
        stats.append(_macro_f1(y_true[idx], y_pred[idx]))
    alpha = (1 - level) / 2
    low, high = np.quantile(stats, [alpha, 1 - alpha])
    return {"macro_f1": point, "low": float(low), "high": float(high), "n": n,
            "accuracy": float(np.mean(y_true == y_pred))}


def agreement_table(gold: pd.DataFrame, labels: pd.DataFrame, *, n_boot: int = 2000,
                    seed: int = config.SEED) -> pd.DataFrame:
    """Macro-F1 (with cluster-bootstrap CI) of each method against the gold labels.

    Parameters
    ----------
    gold : DataFrame
        Gold items with ``label``, ``group`` and ``constructed``; not modified.
    labels : DataFrame
        One column per method (see :func:`method_labels`), aligned with
        ``gold`` by index; missing values are left out for that method.
    n_boot, seed
        Bootstrap settings.

    Returns
    -------
    DataFrame
        Tidy: ``method``, ``subset`` (all, corpus, constructed), ``n``,
        ``macro_f1``, ``low``, ``high``, ``accuracy``.
    """
    rows = []
    subsets = {"all": np.ones(len(gold), bool), "corpus": ~gold["constructed"].to_numpy(bool),
               "constructed": gold["constructed"].to_numpy(bool)}
    for method in labels.columns:
        pred = labels[method]
        for subset, mask in subsets.items():
            keep = mask & pred.notna().to_numpy()
            res = macro_f1_ci(gold["label"].to_numpy()[keep], pred.to_numpy()[keep],
                              groups=gold["group"].to_numpy()[keep], n_boot=n_boot, seed=seed)
            rows.append({"method": method, "subset": subset, **res})
    return pd.DataFrame(rows)[["method", "subset", "n", "macro_f1", "low", "high", "accuracy"]]


def confusion_table(y_true: Sequence[str], y_pred: Sequence[str], *,
                    labels: Sequence[str] = LABELS) -> pd.DataFrame:
    """Tidy confusion matrix: ``true``, ``predicted``, ``n`` for every label pair.

    Examples
    --------
    >>> t = confusion_table(["none", "mixed"], ["none", "none"])
    >>> int(t.query("true == 'mixed' and predicted == 'none'")["n"].iloc[0])
    1
    """
    counts = pd.crosstab(pd.Categorical(y_true, categories=labels),
                         pd.Categorical(y_pred, categories=labels), dropna=False)
    counts.index.name, counts.columns.name = "true", "predicted"
    return counts.stack().rename("n").reset_index().astype({"true": str, "predicted": str})


def bootstrap_framing(paragraph_scores: pd.DataFrame, *, by: str, model: FramingModel,
                      n_boot: int = 500, level: float = 0.95,
                      seed: int = config.SEED) -> pd.DataFrame:
    """Aggregate framing per group with a bootstrap CI over its paragraphs.

    Parameters
    ----------
    paragraph_scores : DataFrame
        Output of :meth:`FramingModel.score_paragraphs` plus ``by``.
    by : str
        Grouping column (e.g. ``source`` or ``doc_id``).
    model : FramingModel
        The fitted model that scored the paragraphs.
    n_boot, level, seed
        Bootstrap settings: paragraphs are resampled within each group.

    Returns
    -------
    DataFrame
        :meth:`FramingModel.aggregate` output with ``low`` and ``high``
        bounds of ``framing_score``.
    """
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


def krippendorff_alpha(codings: pd.DataFrame, *, item_col: str = "item_id",
                       coder_col: str = "coder", label_col: str = "label") -> float:
    """Nominal Krippendorff's alpha of several coders' labels.

    Parameters
    ----------
    codings : DataFrame
        Long table: one row per (item, coder) with the label given.
    item_col, coder_col, label_col : str
        Column names.

    Returns
    -------
    float

    Examples
    --------
    >>> df = pd.DataFrame({"item_id": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                    "coder": ["a", "b"] * 4,
    ...                    "label": ["none", "none", "mixed", "mixed", "anti_us", "anti_us",
    ...                              "none", "mixed"]})
    >>> round(krippendorff_alpha(df), 3)
    0.667
    """
    import krippendorff

    values = sorted(codings[label_col].dropna().unique())
    codes = {v: i for i, v in enumerate(values)}
    table = codings.pivot_table(index=coder_col, columns=item_col, values=label_col,
                                aggfunc="first")
    data = table.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
