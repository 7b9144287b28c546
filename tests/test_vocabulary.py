"""One vocabulary of parameter names (docs/vocabulary.md), checked on every public signature.

Walks every module of the package with ``inspect`` and fails when a public
function or method takes a retired spelling, so a new one cannot slip in.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import warnings
from pathlib import Path

import pytest

import analysis

ROOT = Path(__file__).resolve().parents[1]

#: Retired parameter names and what replaced them (docs/vocabulary.md).
RETIRED = {
    "show_progress_bar": "progress",
    "verbose": "progress",
    "random_seed": "seed",
    "lang": "language",
    "langs": "language",
    "text_column": "text_col",
    "id_column": "id_col",
    "campist": "anti_us",
    "internationalist": "all_imperialisms",
    "n_boot": "n_resamples",
    "level": "confidence_level",
}
#: Methods that implement a third-party interface and keep its names.
INTERFACES = {
    # sentence-transformers' SentenceTransformer.encode, called by text.embeddings.embed
    "analysis.text.embeddings.FastEncoder.encode",
}
#: Modules only imported with optional dependencies (``[scale]``) are scanned when present.
OPTIONAL = {"analysis.scale.distributed"}


def _public_callables():
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        if info.name.split(".")[-1].startswith("__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            if info.name in OPTIONAL:
                continue
            raise
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                for attr in vars(obj):
                    if (attr == "__init__" or not attr.startswith("_")) and inspect.isfunction(
                            getattr(obj, attr, None)):
                        yield f"{module.__name__}.{name}.{attr}", getattr(obj, attr)


CALLABLES = dict(_public_callables())


def _accepts_one_string(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    depth, parts, current = 0, [], ""
    for ch in str(text):  # split on top-level "|" only
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return "str" in parts


def test_the_scan_sees_the_package():
    assert len(CALLABLES) > 200
    assert "analysis.framing.api.score_framing" in CALLABLES
    assert "analysis.framing.paragraph.FramingModel.score_paragraphs" in CALLABLES


def test_no_public_signature_uses_a_retired_name():
    found = []
    for qualname, func in CALLABLES.items():
        if qualname in INTERFACES:
            continue
        for name, param in inspect.signature(func).parameters.items():
            if name in RETIRED:
                found.append(f"{qualname}({name}=): use {RETIRED[name]}=")
            elif isinstance(param.default, str) and param.default in RETIRED:
                found.append(f"{qualname}({name}={param.default!r}): use {RETIRED[param.default]}")
    assert not found, "\n".join(found)


def test_languages_is_always_a_collection_never_one_code():
    """``language``: one code, or one per text; ``languages``: a set of codes to allow."""
    found = [qualname for qualname, func in CALLABLES.items()
             if "languages" in inspect.signature(func).parameters
             and _accepts_one_string(inspect.signature(func).parameters["languages"].annotation)]
    assert not found, f"languages= takes a single code in {found}: call it language="


def test_retired_keywords_still_work_for_one_release_with_a_future_warning():
    from analysis.framing.evidence import score_lexicon

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = score_lexicon(["Against all imperialisms!"], languages="en")
    assert [w.category for w in caught] == [FutureWarning]
    assert "languages= is now language=" in str(caught[0].message)
    new = score_lexicon(["Against all imperialisms!"], language="en")
    assert old.equals(new)
    with pytest.raises(TypeError, match="got both language= and its retired spelling"):
        score_lexicon(["x"], language="en", languages="en")


def test_the_vocabulary_document_lists_every_retired_name():
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    for old, new in RETIRED.items():
        assert re.search(rf"`{old}`.*`{new}`", text), old


@pytest.mark.parametrize("folder", ["notebooks", "benchmarks", "tests", "analysis"])
def test_callers_use_the_current_names(folder):
    retired_call = re.compile(
        r"(score_lexicon|lexicon_matches|score_paragraphs|text_features|evidence_table)"
        r"\([^)]*\blanguages=|\bembed\([^)]*show_progress_bar=", re.S)
    hits = [str(p.relative_to(ROOT)) for p in sorted((ROOT / folder).rglob("*.py"))
            if p.name != "test_vocabulary.py"
            and retired_call.search(p.read_text(encoding="utf-8"))]
    assert not hits, hits
