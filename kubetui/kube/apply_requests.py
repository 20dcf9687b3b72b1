"""The HTTP requests of applying: server-side apply, create, read, replace, delete, list head.

Key decision: the DynamicClient resolves kinds (discovery), but requests skip its request path,
which spends about as much client CPU per call as the server spends answering (parameter
sanitising, response wrapping); applying 1,000 objects is 2,000 such calls. Like
`requesting.open_get`, each request is built by `ApiClient.param_serialize` (URL, auth, headers as
the generated methods build them) and sent through the client's urllib3 pool (its TLS and proxy
settings), with urllib3's own retries off: `apply_retry` decides what is sent again. Bodies and
answers go through orjson. A non-2xx answer raises `ApiException` with the Status body and the
headers (Retry-After); a transport failure raises urllib3's error.
"""

from __future__ import annotations

from typing import Any

import orjson
import urllib3
from kubernetes.client.exceptions import ApiException
from kubernetes.client.rest import RESTResponse

JSON = "application/json"
APPLY_PATCH = "application/apply-patch+yaml"  # JSON is YAML: the server takes it as is
AUTH_SETTINGS = ["BearerToken"]


class Wire:
    """Requests to one cluster as `field_manager`, each answered with (status, object)."""

    def __init__(self, api_client: Any, field_manager: str, timeout: float) -> None:
        self.api_client = api_client
        self.field_manager = field_manager
        self.timeout = urllib3.Timeout(total=timeout)

    def send(self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None,
             content_type: str = JSON) -> tuple[int, dict]:
        headers = {"Accept": JSON}
        if body is not None:
            headers["Content-Type"] = content_type
        method, url, headers, _body, _post = self.api_client.param_serialize(
            method, path, query_params=query or [], header_params=headers, auth_settings=AUTH_SETTINGS)
        data = orjson.dumps(body) if body is not None else None
        response = self.api_client.rest_client.pool_manager.request(
            method, url, body=data, headers=headers, timeout=self.timeout, preload_content=False, retries=False)
        try:
            payload = response.data
        finally:
            response.release_conn()
        if not 200 <= response.status <= 299:
            answer = RESTResponse(response)
            answer.data = payload
            raise ApiException(http_resp=answer)
        return response.status, orjson.loads(payload) if payload else {}

    def _write_query(self, dry_run: bool, **more: str) -> list[tuple[str, str]]:
        query = [("fieldManager", self.field_manager)]
        if dry_run:
            query.append(("dryRun", "All"))
        return query + list(more.items())

    def apply(self, item_path: str, body: dict, *, dry_run: bool, force: bool) -> tuple[int, dict]:
        """Server-side apply: 201 when it created the object."""
        more = {"force": "true"} if force else {}
        return self.send("PATCH", item_path, self._write_query(dry_run, **more), body, APPLY_PATCH)

    def create(self, collection_path: str, body: dict, *, dry_run: bool) -> tuple[int, dict]:
        return self.send("POST", collection_path, self._write_query(dry_run), body)

    def get(self, item_path: str) -> dict:
        return self.send("GET", item_path)[1]

    def replace(self, item_path: str, body: dict) -> dict:
        return self.send("PUT", item_path, self._write_query(False), body)[1]

    def delete(self, item_path: str, uid: str | None = None) -> dict:
        body: dict = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}
        if uid:
            body["preconditions"] = {"uid": uid}
        return self.send("DELETE", item_path, body=body)[1]

    def list_head(self, collection_path: str) -> dict:
        """A list of at most one item: its metadata has the collection's resourceVersion now."""
        return self.send("GET", collection_path, [("limit", "1")])[1]
