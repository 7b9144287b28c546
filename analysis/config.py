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
PROJECT = ROOT if IN_CHECKOUT else Path(os.environ.get("ANALYSIS_PROJECT", os.getcwd()))
PROCESSED = PROJECT / "data" / "processed"


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
FIGURES = Path(os.environ.get("ANALYSIS_FIGURES", PROJECT / "figures"))

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
