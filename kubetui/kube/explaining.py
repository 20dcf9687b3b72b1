"""`kubectl explain TYPE[.FIELD...]` from the server's OpenAPI v3, in kubectl's layout.

Key decisions: the document is found as kubectl finds it (`/openapi/v3`, the group version's
`serverRelativeURL`, the schema whose `x-kubernetes-group-version-kind` names the kind), and is
laid out by a port of kubectl's `plaintext` template (`_Layout`) rather than a look-alike: its
wrapping (go-wordwrap at 80 columns less the indentation), its blank lines and its walk through
refs are what make the text equal kubectl's. Failures read as kubectl's: the GROUP/KIND/VERSION
header, then `error: GVK map[...] not found in OpenAPI schema` (no schema for the kind) or
`error: field "NAME" does not exist` (naming the path's last step, as kubectl does).
Blocking: call from a worker thread.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.printed import Printed, Scoped

__all__ = ["explain_printed"]

WIDTH = 80


def explain_printed(conn: Scoped, request: Any) -> Printed:
    from kubetui.kube.api_requests import call_json
    from kubetui.kube.kubectl_errors import kubectl_error_text

    resource = request.resource
    api_version = request.api_version or resource.api_version
    group, _, version = api_version.rpartition("/")
    if api_version != resource.api_version:
        return Printed("", f"error: GVR ({group}/{version}, Resource={resource.plural}) not found in OpenAPI schema\n",
                       1)
    header = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {resource.kind}\nVERSION:    {version}\n\n"
    missing = f"error: GVK map[group:{group} kind:{resource.kind} version:{version}] not found in OpenAPI schema\n"
    try:
        index = call_json(conn.api_client, "GET", "/openapi/v3") or {}
        entry = (index.get("paths") or {}).get(f"apis/{group}/{version}" if group else f"api/{version}")
        if not entry:
            return Printed(header, missing, 1)
        url = str(entry.get("serverRelativeURL") or "")
        path, _, query = url.partition("?")
        document = call_json(conn.api_client, "GET", path,
                             [tuple(part.split("=", 1)) for part in query.split("&") if "=" in part]) or {}
    except Exception as exc:
        return Printed(header, kubectl_error_text(exc, conn.server, listing=False, request="get") + "\n", 1)
    schemas = (document.get("components") or {}).get("schemas") or {}
    schema = next((s for s in schemas.values() if _serves(s, group, version, resource.kind)), None)
    if schema is None:
        return Printed(header, missing, 1)
    body = _Layout(document, request.recursive).output(schema, list(request.field_path), frozenset())
    if not body:
        return Printed(header, f'error: field "{request.field_path[-1]}" does not exist\n', 1)
    return Printed(header + body + "\n")


def _serves(schema: dict, group: str, version: str, kind: str) -> bool:
    return any(g.get("group", "") == group and g.get("version") == version and g.get("kind") == kind
               for g in schema.get("x-kubernetes-group-version-kind") or ())


class _Layout:
    """kubectl's `plaintext` explain template, step for step: the same walk through `$ref`,
    `allOf`, array items and map values, the same cycle guard (the refs on the current path),
    the same truthiness (an empty schema counts as absent) and the same newlines, so that
    blank lines and wrapping come out byte for byte."""

    def __init__(self, document: dict, recursive: bool) -> None:
        self.document, self.recursive = document, recursive

    def resolve(self, ref: Any) -> dict:
        if not isinstance(ref, str) or not ref.startswith("#"):
            return {}
        node: Any = self.document
        for key in ref[1:].split("/"):
            if key:
                node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    def output(self, schema: dict, path: list[str], history: frozenset[str]) -> str:
        """The DESCRIPTION and FIELDS of what `path` leads to from `schema` ("" when it leads nowhere)."""
        ref = schema.get("$ref") or ""
        resolved = self.resolve(ref) or schema
        if not path:
            text = "DESCRIPTION:\n" + _indent(_wrap(self.description(resolved) or "<empty>", WIDTH - 4), 4) + "\n"
            docs = _external_docs(resolved, 0)
            if docs:
                text += "\n" + docs
            fields = self.field_list(resolved, 1, frozenset())
            return text + ("FIELDS:\n" + fields if fields else "")
        if ref and ref in history:
            return ""
        history = history | {ref}
        field = (resolved.get("properties") or {}).get(path[0])
        if field:
            head = ""
            if len(path) == 1:
                head = f"FIELD: {path[0]} <{self.type_guess(field)}>\n{_enum(field, 0, long=True)}\n\n"
            return head + self.output(field, path[1:], frozenset())
        if resolved.get("items"):
            return self.output(resolved["items"], path, history)
        if _map_values(resolved):
            return self.output(resolved["additionalProperties"], path, history)
        for alternative in resolved.get("allOf") or ():
            text = self.output(alternative, path, history)
            if text:
                return text
        return ""

    def description(self, schema: dict) -> str:
        schema = self.resolve(schema.get("$ref")) or schema
        text = schema["description"] + "\n" if schema.get("description") else ""
        for alternative in schema.get("allOf") or ():
            text += self.description(alternative)
        if schema.get("items"):
            text += self.description(schema["items"])
        if _map_values(schema):
            text += self.description(schema["additionalProperties"])
        return text

    def field_list(self, schema: dict, level: int, history: frozenset[str]) -> str:
        ref = schema.get("$ref") or ""
        if ref and ref in history:
            return ""
        history = history | {ref}
        resolved = self.resolve(ref) or schema
        text = ""
        properties = resolved.get("properties") or {}
        for name in sorted(properties):
            text += self.field_detail(resolved, name, level)
            if self.recursive:
                text += self.field_list(properties[name], level + 1, history)
        for alternative in resolved.get("allOf") or ():
            text += self.field_list(alternative, level, history)
        if resolved.get("items"):
            text += self.field_list(resolved["items"], level, history)
        if _map_values(resolved):
            text += self.field_list(resolved["additionalProperties"], level, history)
        return text

    def field_detail(self, schema: dict, name: str, level: int) -> str:
        indent = level * 2
        field = schema["properties"][name]
        required = " -required-" if name in (schema.get("required") or ()) else ""
        text = f"{' ' * indent}{name}\t<{self.type_guess(field)}>{required}{_enum(field, indent, long=False)}\n"
        if self.recursive:
            return text
        text += _indent(_wrap(field.get("description") or "<no description>", WIDTH - 2 - indent), indent + 2) + "\n"
        docs = _external_docs(field, indent + 2)
        if docs:
            text += "\n" + docs
        return text + "\n"

    def type_guess(self, schema: dict) -> str:
        if schema.get("items"):
            return "[]" + self.type_guess(schema["items"])
        if _map_values(schema):
            return "map[string]" + self.type_guess(schema["additionalProperties"])
        if schema.get("allOf") and not schema.get("properties") and len(schema["allOf"]) == 1:
            return self.type_guess(schema["allOf"][0])
        ref = schema.get("$ref")
        if ref:
            target = self.resolve(ref)
            if not target.get("type") or target["type"] == "object":
                return ref.split("/")[-1].split(".")[-1] or "Object"
            return target["type"]
        kind = schema.get("type")
        return "Object" if kind == "object" else (kind or "Object")


def _map_values(schema: dict) -> bool:
    """Whether the schema is a map whose values have a schema (`additionalProperties: true` has none)."""
    values = schema.get("additionalProperties")
    return isinstance(values, dict) and bool(values)


def _enum(schema: dict, indent: int, *, long: bool) -> str:
    """The ENUM lines under a FIELD header (all values), or the `enum:` line of a field (four, then `....`)."""
    values = schema.get("enum")
    if not values:
        return ""
    if long:
        return "ENUM:" + "".join("\n    " + _enum_value(value) for value in values)
    shown = ", ".join(_enum_value(value) for value in values[:4])
    return "\n" + " " * indent + "enum: " + shown + (", ...." if len(values) > 4 else "")


def _enum_value(value: Any) -> str:
    if value == "" and isinstance(value, str):
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _external_docs(schema: dict, indent: int) -> str:
    docs = schema.get("externalDocs") or {}
    if not docs:
        return ""
    text = " " * indent + "EXTERNAL DOCS:\n"
    if docs.get("description"):
        text += _indent(_wrap(docs["description"], WIDTH - 4 - indent), indent + 2) + "\n"
    if docs.get("url"):
        text += " " * (indent + 2) + "URL: " + docs["url"] + "\n"
    return text


def _indent(text: str, amount: int) -> str:
    """Go template `indent`: the pad before the text and after every newline, a trailing one too."""
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def _wrap(text: str, limit: int) -> str:
    """kubectl's word wrapping (go-wordwrap): breaks only at spaces, drops the spaces at a break,
    keeps the text's own newlines, and lets a word longer than the limit overflow."""
    out: list[str] = []
    current = 0
    word = spaces = ""
    for char in text:
        if char == "\n":
            if not word:
                if current + len(spaces) <= limit:
                    out.append(spaces)
            else:
                out += [spaces, word]
            word = spaces = ""
            out.append("\n")
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not spaces or word:
                current += len(spaces) + len(word)
                out += [spaces, word]
                word = spaces = ""
            spaces += char
        else:
            word += char
            if current + len(spaces) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                spaces = ""
    if not word:
        if current + len(spaces) <= limit:
            out.append(spaces)
    else:
        out += [spaces, word]
    return "".join(out)
