"""Export executed notebooks to self-contained HTML for reviewers.

Usage: ``python scripts/make_report.py notebooks/executed reports`` (``make report``).

Each page opens with the git commit and the SHA-256 of requirements.lock, so a
reviewer knows which code and which environment produced the numbers. Figures
are the notebooks' own image outputs, embedded as data URIs.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def provenance(root: Path = ROOT) -> str:
    """One markdown line: commit (with ``-dirty`` for uncommitted changes) and lock hash."""
    def git(*args):
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=False)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "unknown"
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    lock = hashlib.sha256((root / "requirements.lock").read_bytes()).hexdigest()
    return (f"**Provenance.** git commit `{commit}{dirty}` · requirements.lock "
            f"sha256 `{lock}`")


def export(notebook: Path, out_dir: Path, *, header: str) -> Path:
    """Write ``out_dir/<name>.html`` with ``header`` as its first cell."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(header))
    html, _ = HTMLExporter(template_name="lab", embed_images=True).from_notebook_node(nb)
    out = out_dir / f"{notebook.stem}.html"
    out.write_text(html, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Export every ``*.ipynb`` of the first folder into the second."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: make_report.py EXECUTED_DIR OUT_DIR", file=sys.stderr)
        return 2
    src, out_dir = Path(argv[0]), Path(argv[1])
    notebooks = sorted(src.glob("*.ipynb"))
    if not notebooks:
        print(f"error: {src}: no executed notebooks (run `make notebooks`)", file=sys.stderr)
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    header = provenance()
    for nb in notebooks:
        print(export(nb, out_dir, header=header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
