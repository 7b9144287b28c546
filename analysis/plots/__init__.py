"""Static matplotlib figures: one style, one ``save_figure``.

Every ``plot_*`` function takes a tidy table and ``ax=None`` and returns the
Axes; it never shows or saves.  Notebooks save through :func:`save_figure`.

seaborn draws where it is the natural tool, always on the given Axes and
with the fixed colours of :mod:`analysis.plots.style` (never its own theme):

* annotated heatmaps, ``sns.heatmap(annot=...)``: the confusion matrix
  (:func:`plot_confusion`) and the source x period heatmap
  (:func:`plot_heatmap`), where it also picks a readable text colour per cell;
* points coloured by framing with their legend, ``sns.scatterplot(hue=...)``:
  :func:`plot_known_groups` and :func:`plot_paragraph_scores`.

matplotlib stays where seaborn cannot do the job:

* dot-and-whisker plots of *precomputed* intervals (cluster-bootstrap CIs from
  :mod:`analysis.stats.compare` and :mod:`analysis.framing`):
  ``sns.pointplot`` computes its own interval from raw rows and cannot take
  one; ``seaborn.objects.Range`` can, but applies its own theme and puts
  legends on the figure, not the Axes.  ``ax.errorbar``/``ax.hlines`` draw
  them (:func:`plot_prevalence`, :func:`plot_agreement`,
  :func:`plot_event_difference`, :func:`plot_validation`,
  :func:`plot_subsets`, and the intervals of :func:`plot_known_groups`);
* stacked and labelled bars (:func:`plot_counts`, :func:`plot_stacked_shares`,
  :func:`plot_keyness`, :func:`plot_topic_sizes`), which seaborn's barplot
  does not stack;
* jitter: seaborn's ``stripplot`` draws it from numpy's global random state,
  so :func:`plot_paragraph_scores` jitters with its own seeded generator.

No figure is facetted by source (``sns.FacetGrid``): each is one Axes, by
the contract above, and a corpus of many sources is made readable by lumping
its small sources (:func:`lump_tail`), not by a panel per source.

seaborn is imported inside the functions that use it (about 1 s, mostly
``scipy.stats``), so ``import analysis.plots`` stays light.
"""

from .compare import (
    mark_events,
    plot_event_difference,
    plot_heatmap,
    plot_keyness,
    plot_stacked_shares,
)
from .corpus import plot_audit, plot_counts
from .framing import (
    plot_agreement,
    plot_confusion,
    plot_known_groups,
    plot_paragraph_scores,
    plot_seed_diagnostics,
)
from .save import save_figure
from .scale import (
    MAX_FIGSIZE,
    MAX_GROUPS,
    MAX_PNG_PIXELS,
    bounded_figsize,
    group_order,
    lump_tail,
    png_size,
)
from .style import (
    FRAMING_COLORS,
    OKABE_ITO,
    OTHER_COLOR,
    SOURCE_COLORS,
    apply_style,
    palette,
    source_colors,
)
from .topics import (
    plot_evaluation,
    plot_prevalence,
    plot_topic_sizes,
    topic_colors,
    topic_labels,
    topic_word_barchart,
)
from .validation import plot_learning_curve, plot_subsets, plot_validation

__all__ = [
    "plot_learning_curve",
    "plot_subsets",
    "plot_validation",
    "FRAMING_COLORS",
    "MAX_FIGSIZE",
    "MAX_GROUPS",
    "MAX_PNG_PIXELS",
    "OKABE_ITO",
    "OTHER_COLOR",
    "SOURCE_COLORS",
    "apply_style",
    "bounded_figsize",
    "group_order",
    "lump_tail",
    "mark_events",
    "palette",
    "plot_agreement",
    "plot_audit",
    "plot_confusion",
    "plot_counts",
    "plot_evaluation",
    "plot_event_difference",
    "plot_heatmap",
    "plot_keyness",
    "plot_known_groups",
    "plot_paragraph_scores",
    "plot_prevalence",
    "plot_seed_diagnostics",
    "plot_stacked_shares",
    "plot_topic_sizes",
    "png_size",
    "save_figure",
    "source_colors",
    "topic_colors",
    "topic_labels",
    "topic_word_barchart",
]
