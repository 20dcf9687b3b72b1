"""Helpers for exec tests: pods that run, a sink that records frames, waiting on a session."""

from __future__ import annotations

import threading

import pytest

from kubetui.terminal import ScreenBuffer
from tests.support.clusters import cluster_fixture
from tests.support.pods import SLEEP, container, pod_manifest
from tests.support.waiting import wait_for

# A cluster whose kubelets run containers (the session cluster is a bare API server); simulated
# time runs fast so image pulls take a moment, not seconds.
exec_cluster = cluster_fixture(time_scale=50, controllers=False)
# Exec runs real commands on this machine (`--host-exec`, development only): real printf, real floods.
host_exec_cluster = cluster_fixture(time_scale=50, controllers=False, host_exec=True)


@pytest.fixture(scope="module")
def exec_kubeconfig(exec_cluster):
    return exec_cluster.kubeconfig


@pytest.fixture(scope="module")
def host_exec_api(host_exec_cluster):
    return host_exec_cluster.api_client


@pytest.fixture(scope="module")
def exec_api(exec_cluster):
    return exec_cluster.api_client


@pytest.fixture(scope="module")
def exec_core(exec_cluster):
    return exec_cluster.core


@pytest.fixture
def exec_ns(exec_cluster):
    with exec_cluster.namespace("x") as name:
        yield name


def running_pod(core_api, namespace: str, name: str, containers: list[tuple[str, str]],
                annotations: dict | None = None) -> str:
    """Create a pod (busybox and alpine containers sleep) and wait until all its containers run;
    returns its name."""
    specs = [container(c, image, SLEEP if image.startswith(("alpine", "busybox")) else None)
             for c, image in containers]
    core_api.create_namespaced_pod(namespace, pod_manifest(name, *specs, annotations=annotations or {}))

    def all_running():
        pod = core_api.read_namespaced_pod(name, namespace)
        statuses = pod.status.container_statuses or []
        return len(statuses) == len(containers) and all(s.state.running for s in statuses)

    wait_for(all_running, timeout=30, message=f"pod {name} running")
    return name


class RecordingScreen(ScreenBuffer):
    """A ScreenBuffer that also remembers how the bytes arrived (one entry per frame fed)."""

    def __init__(self, cols: int = 100, rows: int = 30) -> None:
        super().__init__(cols, rows)
        self.frames: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self.frames.append(bytes(data))
        super().feed(data)

    def text(self) -> str:
        return "\n".join(self.history() + self.display())


class SessionProbe:
    """Collects a session's callbacks for assertions."""

    def __init__(self) -> None:
        self.started: list[tuple] = []
        self.end = None
        self.ended = threading.Event()
        self.outputs = 0

    def kwargs(self) -> dict:
        return {"on_started": lambda command, replaced: self.started.append((command, replaced)),
                "on_ended": self._on_end, "on_output": self._on_output}

    def _on_end(self, end) -> None:
        self.end = end
        self.ended.set()

    def _on_output(self) -> None:
        self.outputs += 1


def wait_for_text(screen: RecordingScreen, text: str, timeout: float = 15) -> None:
    wait_for(lambda: text in screen.text(), timeout=timeout, message=f"{text!r} on the terminal")


def wait_for_end(probe: SessionProbe, timeout: float = 15):
    assert probe.ended.wait(timeout), "the session did not end in time"
    return probe.end


class CuttableProxy:
    """A TCP relay in front of the cluster whose connections can be cut, like a network failure."""

    def __init__(self, target_port: int) -> None:
        import socket

        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._relay, args=(src, dst), daemon=True).start()

    @staticmethod
    def _relay(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        import socket

        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
