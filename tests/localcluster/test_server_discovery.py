"""Discovery, OpenAPI, TLS and authentication as clients see them on the wire."""

from __future__ import annotations

import socket
import ssl
import stat

import orjson
import pytest
import yaml
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from tests.support.clusters import RawClient


def test_version_is_1_37(raw):
    version = raw.json("GET", "/version", expect=200)
    assert (version["major"], version["minor"]) == ("1", "37")
    assert version["gitVersion"].startswith("v1.37.")


def test_core_discovery_uses_group_version_v1_and_short_names(raw):
    assert raw.json("GET", "/api", expect=200)["versions"] == ["v1"]
    resources = raw.json("GET", "/api/v1", expect=200)
    assert resources["groupVersion"] == "v1"
    by_name = {r["name"]: r for r in resources["resources"]}
    assert by_name["pods"]["shortNames"] == ["po"] and by_name["pods"]["namespaced"] is True
    assert {"pods/status", "pods/log", "pods/exec"} <= set(by_name)
    assert by_name["pods/exec"]["kind"] == "PodExecOptions"
    assert by_name["nodes"]["namespaced"] is False
    assert {"namespaces", "nodes", "pods", "events", "configmaps", "services"} <= set(by_name)


def test_apps_group_discovery(raw):
    groups = raw.json("GET", "/apis", expect=200)["groups"]
    apps = next(group for group in groups if group["name"] == "apps")
    assert apps["preferredVersion"]["groupVersion"] == "apps/v1"
    resources = raw.json("GET", "/apis/apps/v1", expect=200)
    assert resources["groupVersion"] == "apps/v1"
    assert {"deployments", "replicasets"} <= {r["name"] for r in resources["resources"]}


def test_openapi_v3_declares_field_validation_on_patch(raw):
    index = raw.json("GET", "/openapi/v3", expect=200)
    url = index["paths"]["api/v1"]["serverRelativeURL"]
    document = raw.json("GET", url, expect=200)
    patch = document["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "", "version": "v1", "kind": "Pod"}
    assert "fieldValidation" in {p["name"] for p in patch["parameters"]}
    status, _, _ = raw.request("GET", "/openapi/v2")
    assert status == 404


def test_unknown_paths_are_404_status(raw):
    status, _, body = raw.request("GET", "/apis/nothing/v1/things")
    assert status == 404 and orjson.loads(body)["kind"] == "Status"


def test_requests_without_the_token_get_401_status(cluster):
    for token in (None, "wrong"):
        status, _, body = RawClient(cluster, token).request("GET", "/api/v1/pods")
        assert status == 401
        assert orjson.loads(body) == {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                      "status": "Failure", "message": "Unauthorized",
                                      "reason": "Unauthorized", "code": 401}


def test_python_client_without_token_gets_401(cluster, tmp_path):
    document = yaml.safe_load(cluster.write_kubeconfig(tmp_path / "kc").read_text())
    del document["users"][0]["user"]["token"]
    (tmp_path / "kc").write_text(yaml.safe_dump(document))
    api = config.new_client_from_config(config_file=str(tmp_path / "kc"))
    try:
        with pytest.raises(ApiException) as error:
            client.CoreV1Api(api).list_namespace()
        assert error.value.status == 401
    finally:
        api.close()


def test_viewer_can_read_but_not_write(cluster, namespace):
    viewer = RawClient(cluster, cluster.viewer_token)
    assert viewer.request("GET", f"/api/v1/namespaces/{namespace}/pods")[0] == 200
    status, _, body = viewer.request("DELETE", f"/api/v1/namespaces/{namespace}/pods/x")
    assert status == 403
    assert orjson.loads(body)["message"] == (
        f'pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API group "" '
        f'in the namespace "{namespace}"')
    status, _, body = viewer.request("POST", "/api/v1/namespaces", {"metadata": {"name": "v"}})
    assert orjson.loads(body)["message"] == (
        'namespaces is forbidden: User "viewer" cannot create resource "namespaces" in API group '
        '"" at the cluster scope')


def test_the_certificate_is_its_own_ca_for_127_0_0_1_and_localhost(cluster):
    context = ssl.create_default_context(cadata=cluster.ca_pem.decode())
    for host in ("127.0.0.1", "localhost"):
        with context.wrap_socket(socket.create_connection(("127.0.0.1", cluster.port)),
                                 server_hostname=host) as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_kubeconfig_is_private_and_embeds_the_ca(cluster, kubeconfig_path):
    assert stat.S_IMODE(kubeconfig_path.stat().st_mode) == 0o600
    document = yaml.safe_load(kubeconfig_path.read_text())
    assert document["current-context"] == "kubetui-local"
    [entry] = document["clusters"]
    assert entry["cluster"]["server"] == cluster.url
    assert "certificate-authority-data" in entry["cluster"]
    assert "insecure-skip-tls-verify" not in entry["cluster"]
    contexts = {c["name"]: c["context"] for c in document["contexts"]}
    assert contexts["kubetui-local"]["namespace"] == "default"
    assert set(contexts) == {"kubetui-local", "kubetui-local-viewer"}
