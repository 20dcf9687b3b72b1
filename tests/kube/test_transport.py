"""The one transport against the local API server: writes and reads from many threads, errors
with the server's Status and Retry-After, kept-alive connections the server drops, and the
official client's connections (the TUI's) riding the same transport or, where it cannot serve
them, the client's own pool."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.kube.applying import Applier
from kubetui.kube.client_transport import PoolTransport
from kubetui.kube.contexts import connect
from kubetui.kube.direct_client import direct_connection
from kubetui.kube.transport import ApiError, Transport
from kubetui.model import parse_manifests
from tests.apply_faults import faults  # noqa: F401
from tests.support.waiting import wait_for


@pytest.fixture
def transport(kubeconfig_path):
    conn = direct_connection(str(kubeconfig_path), None, None)
    yield conn.api_client
    conn.close()


def configmaps(namespace: str) -> str:
    return f"/api/v1/namespaces/{namespace}/configmaps"


def test_writes_and_reads_from_many_threads(transport, raw, namespace):
    def life(index: int) -> tuple:
        name = f"cm-{index}"
        created = transport.request("POST", configmaps(namespace), body={"metadata": {"name": name},
                                                                        "data": {"n": str(index)}})
        applied = transport.request("PATCH", f"{configmaps(namespace)}/{name}", [("fieldManager", "test")],
                                    body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                                          "data": {"n": str(index), "applied": "yes"}},
                                    content_type="application/apply-patch+yaml")
        read = transport.request("GET", f"{configmaps(namespace)}/{name}").json()
        return created.status, applied.status, read["data"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(life, range(40)))
    assert results == [(201, 200, {"n": str(i), "applied": "yes"}) for i in range(40)]
    transport.request("DELETE", f"{configmaps(namespace)}/cm-0", body={"propagationPolicy": "Background"})
    items = raw.json("GET", configmaps(namespace), expect=200)["items"]
    assert sorted(item["metadata"]["name"] for item in items) == sorted(f"cm-{i}" for i in range(1, 40))


def test_an_error_carries_the_servers_status_and_retry_after(transport, namespace, faults):
    transport.request("POST", configmaps(namespace), body={"metadata": {"name": "taken"}})
    with pytest.raises(ApiError) as conflict:
        transport.request("POST", configmaps(namespace), body={"metadata": {"name": "taken"}})
    assert conflict.value.status == 409
    assert from_api_exception(conflict.value).message == (
        'Error from server (AlreadyExists): configmaps "taken" already exists')
    faults(error_codes=[429], retry_after=7)
    with pytest.raises(ApiError) as throttled:
        transport.request("GET", f"{configmaps(namespace)}/taken")
    assert (throttled.value.status, throttled.value.headers.get("Retry-After")) == (429, "7")
    assert json.loads(throttled.value.body)["reason"] == "TooManyRequests"


def test_a_dropped_kept_alive_connection_costs_a_read_nothing_but_a_create_is_never_sent_twice(
        transport, raw, namespace, faults):
    transport.request("GET", configmaps(namespace))  # a connection is kept alive now
    before = faults.injected()
    faults(error_codes=[0], error_limit=1)  # the next request's connection is closed unanswered
    assert transport.request("GET", configmaps(namespace)).json()["items"] == []
    assert faults.injected() - before == 1

    faults(error_codes=[0], error_limit=1)
    with pytest.raises(ConnectionError):
        transport.request("POST", configmaps(namespace), body={"metadata": {"name": "once"}})
    assert faults.injected() - before == 2, "the create went out once"
    assert raw.json("GET", configmaps(namespace), expect=200)["items"] == []


# ------------------------------------------------------------------ the official client's connections

def _kubeconfig(source, target, change) -> str:
    config = yaml.safe_load(source.read_text())
    change(config["clusters"][0]["cluster"], config["users"][0]["user"])
    target.write_text(yaml.safe_dump(config))
    return str(target)


def _credential(token: str, expires: datetime) -> str:
    return json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                       "status": {"token": token, "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}})


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: value\n"


def test_an_exec_plugins_renewed_token_is_used_at_once(cluster, kubeconfig_path, tmp_path, namespace):
    """The first token is wrong and good for a few more seconds; the plugin's next one is right.
    Applying works as soon as the first runs out, long before the transport's own refresh."""
    runs = tmp_path / "runs"
    now = datetime.now(timezone.utc)
    wrong, right = _credential("not-a-token", now + timedelta(seconds=16)), _credential(cluster.token, now + timedelta(hours=1))
    plugin = tmp_path / "plugin.sh"
    plugin.write_text(f"#!/bin/sh\necho run >> {runs}\n"
                      f'if [ "$(wc -l < {runs})" -eq 1 ]; then echo \'{wrong}\'; else echo \'{right}\'; fi\n')
    plugin.chmod(0o755)
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", lambda cluster, user: user.update(
        {"token": None, "exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                 "interactiveMode": "Never"}}))
    assert direct_connection(path, None, None) is None, "exec plugins are the official client's"
    conn = connect(path, None, namespace)
    applier = Applier(conn.api_client, namespace, cache_file=tmp_path / "d.json")
    try:
        assert isinstance(applier.transport, Transport)
        with pytest.raises(KubetuiError) as refused:
            applier.apply(parse_manifests(CM.format(name="a")).manifests)
        assert refused.value.title == "Unauthorized"

        def applied():
            try:
                return applier.apply(parse_manifests(CM.format(name="a")).manifests).outcomes[0].line()
            except KubetuiError:
                return None

        assert wait_for(applied, timeout=20, interval=0.5, message="the renewed token") == "configmap/a created"
    finally:
        applier.close()
        conn.close()
    assert len(runs.read_text().splitlines()) == 2


def test_what_the_transport_does_not_do_goes_through_the_clients_pool(cluster, kubeconfig_path, tmp_path, namespace):
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", lambda cluster, user: cluster.update(
        {"insecure-skip-tls-verify": True, "certificate-authority-data": None}))
    conn = connect(path, None, namespace)
    applier = Applier(conn.api_client, namespace, cache_file=tmp_path / "d.json")
    try:
        assert isinstance(applier.transport, PoolTransport)
        manifests = parse_manifests(CM.format(name="a")).manifests
        assert [o.line() for o in applier.apply(manifests).outcomes] == ["configmap/a created"]
        assert [o.line() for o in applier.apply(manifests).outcomes] == ["configmap/a unchanged"]
        with pytest.raises(ApiError) as missing:
            applier.wire.get(f"{configmaps(namespace)}/missing")
        assert missing.value.status == 404 and missing.value.headers.get("Content-Type") == "application/json"
    finally:
        applier.close()
        conn.close()
