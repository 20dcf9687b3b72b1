"""Shared by the kubelet, logs, events and samples tests: a cluster whose simulated time runs
fast, and a watch that records every version of a pod so a test can assert on the sequence of
STATUS values kubectl would have printed."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import orjson

from kubetui.model import pod_row
from tests.support.clusters import RunningCluster, cluster_fixture
from tests.support.waiting import wait_for

TIME_SCALE = 50.0

fast_cluster = cluster_fixture(time_scale=TIME_SCALE)


def new_namespace(running: RunningCluster) -> str:
    return running.new_namespace("s")


def get_pod(running: RunningCluster, namespace: str, name: str) -> dict | None:
    status, _, pod = running.raw.call("GET", f"/api/v1/namespaces/{namespace}/pods/{name}")
    return pod if status == 200 else None


def row(pod: dict):
    return pod_row(pod, datetime.now(timezone.utc))


class PodWatch:
    """Every version of the pods of a namespace, in order, from a real watch stream."""

    def __init__(self, running: RunningCluster, namespace: str) -> None:
        self.events: list[tuple[str, dict]] = []
        self._connection = running.raw.connection(timeout=120)
        self._connection.request("GET", f"/api/v1/namespaces/{namespace}/pods?watch=true&"
                                        "timeoutSeconds=110",
                                 headers={"Authorization": f"Bearer {running.cluster.token}"})
        self._response = self._connection.getresponse()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for line in self._response:
                if line.strip():
                    event = orjson.loads(line)
                    self.events.append((event["type"], event["object"]))
        except Exception:  # the test closed the connection under the reader: done
            pass

    def statuses(self, name: str) -> list[str]:
        """The STATUS column after each change of pod `name`, repeats collapsed."""
        seen: list[str] = []
        for kind, pod in list(self.events):
            if pod["metadata"]["name"] != name or kind == "DELETED":
                continue
            status = row(pod).status
            if not seen or seen[-1] != status:
                seen.append(status)
        return seen

    def saw(self, name: str, status: str, timeout: float = 20.0) -> list[str]:
        """Wait until the stream has delivered a version of `name` showing `status`."""
        return wait_for(lambda: status in self.statuses(name) and self.statuses(name),
                        timeout=timeout, message=f"{name} seen as {status} by the watch")

    def versions(self, name: str) -> list[dict]:
        return [pod for _, pod in list(self.events) if pod["metadata"]["name"] == name]

    def deleted(self, name: str) -> bool:
        return any(kind == "DELETED" and pod["metadata"]["name"] == name
                   for kind, pod in list(self.events))

    def close(self) -> None:
        try:
            self._connection.sock.shutdown(2)
        except OSError:
            pass
        self._connection.close()


def wait_status(running: RunningCluster, namespace: str, name: str, predicate,
                timeout: float = 20.0, message: str = "") -> dict:
    """Wait until `predicate(pod)` holds for the live pod; returns the pod."""
    def check():
        pod = get_pod(running, namespace, name)
        return pod if pod is not None and predicate(pod) else None
    return wait_for(check, timeout=timeout, message=message or f"pod {name}")
