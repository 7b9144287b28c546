"""Static matplotlib figures: one style, one ``save_figure``.

Every ``plot_*`` function takes a tidy table and ``ax=None`` and returns the
Axes; it never shows or saves.  Notebooks save through :func:`save_figure`.
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
