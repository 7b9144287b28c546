"""Write figures to ``figures/`` with deterministic bytes, and show them in notebooks."""

from __future__ import annotations

import struct
import sys
from io import BytesIO
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import config

# No timestamps or version strings in the files, so the same figure gives the
# same bytes run after run.
_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, papermill, nbconvert), else False."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def save_figure(fig: Figure, name: str, *, directory: Path | str | None = None,
                formats: tuple[str, ...] = ("png", "pdf"), close: bool = True,
                show: bool | None = None) -> list[Path]:
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
        Close the figure afterwards, so the inline backend does not show it a
        second time at the end of the cell.
    show : bool, optional
        Display the saved PNG in the notebook (an ``image/png`` output, which
        papermill and nbconvert keep). The default shows it inside a Jupyter
        kernel and nowhere else.

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
    if show is None:
        show = in_notebook()
    if show:
        _display_png(fig, paths)
    if close:
        plt.close(fig)
    return paths


def _display_png(fig: Figure, paths: list[Path]) -> None:
    """Display the PNG just written (the very bytes of the file) at screen size."""
    from IPython.display import Image, display

    png = next((p for p in paths if p.suffix == ".png"), None)
    if png is not None:
        data = png.read_bytes()
    else:
        buffer = BytesIO()
        fig.savefig(buffer, format="png", metadata=_METADATA["png"], bbox_inches="tight")
        data = buffer.getvalue()
    # The file is drawn at savefig.dpi; show it at the figure's own dpi.
    saved_dpi = mpl.rcParams["savefig.dpi"]
    saved_dpi = fig.dpi if saved_dpi == "figure" else float(saved_dpi)
    width_px = struct.unpack(">I", data[16:20])[0]
    display(Image(data=data, format="png", width=round(width_px * fig.dpi / saved_dpi)))
