"""kubectl's generic describer: any kind without a describer of its own (Events included).

It prints the name, namespace, labels and annotations, then every other field of the object
as it came from the server, keys sorted, nested maps and lists indented, field names turned
into words (`apiVersion` → `API Version`) by kubectl's `smartLabelFor` over fatih/camelcase.
Key decision: values print as Go's `%v` prints JSON decoded into `interface{}` (`<nil>`,
`true`, numbers as written), so timestamps stay raw and no age appears. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.model.describe.events import describe_events
from kubetui.model.describe.fields import print_annotations, print_labels
from kubetui.model.describe.writer import PrefixWriter, go_value

__all__ = ["describe_generic", "smart_label"]

SKIPPED = frozenset({".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
                     ".metadata.annotations"})
_ACRONYMS = frozenset({"API", "URL", "UID", "OSB", "GUID"})


def describe_generic(obj: dict, events: list[dict] | None, now: datetime) -> str:
    meta = obj.get("metadata") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
    w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    _content(w, 0, obj, "")
    if events is not None:
        describe_events(events, w, now)
    return w.text()


def _content(w: PrefixWriter, level: int, content: dict, prefix: str) -> None:
    """`printUnstructuredContent`."""
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in SKIPPED:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _content(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _content(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_value(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{go_value(value)}\n")


def smart_label(field: str) -> str:
    """`smartLabelFor`: `apiVersion` → `API Version`; names with other than letters and '-' stay."""
    if any(not char.isalpha() and char != "-" for char in field):
        return field
    words = []
    for part in _camelcase_split(field):
        if part == "_":
            continue
        words.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(words)


def _camelcase_split(text: str) -> list[str]:
    """fatih/camelcase `Split`: runs of lower, upper, digit, other; `PDFLoader` → `PDF Loader`."""
    runs: list[list[str]] = []
    last = 0
    for char in text:
        kind = 1 if char.islower() else 2 if char.isupper() else 3 if char.isdigit() else 4
        if kind == last:
            runs[-1].append(char)
        else:
            runs.append([char])
        last = kind
    for index in range(len(runs) - 1):
        if runs[index] and runs[index][0].isupper() and runs[index + 1][0].islower():
            runs[index + 1].insert(0, runs[index].pop())
    return ["".join(run) for run in runs if run]


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else go_value(value)
