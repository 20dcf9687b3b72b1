"""Why a pod is failing, read from the cluster: the pod afresh, then its failing container's log.

Key decisions: the pod is read again rather than taken from the table (the table keeps only
what its columns need); the log read is the failed instance's (`previous=true` after a restart,
the current one for a container that ended and stays ended), its last lines only, bounded in
bytes; a log that cannot be read (forbidden, rotated away) is said in the line instead of
failing it, while a pod that cannot be read fails as any read does. The words are
`model.failure`'s.
"""

from __future__ import annotations

from typing import Any

from kubetui.errors import from_api_exception
from kubetui.kube.describing import get_object
from kubetui.kube.logs import LogOptions, open_log
from kubetui.model.failure import failure_text, pod_failure, telling_line
from kubetui.model.resource_names import ApiResource

__all__ = ["diagnose_pod"]

TAIL_LINES = 40
LIMIT_BYTES = 64 * 1024
_PODS = ApiResource("", "v1", "pods", "pod", "Pod", namespaced=True)


def diagnose_pod(api_client: Any, server: str, namespace: str, name: str, status_text: str = "") -> str:
    """One line saying why the pod fails ("" when nothing in it is failing now)."""
    try:
        pod = get_object(api_client, _PODS, namespace, name)
    except Exception as exc:
        raise from_api_exception(exc, server) from None
    failure = pod_failure(pod, status_text)
    if failure is None:
        return ""
    if not failure.logs:
        return failure_text(failure)
    options = LogOptions(container=failure.container, previous=failure.logs == "previous", tail_lines=TAIL_LINES,
                         limit_bytes=LIMIT_BYTES)
    try:
        response = open_log(api_client, namespace, name, options)
        try:
            log = response.data.decode("utf-8", "replace")
        finally:
            response.release_conn()
    except Exception as exc:
        return failure_text(failure, log_note=f"its log cannot be read: {from_api_exception(exc, server).message}")
    return failure_text(failure, telling_line(log))
