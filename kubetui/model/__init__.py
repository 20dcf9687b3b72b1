"""Pure model of what kubetui shows: plain dicts and dataclasses in, strings out.

Nothing here imports the rest of kubetui, the Kubernetes client or Textual, and nothing
reads the clock: every time-dependent function takes ``now``.

Exports load lazily (PEP 562): `kubetui get pods` needs pod_status and tabwriter, not the
manifest parser and PyYAML, and every start-up millisecond counts against kubectl.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "COLUMN_KEYS": "pod_table",
    "Manifest": "manifests",
    "ManifestSet": "manifests",
    "POD_COLUMNS": "pod_status",
    "POD_WIDE_COLUMNS": "pod_status",
    "PodRow": "pod_status",
    "PodTable": "pod_table",
    "Problem": "manifests",
    "RowBatch": "pod_table",
    "RowFilter": "row_filter",
    "TableChange": "keyed_table",
    "age_text": "pod_status",
    "display_fields": "pod_fields",
    "format_table": "tabwriter",
    "human_duration": "durations",
    "object_diff": "object_diff",
    "parse_filter": "row_filter",
    "parse_label_selector": "label_selectors",
    "parse_manifests": "manifests",
    "parse_sources": "manifests",
    "parse_timestamp": "durations",
    "pod_row": "pod_status",
    "restarts_text": "pod_status",
    "row_key": "pod_table",
    "row_text": "pod_table",
    "same_object": "object_diff",
    "status_tone": "pod_table",
    "strip_noise": "object_diff",
    "time_since": "durations",
    "with_time": "pod_status",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kubetui.model' has no attribute {name!r}")
    loaded = importlib.import_module(f"kubetui.model.{module}")
    value = getattr(loaded, name)
    globals()[name] = value
    if module in _EXPORTS:  # importing `object_diff` bound the module over the function of that name
        globals()[module] = getattr(loaded, module)
    return value


def __dir__() -> list[str]:
    return __all__
