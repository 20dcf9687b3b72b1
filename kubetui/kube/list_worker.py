"""The first pod list in a process of its own, so parsing it does not wait for the UI's imports.

Key decision: a 10,000-pod list is ~45 MB of JSON; parsing and projecting it costs ~0.7 s of CPU,
and in the UI's process that CPU holds the GIL the UI's start-up (Textual's imports, the first
frame) needs too, so starting it early overlapped nothing (measured: 1.57 s for both together,
1.45 s one after the other). A child process (~0.1 s to start: it imports neither Textual nor
the kubernetes package) runs on another core, reads the pages through `kube.transport` and
builds the table's rows there too. Per pod it writes back only who the pod is (name, namespace,
uid, resourceVersion, labels) and its row: a fifth of the projected pods' bytes, which the UI's process reads in
a fraction of the ~0.45 s it spent parsing projected pods and building their rows under the GIL
its start-up needs.

Only for contexts `kube.direct_client` serves (server, CA, token or client certificate: what it
can set up on its own); for any other the child says so and the caller lists in a thread.

Protocol on stdout, frames of one kind byte and an 8-byte big-endian length:
`P` a page (a JSON array of pods: each its identity under `metadata` and its row under
`ROW_KEY` (`row_fields`), or, where no row can be built, the projected pod itself), `D` done
(a JSON object: the list's `resourceVersion` and the `namespace` listed, "" for all), `E` an
error (a JSON string; the caller's watch lists again and reports the error itself), `U` this
context is not for the worker. The request comes on the command line: kubeconfig, context,
namespace ("" for all namespaces, "." for the context's); nothing secret is passed.
"""

from __future__ import annotations

import struct
import sys
from datetime import datetime, timezone
from typing import BinaryIO

from kubetui.model.pod_fields import display_fields
from kubetui.model.pod_status import PodRow, pod_row

__all__ = ["ROW_KEY", "WORKER_CONTEXT_NAMESPACE", "main", "read_frames", "row_from_fields"]

HEADER = struct.Struct(">cQ")
WORKER_CONTEXT_NAMESPACE = "."  # the namespace argument that means: the context's own
ROW_KEY = "kubetui.row"  # beside `metadata`: never a field of a Pod
_IDENTITY = ("name", "namespace", "uid", "resourceVersion", "labels")


def wire_pod(pod: dict, now: datetime) -> dict:
    """What the worker sends for one pod: its identity and row, or the projected pod if its row
    cannot be built (the UI's process builds it again and says what is wrong)."""
    try:
        row = pod_row(pod, now)  # from the whole pod: projecting it first would only cost time
    except ValueError:
        return display_fields(pod)
    metadata = pod.get("metadata") or {}
    return {"metadata": {key: metadata[key] for key in _IDENTITY if key in metadata}, ROW_KEY: row_fields(row)}


def row_fields(row: PodRow) -> list:
    return [row.namespace, row.name, row.ready, row.status, row.restarts, row.age, row.ip, row.node,
            row.nominated_node, row.readiness_gates, row.restart_count, _instant(row.created),
            _instant(row.last_restart), row.uid]


def row_from_fields(fields: list) -> PodRow:
    """The `PodRow` that `row_fields` wrote."""
    created, last_restart = fields[11], fields[12]
    return PodRow(*fields[:11], datetime.fromisoformat(created) if created else None,
                  datetime.fromisoformat(last_restart) if last_restart else None, fields[13])


def _instant(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def write_frame(out: BinaryIO, kind: bytes, data: bytes) -> None:
    out.write(HEADER.pack(kind, len(data)))
    out.write(data)
    out.flush()


def read_frames(stream: BinaryIO):
    """Yield (kind, data) until the stream ends."""
    while True:
        header = stream.read(HEADER.size)
        if len(header) < HEADER.size:
            return
        kind, size = HEADER.unpack(header)
        data = stream.read(size)
        if len(data) < size:
            return
        yield kind, data


def main(argv: list[str]) -> int:
    import gc

    import orjson

    gc.disable()  # a short-lived process of acyclic dicts: the collector would only rescan them

    from kubetui.kube.direct_client import direct_connection
    from kubetui.kube.listing import LIST_TIMEOUT, list_query, pods_path
    from kubetui.kube.page_fetcher import fetch_pages
    from kubetui.kube.pod_page_decoding import decode_pod_page

    out = sys.stdout.buffer
    kubeconfig, context, namespace = (argv + ["", "", ""])[:3]
    try:
        conn = direct_connection(kubeconfig or None, context or None, None)
        if conn is None:
            write_frame(out, b"U", b"")
            return 0
        client = conn.api_client
        if namespace == WORKER_CONTEXT_NAMESPACE:
            namespace = conn.namespace
        path = pods_path(namespace or None)
        resource_version = ""

        def open_page(query):
            return client.open_get(path, query, timeout=LIST_TIMEOUT)

        for data, tell in fetch_pages(open_page, list_query(), 1000):
            body = decode_pod_page(data)
            del data
            if not isinstance(body, dict):
                raise ValueError("the server answered a pod list that is not a JSON object")
            metadata = body.get("metadata") or {}
            token = metadata.get("continue") or ""
            tell(token)
            resource_version = resource_version or str(metadata.get("resourceVersion") or "")
            now = datetime.now(timezone.utc)
            write_frame(out, b"P", orjson.dumps([wire_pod(pod, now) for pod in body.get("items") or ()]))
            if not token:
                write_frame(out, b"D", orjson.dumps({"resourceVersion": resource_version, "namespace": namespace}))
                return 0
        raise ValueError("the server's pod list ended without its last page")
    except BrokenPipeError:  # the UI went away or stopped waiting
        return 0
    except Exception as exc:  # said to the caller, which lists again itself
        try:
            write_frame(out, b"E", orjson.dumps(f"{type(exc).__name__}: {exc}"))
        except BrokenPipeError:
            pass
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
