"""Decoding PATCH bodies and dispatching them to the patch algorithms by media type.

Key decision: the apply body is parsed as JSON first (kubectl and the Python client send JSON
text under `application/apply-patch+yaml`), then as YAML; any other media type gets 415.
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.patching import (
    apply_json_patch,
    apply_merge_patch,
    apply_strategic_merge_patch,
)

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


def decode_json(body: Any) -> Any:
    if isinstance(body, (dict, list)):
        return body
    try:
        return orjson.loads(body)
    except (orjson.JSONDecodeError, TypeError) as exc:
        raise errors.bad_request(f"error decoding patch: {exc}") from None


def apply_patch_body(target: dict, body: Any, media_type: str) -> dict:
    """A new object: `target` (not mutated) patched by a merge, strategic or JSON patch body."""
    if media_type not in (MERGE, STRATEGIC, JSON_PATCH):
        raise errors.unsupported_media_type(media_type, accepted=errors.PATCH_MEDIA_TYPES)
    patch = decode_json(body)
    if media_type == JSON_PATCH:
        if not isinstance(patch, list):
            raise errors.bad_request("json patch must be a list of operations")
        result = apply_json_patch(target, patch)
    else:
        if not isinstance(patch, dict):
            raise errors.bad_request("error decoding patch: the patch must be a JSON object")
        merge = apply_merge_patch if media_type == MERGE else apply_strategic_merge_patch
        result = merge(target, patch)
    if not isinstance(result, dict):
        raise errors.unprocessable("the patch turned the object into something that is not an object")
    return result


def parse_apply_body(body: Any) -> dict:
    if isinstance(body, dict):
        return body
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body)
    try:
        config = orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise errors.bad_request(f"error decoding YAML: {exc}") from None
    if not isinstance(config, dict):
        raise errors.bad_request("the apply patch body must be a single object")
    return config
