"""The HTTP requests of applying: server-side apply, create, read, replace, delete, list pages.

Key decision: the requests go through one transport (`kube.transport`, or the official
client's pool where that one cannot serve the connection: `client_transport.transport_for`),
bodies and answers as JSON through orjson; a non-2xx answer raises `transport.ApiError` with
the Status body and the headers (Retry-After), a transport failure raises as it came. Nothing
here retries: `apply_retry` decides what is sent again.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.transport import JSON

APPLY_PATCH = "application/apply-patch+yaml"  # JSON is YAML: the server takes it as is


class Wire:
    """Requests to one cluster as `field_manager`, each answered with (status, object)."""

    def __init__(self, transport: Any, field_manager: str, timeout: float) -> None:
        self.transport = transport
        self.field_manager = field_manager
        self.timeout = timeout

    def send(self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None,
             content_type: str = JSON) -> tuple[int, dict]:
        answer = self.transport.request(method, path, query, body, content_type=content_type, timeout=self.timeout)
        return answer.status, answer.json()

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

    def list_page(self, collection_path: str, limit: int, token: str = "") -> dict:
        """One page of a list; its metadata has the collection's resourceVersion, and (when
        more follow) the `continue` token and `remainingItemCount`."""
        query = [("limit", str(limit))] + ([("continue", token)] if token else [])
        return self.send("GET", collection_path, query)[1]
