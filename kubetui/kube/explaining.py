"""`kubectl explain TYPE[.FIELD...]` from the server's OpenAPI v3, in kubectl's layout.

Key decisions: the document is found as kubectl finds it (`/openapi/v3`, the group version's
`serverRelativeURL`, the schema whose `x-kubernetes-group-version-kind` names the kind), and a
kind the server publishes no schema for fails as kubectl fails: the GROUP/KIND/VERSION header,
then `error: GVK map[group:apps kind:Deployment version:v1] not found in OpenAPI schema` (the
local cluster serves only the stubs kubectl's field validation needs, so that is what it gets).
With a schema, the description and fields are laid out like kubectl's plaintext template.
Blocking: call from a worker thread.
"""

from __future__ import annotations

import textwrap
from typing import Any

from kubetui.kube.printed import Printed, Scoped

__all__ = ["explain_printed"]

WIDTH = 80
MAX_DEPTH = 15


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
    lines = [header.rstrip("\n"), ""]
    for step in request.field_path:
        field = ((schema.get("properties") or {}).get(step))
        if field is None:
            return Printed("", f'error: field "{step}" does not exist\n', 1)
        required = step in (schema.get("required") or ())
        lines += [f"FIELD: {step} <{_type(field, schemas)}>{' -required-' if required else ''}", ""]
        schema = _target(field, schemas)
    description = schema.get("description") or ""
    if description:
        lines += ["DESCRIPTION:", *_wrapped(description, 4), ""]
    properties = schema.get("properties") or {}
    if properties:
        lines.append("FIELDS:")
        lines += _fields(schema, schemas, request.recursive, 1, set())
    return Printed("\n".join(lines) + "\n")


def _serves(schema: dict, group: str, version: str, kind: str) -> bool:
    return any(g.get("group", "") == group and g.get("version") == version and g.get("kind") == kind
               for g in schema.get("x-kubernetes-group-version-kind") or ())


def _target(field: dict, schemas: dict) -> dict:
    """The schema a field points to (through `$ref`, `allOf`, array items)."""
    for _ in range(4):
        if "$ref" in field:
            field = schemas.get(field["$ref"].rsplit("/", 1)[-1]) or {}
        elif field.get("allOf"):
            field = field["allOf"][0]
        elif field.get("type") == "array" and field.get("items"):
            field = field["items"]
        else:
            break
    return field


def _type(field: dict, schemas: dict) -> str:
    ref = field.get("$ref") or ((field.get("allOf") or [{}])[0]).get("$ref")
    if ref:
        return ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
    kind = field.get("type", "")
    if kind == "array":
        return "[]" + _type(field.get("items") or {}, schemas)
    if kind == "object" and isinstance(field.get("additionalProperties"), dict):
        return f"map[string]{_type(field['additionalProperties'], schemas)}"
    return {"object": "Object", "": "Object"}.get(kind, kind)


def _fields(schema: dict, schemas: dict, recursive: bool, depth: int, seen: set[int]) -> list[str]:
    lines = []
    required = set(schema.get("required") or ())
    for name, field in sorted((schema.get("properties") or {}).items()):
        indent = "  " * depth
        lines.append(f"{indent}{name}\t<{_type(field, schemas)}>{' -required-' if name in required else ''}")
        target = _target(field, schemas)
        if recursive:
            if target.get("properties") and id(target) not in seen and depth < MAX_DEPTH:
                lines += _fields(target, schemas, True, depth + 1, seen | {id(target)})
            continue
        description = field.get("description") or target.get("description") or "<no description>"
        lines += [*_wrapped(description, len(indent) + 2), ""]
    return lines


def _wrapped(text: str, indent: int) -> list[str]:
    prefix = " " * indent
    out = []
    for paragraph in text.split("\n"):
        out += textwrap.wrap(paragraph, WIDTH - indent, initial_indent=prefix, subsequent_indent=prefix) or [""]
    return out
