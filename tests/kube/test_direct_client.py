"""The one-shot client of `kubetui get` against the local API server: framing, reuse, errors, the
kubeconfigs it leaves to the official client, and the same words as that client for wrong ones."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import orjson
import pytest
import yaml

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import connect
from kubetui.kube.direct_client import direct_connection
from kubetui.kube.requesting import open_get, read_json
from kubetui.kube.transport import ApiError


@pytest.fixture
def direct(kubeconfig_path):
    conn = direct_connection(str(kubeconfig_path), None, None)
    assert conn is not None, "the local cluster's kubeconfig (token and CA) is the plain kind"
    yield conn
    conn.close()


def test_a_chunked_answer_is_read_whole(direct, raw, namespace):
    """A watch ends after timeoutSeconds and arrives chunked, as large lists do from a real server."""
    for index in range(3):
        raw.json("POST", f"/api/v1/namespaces/{namespace}/configmaps",
                 {"metadata": {"name": f"c{index}"}, "data": {"k": "v" * 5000}}, expect=201)
    response = open_get(direct.api_client, f"/api/v1/namespaces/{namespace}/configmaps",
                        [("watch", "true"), ("timeoutSeconds", "1")], timeout=(10, 30))
    events = [orjson.loads(line) for line in response.data.splitlines() if line.strip()]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "c0"), ("ADDED", "c1"),
                                                                              ("ADDED", "c2")]
    assert response.headers.get("transfer-encoding") == "chunked"


def test_one_connection_carries_request_after_request(direct, namespace):
    for _ in range(3):
        body = read_json(open_get(direct.api_client, f"/api/v1/namespaces/{namespace}"))
        assert body["metadata"]["name"] == namespace


def test_an_error_status_carries_the_status_and_headers(direct, namespace):
    with pytest.raises(ApiError) as raised:
        open_get(direct.api_client, f"/api/v1/namespaces/{namespace}/configmaps/missing")
    assert raised.value.status == 404
    assert orjson.loads(raised.value.body)["reason"] == "NotFound"
    assert raised.value.headers.get("Content-Type") == "application/json"
    body = read_json(open_get(direct.api_client, f"/api/v1/namespaces/{namespace}"))  # the connection lives on
    assert body["metadata"]["name"] == namespace


def _variant(kubeconfig_path, tmp_path, change) -> str:
    document = yaml.safe_load(kubeconfig_path.read_text())
    change(document["clusters"][0]["cluster"], document["users"][0]["user"])
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(document))
    return str(path)


@pytest.mark.parametrize("change", [
    lambda cluster, user: user.update({"token": None, "exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                                               "command": "get-token"}}),
    lambda cluster, user: user.update({"token": None, "username": "u", "password": "p"}),
    lambda cluster, user: cluster.update({"insecure-skip-tls-verify": True, "certificate-authority-data": None}),
    lambda cluster, user: cluster.update({"tls-server-name": "kubernetes"}),
    lambda cluster, user: cluster.update({"proxy-url": "http://127.0.0.1:3128"}),
    lambda cluster, user: user.update({"as": "someone-else", "as-groups": ["team-x"]}),
], ids=["exec", "basic-auth", "insecure", "tls-server-name", "proxy-url", "impersonation"])
def test_kubeconfigs_left_to_the_official_client(kubeconfig_path, tmp_path, change):
    assert direct_connection(_variant(kubeconfig_path, tmp_path, change), None, None) is None


def test_a_proxy_in_the_environment_is_left_to_the_official_client(kubeconfig_path, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert direct_connection(str(kubeconfig_path), None, None) is None


def _official_error(kubeconfig: str, context: str | None = None) -> str:
    with pytest.raises(KubetuiError) as raised:
        connect(kubeconfig, context).close()
    return raised.value.message


def test_an_unknown_context_is_the_official_clients_line(kubeconfig_path):
    with pytest.raises(KubetuiError) as raised:
        direct_connection(str(kubeconfig_path), "no-such-context", None)
    assert raised.value.message == _official_error(str(kubeconfig_path), "no-such-context")
    assert 'context "no-such-context" does not exist' in raised.value.message


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _mismatched_pair(cluster, user) -> None:
    from kubetui.localcluster.cluster.certs import generate

    user.update({"client-certificate-data": _b64(generate().cert_pem),
                 "client-key-data": _b64(generate().key_pem)})


@pytest.mark.parametrize(("change", "words"), [
    (lambda cluster, user: cluster.update({"certificate-authority-data": _b64(b"hello")}),
     "certificate-authority holds no PEM certificate"),
    (lambda cluster, user: user.update({"tokenFile": "/nonexistent/token", "token": None}),
     "tokenFile /nonexistent/token does not exist"),
    (_mismatched_pair, "the client certificate and key do not belong together"),
    (lambda cluster, user: cluster.update({"server": "::::"}), 'server "::::" is not an https:// URL'),
], ids=["ca-not-pem", "missing-token-file", "mismatched-client-pair", "server-not-a-url"])
def test_a_wrong_kubeconfig_is_the_official_clients_line(kubeconfig_path, tmp_path, change, words):
    path = _variant(kubeconfig_path, tmp_path, change)
    with pytest.raises(KubetuiError) as raised:
        direct_connection(path, None, None)
    assert raised.value.message == _official_error(path)
    assert words in raised.value.message


def test_a_token_file_is_read_and_sent(cluster, kubeconfig_path, tmp_path, namespace):
    (tmp_path / "token").write_text(cluster.token + "\n")
    path = _variant(kubeconfig_path, tmp_path, lambda c, user: user.update({"token": None, "tokenFile": "token"}))
    conn = direct_connection(path, None, None)
    assert conn is not None
    try:
        assert read_json(open_get(conn.api_client, f"/api/v1/namespaces/{namespace}"))["metadata"]["name"] == namespace
    finally:
        conn.close()


def test_a_client_certificate_is_presented(cluster, kubeconfig_path, tmp_path, namespace):
    from kubetui.localcluster.cluster.certs import generate

    pair = generate()
    path = _variant(kubeconfig_path, tmp_path, lambda c, user: user.update(
        {"client-certificate-data": _b64(pair.cert_pem), "client-key-data": _b64(pair.key_pem)}))
    conn = direct_connection(path, None, None)
    assert conn is not None
    try:
        assert read_json(open_get(conn.api_client, f"/api/v1/namespaces/{namespace}"))["metadata"]["name"] == namespace
    finally:
        conn.close()


_GET_THEN_LIST_KUBERNETES_MODULES = """
import sys
from kubetui.cli import main
code = main(["get", "pods", "-A", "--kubeconfig", sys.argv[1]])
print(code, sorted(name for name in sys.modules if name.partition(".")[0] == "kubernetes"))
"""


def test_get_does_not_load_the_kubernetes_package(kubeconfig_path):
    """Its import is the ~0.3 s the direct client exists to spare."""
    result = subprocess.run([sys.executable, "-c", _GET_THEN_LIST_KUBERNETES_MODULES, str(kubeconfig_path)],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout[-500:] + result.stderr


_APPLY_THEN_LIST_CLIENT_MODULES = """
import sys
from kubetui.cli import main
code = main(["apply", "-f", sys.argv[2], "-n", sys.argv[3], "--kubeconfig", sys.argv[1]])
print(code, sorted(name for name in sys.modules if name.partition(".")[0] in ("kubernetes", "urllib3")))
"""


def test_apply_does_not_load_the_kubernetes_package(kubeconfig_path, tmp_path, namespace):
    """Nor urllib3: kinds come from kubetui's discovery, requests go through `kube.transport`."""
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: light\ndata:\n  a: b\n")
    result = subprocess.run([sys.executable, "-c", _APPLY_THEN_LIST_CLIENT_MODULES, str(kubeconfig_path),
                             str(manifest), namespace], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.stdout.strip().splitlines() == ["configmap/light created", "0 []"], result.stdout + result.stderr


def test_namespace_and_context(kubeconfig_path):
    conn = direct_connection(str(kubeconfig_path), "kubetui-local-viewer", "team-x")
    try:
        assert (conn.context, conn.namespace) == ("kubetui-local-viewer", "team-x")
        assert {c.name for c in conn.contexts} >= {"kubetui-local", "kubetui-local-viewer"}
    finally:
        conn.close()
