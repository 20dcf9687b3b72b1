"""Pure model of what kubetui shows: plain dicts and dataclasses in, strings out.

Nothing here imports the rest of kubetui, the Kubernetes client or Textual, and nothing
reads the clock: every time-dependent function takes ``now``.
"""

from kubetui.model.durations import human_duration, parse_timestamp, time_since
from kubetui.model.manifests import Manifest, ManifestSet, Problem, parse_manifests, parse_sources
from kubetui.model.object_diff import object_diff, same_object, strip_noise
from kubetui.model.pod_status import (
    POD_COLUMNS,
    POD_WIDE_COLUMNS,
    PodRow,
    age_text,
    pod_row,
    restarts_text,
    with_time,
)
from kubetui.model.pod_table import COLUMN_KEYS, PodTable, RowBatch, TableChange, row_key, row_text, status_tone
from kubetui.model.row_filter import RowFilter, parse_filter, parse_label_selector
from kubetui.model.pod_fields import display_fields
from kubetui.model.tabwriter import format_table

__all__ = [
    "COLUMN_KEYS",
    "Manifest",
    "ManifestSet",
    "POD_COLUMNS",
    "POD_WIDE_COLUMNS",
    "PodRow",
    "PodTable",
    "Problem",
    "RowBatch",
    "RowFilter",
    "TableChange",
    "age_text",
    "display_fields",
    "format_table",
    "human_duration",
    "object_diff",
    "parse_filter",
    "parse_label_selector",
    "parse_manifests",
    "parse_sources",
    "parse_timestamp",
    "pod_row",
    "restarts_text",
    "row_key",
    "row_text",
    "same_object",
    "status_tone",
    "strip_noise",
    "time_since",
    "with_time",
]
