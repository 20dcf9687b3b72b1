"""Helpers for exec tests: pods that run, a sink that records frames, waiting on a session."""

from __future__ import annotations

import threading
import uuid

import pytest

from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.terminal import ScreenBuffer
from tests.conftest import wait_for

SLEEPER = ["sleep", "3600"]  # busybox/alpine exit at once without a long-running command


@pytest.fixture(scope="module")
def exec_cluster():
    """A cluster whose kubelets run containers (the session cluster is a bare API server);
    simulated time runs fast so image pulls take a moment, not seconds."""
    cluster = LocalCluster(ClusterOptions(port=0, time_scale=50, controllers=False)).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def host_exec_cluster():
    """Exec runs real commands on this machine (`--host-exec`, development only): real printf,
    real floods."""
    cluster = LocalCluster(ClusterOptions(port=0, time_scale=50, controllers=False, host_exec=True)).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def exec_kubeconfig(exec_cluster, tmp_path_factory):
    return exec_cluster.write_kubeconfig(tmp_path_factory.mktemp("exec") / "kubeconfig")


@pytest.fixture(scope="module")
def host_exec_api(host_exec_cluster, tmp_path_factory):
    from kubernetes import config

    path = host_exec_cluster.write_kubeconfig(tmp_path_factory.mktemp("hostexec") / "kubeconfig")
    client = config.new_client_from_config(config_file=str(path))
    yield client
    client.close()


@pytest.fixture(scope="module")
def exec_api(exec_kubeconfig):
    from kubernetes import config

    client = config.new_client_from_config(config_file=str(exec_kubeconfig))
    yield client
    client.close()


@pytest.fixture(scope="module")
def exec_core(exec_api):
    from kubernetes import client

    return client.CoreV1Api(exec_api)


@pytest.fixture
def exec_ns(exec_core):
    name = f"x-{uuid.uuid4().hex[:10]}"
    exec_core.create_namespace({"metadata": {"name": name}})
    yield name
    exec_core.delete_namespace(name)


def make_pod(core_api, namespace: str, name: str, containers: list[tuple[str, str]],
             annotations: dict | None = None) -> None:
    spec = [{"name": c, "image": image, **({"command": SLEEPER} if image.startswith(("alpine", "busybox")) else {})}
            for c, image in containers]
    core_api.create_namespaced_pod(namespace, {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "annotations": annotations or {}},
        "spec": {"containers": spec},
    })


def running_pod(core_api, namespace: str, name: str, containers: list[tuple[str, str]], **kw) -> str:
    """Create a pod and wait until all its containers run; returns its name."""
    make_pod(core_api, namespace, name, containers, **kw)

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
