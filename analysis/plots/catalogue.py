"""Which notebook cell writes which figure: the index behind figures/README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import config

_SAVE = re.compile(r"save_figure\([^\n]*?[\"']([0-9]{2}-[\w-]+)[\"']")
_HEADING = re.compile(r"^#+\s*(.+)$", re.MULTILINE)


def figure_catalogue(notebooks: Path | str = config.ROOT / "notebooks") -> pd.DataFrame:
    """List every figure the notebooks save, with the cell that saves it.

    Parameters
    ----------
    notebooks : path-like
        Folder of the paired ``NN-slug.py`` notebooks.

    Returns
    -------
    DataFrame
        ``figure`` (file stem in ``figures/``), ``notebook``, ``cell`` (the
        1-based index of the code or markdown cell in the notebook) and
        ``section`` (the nearest markdown heading above it).
    """
    import jupytext

    rows = []
    for path in sorted(Path(notebooks).glob("[0-9][0-9]-*.py")):
        section = ""
        for index, cell in enumerate(jupytext.read(path).cells, start=1):
            if cell.cell_type == "markdown":
                headings = _HEADING.findall(cell.source)
                section = headings[-1].strip() if headings else section
                continue
            for name in _SAVE.findall(cell.source):
                rows.append({"figure": name, "notebook": path.with_suffix(".ipynb").name,
                             "cell": index, "section": section})
    return pd.DataFrame(rows, columns=["figure", "notebook", "cell", "section"])


def catalogue_markdown(catalogue: pd.DataFrame) -> str:
    """The catalogue as the Markdown table of ``figures/README.md``."""
    lines = ["| figure | notebook | cell | section |", "|---|---|---|---|"]
    for rec in catalogue.to_dict("records"):
        lines.append(f"| `{rec['figure']}.png` / `.pdf` | `notebooks/{rec['notebook']}` | "
                     f"{rec['cell']} | {rec['section']} |")
    return "\n".join(lines) + "\n"


_START, _END = "<!-- figure-catalogue:start -->\n", "<!-- figure-catalogue:end -->"


def readme_table(readme: Path | str = config.ROOT / "figures" / "README.md") -> str:
    """The generated table currently in ``figures/README.md``."""
    text = Path(readme).read_text(encoding="utf-8")
    return text[text.index(_START) + len(_START):text.index(_END)]


def update_readme(readme: Path | str = config.ROOT / "figures" / "README.md") -> None:
    """Rewrite the generated table of ``figures/README.md`` from the notebooks."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    head, tail = text.split(_START)[0], text.split(_END)[1]
    table = catalogue_markdown(figure_catalogue())
    path.write_text(f"{head}{_START}{table}{_END}{tail}", encoding="utf-8")
