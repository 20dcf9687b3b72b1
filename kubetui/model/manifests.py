"""Manifest sets: the objects of one or more YAML/JSON texts, and what is wrong with them locally.

`parse_sources([(source, text), ...])` reads every document (empty ones skipped), expands
`kind: List`, and checks what needs no server: syntax (line and column), YAML that could hurt
(alias bombs, unknown tags: refused by `manifest_text` before any value is built), apiVersion
and kind (kubectl's `Object 'Kind' is missing in '...'`), a name or generateName, names by the API's rules
and in the API's words (`Pod "Sample_Pod" is invalid: metadata.name: Invalid value: ...`), and the
same object twice in one set. Key decision: every problem carries its source, document number,
line and column, so a panel can show it at its document and a CLI can print where it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from kubetui.model.api_names import invalid_message, name_problems, namespace_problems
from kubetui.model.go_quote import go_quote
from kubetui.model.manifest_text import Document, read_documents

_MISSING_SNIPPET = 200  # characters of the object quoted in "Object 'Kind' is missing in '...'"


@dataclass(frozen=True)
class Problem:
    """Something wrong with one document (or one item of a `kind: List`)."""

    source: str
    document: int         # 1-based document number in its source
    line: int             # 1-based; 0 when unknown
    column: int           # 1-based; 0 when unknown
    message: str
    item: int | None = None  # index in a kind: List

    @property
    def key(self) -> tuple:
        return self.source, self.document, self.item

    def where(self) -> str:
        parts = [self.source or "<input>", f"document {self.document}"]
        if self.item is not None:
            parts.append(f"item {self.item}")
        if self.line:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return ", ".join(parts)

    def text(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class Manifest:
    """One object to send: its body and where it was written."""

    source: str
    document: int
    line: int
    body: dict
    item: int | None = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> tuple:
        return self.source, self.document, self.item

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "")

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def metadata(self) -> dict:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "")

    @property
    def generate_name(self) -> str:
        return str(self.metadata.get("generateName") or "")

    @property
    def namespace(self) -> str:
        return str(self.metadata.get("namespace") or "")

    @property
    def label(self) -> str:
        """`Pod/sample-pod` (or `Pod/sample-*` for generateName) for lists and messages."""
        return f"{self.kind or '?'}/{self.name or (self.generate_name + '*' if self.generate_name else '?')}"

    def position(self, field_path: str) -> tuple[int, int]:
        """(line, column) of a field such as `spec.containers[1].name`, or of its nearest
        written ancestor; the document's first line when nothing of it was written."""
        path = field_path
        while path:
            if path in self.positions:
                return self.positions[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.line, 0


@dataclass
class ManifestSet:
    manifests: list[Manifest] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def valid(self) -> list[Manifest]:
        """The manifests with no local problem (what --no-all-or-nothing may still send)."""
        bad = {p.key for p in self.problems}
        return [m for m in self.manifests if m.key not in bad]


def parse_manifests(text: str, source: str = "", default_namespace: str = "") -> ManifestSet:
    return parse_sources([(source, text)], default_namespace)


def parse_sources(sources: Iterable[tuple[str, str]], default_namespace: str = "") -> ManifestSet:
    """Every object of every (source, text), checked locally; duplicates across the whole set."""
    result = ManifestSet()
    for source, text in sources:
        for document in read_documents(text):
            _add_document(result, source, document)
    _find_duplicates(result, default_namespace)
    return result


def _add_document(result: ManifestSet, source: str, document: Document) -> None:
    if document.error:
        result.problems.append(Problem(source, document.number, document.error_line, document.error_column,
                                       document.error))
        return
    data: Any = document.data
    if isinstance(data, dict) and data.get("kind") == "List" and "items" in data:
        items = data.get("items")
        if not isinstance(items, list):
            line, column = document.positions.get("items", (document.line, 0))
            result.problems.append(Problem(source, document.number, line, column,
                                           "the items of a List must be a list of objects"))
            return
        for index, item in enumerate(items):
            prefix = f"items[{index}]"
            positions = {path[len(prefix) + 1:]: where for path, where in document.positions.items()
                         if path.startswith(prefix + ".")}
            line = document.positions.get(prefix, (document.line, 0))[0]
            _add_object(result, Manifest(source, document.number, line, item, index, positions))
        return
    _add_object(result, Manifest(source, document.number, document.line, data, None, document.positions))


def _add_object(result: ManifestSet, manifest: Manifest) -> None:
    body = manifest.body
    if not isinstance(body, dict):
        found = "a list" if isinstance(body, list) else f"{json.dumps(body)}"
        manifest.body = {}
        result.manifests.append(manifest)
        _problem(result, manifest, "", f"expected an object with apiVersion, kind and metadata, found {found}")
        return
    result.manifests.append(manifest)
    for message, where in check_object(body):
        _problem(result, manifest, where, message)


def _problem(result: ManifestSet, manifest: Manifest, field_path: str, message: str) -> None:
    line, column = manifest.position(field_path) if field_path else (manifest.line, 0)
    result.problems.append(Problem(manifest.source, manifest.document, line, column, message, manifest.item))


def check_object(body: dict) -> list[tuple[str, str]]:
    """(message, field path) of everything locally wrong with one object, kubectl's and the
    API server's words."""
    problems: list[tuple[str, str]] = []
    snippet = json.dumps(body, separators=(",", ":"))
    if len(snippet) > _MISSING_SNIPPET:
        snippet = snippet[:_MISSING_SNIPPET] + "..."
    kind, api_version = body.get("kind"), body.get("apiVersion")
    if not kind:
        problems.append((f"Object 'Kind' is missing in '{snippet}'", ""))
    elif not isinstance(kind, str):
        problems.append((f"kind must be a string, found {json.dumps(kind)}", "kind"))
    if not api_version:
        problems.append((f"Object 'apiVersion' is missing in '{snippet}'", ""))
    elif not isinstance(api_version, str):
        problems.append((f"apiVersion must be a string, found {json.dumps(api_version)}", "apiVersion"))
    if problems:
        return problems
    meta = body.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        return [(f"json: cannot unmarshal {_json_kind(meta)} into Go struct field {kind}.metadata of type "
                 "v1.ObjectMeta", "metadata")]
    return _check_names(str(kind), str(api_version), meta or {})  # both checked to be strings above


def _check_names(kind: str, api_version: str, meta: dict) -> list[tuple[str, str]]:
    group = api_version.rpartition("/")[0]
    name, generate_name, namespace = meta.get("name"), meta.get("generateName"), meta.get("namespace")
    causes: list[tuple[str, str]] = []
    for path, value, generated in (("metadata.generateName", generate_name, True),
                                   ("metadata.name", name, False)):
        if isinstance(value, str) and value:
            causes += [(f"{path}: Invalid value: {go_quote(value)}: {detail}", path)
                       for detail in name_problems(kind, value, generated=generated)]
    if not name and not generate_name:
        causes.append(("metadata.name: Required value: name or generateName is required", "metadata"))
    if isinstance(namespace, str) and namespace:
        causes += [(f"metadata.namespace: Invalid value: {go_quote(namespace)}: {detail}", "metadata.namespace")
                   for detail in namespace_problems(namespace)]
    if not causes:
        return []
    # The server rejects the whole object with one message; each cause points at its field.
    message = invalid_message(kind, group, str(name or ""), [text for text, _ in causes])
    return [(message, causes[0][1])]


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "array"


def _find_duplicates(result: ManifestSet, default_namespace: str) -> None:
    seen: dict[tuple, Manifest] = {}
    for manifest in result.manifests:
        if not manifest.name or not manifest.kind:
            continue
        identity = (manifest.group, manifest.kind, manifest.namespace or default_namespace, manifest.name)
        first = seen.get(identity)
        if first is None:
            seen[identity] = manifest
            continue
        where = f"document {first.document}" + (f" item {first.item}" if first.item is not None else "")
        if first.source != manifest.source:
            where += f" of {first.source or '<input>'}"
        _problem(result, manifest, "metadata.name",
                 f"duplicate object: {manifest.kind} {go_quote(manifest.name)} is also defined in {where} "
                 f"(line {first.line}); each object may appear only once in a set")
