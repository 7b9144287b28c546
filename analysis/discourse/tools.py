"""Corpus-linguistic tools: concordance (KWIC), keyness and collocations.

The tools discourse analysts know from AntConc, #LancsBox, quanteda and
scattertext, as functions over a tidy text table (posts or paragraphs), each
returning a tidy table that keeps the documents' metadata.  Tokens are the
package's (:func:`analysis.text.tokenize.tokenize`, re-exported here).

Formulas (each checked against hand-computed values in
``tests/test_discourse.py``):

Keyness, for a term with frequency ``a`` in the target (``c`` tokens) and
``b`` in the reference (``d`` tokens):

* log-likelihood (Rayson & Garside 2000): ``E1 = c(a+b)/(c+d)``,
  ``E2 = d(a+b)/(c+d)``, ``G2 = 2 (a ln(a/E1) + b ln(b/E2))`` with
  ``0 ln 0 = 0``; ``p`` from the chi-squared distribution with 1 df.  This
  is the two-term G2 of Rayson's log-likelihood calculator (and AntConc's
  "2-term" option): a G-test of ``a, b`` against ``E1, E2``
  (:func:`scipy.stats.power_divergence`).  It is *not* the G2 of the 2x2
  table ``a, b, c-a, d-b`` (:func:`scipy.stats.chi2_contingency` with
  ``lambda_="log-likelihood"``), which adds the terms of the other tokens
  and is slightly larger; the two agree when ``a`` and ``b`` are small
  against ``c`` and ``d``.
* log-ratio (Hardie 2014): ``log2((a/c) / (b/d))``, a zero count replaced
  by 0.5 so the ratio stays finite; the effect size (1 = twice as frequent).
* ``%DIFF`` (Gabrielatos & Marchi 2012): ``100 (a/c - b/d) / (b/d)``.

Collocations, for a node and a collocate within ``window`` tokens on either
side (Evert 2008's surface co-occurrence): ``O11`` co-occurrences, ``R1`` the
number of token positions inside the node's windows, ``C1`` the collocate's
corpus frequency, ``N`` the corpus size; ``E11 = R1 C1 / N``.

* MI: ``log2(O11 / E11)``;
* log-likelihood: ``G2`` of the 2x2 table ``O11, R1-O11, C1-O11,
  N-R1-C1+O11``, as :func:`scipy.stats.chi2_contingency` computes it
  (``correction=False, lambda_="log-likelihood"``), for all collocates at once;
* log-Dice (Rychlý 2008): ``14 + log2(2 O11 / (f_node + f_collocate))``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..text.tokenize import tokenize

__all__ = ["tokenize", "stop_words", "kwic", "keyness", "collocations", "log_likelihood"]

DEFAULT_META = ("post_id", "doc_id", "source", "date")


def stop_words(languages: Iterable[str]) -> frozenset[str]:
    """Stop words of several languages, from the maintained stopwords-iso lists.

    Parameters
    ----------
    languages : iterable of str
        ISO 639-1 codes (missing values are skipped); codes without a list
        add nothing.

    Returns
    -------
    frozenset of str
        Lower-case stop words, tokenised like :func:`tokenize`, so they can
        be passed as ``exclude`` to :func:`keyness` and :func:`collocations`.
        All-capital acronyms are never stop words (``US`` is not ``us``).

    Examples
    --------
    >>> words = stop_words(["en", "fr", None])
    >>> {"the", "les", "et", "des"} <= words, "US" in words
    (True, False)
    """
    import stopwordsiso

    codes = sorted({c for c in languages if isinstance(c, str) and stopwordsiso.has_lang(c)})
    words = stopwordsiso.stopwords(codes) if codes else set()
    return frozenset(t for w in words for t in tokenize(w) if not t.isupper())


def _fold(text: str, *, case: bool, accents: bool) -> tuple[str, np.ndarray]:
    """Fold case/accents; return the folded text and each char's original index."""
    chars, index = [], []
    for i, char in enumerate(text):
        piece = char
        if not accents:
            piece = "".join(c for c in unicodedata.normalize("NFD", char)
                            if not unicodedata.combining(c))
        if not case:
            piece = piece.casefold()
        chars.append(piece)
        index.extend([i] * len(piece))
    return "".join(chars), np.array(index + [len(text)], dtype=np.int64)


def kwic(corpus: pd.DataFrame, pattern: str, *, window: int = 5, regex: bool = False,
         case_sensitive: bool = False, accent_sensitive: bool = False, text_col: str = "text",
         id_col: str = "paragraph_id", meta: Sequence[str] = DEFAULT_META) -> pd.DataFrame:
    """Keyword in context: every match of a phrase or regex with its context.

    Parameters
    ----------
    corpus : DataFrame
        A text table (paragraphs or posts); not modified.
    pattern : str
        A phrase (matched as whole words, any whitespace between words) or,
        with ``regex=True``, a regular expression.
    window : int
        Words of context on each side.
    regex : bool
        Treat ``pattern`` as a regular expression.
    case_sensitive, accent_sensitive : bool
        By default ``"imperialisme"`` also finds ``"Impérialisme"``.
    text_col, id_col : str
        Columns of the text and of its id.
    meta : sequence of str
        Metadata columns to carry into the result, where present.

    Returns
    -------
    DataFrame
        One row per match: ``id_col``, ``left``, ``match`` (as written in the
        text), ``right``, ``start``/``end`` (character offsets) and ``meta``.

    Examples
    --------
    >>> df = pd.DataFrame({"paragraph_id": ["p1"],
    ...                    "text": ["We oppose US imperialism and Russian impérialism alike."]})
    >>> kwic(df, "imperialism", window=2)[["left", "match", "right"]].values.tolist()
    [['oppose US', 'imperialism', 'and Russian'], ['and Russian', 'impérialism', 'alike']]
    """
    fold = {"case": case_sensitive, "accents": accent_sensitive}
    source = pattern if regex else r"(?<!\w)" + r"\s+".join(
        re.escape(w) for w in pattern.split()) + r"(?!\w)"
    if not regex:
        source = _fold(source, **fold)[0]
    compiled = re.compile(source)
    meta = [c for c in meta if c in corpus.columns and c != id_col]
    rows = []
    for record in corpus[[id_col, text_col, *meta]].to_dict("records"):
        text = record[text_col]
        folded, index = _fold(text, **fold)
        for m in compiled.finditer(folded):
            if m.end() == m.start():
                continue
            start, end = int(index[m.start()]), int(index[m.end()])
            left = " ".join(tokenize(text[:start], lowercase=False)[-window:]) if window else ""
            right = " ".join(tokenize(text[end:], lowercase=False)[:window]) if window else ""
            rows.append({id_col: record[id_col], "left": left, "match": text[start:end],
                         "right": right, "start": start, "end": end,
                         **{c: record[c] for c in meta}})
    return pd.DataFrame(rows, columns=[id_col, "left", "match", "right", "start", "end", *meta])


def log_likelihood(a, b, c, d):
    """Log-likelihood G2 of frequency ``a`` in ``c`` tokens vs ``b`` in ``d`` tokens.

    Works elementwise on arrays.

    Examples
    --------
    >>> round(float(log_likelihood(10, 0, 100, 100)), 4)   # 2 * 10 * ln 2
    13.8629
    """
    a, b, c, d = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (a, b, c, d)))
    observed = np.stack([a, b])
    expected = np.stack([c, d]) * (a + b) / (c + d)
    return stats.power_divergence(observed, expected, axis=0, lambda_="log-likelihood").statistic


def _counts(texts: Iterable[str]) -> Counter:
    counter: Counter = Counter()
    for text in texts:
        counter.update(tokenize(text))
    return counter


def keyness(corpus: pd.DataFrame, target, reference=None, *, by: str, text_col: str = "text",
            min_count: int = 1, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Key terms of a target group against a reference group.

    Parameters
    ----------
    corpus : DataFrame
        A text table with a grouping column ``by``; not modified.
    target : value or list of values
        Group(s) of ``by`` forming the target corpus (e.g. ``"anti_us"``, a
        source, a period).
    reference : value or list of values, optional
        Group(s) forming the reference corpus; by default all other rows.
    by : str
        The grouping column (framing, source, period, ...).
    text_col : str
        Column holding the text.
    min_count : int
        Keep terms with at least this many occurrences in both corpora
        together.
    exclude : iterable of str
        Terms to leave out of the table (e.g. a stop-word list); they still
        count in the corpus sizes.

    Returns
    -------
    DataFrame
        One row per term, sorted by signed G2 (terms key to the target
        first): ``term``, ``target_count``, ``reference_count``,
        ``target_total``, ``reference_total``, ``target_per_10k``,
        ``reference_per_10k``, ``g2``, ``p_value``, ``log_ratio``,
        ``pct_diff`` and ``direction`` (``"target"`` or ``"reference"``).
    """
    targets = [target] if np.isscalar(target) or target is None else list(target)
    in_target = corpus[by].isin(targets)
    if reference is None:
        in_reference = ~in_target
    else:
        refs = [reference] if np.isscalar(reference) else list(reference)
        in_reference = corpus[by].isin(refs)
    if not in_target.any() or not in_reference.any():
        raise ValueError(f"keyness needs rows in both groups of column '{by}' "
                         f"(target {targets!r}: {int(in_target.sum())} rows, reference: "
                         f"{int(in_reference.sum())} rows)")
    tc, rc = _counts(corpus.loc[in_target, text_col]), _counts(corpus.loc[in_reference, text_col])
    excluded = set(exclude)
    terms = sorted(t for t in set(tc) | set(rc)
                   if tc[t] + rc[t] >= min_count and t not in excluded)
    a = np.array([tc[t] for t in terms], dtype=float)
    b = np.array([rc[t] for t in terms], dtype=float)
    c, d = float(sum(tc.values())), float(sum(rc.values()))
    g2 = log_likelihood(a, b, c, d)
    ratio = (np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(b > 0, 100 * (a / c - b / d) / (b / d), np.inf)
    direction = np.where(a / c >= b / d, "target", "reference")
    out = pd.DataFrame({
        "term": terms, "target_count": a.astype(int), "reference_count": b.astype(int),
        "target_total": int(c), "reference_total": int(d),
        "target_per_10k": 1e4 * a / c, "reference_per_10k": 1e4 * b / d,
        "g2": g2, "p_value": stats.chi2.sf(g2, df=1), "log_ratio": np.log2(ratio),
        "pct_diff": pct, "direction": direction,
    })
    signed = np.where(out["direction"] == "target", out["g2"], -out["g2"])
    return (out.assign(_s=signed).sort_values(["_s", "term"], ascending=[False, True])
            .drop(columns="_s").reset_index(drop=True))


def collocations(corpus: pd.DataFrame, node: str, *, window: int = 5, text_col: str = "text",
                 min_count: int = 2, measure: str = "log_dice",
                 exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Collocates of a node word within ``window`` tokens on either side.

    Parameters
    ----------
    corpus : DataFrame
        A text table; windows do not cross the rows' text boundaries.
    node : str
        The node word, tokenised like the text (so lower-cased, acronyms
        such as ``US`` kept).
    window : int
        Tokens on each side of each node occurrence.
    text_col : str
        Column holding the text.
    min_count : int
        Keep collocates with at least this many co-occurrences.
    measure : {"log_dice", "mi", "log_likelihood"}
        Column to sort by.
    exclude : iterable of str
        Collocates to leave out of the table, e.g. :func:`stop_words` (they
        still count in the window and corpus totals).

    Returns
    -------
    DataFrame
        ``collocate``, ``cooccurrences`` (O11), ``collocate_freq`` (C1),
        ``node_freq``, ``window_tokens`` (R1), ``corpus_tokens`` (N),
        ``expected`` (E11), ``mi``, ``log_likelihood`` and ``log_dice``.
    """
    node = (tokenize(node) or [node])[0]
    freq: Counter = Counter()
    co: Counter = Counter()
    r1 = 0
    for text in corpus[text_col]:
        tokens = tokenize(text)
        freq.update(tokens)
        for i, tok in enumerate(tokens):
            if tok != node:
                continue
            span = tokens[max(0, i - window):i] + tokens[i + 1:i + 1 + window]
            r1 += len(span)
            co.update(span)
    n = sum(freq.values())
    columns = ["collocate", "cooccurrences", "collocate_freq", "node_freq", "window_tokens",
               "corpus_tokens", "expected", "mi", "log_likelihood", "log_dice"]
    if measure not in columns[-3:]:
        raise ValueError(f"measure must be one of mi, log_likelihood, log_dice, not {measure!r}")
    exclude = set(exclude)
    terms = sorted(t for t, k in co.items() if k >= min_count and t not in exclude)
    if not terms:
        return pd.DataFrame(columns=columns)
    o11 = np.array([co[t] for t in terms], dtype=float)
    c1 = np.array([freq[t] for t in terms], dtype=float)
    e11 = r1 * c1 / n
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    observed = np.stack([o11, o12, o21, o22])
    rows_, cols_ = np.stack([r1 + 0 * o11, r1 + 0 * o11, n - r1 + 0 * o11, n - r1 + 0 * o11]), \
        np.stack([c1, n - c1, c1, n - c1])
    expected = rows_ * cols_ / n
    # chi2_contingency(table, correction=False, lambda_="log-likelihood") of
    # each collocate's 2x2 table: power_divergence against the expected
    # counts, one table per column.
    g2 = stats.power_divergence(observed, expected, axis=0, lambda_="log-likelihood").statistic
    # Overlapping node windows count a token once per window, so O11 can
    # exceed C1: that table has a negative cell and no G2.
    g2 = np.where((observed < 0).any(axis=0), np.nan, g2)
    out = pd.DataFrame({
        "collocate": terms, "cooccurrences": o11.astype(int), "collocate_freq": c1.astype(int),
        "node_freq": freq[node], "window_tokens": r1, "corpus_tokens": n, "expected": e11,
        "mi": np.log2(o11 / e11), "log_likelihood": g2,
        "log_dice": 14 + np.log2(2 * o11 / (freq[node] + c1)),
    })
    return out.sort_values([measure, "collocate"], ascending=[False, True]).reset_index(drop=True)
