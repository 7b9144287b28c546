"""Paths, the one random seed and the default language set.

Everything that a notebook or a test may want to point elsewhere is a plain
value here; functions take these as keyword defaults, never as hidden globals.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: True in a clone of the repository (a source tree or an editable install);
#: False when the package was installed from a wheel (``pip install .``).
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "data" / "raw").is_dir()


def packaged_data() -> Path:
    """The folder of read-only data shipped with the package.

    In a clone this is the repository's ``data/``; an installed wheel carries
    the same files as ``analysis/_data`` (``[tool.setuptools]`` in
    pyproject.toml maps one onto the other), found through
    :mod:`importlib.resources`.
    """
    if IN_CHECKOUT:
        return ROOT / "data"
    return Path(str(resources.files("analysis").joinpath("_data")))


#: Inputs (never written): the sample corpus, lexicon, gold set and codebook.
DATA = packaged_data()
RAW = DATA / "raw"
#: Outputs go under the project folder: the clone, or for an installed package
#: the folder it is run from (ANALYSIS_PROJECT overrides), never site-packages.
HOME = ROOT if IN_CHECKOUT else Path(os.environ.get("ANALYSIS_PROJECT", os.getcwd()))
PROCESSED = HOME / "data" / "processed"


def _cache_dir() -> Path:
    if "ANALYSIS_CACHE" in os.environ:
        return Path(os.environ["ANALYSIS_CACHE"])
    if IN_CHECKOUT:
        return ROOT / "data" / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("analysis"))


#: Embeddings and fitted models keyed by content hash: ``data/cache/`` in a
#: clone, else the platform's cache folder (ANALYSIS_CACHE overrides).
CACHE = _cache_dir()
#: Where ``save_figure`` writes; tests point it elsewhere with ANALYSIS_FIGURES.
FIGURES = Path(os.environ.get("ANALYSIS_FIGURES", HOME / "figures"))

MANIFEST = RAW / "manifest.csv"
POST_METADATA = RAW / "posts.csv"

#: The single seed every stochastic step derives from.
SEED = 42

#: Languages the detector chooses between (ISO 639-1).  A small set keeps
#: lingua fast (about 0.4 s per 1,000 paragraphs) and avoids misreading short
#: strings as distant languages; add codes here for a corpus that needs them.
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ru", "uk", "el", "tr")

#: Order of preference when choosing the canonical member of a translation
#: group: the analysis language of the embedding model comes first.
CANONICAL_LANGUAGE_ORDER = ("en", "es", "fr", "de", "it", "pt", "ru", "uk", "el", "tr")

# --------------------------------------------------------------------------- a user's project
#: The package's own output folders, kept to tell them apart from a project's.
PACKAGE_OUTPUTS = {"processed": PROCESSED, "figures": FIGURES, "cache": CACHE,
                   "models": CACHE / "models"}
#: The output root set by :func:`use_project`; ``None``: the package's own folders.
PROJECT: Path | None = None


def project_paths(project_dir: Path | str | None) -> dict[str, Path]:
    """The output folders of a project root: ``processed/``, ``figures/``, ``models/``, ``cache/``.

    ``None`` gives the package's own folders (the sample corpus's defaults).

    Examples
    --------
    >>> sorted(project_paths("my_project"))
    ['cache', 'figures', 'models', 'processed']
    >>> project_paths("my_project")["models"].as_posix()
    'my_project/models'
    """
    if project_dir is None:
        return dict(PACKAGE_OUTPUTS)
    root = Path(project_dir)
    return {name: root / name for name in ("processed", "figures", "models", "cache")}


def use_project(project_dir: Path | str | None) -> dict[str, Path]:
    """Send every output of this process to one project folder, or back to the package.

    Sets :data:`PROCESSED`, :data:`FIGURES` and :data:`CACHE` (read at call
    time by ``read_corpus``, ``save_figure`` and the embedding cache), so
    that nothing is written inside the package while a project is set.

    Parameters
    ----------
    project_dir : path-like or None
        The project's output root; ``None`` restores the package's folders.

    Returns
    -------
    dict of str to Path
        :func:`project_paths` of ``project_dir``.
    """
    global PROJECT, PROCESSED, FIGURES, CACHE
    paths = project_paths(project_dir)
    PROJECT = None if project_dir is None else Path(project_dir)
    PROCESSED, FIGURES, CACHE = paths["processed"], paths["figures"], paths["cache"]
    return paths


def cache_path(path: Path | str) -> Path:
    """Where a cache path given as a default really points while a project is set.

    Functions bind their cache default (``data/cache/...``) when the package
    is imported; a path inside the package's cache is moved into the
    project's ``cache/`` (or, for ``models``, its ``models/``) here, at the
    moment of writing.

    Examples
    --------
    >>> cache_path("elsewhere/embeddings").as_posix()
    'elsewhere/embeddings'
    """
    path = Path(path)
    if PROJECT is None:
        return path
    outputs = project_paths(PROJECT)
    for name in ("models", "cache"):
        package = PACKAGE_OUTPUTS[name]
        if path == package or package in path.parents:
            return outputs[name] / path.relative_to(package)
    return path
