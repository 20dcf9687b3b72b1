"""What `kubectl get pods` prints, computed client-side from plain pod dicts (and kubectl's
`-o json|yaml` documents and "No resources found" line for any kind).

Tables come from `kubetui.model` (`pod_row` + the tabwriter port), so the CLI and the TUI agree
with kubectl cell for cell. Key decisions: `-o json|yaml` wrap the items in the `List` kubectl
builds (`kind: List`, `metadata.resourceVersion: ""`, items given `apiVersion`/`kind` and
stripped of `managedFields`, as kubectl hides them by default), and
`-w` lines go through `WatchTable`, which keeps the column widths of what was already printed
and only ever widens them, as kubectl's tabwriter (`RememberWidths`) does between flushes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from kubetui.model import POD_COLUMNS, POD_WIDE_COLUMNS, pod_row
from kubetui.model.tabwriter import chunk_rows, format_tables

__all__ = ["WatchTable", "list_document", "name_lines", "no_resources_message", "pod_list_document",
           "printable", "table_rows", "table_text", "headers", "object_text"]

MIN_WIDTH = 6
PADDING = 3
# printers.WriteEscaped: defuse terminal escape sequences, as kubetui.model.tabwriter does.
_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})


def headers(*, wide: bool, all_namespaces: bool) -> list[str]:
    columns = list(POD_WIDE_COLUMNS if wide else POD_COLUMNS)
    return ["NAMESPACE", *columns] if all_namespaces else columns


def table_rows(pods: Iterable[dict], now: datetime, *, wide: bool, all_namespaces: bool) -> list[list[str]]:
    rows = []
    for pod in pods:
        row = pod_row(pod, now)
        cells = row.cells(wide)
        rows.append([row.namespace, *cells] if all_namespaces else cells)
    return rows


def table_text(pods: list[dict], now: datetime, *, wide: bool = False, all_namespaces: bool = False) -> str:
    """The table `kubectl get pods [-A] [-o wide]` prints ("" for no pods)."""
    rows = table_rows(pods, now, wide=wide, all_namespaces=all_namespaces)
    # Laid out page by page, as kubectl prints the 500-pod pages it reads.
    return format_tables(headers(wide=wide, all_namespaces=all_namespaces), chunk_rows(rows))


def name_lines(pods: Iterable[dict]) -> str:
    """`-o name`: one `pod/NAME` line per pod."""
    return "".join(f"pod/{(pod.get('metadata') or {}).get('name', '')}\n" for pod in pods)


def printable(obj: dict, api_version: str = "v1", kind: str = "Pod") -> dict:
    """The object as kubectl prints it: `apiVersion`/`kind` set (a real server omits them from
    list items; kubectl takes them from the list) and without `metadata.managedFields`
    (kubectl's `--show-managed-fields=false`)."""
    metadata = obj.get("metadata")
    if obj.get("apiVersion") and obj.get("kind") and not (metadata and "managedFields" in metadata):
        return obj
    copy = {**obj, "apiVersion": obj.get("apiVersion") or api_version, "kind": obj.get("kind") or kind}
    if isinstance(metadata, dict) and "managedFields" in metadata:
        copy["metadata"] = {k: v for k, v in metadata.items() if k != "managedFields"}
    return copy


def list_document(items: list[dict]) -> dict:
    """The `List` kubectl prints for `-o json|yaml` of several objects (already `printable`)."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def pod_list_document(pods: list[dict]) -> dict:
    return list_document([printable(pod) for pod in pods])


def object_text(document: dict, output: str) -> str:
    """`document` in kubectl's `-o json` or `-o yaml` spelling."""
    from kubetui.kube.go_text import go_json, go_yaml  # yaml and the dumper only when asked

    return go_json(document) if output == "json" else go_yaml(document)


def no_resources_message(namespace: str | None) -> str:
    """kubectl's stderr line for an empty human-readable list."""
    if namespace is None:
        return "No resources found"
    return f"No resources found in {namespace} namespace."


class WatchTable:
    """Lines of one growing table printed piece by piece, aligned like `kubectl get -w`.

    kubectl writes watch output through one tabwriter and flushes it after every event; with
    `RememberWidths` a column is as wide as the widest cell seen so far (plus padding, at least
    6), and the last column is never padded.
    """

    def __init__(self) -> None:
        self.widths: list[int] = []

    def lines(self, rows: list[list[str]]) -> str:
        if not rows:
            return ""
        cleaned = [[_cell_text(cell) for cell in row] for row in rows]
        columns = max(len(row) for row in cleaned) - 1
        for column in range(columns):
            width = max(max(len(row[column]) for row in cleaned if column < len(row) - 1) + PADDING, MIN_WIDTH)
            if column < len(self.widths):
                self.widths[column] = max(self.widths[column], width)
            else:
                self.widths.append(width)
        out = []
        for row in cleaned:
            last = len(row) - 1
            out.append("".join(cell.ljust(self.widths[i]) if i < last else cell for i, cell in enumerate(row)))
        return "\n".join(out) + "\n"


def _cell_text(cell: str) -> str:
    for index, char in enumerate(cell):
        if char in "\f\n\r":
            return cell[:index].translate(_ESCAPES) + "..."
    return cell.translate(_ESCAPES)
