"""Build the HTML API reference with pdoc: ``python -m analysis._docs OUT`` (``make docs``).

The packages export their names lazily (:mod:`analysis._lazy`); pdoc reads a
module's ``__dict__``, so every name is resolved before rendering.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from ._lazy import resolve_all

PACKAGES = ("analysis", "analysis.corpus", "analysis.text", "analysis.topics", "analysis.framing",
            "analysis.stats", "analysis.discourse", "analysis.scale", "analysis.plots")


def build(output: Path) -> None:
    """Render every package and module of ``analysis`` into ``output``."""
    import pdoc
    import pdoc.render

    for name in PACKAGES:
        resolve_all(importlib.import_module(name))
    pdoc.render.configure(docformat="numpy")
    pdoc.pdoc(*PACKAGES, "analysis.config", "analysis.errors", "analysis.cli",
              output_directory=Path(output))


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/api"))
