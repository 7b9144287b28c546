"""Every declared dependency is used: imported somewhere, or allow-listed with a reason.

The project's own code is read with ``ast`` (imports inside functions count,
imports written in strings do not): the package, the notebooks' ``.py``
twins, the tests, the benchmarks and the scripts.  A distribution's import
names come from the installed metadata (``packages_distributions``), so
``pyyaml`` is used when ``yaml`` is imported.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib import metadata

import pytest

from analysis import config

#: Declared in pyproject.toml and imported by no file of the project, each for
#: a reason. Keep it short: an entry that is imported after all fails the test.
NOT_IMPORTED = {
    "pyarrow": "pandas' parquet engine: read_parquet/to_parquet of the corpus tables",
    "lxml-html-clean": "lxml.html.clean, imported by trafilatura (through justext), "
                       "is this package since lxml 5.2; trafilatura fails at import without it",
    "distributed": "imported as dask.distributed (analysis/scale/distributed.py, "
                   "tests/test_distributed.py), which is a shim over this package",
    "skeletoken": "model2vec.distill imports it (analysis.text.embeddings.fast_model_path); "
                  "model2vec declares it only in its [distill] extra, which would "
                  "downgrade transformers",
    "jupyterlab": "an application: `make lab`, Binder, tests/test_browser.py runs "
                  "`python -m jupyterlab`",
    "ipykernel": "the kernel: `make setup` and binder/postBuild register it, papermill "
                 "runs the notebooks on it",
    "ipywidgets": "a runtime plugin: tqdm.auto draws notebook progress bars with it "
                  "(corpus build, paragraph scoring)",
    "ruff": "a tool: `make lint` and the pre-commit hook run it",
    "pre-commit": "a tool: the git hooks of .pre-commit-config.yaml",
}

#: In requirements.in (so in the lock) but not in pyproject.toml.
LOCK_ONLY = {
    "aiohttp": "papermill requires it on Python 3.12 only; the lock is resolved on 3.11 "
               "and must pass `pip check` on 3.12 as well",
}

SOURCES = ("analysis", "notebooks", "tests", "benchmarks", "scripts", ".ci")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _norm(re.split(r"[=<>!~\[ ;]", requirement.strip(), maxsplit=1)[0])


def declared() -> list[str]:
    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
    extras = [d for group in project.get("optional-dependencies", {}).values() for d in group]
    return [_name(d) for d in project["dependencies"] + extras]


def imported_modules(paths) -> set[str]:
    """Top-level names of every absolute import in the Python files under ``paths``."""
    found = set()
    for path in paths:
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def import_names() -> dict[str, set[str]]:
    """Distribution (normalised) -> the top-level modules it installs."""
    out: dict[str, set[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        for dist in dists:
            out.setdefault(_norm(dist), set()).add(module)
    return out


def unused(dependencies, modules, names, allowed) -> list[str]:
    """Dependencies none of whose modules is in ``modules`` and not in ``allowed``."""
    return [d for d in dependencies
            if d not in allowed and not (names.get(d, {d.replace("-", "_")}) & modules)]


@pytest.fixture(scope="module")
def modules():
    return imported_modules([config.ROOT / s for s in SOURCES if (config.ROOT / s).exists()])


def test_every_declared_dependency_is_imported_or_allow_listed(modules):
    missing = unused(declared(), modules, import_names(), NOT_IMPORTED)
    assert not missing, (
        f"pyproject.toml declares {missing}, which no file under {SOURCES} imports: "
        "remove them (pyproject.toml, requirements.in, the lock and both environment.yml) "
        "or add them to NOT_IMPORTED in tests/test_dependencies.py with the reason")


def test_the_allow_list_holds_only_declared_dependencies_that_are_not_imported(modules):
    names = import_names()
    assert set(NOT_IMPORTED) <= set(declared())
    imported_after_all = [d for d in NOT_IMPORTED if names.get(d, set()) & modules]
    assert not imported_after_all


def test_requirements_in_adds_to_pyproject_only_the_lock_only_entries(modules):
    listed = {_name(line.split("#")[0])
              for line in (config.ROOT / "requirements.in").read_text().splitlines()
              if line.split("#")[0].strip()}
    assert listed - set(declared()) == set(LOCK_ONLY)
    names = import_names()
    assert not [d for d in LOCK_ONLY if names.get(d, set()) & modules]


def test_the_check_finds_an_unused_dependency(tmp_path):
    # A project importing seaborn and yaml declares seaborn, pyyaml and six.
    (tmp_path / "mod.py").write_text("import seaborn as sns\n\ndef f():\n    from yaml import "
                                     "safe_load\n    return 'import six'\n")
    modules = imported_modules([tmp_path])
    assert modules == {"seaborn", "yaml"}
    names = import_names()
    assert unused(["seaborn", "pyyaml", "six"], modules, names, {}) == ["six"]
    assert unused(["seaborn", "pyyaml", "six"], modules, names, {"six": "why"}) == []


def test_seaborn_is_imported_by_the_plots():
    assert "seaborn" in imported_modules([config.ROOT / "analysis" / "plots"])
