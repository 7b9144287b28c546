"""The paragraph measure's embedding scorers: prototypes and the gold-trained classifier.

:class:`PrototypeScorer` compares a paragraph with exemplar statements of each
label; :class:`FramingClassifier` is a logistic regression trained on the gold
paragraphs.  :class:`~analysis.framing.paragraph.FramingModel` fits and combines
them with the lexicon and LSS.  (The document measure's estimators are in
:mod:`analysis.framing.scorers`.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .labels import _P, _PROTO_LABELS, LABELS
from .lss import unit_rows

__all__ = ["FramingClassifier", "PrototypeScorer"]


def _embed(texts: Sequence[str], encoder, model_key, cache_dir) -> np.ndarray:
    """Embed ``texts`` through the shared cache; an empty array for no text."""
    from ..text.embeddings import embed

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
        Passed to :func:`analysis.text.embeddings.embed`.

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
        Passed to :func:`analysis.text.embeddings.embed`.

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
