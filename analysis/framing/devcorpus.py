"""The real development corpus: assembly, coding, the locked split and the feature table.

The excerpts themselves are third-party text and never enter git. This module
turns the gathered excerpts (JSON lines kept outside the repository while
one works) into the committed, text-free files of ``data/annotations/real/``:

``documents.csv``
    One row per document: url, site, source, date and its basis, language,
    topic, genre, the query that found it, the consensus label with its
    evidence types and rationale, the excerpt's sha256 and length, the
    period and the split (``dev`` or ``test``).
``codings.csv``
    One row per document and coder: label, evidence types, rationale.
``features.parquet``
    Hashed word and character n-gram counts and keyword-baseline hits per
    document (see :mod:`analysis.framing.features`), restricted to hash buckets that occur on at
    least two development sites, so no rare string can be read back.
``evidence.parquet``
    The lexicon's matches per document as a long table (document, entry,
    pole, weight, span offsets), for the lexicon version named in it.

Run ``python -m analysis.framing.devcorpus --help`` for the maintainer's
command that writes them.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .. import config
from .labels import LABELS

__all__ = [
    "REAL_DIR",
    "read_gathered",
    "url_key",
    "guard_heldout",
    "assign_split",
    "keep_shared_buckets",
    "longest_shared_run",
    "read_real_documents",
    "read_real_features",
]

#: Where the committed, text-free files of the real corpus live.
REAL_DIR = config.DATA / "annotations" / "real"
#: Year from which a document belongs to the later period (the full-scale invasion).
PERIOD_BREAK = 2022
#: Share of sites held out as the locked test split.
TEST_SHARE = 0.2
#: A hash bucket is kept when it occurs on at least this many development sites.
MIN_SITES = 2
_GATHER_FIELDS = ("url", "site", "source", "title", "date", "date_basis", "language",
                  "topic", "genre", "query", "text", "label1", "evidence1", "rationale1")
_TOPICS = ("ukraine_russia", "syria", "venezuela", "cuba", "nicaragua", "bolivia",
           "palestine", "china_taiwan", "iran", "libya", "general", "other")


#: Query parameters that only track or restyle a page; other parameters
#: (``?p=123``, ``?aid=``, ``spip.php?article753``) name the document.
_TRACKING = re.compile(r"^(utm_.*|at_.*|m|amp|print|nowrapper|referrer|source|fbclid|v|tmpl|"
                       r"layout|rch)$", re.IGNORECASE)


def url_key(url: str) -> str:
    """Host without ``www.``, path without trailing slash or ``/amp``, and naming parameters.

    Examples
    --------
    >>> url_key("https://www.Example.org/2022/04/a-text/amp/?m=1&utm_source=rss")
    'example.org/2022/04/a-text'
    >>> url_key("https://litci.org/es/?p=72046")
    'litci.org/es?p=72046'
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"/amp/?$", "", parts.path).rstrip("/")
    keep = sorted(q for q in parts.query.split("&")
                  if q and not _TRACKING.match(q.split("=", 1)[0]))
    return host + path + ("?" + "&".join(keep) if keep else "")


def site_of(url: str) -> str:
    """The site of a URL: its host without ``www.``, ``m.``, ``mobile.`` or ``amp.``.

    Examples
    --------
    >>> site_of("https://m.ahewar.org/debat/show.art.asp?aid=1")
    'ahewar.org'
    """
    host = urlsplit(url.strip()).netloc.lower()
    return re.sub(r"^(www|m|mobile|amp)\.", "", host)


def _title_words(title: str, n: int = 8) -> str:
    """The title cut after ``n`` words (as :func:`_words` counts them), marked with "…"."""
    title = unicodedata.normalize("NFKC", str(title or "")).strip()
    if len(_words(title)) <= n:
        return title
    ends = [m.end() for m in re.finditer(r"\w+", title)]
    k = min(n, len(ends))
    while k > 0 and len(_words(title[:ends[k - 1]])) > n:
        k -= 1
    return (title[:ends[k - 1]] if k else "") + " …"


def _date_parts(date: str) -> tuple[int, str]:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(date).strip())
    if not m:
        raise ValueError(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    precision = "day" if m[3] else "month" if m[2] else "year"
    return int(m[1]), precision


def read_gathered(paths: Iterable[Path | str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read gatherers' JSON-lines files into one table, one row per distinct URL.

    Rows with a missing field, an unknown label, a date outside 2014-2024 or
    an empty text are dropped.  Of rows sharing a :func:`url_key`, the first
    (in file order) is kept.  Returns the documents and the dropped rows
    (``where, reason``).
    """
    rows, dropped = [], []
    for path in sorted(Path(p) for p in paths):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                dropped.append((where, f"invalid JSON ({err.msg})"))
                continue
            missing = [f for f in _GATHER_FIELDS if f not in rec]
            if missing:
                dropped.append((where, f"missing {', '.join(missing)}"))
                continue
            try:
                year, precision = _date_parts(rec["date"])
            except ValueError as err:
                dropped.append((where, str(err)))
                continue
            if not 2014 <= year <= 2024:
                dropped.append((where, f"year {year} outside 2014-2024"))
            elif rec["label1"] not in LABELS:
                dropped.append((where, f"label {rec['label1']!r}"))
            elif not str(rec["text"]).strip():
                dropped.append((where, "empty text"))
            else:
                rows.append({**{f: rec[f] for f in _GATHER_FIELDS}, "gatherer": path.stem,
                             "year": year, "date_precision": precision})
    df = pd.DataFrame(rows)
    df["url_key"] = df["url"].map(url_key)
    dup = df["url_key"].duplicated()
    dropped += [(f"{g}", "duplicate url") for g in df.loc[dup, "url"]]
    df = df[~dup].reset_index(drop=True)
    df["site"] = df["url"].map(site_of)
    df["doc_id"] = "real-" + df["url_key"].map(
        lambda k: hashlib.sha256(k.encode()).hexdigest()[:12])
    df["sha256"] = df["text"].map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())
    df["n_chars"] = df["text"].str.len()
    df["period"] = np.where(df["year"] >= PERIOD_BREAK, f"{PERIOD_BREAK}-", f"-{PERIOD_BREAK - 1}")
    df["topic"] = df["topic"].where(df["topic"].isin(_TOPICS), "other")
    return df, pd.DataFrame(dropped, columns=["where", "reason"])


def guard_heldout(df: pd.DataFrame, *, check: Path | str,
                  workdir: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop documents that the external test set's guard flags.

    Runs ``python3 CHECK FILE`` on a JSON-lines file of ``url`` and ``text``
    and drops every document it names.  Returns the kept rows and a table of
    the flagged ones (doc_id, url, reason).
    """
    path = Path(workdir) / "guard-input.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for url, text in zip(df["url"], df["text"], strict=True):
            fh.write(json.dumps({"url": url, "text": text}, ensure_ascii=False) + "\n")
    run = subprocess.run([sys.executable, str(check), str(path)], capture_output=True,
                         text=True, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{check} failed: {run.stderr.strip()}")
    flagged = {}
    for line in run.stdout.splitlines():
        m = re.match(r".*?:(\d+): overlaps the test set \((.*)\)$", line)
        if m:
            flagged[int(m[1]) - 1] = m[2]
    mask = np.zeros(len(df), bool)
    mask[list(flagged)] = True
    out = df.loc[mask, ["doc_id", "url"]].assign(reason=[flagged[i] for i in sorted(flagged)])
    return df[~mask].reset_index(drop=True), out.reset_index(drop=True)


def _language_group(languages: pd.Series, min_n: int = 15) -> pd.Series:
    counts = languages.value_counts()
    return languages.where(languages.map(counts) >= min_n, "other")


def assign_split(df: pd.DataFrame, *, test_share: float = TEST_SHARE,
                 seed: int = config.SEED) -> pd.Series:
    """Hold out whole sites as the locked test split, stratified by label, language, period.

    Sites are dealt to ``round(1 / test_share)`` folds with scikit-learn's
    ``StratifiedGroupKFold`` on the stratum ``label|language group|period``
    (languages with fewer than 15 documents form one group); the first fold
    is the test split.  Deterministic for a given table and seed.

    Returns
    -------
    Series
        ``"dev"`` or ``"test"`` per row, aligned with ``df``.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    order = df.sort_values("doc_id").index
    d = df.loc[order]
    strata = (d["label"] + "|" + _language_group(d["language"]) + "|" + d["period"]).to_numpy()
    folds = StratifiedGroupKFold(n_splits=round(1 / test_share), shuffle=True,
                                 random_state=seed)
    _, test_idx = next(folds.split(np.zeros(len(d)), strata, groups=d["site"].to_numpy()))
    split = pd.Series("dev", index=order)
    split.iloc[test_idx] = "test"
    return split.reindex(df.index)


def keep_shared_buckets(features: pd.DataFrame, sites: pd.Series, dev_ids: set) -> pd.DataFrame:
    """Keep n-gram hash buckets that occur on at least :data:`MIN_SITES` development sites.

    Keyword counts are kept whole.
    """
    site = features["doc_id"].map(sites)
    dev = features[features["doc_id"].isin(dev_ids)].assign(site=site)
    n_sites = dev.groupby(["block", "index"])["site"].nunique()
    keep = n_sites[n_sites >= MIN_SITES].index
    key = pd.MultiIndex.from_arrays([features["block"], features["index"]])
    return features[key.isin(keep) | (features["block"] == "keyword")].reset_index(drop=True)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", str(text)).lower())


def drop_url_leaks(df: pd.DataFrame, n: int = 13) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop documents whose URL repeats ``n`` consecutive words of their own excerpt.

    Long URL slugs spell out the title; such a URL could not be committed
    without repeating more than 12 consecutive words of the text.
    """
    leak = np.array([longest_shared_run(u, _grams([t], n), n)
                     for u, t in zip(df["url"], df["text"], strict=True)], dtype=bool)
    dropped = df.loc[leak, ["doc_id", "url"]].assign(
        reason=f"url repeats {n}+ consecutive words of the excerpt")
    return df[~leak].reset_index(drop=True), dropped.reset_index(drop=True)


def _grams(texts: Iterable[str], n: int) -> set:
    out = set()
    for text in texts:
        w = _words(text)
        out.update(" ".join(w[i:i + n]) for i in range(len(w) - n + 1))
    return out


def longest_shared_run(field: str, excerpt_grams: set, n: int = 13) -> bool:
    """Whether ``field`` holds ``n`` consecutive words that also occur in an excerpt."""
    w = _words(field)
    return any(" ".join(w[i:i + n]) in excerpt_grams for i in range(len(w) - n + 1))


def read_real_documents(path: Path | str = REAL_DIR / "documents.csv") -> pd.DataFrame:
    """Read ``documents.csv`` of the real corpus and check it (:mod:`analysis.framing.schema`)."""
    from .schema import RealDocumentSchema

    df = pd.read_csv(path, dtype={"date": str}, keep_default_na=False)
    return RealDocumentSchema.validate(df)


def read_real_features(path: Path | str = REAL_DIR / "features.parquet") -> pd.DataFrame:
    """Read the committed hashed n-gram feature table."""
    return pd.read_parquet(path)


# --------------------------------------------------------------------------
# Coding: agreement, adjudication
# --------------------------------------------------------------------------


def read_codings(path: Path | str, coder: str) -> pd.DataFrame:
    """Read one coder's JSON lines (``doc_id, label, evidence, rationale``)."""
    rows = []
    for file in sorted(Path(path).glob("*.jsonl")) if Path(path).is_dir() else [Path(path)]:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                rows.append({"doc_id": rec["doc_id"], "coder": coder,
                             "label": rec["label"], "evidence": _evidence(rec.get("evidence")),
                             "rationale": str(rec.get("rationale", "")).strip()})
    return pd.DataFrame(rows).drop_duplicates("doc_id", keep="last")


def _evidence(value) -> str:
    codes = re.findall(r"[AB]\d", str(value or ""))
    return ";".join(dict.fromkeys(c for c in codes if re.fullmatch(r"A[1-5]|B[1-4]", c)))


def alpha_table(codings: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Nominal Krippendorff's alpha of coder1 vs coder2, overall and per language.

    ``unsure`` codes count as missing.  Also reports raw agreement and n.
    """
    import krippendorff

    wide = (codings[codings["coder"].isin(["coder1", "coder2"])]
            .pivot(index="doc_id", columns="coder", values="label")
            .replace("unsure", np.nan))
    wide = wide.join(documents.set_index("doc_id")["language"], how="inner")
    code = {lab: i for i, lab in enumerate(LABELS)}
    rows = []
    for name, part in [("all", wide), *sorted(wide.groupby("language"))]:
        data = part[["coder1", "coder2"]].apply(lambda s: s.map(code)).to_numpy(float).T
        both = ~np.isnan(data).any(axis=0)
        alpha = (krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
                 if both.sum() >= 2 and len(np.unique(data[:, both])) > 1 else np.nan)
        rows.append({"language": name, "n": int(both.sum()),
                     "agreement": float((data[0, both] == data[1, both]).mean())
                     if both.any() else np.nan, "alpha": alpha})
    return pd.DataFrame(rows)


def consensus(codings: pd.DataFrame) -> pd.DataFrame:
    """The consensus label per document under the adjudication rule.

    Where coder1 and coder2 agree, their label.  Otherwise (or where one was
    ``unsure``) the adjudicator's label, who saw both codings anonymised.
    Evidence and rationale come from the coding that carries the final label
    (coder1 first, then coder2, then the adjudicator).
    """
    wide = codings.pivot(index="doc_id", columns="coder", values="label")
    for c in ("coder1", "coder2", "adjudicator"):
        if c not in wide:
            wide[c] = np.nan
    agree = (wide["coder1"] == wide["coder2"]) & (wide["coder1"] != "unsure")
    label = wide["coder1"].where(agree, wide["adjudicator"])
    out = pd.DataFrame({"label": label, "adjudicated": ~agree}).dropna(subset=["label"])
    by = codings.set_index(["doc_id", "coder"])
    ev, ra = [], []
    for doc, lab in out["label"].items():
        for c in ("coder1", "coder2", "adjudicator"):
            if (doc, c) in by.index and by.loc[(doc, c), "label"] == lab:
                ev.append(by.loc[(doc, c), "evidence"])
                ra.append(by.loc[(doc, c), "rationale"])
                break
        else:
            ev.append("")
            ra.append("adjudicated")
    return out.assign(evidence=ev, rationale=ra).reset_index()


# --------------------------------------------------------------------------
# Descriptive tables: counts and the confound check
# --------------------------------------------------------------------------


def confound_table(documents: pd.DataFrame, *, seed: int = config.SEED) -> pd.DataFrame:
    """How well year, language, topic or site alone predict the label.

    For each variable, a majority-label-per-value rule is scored in sample and
    out of fold (five folds grouped by site, so a site never predicts itself;
    an unseen value falls back to the overall majority).  Accuracy and
    macro-F1 over the four labels, next to the overall majority baseline.
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    y = documents["label"].to_numpy()
    rows = []
    for var in ("majority", "year", "period", "language", "topic", "site"):
        x = (documents[var].astype(str).to_numpy() if var != "majority"
             else np.zeros(len(documents), dtype=str))
        in_pred = _majority_rule(x, y, x)
        oof = np.empty(len(y), dtype=object)
        for tr, te in GroupKFold(n_splits=5).split(x, y, documents["site"]):
            oof[te] = _majority_rule(x[tr], y[tr], x[te])
        for kind, pred in (("in_sample", in_pred), ("grouped_cv", oof)):
            rows.append({"predictor": var, "evaluation": kind,
                         "accuracy": float((pred == y).mean()),
                         "macro_f1": float(f1_score(y, pred.astype(str), labels=list(LABELS),
                                                    average="macro", zero_division=0))})
    return pd.DataFrame(rows)


def _majority_rule(x_train, y_train, x_test) -> np.ndarray:
    table = pd.crosstab(x_train, y_train)
    best = table.idxmax(axis=1).to_dict()
    fallback = pd.Series(y_train).value_counts().idxmax()
    return np.array([best.get(v, fallback) for v in x_test], dtype=object)


def count_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents by label x language x period x topic (long, non-zero cells)."""
    return (documents.groupby(["label", "language", "period", "topic"]).size()
            .rename("n").reset_index())
