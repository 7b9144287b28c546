"""One plotting style: Okabe-Ito colours, fixed per framing and per source."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib as mpl

from .scale import is_other

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
_CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                 "reddish_purple", "sky_blue", "yellow", "black")]

#: Fixed colours of the framing labels, used by every figure.
FRAMING_COLORS = {
    "anti_us": OKABE_ITO["vermillion"],
    "all_imperialisms": OKABE_ITO["blue"],
    "mixed": OKABE_ITO["reddish_purple"],
    "none": "#999999",
}

#: Colour of the lumped tail of small sources.
OTHER_COLOR = "#BBBBBB"

#: Fixed colours of the sample corpus sources; other sources take the
#: remaining palette colours in sorted order (see :func:`source_colors`).
SOURCE_COLORS = {
    "struggle-la-lucha": OKABE_ITO["vermillion"],
    "essf": OKABE_ITO["blue"],
    "ist": OKABE_ITO["bluish_green"],
    "ilps": OKABE_ITO["orange"],
    "saru": OKABE_ITO["reddish_purple"],
}


def source_colors(sources: Iterable[str]) -> dict[str, str]:
    """Colour of each source: the fixed one if known, else the next free colour.

    The lumped tail (``"other (k sources)"``, :func:`analysis.plots.lump_tail`)
    is grey.

    Examples
    --------
    >>> source_colors(["essf", "new-site"])["essf"]
    '#0072B2'
    """
    present = set(sources)
    # Only the fixed colours of sources in this corpus are taken, so a corpus
    # of new sources gets all eight colours before any repeats.
    taken = {SOURCE_COLORS[s] for s in present if s in SOURCE_COLORS}
    out, free = {}, [c for c in _CYCLE if c not in taken]
    named = sorted(s for s in present if not is_other(s))
    for i, source in enumerate(named):
        out[source] = SOURCE_COLORS.get(source, free[i % len(free)])
    for source in present - set(named):
        out[source] = OTHER_COLOR
    return out


def palette(values: Iterable[str]) -> dict[str, str]:
    """Okabe-Ito colours for any categories, assigned in sorted order.

    Examples
    --------
    >>> palette(["fr", "en"])
    {'en': '#0072B2', 'fr': '#E69F00'}
    """
    return {v: _CYCLE[i % len(_CYCLE)] for i, v in enumerate(sorted(set(values)))}


def apply_style() -> None:
    """Set matplotlib defaults for publication figures (deterministic, no TeX)."""
    mpl.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "figure.figsize": (6.4, 4.0),
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=_CYCLE),
        "legend.frameon": False,
        "svg.hashsalt": "analysis",
        "pdf.fonttype": 42,
    })
