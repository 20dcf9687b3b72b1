"""Bookmarks keep their cadence while events flow (clients take silence beyond it for a stall),
and never carry a resourceVersion ahead of an event still to come on the same stream."""

from __future__ import annotations

import threading
import uuid

import orjson


def test_bookmarks_come_during_a_flood_and_never_run_ahead_of_events(core_api, raw, namespace):
    start = core_api.list_namespaced_config_map(namespace).metadata.resource_version
    response = core_api.list_namespaced_config_map(namespace, watch=True, allow_watch_bookmarks=True,
                                                   timeout_seconds=60, resource_version=start,
                                                   _preload_content=False)
    done = threading.Event()

    def flood() -> None:  # as fast as the server takes them, until the reader has seen enough
        while not done.is_set():
            raw.json("POST", f"/api/v1/namespaces/{namespace}/configmaps",
                     {"metadata": {"name": f"cm-{uuid.uuid4().hex[:8]}"}}, expect=201)

    writer = threading.Thread(target=flood, daemon=True)
    writer.start()
    versions: list[tuple[str, int]] = []
    buffer = b""
    try:
        for chunk in response.stream(4096):  # the server's timeoutSeconds bounds this loop
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                event = orjson.loads(line)
                versions.append((event["type"], int(event["object"]["metadata"]["resourceVersion"])))
            if sum(kind == "BOOKMARK" for kind, _ in versions) >= 3:
                break
    finally:
        done.set()
        response.release_conn()
        writer.join(10)
    kinds = [kind for kind, _ in versions]
    assert kinds.count("BOOKMARK") >= 3 and kinds.count("ADDED") > kinds.count("BOOKMARK")
    numbers = [number for _, number in versions]
    assert numbers == sorted(numbers), "a resourceVersion went backwards on one stream"
