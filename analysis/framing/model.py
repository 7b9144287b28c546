"""The document-level framing measure: training, persistence and scoring.

The default measure is a :class:`~analysis.framing.scorers.DocumentClassifier`
trained on the development split of the real corpus
(``data/annotations/real/``, never its locked test split), from the
committed feature tables, so it can be retrained without the texts.  It is
saved as ``data/models/framing-document.safetensors`` (arrays) beside a JSON
file with its version, parameters, the hash of its training data, the
lexicon version and its cross-validated metrics; never as a pickle.

Examples
--------
>>> out = score_documents(["Against all imperialisms: neither Washington nor Moscow! "
...                        "Russian troops out of Ukraine, NATO out of Europe."], language="en")
>>> out.loc[0, "framing"]
'all_imperialisms'
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from .devcorpus import REAL_DIR
from .features import table_features, text_features
from .lexicon import POLES, load_lexicon
from .scorers import DocumentClassifier, _predict_with_none, design_matrix

__all__ = ["MODEL_VERSION", "MODEL_PATH", "DEFAULT_PARAMS", "training_data",
           "train_document_model", "save_model", "load_model", "default_document_model",
           "score_documents", "DOCUMENT_COLUMNS", "CHUNK_SIZE"]

#: Version of the document measure; bump it with any change of features,
#: parameters or training data (scores and the validation tables cite it).
MODEL_VERSION = "2.0.0"
MODEL_PATH = config.DATA / "models" / "framing-document.safetensors"
#: Parameters of the default model, chosen by grouped cross-validation on the
#: development split (notebook 03, ``validation/tuning.csv``): the best pole
#: macro-F1 among settings that keep abstention on framed documents under 10%.
DEFAULT_PARAMS: Mapping = {"C": 3.0, "none_threshold": 0.4}


def training_data(real_dir: Path | str = REAL_DIR, *, split: str | None = "dev"):
    """The documents, design matrix and labels of the real corpus (no text needed).

    Returns
    -------
    documents : DataFrame
        Rows of ``documents.csv`` in the requested split (all with ``None``).
    X : sparse matrix
        :func:`~analysis.framing.scorers.design_matrix` rows, aligned.
    y : ndarray
        Consensus labels.
    """
    from .devcorpus import read_real_documents

    real_dir = Path(real_dir)
    docs = read_real_documents(real_dir / "documents.csv")
    if split is not None:
        docs = docs[docs["split"] == split].reset_index(drop=True)
    feats = table_features(pd.read_parquet(real_dir / "features.parquet"),
                           pd.read_parquet(real_dir / "evidence.parquet"), docs["doc_id"])
    return docs, design_matrix(feats), docs["label"].to_numpy()


def _data_hash(real_dir: Path, docs: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(docs[["doc_id", "label"]], index=False).values.tobytes())
    for name in ("features.parquet", "evidence.parquet"):
        h.update((real_dir / name).read_bytes())
    return h.hexdigest()


def train_document_model(real_dir: Path | str = REAL_DIR, *,
                         params: Mapping | None = None) -> DocumentClassifier:
    """Fit the default document classifier on the development split.

    The returned estimator carries ``metadata_`` (version, parameters,
    training-data hash, lexicon version) for :func:`save_model`.
    """
    real_dir = Path(real_dir)
    docs, X, y = training_data(real_dir, split="dev")
    model = DocumentClassifier(**{**DEFAULT_PARAMS, **(params or {})}).fit(X, y)
    lexicon_version = str(pd.read_parquet(real_dir / "evidence.parquet",
                                          columns=["lexicon_version"])["lexicon_version"].iloc[0])
    model.metadata_ = {"model_version": MODEL_VERSION, "params": model.get_params(),
                       "n_documents": int(len(y)), "n_sites": int(docs["site"].nunique()),
                       "training_data_sha256": _data_hash(real_dir, docs),
                       "lexicon_version": lexicon_version,
                       "classes": [str(c) for c in model.classes_],
                       "n_features_in": int(model.n_features_in_)}
    return model


def save_model(model: DocumentClassifier, path: Path | str = MODEL_PATH, *,
               metrics: Mapping | None = None) -> Path:
    """Write the model's arrays (safetensors) and metadata (JSON beside it)."""
    from safetensors.numpy import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"columns": model.columns_.astype(np.int64),
              "coef": np.ascontiguousarray(model.coef_, dtype=np.float64),
              "intercept": np.ascontiguousarray(model.intercept_, dtype=np.float64)}
    idf_default = {}
    for i, idf in enumerate(model.idf_):
        if idf is not None:
            # Unseen buckets all share the largest idf; store the others sparsely.
            default = float(idf.max())
            keep = np.flatnonzero(idf != default)
            arrays[f"idf{i}_index"], arrays[f"idf{i}_value"] = keep.astype(np.int64), idf[keep]
            idf_default[str(i)] = [default, int(len(idf))]
    save_file(arrays, str(path))
    meta = {**model.metadata_, "idf_default": idf_default, "metrics": dict(metrics or {})}
    meta["params"] = {k: (list(v) if isinstance(v, tuple) else v)
                      for k, v in meta["params"].items()}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True,
                                                    default=_jsonable) + "\n")
    return path


def _jsonable(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def load_model(path: Path | str = MODEL_PATH) -> DocumentClassifier:
    """Rebuild a fitted :class:`DocumentClassifier` from :func:`save_model`'s files."""
    from safetensors.numpy import load_file

    path = Path(path)
    arrays = load_file(str(path))
    meta = json.loads(path.with_suffix(".json").read_text())
    params = dict(meta["params"])
    if params.get("blocks") is not None:
        params["blocks"] = tuple(tuple(b) for b in params["blocks"])
    model = DocumentClassifier(**params)
    model.classes_ = np.array(meta["classes"], dtype=object)
    model.columns_ = arrays["columns"]
    model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
    model.idf_ = []
    for i in range(len(model.blocks or ())):
        if str(i) in meta.get("idf_default", {}):
            default, size = meta["idf_default"][str(i)]
            idf = np.full(int(size), float(default))
            idf[arrays[f"idf{i}_index"]] = arrays[f"idf{i}_value"]
            model.idf_.append(idf)
        else:
            model.idf_.append(None)
    model.n_features_in_ = int(meta["n_features_in"])
    model.metadata_ = meta
    return model


@functools.lru_cache(maxsize=2)
def default_document_model(path: str = str(MODEL_PATH)) -> DocumentClassifier:
    """The packaged default model, loaded once per process."""
    return load_model(path)


#: Columns of :func:`score_documents`, in order.
DOCUMENT_COLUMNS = (
    "framing", "framing_score", "p_anti_us", "p_all_imperialisms", "p_mixed", "p_none",
    "lexicon_anti_us", "lexicon_all_imperialisms", "n_evidence", "evidence_entries",
    "language", "unsupported_language", "n_words", "model_version", "lexicon_version",
)


#: Texts scored together by :func:`score_documents`: bounds the memory of the
#: n-gram matrices (about 0.4 GB a chunk at 5,000 posts of 1,300 characters).
CHUNK_SIZE = 5000


def score_documents(texts: Sequence[str], *, language: str | Sequence[str] | None = None,
                    model: DocumentClassifier | None = None,
                    return_evidence: bool = False, cleaned: bool = False,
                    chunk_size: int = CHUNK_SIZE, n_jobs: int | None = 1):
    """Score whole documents with the document measure: one row per text.

    Each raw text is cleaned with the corpus rules, then scored as one
    document: hashed n-grams and the lexicon's evidence go into the
    classifier, which gives one probability per label.

    Parameters
    ----------
    texts : sequence of str
        Raw texts; ``None`` counts as empty.
    language : str or sequence of str, optional
        ISO 639-1 code(s) for the lexicon; detected per text when missing.
    model : DocumentClassifier, optional
        Defaults to :func:`default_document_model`.
    return_evidence : bool
        Also return the evidence long table (doc position, entry, pole,
        weight, span in the cleaned text).
    cleaned : bool
        The texts are already cleaned with the corpus rules, as the ``text``
        of the corpus tables are (``build_corpus``): they are scored as they
        are.  The raw-text path scores ``"\\n\\n".join(split_text(t))``, so
        ``cleaned=True`` on those strings gives identical output, without
        cleaning each text again (about a quarter of the time).
    chunk_size : int
        Texts scored together; peak memory grows with it, the output does
        not depend on it.
    n_jobs : int, optional
        Worker processes over the chunks (``-1``: one per CPU).  The output
        does not depend on it.

    Returns
    -------
    DataFrame, or (DataFrame, DataFrame) with ``return_evidence``
        :data:`DOCUMENT_COLUMNS`.  ``framing_score`` is
        ``p_all_imperialisms - p_anti_us``.
    """
    model = model or default_document_model()
    texts = list(texts)
    n = len(texts)
    if isinstance(language, str) or language is None:
        langs: list = [language] * n
    else:
        langs = list(language)
        if len(langs) != n:
            raise ValueError(f"got {len(langs)} languages for {n} texts")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    n_jobs = _n_jobs(n_jobs)
    size = max(1, min(chunk_size, -(-n // n_jobs))) if n else 1
    bounds = [(a, min(a + size, n)) for a in range(0, n, size)] or [(0, 0)]
    jobs = [(texts[a:b], langs[a:b], cleaned) for a, b in bounds]
    if n_jobs > 1 and len(jobs) > 1:
        import concurrent.futures
        import multiprocessing

        # fork shares the loaded model, lexicon and caches with the workers.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with concurrent.futures.ProcessPoolExecutor(
                max_workers=min(n_jobs, len(jobs)), mp_context=multiprocessing.get_context(method),
                initializer=_set_worker_model, initargs=(model,)) as pool:
            parts = list(pool.map(_score_chunk_in_worker, jobs))
    else:
        parts = [_score_chunk(*job, model=model) for job in jobs]
    out = pd.concat([o for o, _ in parts], ignore_index=True) if len(parts) > 1 else parts[0][0]
    if not return_evidence:
        return out
    evidence = []
    for (a, _), (_, ev) in zip(bounds, parts, strict=True):
        if len(ev):
            evidence.append(ev.assign(doc_id=ev["doc_id"] + a) if a else ev)
    if not evidence:
        return out, parts[0][1]
    return out, (pd.concat(evidence, ignore_index=True) if len(evidence) > 1 else evidence[0])


def _n_jobs(n_jobs: int | None) -> int:
    import os

    if n_jobs is None:
        return 1
    if n_jobs == -1 or n_jobs < -1:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive number or -1, not {n_jobs}")
    return int(n_jobs)


_WORKER_MODEL: list = []


def _set_worker_model(model) -> None:
    _WORKER_MODEL[:] = [model]


def _score_chunk_in_worker(job):
    return _score_chunk(*job, model=_WORKER_MODEL[0])


def _score_chunk(texts: list, language: list, cleaned: bool, *, model: DocumentClassifier):
    """Scores and evidence of one chunk (doc ids are positions in the chunk)."""
    from .io import split_text

    if cleaned:
        docs = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t)
                for t in texts]
    else:
        docs = ["\n\n".join(split_text(t)) for t in texts]
    langs = _languages(docs, language)
    lexicon = load_lexicon()
    feats = text_features(docs, language=langs, lexicon=lexicon)
    X = design_matrix(feats)
    classes = list(model.classes_)
    # No text, no rows (scikit-learn refuses an empty matrix).
    p = model.predict_proba(X) if docs else np.zeros((0, len(classes)))
    out = pd.DataFrame({f"p_{c}": p[:, classes.index(c)] if c in classes else 0.0
                        for c in ("anti_us", "all_imperialisms", "mixed", "none")})
    # DocumentClassifier.predict is its none rule on predict_proba: apply it to
    # the probabilities already computed instead of transforming X again.
    labels = (_predict_with_none(p, model.classes_, model.none_threshold)
              if type(model).predict is DocumentClassifier.predict or not docs
              else model.predict(X))
    out.insert(0, "framing", labels)
    out.insert(1, "framing_score", out["p_all_imperialisms"] - out["p_anti_us"])
    for j, pole in enumerate(POLES):
        out[f"lexicon_{pole}"] = feats.lexicon[:, 3 * j]
    ev = feats.evidence[feats.evidence["weight"] > 0]
    out["n_evidence"] = ev.groupby("doc_id").size().reindex(range(len(out)), fill_value=0).values
    out["evidence_entries"] = (ev.groupby("doc_id")["entry"]
                               .agg(lambda s: "; ".join(sorted(set(s))))
                               .reindex(range(len(out)), fill_value="").values)
    out["language"] = langs
    readable = set(lexicon.config.get("languages", []))
    out["unsupported_language"] = [lang not in readable for lang in langs]
    out["n_words"] = [len(t.split()) for t in docs]
    out["model_version"] = model.metadata_.get("model_version", MODEL_VERSION)
    out["lexicon_version"] = lexicon.version
    empty = out["n_words"].eq(0).to_numpy()
    out.loc[empty, "framing"] = "none"
    return out[list(DOCUMENT_COLUMNS)], feats.evidence


def _languages(cleaned: list[str], language) -> list:
    n = len(cleaned)
    if isinstance(language, str):
        return [language] * n
    langs = [None] * n if language is None else [
        None if x is None or (isinstance(x, float) and np.isnan(x)) or x == "" else str(x)
        for x in language]
    if len(langs) != n:
        raise ValueError(f"got {len(langs)} languages for {n} texts")
    todo = [i for i, lang in enumerate(langs) if lang is None and cleaned[i].strip()]
    if todo:
        from ..corpus.language import detect_languages

        found = detect_languages([cleaned[i] for i in todo])["language"].tolist()
        for i, lang in zip(todo, found, strict=True):
            langs[i] = lang
    return langs
