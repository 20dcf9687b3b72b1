"""Reading what a request carries (query flags, dryRun, fieldManager, a JSON, YAML or protobuf
body) and writing JSON answers: the helpers every handler of the API server shares.

Key decisions: a body without Content-Type is JSON (the Python client sends none), YAML bodies
are accepted, anything else is 415; booleans and integers in the query are parsed as the real
server's conversion does, and a bad one is a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from aiohttp import web

from kubetui.localcluster.apimachinery import errors, protobuf

WARNING = web.RequestKey("kubetui_warning", str)  # the resource's deprecation warning, sent as a header
_TRUE = frozenset({"1", "t", "T", "true", "TRUE", "True"})
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "False"})
_JSON_TYPES = frozenset({"", "application/json", "*/*"})
_YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml"})


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def parse_bool(value: str | None, name: str = "") -> bool:
    if value is None or value == "":
        return False
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise errors.bad_request(f'invalid value for {name}: "{value}": not a boolean')


def parse_int(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise errors.bad_request(f'invalid value for {name}: "{value}": not an integer') from None


def request_dry_run(request: web.Request, body: dict | None = None) -> bool:
    values = request.query.getall("dryRun", []) + list((body or {}).get("dryRun") or [])
    for value in values:
        if value != "All":
            raise errors.invalid("DryRun", "", [{"reason": "FieldValueNotSupported", "field": "dryRun",
                                  "message": f'Unsupported value: "{value}": supported values: "All"'}],
                                 group="meta.k8s.io")
    return bool(values)


def field_manager(request: web.Request) -> str:
    """fieldManager, defaulting (like the real server) to the User-Agent's product name."""
    explicit = request.query.get("fieldManager", "")
    if explicit:
        return explicit
    return request.headers.get("User-Agent", "unknown").split("/", 1)[0][:128] or "unknown"


async def read_object(request: web.Request) -> dict:
    media_type = request.content_type if request.headers.get("Content-Type") else ""
    raw = await request.read()
    if media_type in _JSON_TYPES:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise errors.bad_request(f"couldn't get version/kind; json parse error: {exc}") from None
    elif media_type == protobuf.PROTOBUF:  # client-go typed clients (kubectl create ns ...)
        body = protobuf.decode(raw)
    elif media_type in _YAML_TYPES:
        try:
            body = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise errors.bad_request(f"error converting YAML to JSON: {exc}") from None
    else:
        raise errors.unsupported_media_type(media_type)
    if not isinstance(body, dict):
        raise errors.bad_request("the request body must be a single JSON object")
    return body
