"""Writes (DELETE, PATCH) and one-object reads of any API path: JSON in and out.

Key decision: built as `requesting.open_get` builds its GETs (the client's `param_serialize` for
URL, auth and headers; its urllib3 pool with retries off) rather than through the generated APIs
or the DynamicClient, so there are no model classes and no discovery round trip, and the PATCH
content types are ours to choose, as kubectl chooses them.
"""

from __future__ import annotations

from typing import Any

import orjson
import urllib3
from kubernetes.client.exceptions import ApiException
from kubernetes.client.rest import RESTResponse

from kubetui.errors import from_api_exception
from kubetui.kube.requesting import AUTH_SETTINGS, paused_gc

__all__ = ["JSON", "MERGE_PATCH", "JSON_PATCH", "STRATEGIC_PATCH", "call", "call_json", "open_request"]

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
REQUEST_TIMEOUT = (10.0, 30.0)


def open_request(api_client: Any, method: str, path: str, query: list[tuple[str, str]] | None = None, *,
                 body: Any = None, content_type: str = JSON, accept: str = JSON,
                 timeout: float | tuple[float, float] | None = REQUEST_TIMEOUT) -> Any:
    """Send the request; return the unread urllib3 response once it answered 2xx.

    Raises `ApiException` (status and the Status body filled in) for any other status, and the
    urllib3 error itself for a transport failure.
    """
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = content_type
    method, url, headers, _body, _post = api_client.param_serialize(
        method, path, query_params=query or [], header_params=headers, auth_settings=AUTH_SETTINGS)
    data = None if body is None else orjson.dumps(body)
    response = api_client.rest_client.pool_manager.request(
        method, url, body=data, headers=headers, timeout=_timeout(timeout), preload_content=False,
        retries=False)
    if not 200 <= response.status <= 299:
        answer = RESTResponse(response)
        try:
            answer.read()
        finally:
            response.release_conn()
        raise ApiException.from_response(http_resp=answer, body=None, data=None)
    return response


def call_json(api_client: Any, method: str, path: str, query: list[tuple[str, str]] | None = None, *,
              body: Any = None, content_type: str = JSON, accept: str = JSON,
              timeout: float | tuple[float, float] | None = REQUEST_TIMEOUT) -> Any:
    """`open_request` and the parsed JSON answer (None for an empty body)."""
    response = open_request(api_client, method, path, query, body=body, content_type=content_type,
                            accept=accept, timeout=timeout)
    try:
        data = response.data
    finally:
        response.release_conn()
    if not data:
        return None
    with paused_gc():
        return orjson.loads(data)


def call(api_client: Any, method: str, path: str, query: list[tuple[str, str]] | None = None,
         **options: Any) -> Any:
    """`call_json` with any failure translated once into a `KubetuiError` in the server's words."""
    try:
        return call_json(api_client, method, path, query, **options)
    except Exception as exc:
        host = getattr(getattr(api_client, "configuration", None), "host", "") or ""
        raise from_api_exception(exc, str(host)) from None


def _timeout(timeout: float | tuple[float, float] | None) -> urllib3.Timeout:
    if timeout is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(timeout, tuple):
        return urllib3.Timeout(connect=timeout[0], read=timeout[1])
    return urllib3.Timeout(total=timeout)
