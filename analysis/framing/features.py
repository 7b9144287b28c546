"""Document features of the framing measure, from text or from the committed tables.

Three blocks, each computed from the cleaned text of a whole document:

``word`` and ``char``
    Hashed word-unigram counts and hashed character 3-5-gram counts (inside
    word boundaries), :data:`N_FEATURES` buckets each.  Words are
    scikit-learn's default token pattern, lower-cased: the feature
    definition is part of the model version and must not follow changes to
    the package's display tokenizer.
``lexicon``
    Evidence of the framing lexicon (:mod:`analysis.framing.lexicon`) summed
    per pole: total weight, number of matches, and how many of them were
    negated or distanced (see :data:`LEXICON_FEATURES`).
``keyword``
    Hits of the 20-keyword baseline (:data:`KEYWORDS`), used only by
    :class:`~analysis.framing.scorers.KeywordBaseline`.

:func:`text_features` computes them from raw texts; :func:`table_features`
rebuilds the same matrices from ``data/annotations/real/`` so that the model
can be retrained and cross-validated without the texts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .._compat import renamed_keywords
from ..text.tokenize import SKLEARN_WORD_PATTERN
from .evidence import lexicon_matches
from .lexicon import POLES, Lexicon, load_lexicon
from .prefilter import Prefilter, folded_words

__all__ = ["N_FEATURES", "LEXICON_FEATURES", "KEYWORDS", "DocumentFeatures", "hashed_counts",
           "evidence_table", "lexicon_block", "keyword_counts", "text_features",
           "table_features"]

#: Hash buckets of each n-gram block.
N_FEATURES = 2**18
#: Columns of the lexicon block, in order.
LEXICON_FEATURES = tuple(f"{what}_{pole}" for pole in POLES
                         for what in ("weight", "matches", "flipped"))

#: The keyword baseline: one line per keyword, the pole it counts for.  A
#: deliberately plain list (no weights, no negation) in the eight languages,
#: for the comparison the measure must beat.
KEYWORDS = (
    ("anti_us", r"\b(us|u\.s\.|american|yankee|nato) imperialis"),
    ("anti_us", r"\bimperialismo (yanqui|norteamericano|estadounidense|americano|norte-americano)"),
    ("anti_us", r"\bimpérialisme (américain|étasunien|us)\b"),
    ("anti_us", r"\b(us|usa|nato)-imperialismus"),
    ("anti_us", r"американск\w* империализм|империализм\w* сша"),
    ("anti_us", r"الإمبريالية الأمريكية|الامبريالية الامريكية"),
    ("anti_us", r"\bproxy[- ]war|guerra (por|per) (delegación|procura)|guerre par procuration"),
    ("anti_us", r"\bregime[- ]change|\bcambio de régimen|\bcolou?r revolution"),
    ("anti_us", r"\bkiev junta|\bjunta de kiev|\bus[- ]backed coup|\bgolpe (de estado )?(en|na) "),
    ("anti_us", r"\bnato expansion|\bexpansión de la otan|\bélargissement de l'otan"
                r"|nato-osterweiterung"),
    ("all_imperialisms", r"\brussian imperialis|\bimperialismo russo|\bimperialismo ruso"),
    ("all_imperialisms", r"\bimpérialisme russe|\brussische[nr]? imperialismus"),
    ("all_imperialisms", r"российск\w* империализм|الإمبريالية الروسية|الامبريالية الروسية"),
    ("all_imperialisms", r"\brussian invasion|\binvasión rusa|\binvasione russa|\binvasion russe"),
    ("all_imperialisms", r"\binvasão russa|\brussische[nr]? (angriff|invasion)|вторжени\w* росси"),
    ("all_imperialisms", r"\binter-?imperialist|\binterimperialista|\binter-?impérialiste"),
    ("all_imperialisms", r"\bneither washington nor moscow|\bni washington ni mosc"),
    ("all_imperialisms", r"\bcampis[tm]|\bcampismo|\bkampismus"),
    ("all_imperialisms", r"\bchinese imperialis|\bimperialismo chino|\bimpérialisme chinois"),
    ("all_imperialisms", r"\ball imperialisms|\btodos los imperialismos|\btous les impérialismes"),
)
_KEYWORD_RES = tuple(re.compile(p, re.IGNORECASE) for _, p in KEYWORDS)


@dataclass
class DocumentFeatures:
    """The feature blocks of a set of documents, row-aligned with ``doc_ids``."""

    doc_ids: list
    ngrams: sparse.csr_matrix
    lexicon: np.ndarray
    keywords: np.ndarray
    evidence: pd.DataFrame

    def __len__(self) -> int:
        return len(self.doc_ids)

    def take(self, rows) -> DocumentFeatures:
        """The features of a subset of rows (positions)."""
        rows = np.asarray(rows)
        ids = [self.doc_ids[i] for i in rows]
        return DocumentFeatures(ids, self.ngrams[rows], self.lexicon[rows], self.keywords[rows],
                                self.evidence[self.evidence["doc_id"].isin(set(ids))])


def _vectorizers(*, lowercase: bool = True):
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None,
              "dtype": np.float64, "lowercase": lowercase}
    return {"word": HashingVectorizer(analyzer="word", **common),
            "char": HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)}


#: The ``word`` block's words: scikit-learn's default token pattern, kept as
#: :data:`analysis.text.tokenize.SKLEARN_WORD_PATTERN` (part of model 2.0.0).
_TOKEN = re.compile(SKLEARN_WORD_PATTERN)
_CHUNK = 5000


def hashed_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed word and character n-gram counts, ``(n, 2 * N_FEATURES)``.

    The same matrix as ``HashingVectorizer.transform`` of each block, computed
    through the distinct words: both blocks are sums over a document's words
    (its tokens; its whitespace-separated words padded with a space for
    ``char_wb``), so each distinct word is hashed once, by the vectorizer
    itself, and a (document x word) count matrix times the (word x bucket)
    matrix gives the counts.  Counts are integers, so the sums are exact.
    """
    texts = [t.lower() for t in texts]  # the vectorizers' own preprocessing
    vecs = _vectorizers(lowercase=False)
    blocks = []
    for start in range(0, max(len(texts), 1), _CHUNK):
        chunk = texts[start:start + _CHUNK]
        blocks.append(sparse.hstack([_via_words(chunk, _TOKEN.findall, vecs["word"]),
                                     _via_words(chunk, str.split, vecs["char"])], format="csr"))
    out = sparse.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]
    out.sort_indices()
    return out


def _via_words(docs: list[str], words, vectorizer) -> sparse.csr_matrix:
    """(document x bucket) counts as (document x distinct word) @ (word x bucket)."""
    indptr, tokens = [0], []
    for doc in docs:
        found = words(doc)
        tokens.extend(found)
        indptr.append(indptr[-1] + len(found))
    if not tokens:  # no word at all (empty texts): the vectorizer refuses an empty list
        return sparse.csr_matrix((len(docs), vectorizer.n_features), dtype=vectorizer.dtype)
    codes, uniques = pd.factorize(pd.Series(tokens, dtype=object), sort=False)
    counts = sparse.csr_matrix((np.ones(len(codes)), codes, np.asarray(indptr)),
                               shape=(len(docs), len(uniques)))
    counts.sum_duplicates()
    out = (counts @ vectorizer.transform(list(uniques))).tocsr()
    out.sum_duplicates()
    return out


@renamed_keywords(languages="language")
def evidence_table(texts: Sequence[str], doc_ids: Sequence, language: Sequence,
                   *, lexicon: Lexicon | None = None,
                   scans: Sequence | None = None) -> pd.DataFrame:
    """The lexicon's evidence per document as a long table (no matched words).

    Columns ``doc_id, entry, evidence_type, pole, weight, negated, distanced,
    start, end``: one row per counted match, ``weight`` after negation,
    distancing and contrast.  ``scans``: each text's
    :func:`~analysis.framing.prefilter.folded_words`, when already computed.
    """
    lexicon = lexicon or load_lexicon()
    m = lexicon_matches(list(texts), ids=list(doc_ids), language=list(language),
                        lexicon=lexicon, scans=scans)
    table = lexicon.table()
    types = (table.set_index("id")["evidence_type"] if "evidence_type" in table
             else pd.Series(dtype=object))
    return pd.DataFrame({"doc_id": m["id"], "entry": m["entry_id"],
                         "evidence_type": m["entry_id"].map(types),
                         "pole": m["pole"], "weight": m["contribution"].astype(float),
                         "negated": m["negated"].astype(bool),
                         "distanced": m["distanced"].astype(bool),
                         "start": m["start"].astype(int), "end": m["end"].astype(int)})


def lexicon_block(evidence: pd.DataFrame, doc_ids: Sequence) -> np.ndarray:
    """Per-document lexicon features (:data:`LEXICON_FEATURES`) from the evidence table."""
    pos = {d: i for i, d in enumerate(doc_ids)}
    out = np.zeros((len(doc_ids), len(LEXICON_FEATURES)))
    ev = evidence[evidence["doc_id"].isin(pos) & (evidence["weight"] > 0)]
    rows = ev["doc_id"].map(pos).to_numpy().astype(np.intp)  # an empty table has no int dtype
    for p, pole in enumerate(POLES):
        sel = (ev["pole"] == pole).to_numpy()
        flipped = (ev["negated"] | ev["distanced"]).to_numpy() & sel
        np.add.at(out[:, 3 * p], rows[sel], ev["weight"].to_numpy()[sel])
        np.add.at(out[:, 3 * p + 1], rows[sel], 1.0)
        np.add.at(out[:, 3 * p + 2], rows[flipped], 1.0)
    return out


def keyword_counts(texts: Sequence[str], *, scans: Sequence | None = None) -> np.ndarray:
    """Hits of each of the 20 :data:`KEYWORDS` per text.

    Only the keywords whose necessary literals occur in a text are searched,
    and only where a hit can begin (:class:`~analysis.framing.prefilter.Prefilter`);
    the others have no hit.  ``scans``: each text's
    :func:`~analysis.framing.prefilter.folded_words`, when already computed.
    """
    out = np.zeros((len(texts), len(KEYWORDS)))
    pf = _keyword_prefilter()
    for i, t in enumerate(texts):
        scan = scans[i] if scans is not None else folded_words(t)
        present = pf.present(t, scan)
        for j in pf.candidates(t, scan, present):
            out[i, j] = len(pf.finditer(j, t, scan[0], present=present))
    return out


@functools.lru_cache(maxsize=1)
def _keyword_prefilter() -> Prefilter:
    return Prefilter(_KEYWORD_RES)


@renamed_keywords(languages="language")
def text_features(texts: Sequence[str], *, doc_ids: Sequence | None = None,
                  language: Sequence | None = None,
                  lexicon: Lexicon | None = None) -> DocumentFeatures:
    """All feature blocks from cleaned document texts.

    Each text is folded and split into words once (:func:`~analysis.framing.
    prefilter.folded_words`) for both the lexicon's and the keywords' prefilter.
    """
    texts = ["" if t is None else str(t) for t in texts]
    doc_ids = list(doc_ids) if doc_ids is not None else list(range(len(texts)))
    language = list(language) if language is not None else [None] * len(texts)
    lexicon = lexicon or load_lexicon()
    scans = [folded_words(t) for t in texts] if lexicon.prefilter else None
    evidence = evidence_table(texts, doc_ids, language, lexicon=lexicon, scans=scans)
    return DocumentFeatures(doc_ids, hashed_counts(texts), lexicon_block(evidence, doc_ids),
                            keyword_counts(texts, scans=scans), evidence)


def table_features(features: pd.DataFrame, evidence: pd.DataFrame,
                   doc_ids: Sequence) -> DocumentFeatures:
    """The same blocks rebuilt from the committed long tables.

    ``features`` has ``doc_id, block, index, count`` with blocks ``word``,
    ``char`` and ``keyword``; ``evidence`` is :func:`evidence_table`'s output.
    """
    doc_ids = list(doc_ids)
    pos = {d: i for i, d in enumerate(doc_ids)}
    f = features[features["doc_id"].isin(pos)]
    rows = f["doc_id"].map(pos).to_numpy()
    ng = f["block"].isin(["word", "char"]).to_numpy()
    col = f["index"].to_numpy() + np.where(f["block"].to_numpy() == "char", N_FEATURES, 0)
    ngrams = sparse.csr_matrix((f["count"].to_numpy(float)[ng], (rows[ng], col[ng])),
                               shape=(len(doc_ids), 2 * N_FEATURES))
    kw = np.zeros((len(doc_ids), len(KEYWORDS)))
    k = ~ng
    np.add.at(kw, (rows[k], f["index"].to_numpy()[k]), f["count"].to_numpy(float)[k])
    return DocumentFeatures(doc_ids, ngrams, lexicon_block(evidence, doc_ids), kw,
                            evidence[evidence["doc_id"].isin(pos)])


def long_table(feats: DocumentFeatures) -> pd.DataFrame:
    """The n-gram and keyword blocks as the committed long table."""
    m = feats.ngrams.tocoo()
    ids = np.asarray(feats.doc_ids, dtype=object)
    block = np.where(m.col >= N_FEATURES, "char", "word")
    parts = [pd.DataFrame({"doc_id": ids[m.row], "block": block,
                           "index": (m.col % N_FEATURES).astype(np.int64),
                           "count": m.data.astype(np.float32)})]
    r, c = np.nonzero(feats.keywords)
    parts.append(pd.DataFrame({"doc_id": ids[r], "block": "keyword", "index": c.astype(np.int64),
                               "count": feats.keywords[r, c].astype(np.float32)}))
    return pd.concat(parts, ignore_index=True)
