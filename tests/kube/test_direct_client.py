"""The one-shot client of `kubetui get` against the local API server: framing, reuse, errors, and
the kubeconfigs it leaves to the official client."""

from __future__ import annotations

import orjson
import pytest
import yaml

from kubetui.kube.direct_client import direct_connection
from kubetui.kube.requesting import ApiException, open_get, read_json


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


def test_an_error_status_is_the_official_clients_exception(direct, namespace):
    with pytest.raises(ApiException) as raised:
        open_get(direct.api_client, f"/api/v1/namespaces/{namespace}/configmaps/missing")
    assert raised.value.status == 404
    assert orjson.loads(raised.value.body)["reason"] == "NotFound"
    body = read_json(open_get(direct.api_client, f"/api/v1/namespaces/{namespace}"))  # the connection lives on
    assert body["metadata"]["name"] == namespace


def _variant(kubeconfig_path, tmp_path, change) -> str:
    document = yaml.safe_load(kubeconfig_path.read_text())
    change(document["clusters"][0]["cluster"], document["users"][0]["user"])
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(document))
    return str(path)


@pytest.mark.parametrize("change", [
    lambda cluster, user: user.update({"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                                "command": "get-token"}}),
    lambda cluster, user: user.update({"tokenFile": "/nonexistent"}),
    lambda cluster, user: user.update({"username": "u", "password": "p"}),
    lambda cluster, user: cluster.update({"insecure-skip-tls-verify": True}),
    lambda cluster, user: cluster.update({"tls-server-name": "kubernetes"}),
    lambda cluster, user: cluster.update({"proxy-url": "http://127.0.0.1:3128"}),
], ids=["exec", "token-file", "basic-auth", "insecure", "tls-server-name", "proxy-url"])
def test_kubeconfigs_left_to_the_official_client(kubeconfig_path, tmp_path, change):
    assert direct_connection(_variant(kubeconfig_path, tmp_path, change), None, None) is None


def test_a_proxy_in_the_environment_is_left_to_the_official_client(kubeconfig_path, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert direct_connection(str(kubeconfig_path), None, None) is None


def test_an_unknown_context_is_left_to_the_official_client_which_words_it(kubeconfig_path):
    assert direct_connection(str(kubeconfig_path), "no-such-context", None) is None


def test_namespace_and_context(kubeconfig_path):
    conn = direct_connection(str(kubeconfig_path), "kubetui-local-viewer", "team-x")
    try:
        assert (conn.context, conn.namespace) == ("kubetui-local-viewer", "team-x")
        assert {c.name for c in conn.contexts} >= {"kubetui-local", "kubetui-local-viewer"}
    finally:
        conn.close()
