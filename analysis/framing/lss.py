"""Latent Semantic Scaling (LSS): semi-supervised scaling from seed words.

After Watanabe (2020, *Communication Methods and Measures*,
doi:10.1080/19312458.2020.1832976) and his R package LSX:

1. **Word vectors.** Either the right singular vectors of a sentence-term
   count matrix (``vectors="svd"``, LSX's default engine), or the packaged
   MiniLM's vector of each word (``vectors="embedding"``).
2. **Word polarity.** A term's polarity ``beta`` is its cosine similarity to
   each seed word times the seed's weight, summed.  Seed weights are +1 for
   the positive pole (all-imperialisms) and -1 for the negative (anti-US),
   divided by the number of seeds of that pole found in the vocabulary.
3. **Document score.** The frequency-weighted mean polarity of the model
   terms in a document, with LSX's standard error
   ``sqrt(mean(beta^2) - mean(beta)^2) / sqrt(n)``; it is standardised by
   the mean and standard deviation of the scores of the texts the model was
   fitted on (LSX standardises by the texts being predicted; fixing the
   reference keeps one text's score independent of the batch it comes in).

Diagnostics LSX users rely on: :meth:`LatentSemanticScaler.nearest_terms`
(the words closest to each seed, to see what a seed pulls in) and
:meth:`LatentSemanticScaler.seed_table` (each seed's frequency, its own
polarity and its contribution, measured by leaving it out).

Examples
--------
>>> texts = ["Putin invasion occupation of Ukraine.", "Kremlin invasion and occupation.",
...          "The junta and the coup in Kiev.", "A coup by the junta."] * 3
>>> lss = LatentSemanticScaler({"invasion": 1, "coup": -1}, k=2, min_count=1).fit(texts)
>>> scores = lss.score(["occupation and invasion", "the junta coup"])
>>> bool(scores["lss_score"][0] > 0 > scores["lss_score"][1])
True
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .. import config
from ..text.tokenize import is_acronym, split_sentences, word_tokens

__all__ = ["LatentSemanticScaler", "seeds_from_lexicon"]

def seeds_from_lexicon(lexicon) -> dict[str, float]:
    """LSS seed weights (+1 all-imperialisms, -1 anti-US) from a lexicon's ``lss`` section."""
    seeds = lexicon.config.get("lss", {}).get("seeds", {})
    out = {w: 1.0 for w in seeds.get("all_imperialisms", [])}
    out.update({w: -1.0 for w in seeds.get("anti_us", [])})
    return out


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class LatentSemanticScaler:
    """Latent Semantic Scaling of texts on one dimension defined by seed words.

    Parameters
    ----------
    seeds : mapping of str to float
        Seed words (``*`` globs allowed) and their polarity: positive for
        the all-imperialisms pole, negative for anti-US.
    vectors : {"svd", "embedding"}
        Where word vectors come from: an SVD of the sentence-term matrix of
        the fitted texts, or the packaged MiniLM (:func:`analysis.text.embeddings.embed`).
    k : int
        SVD dimensions (capped by the data); ignored for embeddings.
    min_count : int
        Model terms occur at least this often in the fitted texts.  Words are
        :func:`analysis.text.tokenize.word_tokens` (lower-case, without
        numbers; acronyms such as ``US`` keep their case, apart from the
        pronoun ``us``); model terms have three letters or more, or are
        acronyms.  Sentences, the units of the SVD, are
        :func:`analysis.text.tokenize.split_sentences`.
    stop_words : collection of str
        Words that never become model terms.
    min_n : int
        LSX's ``min_n``: a text with fewer model terms is scored as if it had
        this many (the rest with polarity 0), so short texts are not extreme.
    encoder, model_key, cache_dir
        Passed to :func:`analysis.text.embeddings.embed` when ``vectors="embedding"``.
    seed : int
        Random state of the SVD.

    Attributes
    ----------
    terms_ : list of str
        Model terms.
    beta_ : pandas.Series
        Polarity of each model term.
    seed_weights_ : pandas.Series
        Weight of each seed found in the vocabulary.
    vectors_ : ndarray
        Unit word vectors of the model terms.
    frequency_ : pandas.Series
        Frequency of each model term in the fitted texts.
    center_, scale_ : float
        Mean and standard deviation of the raw scores of the fitted texts.
    """

    def __init__(self, seeds: Mapping[str, float], *, vectors: str = "svd", k: int = 300,
                 min_count: int = 2, stop_words=ENGLISH_STOP_WORDS, min_n: int = 0,
                 encoder=None, model_key: str | None = None,
                 cache_dir: Path | str | None = config.CACHE / "embeddings",
                 seed: int = config.SEED):
        self.seeds = seeds
        self.vectors = vectors
        self.k = k
        self.min_count = min_count
        self.stop_words = stop_words
        self.min_n = min_n
        self.encoder = encoder
        self.model_key = model_key
        self.cache_dir = cache_dir
        self.seed = seed

    # ------------------------------------------------------------------
    def fit(self, texts: Sequence[str]) -> LatentSemanticScaler:
        """Learn word vectors and polarities from ``texts`` (English prose).

        Parameters
        ----------
        texts : sequence of str
            Reference texts; their scores also fix the standardisation.

        Returns
        -------
        self
        """
        if self.vectors not in ("svd", "embedding"):
            raise ValueError(f"vectors must be 'svd' or 'embedding', not {self.vectors!r}")
        texts = list(texts)
        counts = Counter(t for text in texts for t in word_tokens(text))
        seed_words = self._expand_seeds(counts)
        stop = set(self.stop_words)
        terms = sorted(t for t, c in counts.items()
                       if (c >= self.min_count and (len(t) >= 3 or is_acronym(t))
                           and t not in stop)
                       or t in seed_words)
        if not seed_words:
            raise ValueError("none of the seed words occurs in the fitted texts")
        if self.vectors == "svd":
            vectors = self._svd_vectors(texts, terms)
        else:
            from ..text.embeddings import embed

            vectors = embed(terms, encoder=self.encoder, model_key=self.model_key,
                            cache_dir=self.cache_dir)
        self.terms_ = terms
        self.vectors_ = unit_rows(np.asarray(vectors, dtype=np.float64))
        self.frequency_ = pd.Series({t: counts[t] for t in terms}, name="frequency")
        self.seed_weights_ = self._weights(seed_words)
        self.beta_ = self._beta(self.seed_weights_)
        raw = self._raw(texts, self.beta_)
        ok = raw["n"] > 0
        self.center_ = float(raw.loc[ok, "fit"].mean())
        self.scale_ = float(raw.loc[ok, "fit"].std(ddof=1)) if ok.sum() > 1 else 1.0
        if not np.isfinite(self.scale_) or self.scale_ == 0:
            self.scale_ = 1.0
        self._fit_texts = texts
        return self

    def _expand_seeds(self, counts: Counter) -> dict[str, float]:
        out = {}
        for pattern, polarity in self.seeds.items():
            pattern = pattern.lower()
            matched = ([w for w in counts if fnmatch.fnmatchcase(w, pattern)]
                       if "*" in pattern else [pattern] if pattern in counts else [])
            for word in matched:
                out[word] = float(np.sign(polarity))
        return out

    def _weights(self, seed_words: Mapping[str, float]) -> pd.Series:
        pos = [w for w, p in seed_words.items() if p > 0]
        neg = [w for w, p in seed_words.items() if p < 0]
        weights = {w: 1.0 / len(pos) for w in pos}
        weights.update({w: -1.0 / len(neg) for w in neg})
        return pd.Series(weights, name="weight").sort_index()

    def _svd_vectors(self, texts: Sequence[str], terms: list[str]) -> np.ndarray:
        from scipy import sparse
        from sklearn.decomposition import TruncatedSVD

        index = {t: i for i, t in enumerate(terms)}
        rows, cols, vals = [], [], []
        n_units = 0
        for text in texts:
            for sentence in split_sentences(text):
                found = Counter(t for t in word_tokens(sentence) if t in index)
                if not found:
                    continue
                for term, count in found.items():
                    rows.append(n_units)
                    cols.append(index[term])
                    vals.append(count)
                n_units += 1
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n_units, len(terms)),
                                   dtype=np.float64)
        k = max(1, min(self.k, n_units - 1, len(terms) - 1))
        svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=10,
                           random_state=self.seed)
        svd.fit(matrix)
        self.k_ = k
        return svd.components_.T

    def _beta(self, seed_weights: pd.Series) -> pd.Series:
        index = {t: i for i, t in enumerate(self.terms_)}
        seed_vectors = self.vectors_[[index[w] for w in seed_weights.index]]
        beta = self.vectors_ @ seed_vectors.T @ seed_weights.to_numpy()
        return pd.Series(beta, index=self.terms_, name="polarity")

    def _raw(self, texts: Sequence[str], beta: pd.Series) -> pd.DataFrame:
        lookup = beta.to_dict()
        rows = []
        for text in texts:
            values = [lookup[t] for t in word_tokens(text) if t in lookup]
            n_terms = len(values)
            n = max(n_terms, self.min_n) if n_terms else 0
            total = float(np.sum(values)) if values else 0.0
            sumsq = float(np.sum(np.square(values))) if values else 0.0
            rows.append({"sum": total, "sumsq": sumsq, "n_terms": n_terms, "n": n,
                         "fit": total / n if n else np.nan})
        return pd.DataFrame(rows, columns=["sum", "sumsq", "n_terms", "n", "fit"])

    # ------------------------------------------------------------------
    def score(self, texts: Sequence[str]) -> pd.DataFrame:
        """Score texts: standardised LSS score with its standard error.

        Parameters
        ----------
        texts : sequence of str
            Texts to score (English prose).

        Returns
        -------
        DataFrame
            ``lss_score`` (z-score against the fitted texts; positive is
            all-imperialisms), ``lss_se``, ``lss_n_terms`` (model terms
            found), and the sufficient statistics ``lss_sum``,
            ``lss_sumsq``, ``lss_n`` used by :meth:`aggregate`.  Texts
            without model terms get a missing score.
        """
        raw = self._raw(list(texts), self.beta_)
        return self._finish(raw["sum"], raw["sumsq"], raw["n_terms"], raw["n"])

    def aggregate(self, stats: pd.DataFrame) -> dict:
        """Score of the concatenation of texts from their ``score`` rows (exact)."""
        total, sumsq = stats["lss_sum"].sum(), stats["lss_sumsq"].sum()
        n_terms, n = stats["lss_n_terms"].sum(), stats["lss_n"].sum()
        n = max(n, self.min_n) if n_terms else 0
        out = self._finish(pd.Series([total]), pd.Series([sumsq]), pd.Series([n_terms]),
                           pd.Series([n]))
        return out.iloc[0].to_dict()

    def _finish(self, total, sumsq, n_terms, n) -> pd.DataFrame:
        total, sumsq = np.asarray(total, float), np.asarray(sumsq, float)
        n_terms, n = np.asarray(n_terms, int), np.asarray(n, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            fit = np.where(n > 0, total / n, np.nan)
            var = np.where(n > 0, sumsq / n - fit ** 2, np.nan)
            var = np.where(np.abs(var) < 1e-12, 0.0, var)
            se = np.where(n > 1, np.sqrt(np.clip(var, 0, None)) / np.sqrt(n), np.nan)
        return pd.DataFrame({"lss_score": (fit - self.center_) / self.scale_,
                             "lss_se": se / self.scale_, "lss_n_terms": n_terms,
                             "lss_sum": total, "lss_sumsq": sumsq, "lss_n": n})

    # ------------------------------------------------------------------
    def terms(self, n: int = 20) -> pd.DataFrame:
        """The ``n`` most polar model terms of each pole, with their frequency."""
        table = pd.DataFrame({"term": self.beta_.index, "polarity": self.beta_.to_numpy(),
                              "frequency": self.frequency_.reindex(self.beta_.index).to_numpy()})
        top = table.nlargest(n, "polarity").assign(pole="all_imperialisms")
        bottom = table.nsmallest(n, "polarity").assign(pole="anti_us")
        return pd.concat([top, bottom], ignore_index=True)[["pole", "term", "polarity",
                                                             "frequency"]]

    def nearest_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` model terms closest to each seed word (cosine similarity).

        Returns
        -------
        DataFrame
            ``seed``, ``pole``, ``rank``, ``term``, ``similarity``, ``frequency``.
        """
        index = {t: i for i, t in enumerate(self.terms_)}
        rows = []
        for seed, weight in self.seed_weights_.items():
            sims = self.vectors_ @ self.vectors_[index[seed]]
            order = [i for i in np.argsort(-sims, kind="stable") if self.terms_[i] != seed][:n]
            for rank, i in enumerate(order, start=1):
                rows.append({"seed": seed, "pole": "all_imperialisms" if weight > 0 else "anti_us",
                             "rank": rank, "term": self.terms_[i], "similarity": float(sims[i]),
                             "frequency": int(self.frequency_[self.terms_[i]])})
        return pd.DataFrame(rows)

    def seed_table(self, texts: Sequence[str] | None = None) -> pd.DataFrame:
        """Each seed's frequency, weight, polarity and contribution (leave-one-out).

        Parameters
        ----------
        texts : sequence of str, optional
            Texts on which to measure contributions; the fitted texts by default.

        Returns
        -------
        DataFrame
            One row per seed given: ``seed``, ``pole``, ``in_vocabulary``,
            ``frequency``, ``weight``, ``polarity`` (the seed's own fitted
            polarity: a seed whose polarity disagrees with its pole is
            pulled by the others), ``loo_r`` (correlation of text scores
            with and without the seed) and ``loo_shift`` (mean absolute
            change in the standardised scores when it is left out).
        """
        texts = list(texts) if texts is not None else self._fit_texts
        full = self._raw(texts, self.beta_)["fit"].to_numpy()
        rows = []
        for pattern, polarity in self.seeds.items():
            pole = "all_imperialisms" if polarity > 0 else "anti_us"
            words = [w for w in self.seed_weights_.index if fnmatch.fnmatchcase(w, pattern.lower())]
            if not words:
                rows.append({"seed": pattern, "pole": pole, "in_vocabulary": False,
                             "frequency": 0, "weight": 0.0, "polarity": np.nan,
                             "loo_r": np.nan, "loo_shift": np.nan})
                continue
            keep = {w: np.sign(v) for w, v in self.seed_weights_.items() if w not in words}
            if any(v > 0 for v in keep.values()) and any(v < 0 for v in keep.values()):
                reduced = self._raw(texts, self._beta(self._weights(keep)))["fit"].to_numpy()
                ok = np.isfinite(full) & np.isfinite(reduced)
                r = float(np.corrcoef(full[ok], reduced[ok])[0, 1]) if ok.sum() > 2 else np.nan
                shift = float(np.mean(np.abs(full[ok] - reduced[ok]))) / self.scale_
            else:
                r, shift = np.nan, np.nan
            rows.append({"seed": pattern, "pole": pole, "in_vocabulary": True,
                         "frequency": int(sum(self.frequency_[w] for w in words)),
                         "weight": float(self.seed_weights_[words].sum()),
                         "polarity": float(self.beta_[words].mean()),
                         "loo_r": r, "loo_shift": shift})
        return pd.DataFrame(rows)
