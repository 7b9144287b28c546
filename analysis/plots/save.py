"""Write figures to ``figures/`` with deterministic bytes."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import config

# No timestamps or version strings in the files, so the same figure gives the
# same bytes run after run.
_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def save_figure(fig: Figure, name: str, *, directory: Path | str | None = None,
                formats: tuple[str, ...] = ("png", "pdf"), close: bool = True) -> list[Path]:
    """Save ``fig`` as ``figures/{name}.png`` and ``.pdf`` with fixed metadata.

    Parameters
    ----------
    fig : Figure
        The figure to write.
    name : str
        File stem, e.g. ``"01-posts-by-source"``.
    directory : path-like, optional
        Defaults to :data:`analysis.config.FIGURES`.
    formats : tuple of str
        File formats to write.
    close : bool
        Close the figure afterwards (notebooks then show nothing twice).

    Returns
    -------
    list of Path
        The files written.
    """
    directory = Path(directory) if directory is not None else config.FIGURES
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = directory / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, metadata=_METADATA.get(fmt), bbox_inches="tight")
        paths.append(path)
    if close:
        plt.close(fig)
    return paths
