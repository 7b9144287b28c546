"""The house rules of the package layout, checked on the source (issue 12).

* ``ls analysis/`` names the pipeline: task subpackages, and at the top only
  the shared configuration, errors, the command line and the lazy API.
* No module over 500 lines, no function over 80.
* No block of more than 10 logical lines repeated, the same lines or the same
  shape (names, strings and numbers replaced by placeholders).
* The top level exports the dozen-odd entry points a notebook uses.
"""

from __future__ import annotations

import ast
import importlib
import io
import keyword
import tokenize
from collections import defaultdict
from pathlib import Path

import pytest

import analysis

PACKAGE = Path(analysis.__file__).resolve().parent
SUBPACKAGES = {"corpus", "text", "topics", "framing", "stats", "discourse", "scale", "plots"}
TOP_MODULES = {"__init__", "__main__", "_compat", "_docs", "_lazy", "cli", "config", "errors"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
MAX_REPEATED_LINES = 10


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_layout_names_the_pipeline():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert folders - {"_data"} == SUBPACKAGES
    assert modules == TOP_MODULES, sorted(modules - TOP_MODULES)


def test_the_top_level_api_is_small_and_resolves():
    assert 10 <= len(analysis.__all__) <= 16
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'RULES'"):
        analysis.RULES  # noqa: B018 - internals are reached through their subpackage


@pytest.mark.parametrize("package", sorted(SUBPACKAGES - {"framing", "plots"}))
def test_every_lazy_export_resolves(package):
    module = importlib.import_module(f"analysis.{package}")
    for name in module.__all__:
        assert getattr(module, name) is not None, f"analysis.{package}.{name}"


def test_no_module_is_over_500_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def function_lengths(source: str) -> dict[str, int]:
    """Length in lines of every function and method of ``source``, decorators excluded."""
    out = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out[f"{node.name}:{node.lineno}"] = node.end_lineno - node.lineno + 1
    return out


def test_no_function_is_over_80_lines():
    long = {f"{p.relative_to(PACKAGE)}:{name}": n for p in _sources()
            for name, n in function_lengths(p.read_text(encoding="utf-8")).items()
            if n > MAX_FUNCTION_LINES}
    assert not long, long


def logical_shapes(source: str) -> list[tuple[int, str]]:
    """``(first line, shape)`` of each logical line of code, docstrings and comments left out.

    The shape keeps keywords and operators and replaces every other name by
    ``N``, every string by ``S`` and every number by ``0``, so two blocks that
    differ only in names, strings and numbers have the same shapes.
    """
    shapes, current, start = [], [], None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.NEWLINE:
            docstring = len(current) == 1 and current[0] == "S"
            if current and not docstring:
                shapes.append((start, " ".join(current)))
            current, start = [], None
            continue
        if start is None:
            start = tok.start[0]
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            current.append("N")
        elif tok.type == tokenize.STRING or tok.type in _FSTRING:
            if not current or current[-1] != "S":
                current.append("S")
        elif tok.type == tokenize.NUMBER:
            current.append("0")
        else:
            current.append(tok.string)
    return shapes


_FSTRING = {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
            if hasattr(tokenize, n)}


def repeated_blocks(sources: dict[str, str], size: int) -> list[tuple[str, str]]:
    """Pairs of places where ``size`` consecutive logical lines have the same shapes."""
    seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name, source in sources.items():
        shapes = logical_shapes(source)
        for i in range(len(shapes) - size + 1):
            window = tuple(s for _, s in shapes[i:i + size])
            if all(s.startswith(("import ", "from ")) for s in window):
                continue
            seen[window].append(f"{name}:{shapes[i][0]}")
    pairs = []
    for places in seen.values():
        if len(places) > 1:
            pairs.append((places[0], places[1]))
    return pairs


def test_no_block_of_more_than_10_lines_is_repeated():
    sources = {str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8") for p in _sources()}
    pairs = repeated_blocks(sources, MAX_REPEATED_LINES + 1)
    assert not pairs, pairs[:10]


def test_the_repetition_check_catches_a_renamed_copy():
    block = "\n".join(f"    total_{i} = values[{i}] * weight + offset_{i}" for i in range(11))
    copy = block.replace("total_", "sum_").replace("weight", "w")
    sources = {"a.py": f"def f(values, weight):\n{block}\n",
               "b.py": f"def g(values, w):\n{copy}\n"}
    assert ("a.py:2", "b.py:2") in repeated_blocks(sources, 11)
    assert repeated_blocks({"a.py": sources["a.py"]}, 11) == []


def test_the_size_checks_catch_a_long_function():
    source = "def f():\n" + "    x = 1\n" * 85
    assert function_lengths(source) == {"f:1": 86}
