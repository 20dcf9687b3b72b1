"""Raw GET requests through the official client: response streams and parsed JSON, never models.

Key decisions: the generated `CoreV1Api` costs ~0.5 s to import (it loads ~250 pydantic model
modules) and its models cost 7x the time of orjson, so requests are built with
`ApiClient.param_serialize` (URL, auth, headers, as the generated methods build them) and sent
through the client's urllib3 pool (its TLS and proxy settings); the response is read here. Big parses run
with the cyclic GC paused: it otherwise dominates parsing a 20 MB list (notes §5). The kubernetes
package and urllib3 are imported when first needed, so a run on a `kube.transport.Transport` (which
sends its own requests) never pays for them.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["open_get", "paused_gc", "read_json"]

AUTH_SETTINGS = ["BearerToken"]
JSON = "application/json"

_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True
_gc_freeze = False


def open_get(api_client: Any, path: str, query: list[tuple[str, str]] | None = None, *,
             timeout: float | tuple[float, float] | None = None, accept: str = JSON) -> Any:
    """Send `GET path?query` and return the unread urllib3 response once it answered 2xx.

    Raises `ApiException` (status and Status body filled in) for any other status, and the
    urllib3 error itself for a transport failure. The request goes through the client's own
    urllib3 pool (its TLS, proxy and auth settings) with urllib3's retries off: the callers
    retry themselves, and a stalled watch must surface after one read timeout, not four.
    A `kube.transport.Transport` (the CLI's direct connections) sends the request itself and
    raises its `ApiError` instead.
    """
    direct = getattr(api_client, "open_get", None)
    if direct is not None:
        return direct(path, query or [], timeout=timeout, accept=accept)
    from kubernetes.client.exceptions import ApiException
    from kubernetes.client.rest import RESTResponse

    method, url, headers, _body, _post = api_client.param_serialize(
        "GET", path, query_params=query or [], header_params={"Accept": accept},
        auth_settings=AUTH_SETTINGS,
    )
    response = api_client.rest_client.pool_manager.request(
        method, url, headers=headers, timeout=_timeout(timeout), preload_content=False, retries=False)
    if not 200 <= response.status <= 299:
        answer = RESTResponse(response)
        try:
            answer.read()
        finally:
            response.release_conn()
        raise ApiException.from_response(http_resp=answer, body=None, data=None)
    return response


def _timeout(timeout: float | tuple[float, float] | None) -> Any:
    import urllib3

    if timeout is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(timeout, tuple):
        return urllib3.Timeout(connect=timeout[0], read=timeout[1])
    return urllib3.Timeout(total=timeout)


def read_json(response: Any) -> Any:
    """Read the whole body of `response`, parse it with orjson (GC paused), free the connection."""
    import orjson  # here, not at the top: `kubetui get` imports it while its first request is out

    try:
        data = response.data
    finally:
        response.release_conn()
    with paused_gc():
        return orjson.loads(data)


@contextmanager
def paused_gc(*, freeze_survivors: bool = False) -> Iterator[None]:
    """Pause the cyclic GC for a big allocation burst; nests and works across threads.

    With `freeze_survivors`, what is alive when the last pauser leaves is frozen before the GC
    resumes: objects allocated during a pause are all young, so the first collection after it
    would walk every one of them (0.3 s after a 10,000-pod list). For data that lives on (a
    list's rows); refcounting still frees it.
    """
    global _gc_pausers, _gc_was_enabled, _gc_freeze
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
        _gc_freeze |= freeze_survivors
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0:
                if _gc_freeze:
                    _gc_freeze = False
                    gc.freeze()
                if _gc_was_enabled:
                    gc.enable()
