"""Check notebooks before a commit: no outputs stored, each .ipynb paired with its .py.

Usage: ``python scripts/check_notebooks.py notebooks/01-corpus.ipynb ...``
(``make lint`` and the pre-commit hook run it). Exit status 1 with one line
per problem; ``--strip`` removes outputs and execution counts in place first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


def problems(path: Path, *, strip: bool = False) -> list[str]:
    """What is wrong with one notebook (empty when nothing is)."""
    import jupytext

    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if any(c.get("outputs") or c.get("execution_count") for c in code_cells):
        if strip:
            for cell in code_cells:
                cell["outputs"], cell["execution_count"] = [], None
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
        else:
            found.append(f"{path}: stored with outputs (run with --strip)")
    py = path.with_suffix(".py")
    if not py.is_file():
        return [*found, f"{path}: no paired {py.name}"]
    ipynb_sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb["cells"]]
    if [c.source for c in jupytext.read(py).cells] != ipynb_sources:
        found.append(f"{path}: differs from {py.name} (run `make sync-notebooks`)")
    text = py.read_text(encoding="utf-8")
    header = text.split("# ---", 2)[1] if text.startswith("# ---") else ""
    if re.search(r"^#\s+jupytext_version:", header, flags=re.M):
        found.append(f"{py}: header holds jupytext_version (pyproject's [tool.jupytext] "
                     "filter drops it; run `make sync-notebooks`)")
    return found


def main(argv: list[str] | None = None) -> int:
    """Check every notebook given; return 1 if any has a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--strip", action="store_true", help="strip outputs in place")
    args = parser.parse_args(argv)
    found = [p for nb in args.notebooks if nb.suffix == ".ipynb"
             for p in problems(nb, strip=args.strip)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
