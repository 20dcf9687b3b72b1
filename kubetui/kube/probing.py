"""A first request to the server, so a wrong address, certificate or token is one clear line.

`/version` is answered to any authenticated caller; a bad token gets 401 there already.
"""

from __future__ import annotations

import orjson

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.kube.contexts import Connection

PROBE_TIMEOUT_SECONDS = 5


def check(conn: Connection) -> dict:
    """Return the server's version info, or raise KubetuiError saying what is wrong."""
    try:
        if conn.transport is not None:  # without waiting for the official client's import
            return conn.transport.request("GET", "/version", timeout=PROBE_TIMEOUT_SECONDS).json()
        from kubernetes.client import VersionApi

        response = VersionApi(conn.api_client).get_code(
            _preload_content=False, _request_timeout=PROBE_TIMEOUT_SECONDS
        )
        return orjson.loads(response.data)
    except KubetuiError:
        raise
    except Exception as exc:  # ApiException, ApiError, urllib3 and socket errors: all become one line
        raise from_api_exception(exc, conn.server) from None
