"""Document-level framing scorers with the scikit-learn estimator contract.

Every scorer takes a feature matrix ``X`` (rows: documents) and the labels
``y`` (:data:`~analysis.framing.labels.LABELS`), so that scikit-learn's
``cross_val_predict`` with ``StratifiedGroupKFold(groups=site)`` validates
them all the same way.  :func:`design_matrix` lays the blocks of
:class:`~analysis.framing.features.DocumentFeatures` side by side;
:data:`LAYOUT` says where each block lies.

:class:`DocumentClassifier`
    Multinomial logistic regression on the hashed n-grams and the lexicon
    evidence, the default measure.  ``none`` is given only when its
    probability reaches ``none_threshold``: no evidence, not weak evidence.
:class:`LexiconRule`
    The lexicon alone, through the documented combination rule
    (:func:`analysis.framing.combine.combine_scores` thresholds).
:class:`KeywordBaseline`
    A plain keyword count: the pole with more of its 20 keywords.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from .. import config
from .features import KEYWORDS, LEXICON_FEATURES, N_FEATURES, DocumentFeatures

__all__ = ["LAYOUT", "design_matrix", "DocumentClassifier", "LexiconRule", "KeywordBaseline"]

#: Column ranges of :func:`design_matrix`: (block, start, stop).
_NG = 2 * N_FEATURES
LAYOUT = {"word": (0, N_FEATURES), "char": (N_FEATURES, _NG),
          "lexicon": (_NG, _NG + len(LEXICON_FEATURES)),
          "keyword": (_NG + len(LEXICON_FEATURES), _NG + len(LEXICON_FEATURES) + len(KEYWORDS))}
#: Blocks of the default classifier: (start, stop, transform, weight).  The
#: lexicon weight was chosen by grouped cross-validation (notebook 03).
DEFAULT_BLOCKS = ((*LAYOUT["word"], "tfidf", 1.0), (*LAYOUT["char"], "tfidf", 1.0),
                  (*LAYOUT["lexicon"], "log", 0.3))


def design_matrix(feats: DocumentFeatures) -> sparse.csr_matrix:
    """All blocks side by side (see :data:`LAYOUT`), one row per document."""
    return sparse.hstack([feats.ngrams, sparse.csr_matrix(feats.lexicon),
                          sparse.csr_matrix(feats.keywords)], format="csr")


def _log(x):
    if sparse.issparse(x):
        x = x.tocsr(copy=True)
        x.data = np.sign(x.data) * np.log1p(np.abs(x.data))
        return x
    return np.sign(x) * np.log1p(np.abs(x))


def _idf(X, blocks) -> list:
    """Smoothed inverse document frequencies of the ``tfidf`` blocks (scikit-learn's)."""
    n = X.shape[0]
    out = []
    for start, stop, how, _ in blocks or ():
        if how == "tfidf":
            df = np.bincount(X[:, start:stop].tocsc().indices, minlength=stop - start)
            out.append(np.log((1 + n) / (1 + df)) + 1)
        else:
            out.append(None)
    return out


def _block_transform(X, blocks, idf=None) -> sparse.csr_matrix:
    """Transform each block and scale it by its weight.

    ``log``: log counts; ``l2``: log counts in unit rows; ``tfidf``: log
    counts times the training idf, in unit rows.
    """
    X = sparse.csr_matrix(X)
    if blocks is None:
        return normalize(_log(X))
    parts = []
    for i, (start, stop, how, weight) in enumerate(blocks):
        part = _log(X[:, start:stop])
        if how == "tfidf":
            part = normalize(part @ sparse.diags(idf[i]))
        elif how == "l2":
            part = normalize(part)
        parts.append(weight * part)
    return sparse.hstack(parts, format="csr")


class DocumentClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on hashed n-grams plus lexicon evidence.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength.
    blocks : sequence of (start, stop, transform, weight), optional
        Column blocks of ``X`` to use: ``transform`` is ``"tfidf"`` (log counts
        times the smoothed idf of the training documents, unit rows), ``"l2"``
        (log counts, unit rows) or ``"log"`` (log counts); ``weight`` scales
        the block.
        ``None`` uses every column as one l2 block (for generic inputs).
    none_threshold : float
        ``none`` is predicted only when ``P(none)`` reaches this value;
        otherwise the most probable of the other labels.
    class_weight : {"balanced", None}
        Passed to the logistic regression.
    seed : int
        Random state of the solver.
    """

    def __init__(self, *, C: float = 10.0, blocks: Sequence | None = DEFAULT_BLOCKS,
                 none_threshold: float = 0.5, class_weight: str | None = "balanced",
                 seed: int = config.SEED):
        self.C = C
        self.blocks = blocks
        self.none_threshold = none_threshold
        self.class_weight = class_weight
        self.seed = seed

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y):
        """Fit the regression on the transformed blocks; returns ``self``."""
        X, y = validate_data(self, X, y, accept_sparse="csr")
        self.classes_ = unique_labels(y)
        self.idf_ = _idf(sparse.csr_matrix(X), self.blocks)
        Xt = _block_transform(X, self.blocks, self.idf_)
        # Only columns seen in training can get a non-zero weight under the L2
        # penalty; fitting on them alone gives the same model, much faster.
        self.columns_ = np.unique(Xt.indices)
        self.model_ = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                         max_iter=5000, random_state=self.seed)
        self.model_.fit(Xt[:, self.columns_], y)
        self.coef_, self.intercept_ = self.model_.coef_, self.model_.intercept_
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        check_is_fitted(self, ("coef_", "columns_"))
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        Xt = _block_transform(X, self.blocks, self.idf_)
        z = Xt[:, self.columns_] @ self.coef_.T + self.intercept_
        z = np.asarray(z)
        if z.shape[1] == 1:  # two classes: scikit-learn's binary parametrisation
            z = np.hstack([-z, z]) / 2
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The label under the ``none`` rule (see ``none_threshold``)."""
        p = self.predict_proba(X)
        return _predict_with_none(p, self.classes_, self.none_threshold)


def _predict_with_none(p: np.ndarray, classes: np.ndarray, threshold: float) -> np.ndarray:
    classes = np.asarray(classes)
    best = classes[p.argmax(axis=1)]
    if "none" not in classes or len(classes) < 2:
        return best
    k = int(np.flatnonzero(classes == "none")[0])
    other = p.copy()
    other[:, k] = -np.inf
    return np.where(p[:, k] >= threshold, "none", classes[other.argmax(axis=1)])


class _RuleScorer(ClassifierMixin, BaseEstimator):
    """Shared contract of the fixed-rule scorers: fitting only records the labels."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y):
        """Record ``classes_``; the rule learns nothing.  Returns ``self``."""
        validate_data(self, X, y, accept_sparse="csr")
        self.classes_ = unique_labels(y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """One-hot probabilities of :meth:`predict` over ``classes_``."""
        pred = self.predict(X)
        return (pred[:, None] == np.asarray(self.classes_)[None, :]).astype(float)

    def predict(self, X) -> np.ndarray:
        """The rule's label per row."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        a, u = self._poles(sparse.csr_matrix(X))
        return _decide(a, u, self._threshold(), self.mixed_ratio)

    def _threshold(self) -> float:
        return 0.0


def _decide(a: np.ndarray, u: np.ndarray, threshold: float, ratio: float) -> np.ndarray:
    hi, lo = np.fmax(a, u), np.fmin(a, u)
    label = np.where(a >= u, "all_imperialisms", "anti_us").astype(object)
    label = np.where((lo > 0) & (lo >= ratio * hi), "mixed", label)
    return np.where(hi > threshold, label, "none").astype(object)


class LexiconRule(_RuleScorer):
    """The lexicon alone: summed evidence weight per pole, then the combination rule.

    Parameters
    ----------
    start : int
        First column of the lexicon block (:data:`LEXICON_FEATURES` order).
    threshold : float
        A pole needs more summed weight than this.
    mixed_ratio : float
        Both poles present and the weaker at least this share of the
        stronger: ``mixed``.
    """

    def __init__(self, *, start: int = LAYOUT["lexicon"][0], threshold: float = 0.0,
                 mixed_ratio: float = 0.6):
        self.start = start
        self.threshold = threshold
        self.mixed_ratio = mixed_ratio

    def _threshold(self) -> float:
        return self.threshold

    def _poles(self, X):
        # LEXICON_FEATURES: weight/matches/flipped for anti_us, then for all_imperialisms.
        u = np.asarray(X[:, self.start].todense()).ravel()
        a = np.asarray(X[:, self.start + 3].todense()).ravel()
        return a, u


class KeywordBaseline(_RuleScorer):
    """A 20-keyword count (:data:`~analysis.framing.features.KEYWORDS`), no weights.

    The pole with more keyword hits; both equal and non-zero: ``mixed``;
    none: ``none``.
    """

    def __init__(self, *, start: int = LAYOUT["keyword"][0], mixed_ratio: float = 1.0):
        self.start = start
        self.mixed_ratio = mixed_ratio

    def _poles(self, X):
        block = np.asarray(X[:, self.start:self.start + len(KEYWORDS)].todense())
        poles = np.array([p for p, _ in KEYWORDS])
        return (block[:, poles == "all_imperialisms"].sum(axis=1),
                block[:, poles == "anti_us"].sum(axis=1))
