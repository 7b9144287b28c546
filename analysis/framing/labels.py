"""The framing labels, methods and shared column names."""

from __future__ import annotations

import re

from .. import config

#: The four framing labels.
LABELS = ("anti_us", "all_imperialisms", "mixed", "none")
#: The scoring methods, in the order their columns appear.
METHODS = ("lexicon", "lss", "prototypes", "classifier")
#: Languages the embedding-based methods (LSS, prototypes, classifier) are applied to.
MODEL_LANGUAGES = ("en",)
DEFAULT_GOLD = config.DATA / "annotations" / "gold.csv"
_GOLD_COLUMNS = ("item_id", "group", "language", "label", "coder", "constructed", "text")
_P = {label: f"classifier_p_{label}" for label in LABELS}
_PROTO_LABELS = ("anti_us", "all_imperialisms", "none")
_EVIDENCE = re.compile(r"^(?P<term>.*) \[(?P<entry>[^\]]+)\] (?P<value>[-\d.e]+)$")

